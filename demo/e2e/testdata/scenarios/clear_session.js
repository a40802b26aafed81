// user.clearSession(): sync, removes the saved session, forgets the token
// and the current user.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const user = await h.call(auth, 'login', adminEmail, adminPassword, true);
  await h.call(user, 'clearSession');
  await h.note('user.token', user.token);
  await h.call(auth, 'currentUser');
  await h.call(user, 'tokenDetails');
  await h.call(user, 'jwt');
  await h.call(user, 'clearSession');
  const again = await h.call(auth, 'login', adminEmail, adminPassword, true);
  h.check(again && again !== user, 'a new login makes a new user');
}

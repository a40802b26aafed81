// logout, then everything that needs the token rejects and the session is
// gone; logout without a token still resolves.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const user = await h.call(auth, 'login', adminEmail, adminPassword, true);
  const res = await h.call(user, 'logout');
  h.check(res === undefined && localStorage.getItem('gotrue.user') === null, 'logout clears the session');
  await h.call(auth, 'currentUser');
  await h.call(user, 'jwt');
  await h.call(user, 'jwt', true);
  await h.call(user, 'tokenDetails');
  await h.call(user, 'update', { data: { a: 1 } });
  await h.call(user, 'getUserData');
  await h.call(user.admin, 'listUsers');
  await h.call(user, 'logout');
  await h.call(auth, 'validateCurrentSession');
}

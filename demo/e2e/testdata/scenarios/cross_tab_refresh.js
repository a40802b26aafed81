// Two views of one saved session (this page's user and the one another
// tab would recover): the second refreshes with a refresh token the first
// has already spent.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const user = await h.call(auth, 'login', adminEmail, adminPassword, true);
  await h.storageEvent();
  const other = await h.call(auth, 'currentUser');
  h.check(other && other !== user && other._fromStorage, 'a second view of the session');
  await h.call(user, 'jwt', true);
  await h.call(other, 'jwt', true);
  await h.call(auth, 'currentUser');
}

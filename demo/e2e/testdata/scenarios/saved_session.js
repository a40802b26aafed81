// What currentUser() makes of a saved entry it did not write: invalid
// JSON (logged, left in place), no url, no token, a valid one.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  await h.setStorage('{not json');
  await h.call(auth, 'currentUser');
  await h.setStorage(JSON.stringify({ token: { access_token: 'x' }, audience: '' }));
  await h.call(auth, 'currentUser');
  await h.setStorage(JSON.stringify({ url: '/.netlify/identity', audience: '' }));
  await h.call(auth, 'currentUser');
  const user = await h.call(auth, 'login', adminEmail, adminPassword, true);
  const saved = localStorage.getItem('gotrue.user');
  await h.call(user, 'clearSession');
  await h.setStorage(saved);
  const recovered = await h.call(auth, 'currentUser');
  h.check(recovered && recovered._fromStorage === true, 'a saved entry is recovered');
  await h.call(recovered, 'getUserData');
}

// login(remember = false): the user lives in memory only; another
// GoTrue of the page shares it; a storage event makes it read storage.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const user = await h.call(auth, 'login', adminEmail, adminPassword, false);
  h.check(user && localStorage.getItem('gotrue.user') === null, 'nothing is saved');
  const again = await h.call(auth, 'currentUser');
  await h.note('currentUser() is the object login resolved', again === user);
  const second = await h.new();
  const shared = await h.call(second, 'currentUser');
  await h.note('a second GoTrue sees the same user', shared === user);
  await h.storageEvent();
  await h.call(second, 'currentUser');
  await h.call(user, 'jwt');
}

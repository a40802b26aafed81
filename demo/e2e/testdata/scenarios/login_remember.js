// login(remember = true) then what a reload sees: the saved entry, read
// back once the in-memory user is dropped (a storage event, as when
// another tab writes it), by a second GoTrue of the page.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const user = await h.call(auth, 'login', adminEmail, adminPassword, true);
  h.check(user && JSON.parse(localStorage.getItem('gotrue.user') || '{}').email === adminEmail, 'the session is saved');
  const second = await h.new();
  const cached = await h.call(second, 'currentUser');
  await h.note('a new GoTrue gets the module-level user, not storage', cached === user);
  await h.storageEvent();
  const recovered = await h.call(second, 'currentUser');
  h.check(recovered && recovered._fromStorage === true, 'the user is recovered from storage');
  await h.note('the recovered user is a new object', recovered !== user);
  await h.call(second, 'currentUser');
  await h.call(auth, 'currentUser');
  await h.call(recovered, 'jwt');
  await h.call(recovered, 'getUserData');
  await h.call(recovered, 'update', { data: { theme: 'dark' } });
  await h.call(user, 'tokenDetails');
}

// setCookie: true: X-Use-Cookie follows remember (and currentUser()), the
// server sets the HttpOnly nf_jwt cookie and clears it on logout.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new({ setCookie: true });
  await h.call(auth, 'settings');
  const user = await h.call(auth, 'login', adminEmail, adminPassword, true);
  await h.cookies();
  await h.call(user, 'getUserData');
  await h.call(auth, 'currentUser');
  await h.call(user, 'jwt', true);
  await h.cookies();
  await h.call(user, 'logout');
  await h.cookies();
  const session = await h.call(auth, 'login', adminEmail, adminPassword, false);
  await h.cookies();
  await h.storageEvent();
  await h.call(auth, 'currentUser');
  await h.call(session, 'update', { data: { seen: true } });
  await h.cookies();
}

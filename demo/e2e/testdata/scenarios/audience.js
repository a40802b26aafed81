// new GoTrue({audience}): X-JWT-AUD on every request, users of that
// audience, listUsers(aud) overriding it; no audience cannot see them.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new({ audience: 'aud1' });
  await h.call(auth, 'settings');
  await h.call(auth, 'signup', 'ivy@example.com', 'ivy-pw', { full_name: 'Ivy' });
  const token = await h.mail('ivy@example.com', 'confirmation');
  const ivy = await h.call(auth, 'confirm', token, true);
  h.check(ivy && ivy.aud === 'aud1' && ivy.audience === 'aud1', 'the user is in aud1');
  await h.call(ivy, 'getUserData');
  await h.call(ivy, 'jwt', true);
  await h.call(ivy.admin, 'listUsers');
  await h.call(ivy.admin, 'listUsers', 'aud2');
  await h.call(auth, 'login', adminEmail, adminPassword, false);
  const plain = await h.new();
  await h.call(plain, 'login', 'ivy@example.com', 'ivy-pw', false);
  const admin = await h.call(plain, 'login', adminEmail, adminPassword, false);
  await h.call(admin.admin, 'listUsers', 'aud1');
}

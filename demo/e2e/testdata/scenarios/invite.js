// An admin invites (POST /invite with the admin's jwt); confirm() of the
// invite is refused, acceptInvite sets the password, a second accept fails.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const admin = await h.call(auth, 'login', adminEmail, adminPassword, false);
  const jwt = await h.call(admin, 'jwt');
  await h.fetch('POST', '/invite', { body: { email: 'frank@example.com' } });
  const invited = await h.fetch('POST', '/invite', { jwt, body: { email: 'frank@example.com' } });
  h.check(invited && invited.status === 200, 'the admin invites');
  const token = await h.mail('frank@example.com', 'invite');
  await h.call(auth, 'confirm', token, true);
  await h.call(auth, 'acceptInvite', token, '', true);
  const frank = await h.call(auth, 'acceptInvite', token, 'frank-pw', true);
  h.check(frank && frank.email === 'frank@example.com' && frank.confirmed_at, 'acceptInvite logs the user in');
  await h.call(auth, 'acceptInvite', token, 'frank-pw', true);
  await h.call(auth, 'login', 'frank@example.com', 'frank-pw', false);
}

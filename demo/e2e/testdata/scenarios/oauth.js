// createUser from an OAuth callback's hash (every field a string), after
// loginExternalUrl and the server's fake provider; the same for an
// invitation accepted through a provider.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const url = await h.call(auth, 'loginExternalUrl', 'github');
  const params = await h.oauth(url);
  h.check(params && typeof params.expires_in === 'string', 'the hash holds strings');
  const user = await h.call(auth, 'createUser', params, true);
  h.check(user && user.email === 'github-user@example.com', 'createUser logs the provider user in');
  await h.call(user, 'jwt');
  await h.call(auth, 'currentUser');
  await h.call(user, 'jwt', true);

  const admin = await h.call(auth, 'login', adminEmail, adminPassword, false);
  const jwt = await h.call(admin, 'jwt');
  await h.fetch('POST', '/invite', { jwt, body: { email: 'kim@example.com' } });
  const token = await h.mail('kim@example.com', 'invite');
  const inviteUrl = await h.call(auth, 'acceptInviteExternalUrl', 'gitlab', token);
  const invited = await h.oauth(inviteUrl);
  const kim = await h.call(auth, 'createUser', invited);
  h.check(kim && kim.email === 'kim@example.com', 'the invited user logs in through the provider');
}

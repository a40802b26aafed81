// jwt(): the cached token without a request; jwt(true): a refresh that
// rotates both tokens and rewrites the saved session; concurrent refreshes
// share one request.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const user = await h.call(auth, 'login', adminEmail, adminPassword, true);
  const first = await h.call(user, 'jwt');
  h.check(first && first === user.token.access_token, 'jwt() is the access token');
  await h.call(user, 'jwt', false);
  const fresh = await h.call(user, 'jwt', true);
  h.check(fresh && fresh !== first, 'jwt(true) rotates the token');
  await h.note('the user holds the new token', user.token.access_token === fresh);
  await h.call(user, 'jwt');
  await h.run('jwt(true) twice at once', () => Promise.all([user.jwt(true), user.jwt(true)]));
  await h.call(user, 'getUserData');
  // A user kept in memory only: the refresh leaves storage alone.
  const mem = await h.call(auth, 'login', adminEmail, adminPassword, false);
  await h.call(mem, 'jwt', true);
}

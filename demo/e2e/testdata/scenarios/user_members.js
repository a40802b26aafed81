// The User members pages reach although gotrue-js's types call them
// private: _request, _refreshToken, _saveUserData, _processTokenResponse,
// _refreshSavedSession, _saveSession and the _details getter.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const user = await h.call(auth, 'login', adminEmail, adminPassword, false);
  await h.call(user, '_request', '/user');
  await h.call(user, '_request', '/admin/users', { audience: 'other-aud' });
  await h.call(user, '_request', '/user', { method: 'PUT', body: JSON.stringify({ data: { via: '_request' } }) });
  await h.call(user, '_saveUserData', { nickname: 'nick', token: 'ignored', jwt: 'ignored' });
  await h.call(user, '_saveUserData', { restored: true }, true);
  await h.get(user, '_details');
  await h.call(user, '_refreshSavedSession'); // nothing saved: nothing written
  await h.call(user, '_saveSession');
  await h.call(user, '_refreshSavedSession');
  const rt = user.token.refresh_token;
  await h.call(user, '_refreshToken', rt);
  await h.get(user, 'token');
  // Every refresh of one refresh token is one promise, as in gotrue-js.
  await h.run('jwt(true) twice and _refreshToken at once', async () => {
    const a = user.jwt(true);
    const b = user.jwt(true);
    const c = user._refreshToken(user.token.refresh_token);
    const tokens = await Promise.all([a, b, c]);
    return { sameAB: a === b, sameAC: a === c, oneToken: new Set(tokens).size === 1 };
  });
  // A token response from elsewhere (another login), installed by hand.
  const other = await h.call(auth.api, 'request', '/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `grant_type=password&username=${encodeURIComponent(adminEmail)}&password=${encodeURIComponent(adminPassword)}`,
  });
  await h.call(user, '_processTokenResponse', other);
  await h.note('the token is the object passed', user.token === other);
  await h.call(user, 'jwt');
  await h.call(user, 'getUserData');
  await h.call(user, 'logout');
}

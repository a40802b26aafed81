// gotrue.api as a page uses it: the API instance's headers() and
// request(), the static API.parseJsonResponse, and the members pages call
// although gotrue-js's types call them private: gotrue._request,
// gotrue._setRememberHeaders, User.recoverSession, User.removeSavedSession.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const { User } = h.mod;
  const auth = await h.new();
  const API = auth.api.constructor;

  await h.call(auth.api, 'headers');
  await h.call(auth.api, 'headers', { 'X-Extra': 'yes', 'Content-Type': 'text/plain' });
  await h.call(auth.api, 'request', '/settings');
  await h.call(auth.api, 'request', '/settings', { headers: { 'X-Page': '1' } });
  await h.call(auth.api, 'request', '/no-such-path');
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  // api.request does not rewrite a JSON error's message; _request does.
  await h.call(auth.api, 'request', '/token', { method: 'POST', headers: form, body: 'grant_type=password&username=nobody%40example.com&password=x' });
  await h.call(auth, '_request', '/token', { method: 'POST', headers: form, body: 'grant_type=password&username=nobody%40example.com&password=x' });
  await h.call(auth, '_request', '/settings', { audience: 'aud-of-the-call' });
  const tok = await h.call(auth.api, 'request', '/token', {
    method: 'POST',
    headers: form,
    body: `grant_type=password&username=${encodeURIComponent(adminEmail)}&password=${encodeURIComponent(adminPassword)}`,
  });
  await h.run('API.parseJsonResponse(ok)', async () => API.parseJsonResponse(await fetch('/.netlify/identity/settings')));
  await h.run('API.parseJsonResponse(error)', async () => API.parseJsonResponse(await fetch('/.netlify/identity/user')));

  // _setRememberHeaders: nothing without setCookie, X-Use-Cookie with it,
  // synchronously.
  await h.call(auth, '_setRememberHeaders', true);
  const cookies = await h.new({ setCookie: true });
  await h.call(cookies, '_setRememberHeaders', true);
  await h.call(cookies, '_setRememberHeaders', false);

  // The statics.
  await h.call(User, 'recoverSession');
  const user = await h.call(auth, 'createUser', tok, true);
  await h.storageEvent();
  const again = await h.call(User, 'recoverSession', auth.api);
  await h.note('recoverSession(api) is the current user', again === auth.currentUser());
  await h.note('recoverSession(api).api === api', again && again.api === auth.api);
  await h.storageEvent();
  const bare = await h.call(User, 'recoverSession');
  await h.note('recoverSession() makes its own API', bare && bare.api !== auth.api && bare.api instanceof API);
  await h.note('its api', bare && JSON.stringify(bare.api));
  await h.call(bare, 'getUserData');
  await h.call(User, 'removeSavedSession');
  await h.call(auth, 'currentUser');
  await h.note('user survives in memory', user && user.email);
}

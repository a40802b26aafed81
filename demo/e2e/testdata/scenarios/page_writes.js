// A page that changes a client's public properties after construction
// (gotrue-js reads them at every request): a header added to
// api.defaultHeaders, api.apiURL, audience, setCookie.
export default async function (GoTrue, h) {
  const headers = await h.new();
  headers.api.defaultHeaders['X-Nf-Client'] = 'changed-by-the-page';
  await h.call(headers, 'settings');

  const moved = await h.new({ APIUrl: '/nope' });
  moved.api.apiURL = '/.netlify/identity';
  await h.call(moved, 'settings');

  const aud = await h.new();
  aud.audience = 'aud7';
  await h.call(aud, 'settings');

  const cookie = await h.new();
  cookie.setCookie = true;
  await h.call(cookie, 'login', h.env.adminEmail, h.env.adminPassword, false);
}

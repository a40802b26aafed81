// Answers that break the rules: JSON that is not JSON (with 200, and with
// a 502 from a proxy), and no answer at all (a port nothing listens on).
export default async function (GoTrue, h) {
  const badJSON = await h.new({ APIUrl: '/e2e-api/badjson' });
  await h.call(badJSON, 'settings');
  await h.call(badJSON, 'login', 'someone@example.com', 'pw', true);
  await h.call(await h.new({ APIUrl: '/e2e-api/badgateway' }), 'settings');
  const offline = await h.new({ APIUrl: '//127.0.0.1:1/.netlify/identity' });
  await h.call(offline, 'settings');
  await h.call(offline, 'login', 'someone@example.com', 'pw', true);
}

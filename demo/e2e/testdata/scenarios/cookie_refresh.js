// setCookie: true against the server's cookie rules: only /token (and
// /verify) set nf_jwt, /user never does; a rotated refresh token clears
// the cookie, one that /logout deleted does not.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new({ setCookie: true });
  const admin = await h.call(auth, 'login', adminEmail, adminPassword, false);
  await h.call(admin.admin, 'createUser', 'cora@example.com', 'cora-pw', { confirm: true });
  const refresh = (rt) => fetch('/.netlify/identity/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Use-Cookie': '1' },
    body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(rt)}`,
  }).then(async (r) => ({ status: r.status, json: await r.json() }));

  const cora = await h.call(auth, 'login', 'cora@example.com', 'cora-pw', true);
  const first = cora.token.refresh_token;
  await h.cookies();
  await h.call(cora, 'getUserData');
  await h.call(cora, 'update', { data: { seen: true } });
  await h.call(cora, 'jwt', true);
  await h.run('refresh with the rotated token', () => refresh(first));
  await h.cookies();

  const again = await h.call(auth, 'login', 'cora@example.com', 'cora-pw', true);
  const kept = again.token.refresh_token;
  await h.call(again, 'logout');
  await h.call(auth, 'login', 'cora@example.com', 'cora-pw', true);
  await h.cookies();
  await h.run('refresh with a token /logout deleted', () => refresh(kept));
  await h.cookies();
}

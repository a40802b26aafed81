// user.tokenDetails(): the token object itself, before and after a refresh.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const user = await h.call(auth, 'login', adminEmail, adminPassword, false);
  const details = await h.call(user, 'tokenDetails');
  await h.note('tokenDetails() === user.token', details === user.token);
  await h.note('token keys', details && Object.keys(details));
  await h.call(user, 'jwt', true);
  const after = await h.call(user, 'tokenDetails');
  await h.note('after a refresh, tokenDetails() === user.token', after === user.token);
  await h.get(user, 'token');
}

// A login that fails half-way: the server refuses the token that
// createUser was given (the GET /user after it answers 401). Which
// session is left?
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const admin = await h.call(auth, 'login', adminEmail, adminPassword, true);
  h.check(admin && admin.email === adminEmail, 'the admin logs in');
  const broken = { access_token: 'not-a-jwt', token_type: 'bearer', expires_in: 3600, refresh_token: 'not-a-refresh-token' };
  await h.call(auth, 'createUser', broken, true);
  await h.call(auth, 'currentUser');
  await h.call(auth, 'validateCurrentSession');
  await h.call(auth, 'currentUser');
}

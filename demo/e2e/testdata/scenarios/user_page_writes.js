// A page that writes to a user, as gotrue-js reads this.token and
// this.audience at each call: a token swapped or forged, an access token
// changed in place, an audience set before a request. And X-Use-Cookie,
// which gotrue-js puts in api.defaultHeaders as soon as login() is called.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new({ setCookie: true });
  let early;
  const user = await h.run('login, reading api.defaultHeaders as it is called', () => {
    const pending = auth.login(adminEmail, adminPassword, true);
    early = { ...auth.api.defaultHeaders };
    return pending;
  });
  await h.note('api.defaultHeaders right after login() was called', early);
  const second = await h.call(auth, 'login', adminEmail, adminPassword, false);

  // An audience written by the page goes out with the next request.
  second.audience = 'written-aud';
  await h.call(second, 'getUserData');
  second.audience = '';

  // A token swapped for another user object's.
  second.token = user.token;
  await h.call(second, 'jwt');
  await h.call(second, 'getUserData');
  await h.note('tokenDetails() is the written object', second.tokenDetails() === user.token);

  // An access token changed in place is what the next request sends.
  const real = second.token.access_token;
  second.token.access_token = 'forged.access.token';
  await h.call(second, 'jwt');
  await h.call(second, 'getUserData');
  second.token.access_token = real;

  // An expiry written in the past makes the next jwt() refresh.
  second.token.expires_at = 0;
  await h.call(second, 'jwt');
  await h.get(second, 'token');

  // A token removed by the page: jwt() has none to give.
  const saved = second.token;
  second.token = null;
  await h.call(second, 'jwt');
  await h.call(second, 'tokenDetails');
  second.token = saved;
  await h.call(second, 'jwt');
  await h.call(second, 'logout');
}

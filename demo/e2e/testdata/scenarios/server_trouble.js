// An identity API that is down (503) when a recovered user refreshes its
// token and when the session is validated. (/e2e-api/down answers every
// path the same way.)
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  await h.call(auth, 'login', adminEmail, adminPassword, true);
  const saved = localStorage.getItem('gotrue.user');

  // A user recovered by a GoTrue whose API is down.
  const down = await h.new({ APIUrl: '/e2e-api/down' });
  await h.storageEvent();
  const user = await h.call(down, 'currentUser');
  h.check(user && user._fromStorage, 'the user is recovered through the down API');
  await h.call(user, 'jwt', true);
  await h.call(down, 'currentUser');

  await h.setStorage(saved);
  await h.storageEvent();
  await h.call(down, 'validateCurrentSession');
  await h.call(down, 'currentUser');
}

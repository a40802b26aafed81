// flow.mjs — the one flow every toolchain and engine is checked with, as a
// user of the package would write it: signup, login, jwt, a wrong
// password, logout. Run in a page (the drivers send its source) and in
// Node (node-flow.mjs imports it). It resolves a report of the steps and
// throws on the first step that goes wrong; it never puts a token in a
// message.
export async function flow({ GoTrue, JSONHTTPError }, apiURL) {
  const steps = [];
  const check = (ok, what) => {
    if (!ok) throw new Error(`flow: ${what} (after ${steps.join(', ') || 'nothing'})`);
  };
  const auth = new GoTrue({ APIUrl: apiURL, setCookie: false });
  const email = `flow-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const password = 'correct horse battery';

  const signedUp = await auth.signup(email, password, { full_name: 'Flow' });
  check(signedUp && signedUp.email === email, 'signup did not answer the user');
  steps.push('signup');

  const user = await auth.login(email, password, true);
  check(user && user.email === email && auth.currentUser() === user, 'login did not make the current user');
  steps.push('login');

  const jwt = await user.jwt();
  check(typeof jwt === 'string' && jwt.split('.').length === 3, 'jwt() did not answer a JWT');
  const claims = JSON.parse(atob(jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
  check(claims.email === email, 'the JWT is for someone else');
  const forced = await user.jwt(true);
  check(typeof forced === 'string' && forced.split('.').length === 3, 'jwt(true) did not answer a JWT');
  steps.push('jwt');

  let refused;
  try {
    await auth.login(email, 'wrong password', true);
  } catch (err) {
    refused = err;
  }
  check(refused instanceof JSONHTTPError, `a wrong password gave ${refused && refused.name}, not a JSONHTTPError`);
  check(refused.status === 400 && refused.json && refused.json.error === 'invalid_grant', `a wrong password gave status ${refused.status}`);
  check(auth.currentUser() === user, 'a wrong password ended the session');
  steps.push('wrong password');

  await user.logout();
  check(auth.currentUser() === null, 'logout left a current user');
  steps.push('logout');
  return { ok: true, steps };
}

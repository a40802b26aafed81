// Answers that are not JSON: a TextHTTPError with the body as data.
export default async function (GoTrue, h) {
  const nope = await h.new({ APIUrl: '/nope' });
  const res = await h.call(nope, 'settings');
  h.check(res === undefined, 'an unknown path rejects');
  await h.call(nope, 'login', 'someone@example.com', 'pw', true);
  await h.call(nope, 'requestPasswordRecovery', 'someone@example.com');
  // An unknown route inside the identity API answers the same way.
  const deep = await h.new({ APIUrl: '/.netlify/identity/nope' });
  await h.call(deep, 'settings');
  await h.call(deep, 'signup', 'someone@example.com', 'pw');
}

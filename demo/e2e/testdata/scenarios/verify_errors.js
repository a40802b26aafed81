// verify/confirm/recover with empty, blank, unknown and used tokens, and
// an unknown type.
export default async function (GoTrue, h) {
  const auth = await h.new();
  await h.call(auth, 'verify', 'signup', '', true);
  await h.call(auth, 'confirm', '   ', false);
  await h.call(auth, 'confirm', 'no-such-token', false);
  await h.call(auth, 'recover', 'no-such-token', false);
  await h.call(auth, 'verify', 'magic', 'x', false);
  await h.call(auth, 'signup', 'hank@example.com', 'hank-pw');
  const token = await h.mail('hank@example.com', 'confirmation');
  const user = await h.call(auth, 'verify', 'signup', token, false);
  h.check(user && user.email === 'hank@example.com', 'verify logs the user in');
  await h.call(auth, 'confirm', token, true);
  await h.call(auth, 'currentUser');
}

// signup (with data, again before confirming, after confirming, without a
// password) and confirm(token, remember = true).
export default async function (GoTrue, h) {
  const auth = await h.new();
  const res = await h.call(auth, 'signup', 'alice@example.com', 'alice-pw-1', { full_name: 'Alice' });
  h.check(res && res.email === 'alice@example.com' && res.confirmation_sent_at, 'signup answers the new user');
  h.check(!(res instanceof h.mod.User), 'signup answers a plain object');
  // Before confirmation a second signup merges data and keeps the password.
  await h.call(auth, 'signup', 'alice@example.com', 'other-pw', { color: 'blue' });
  const token = await h.mail('alice@example.com', 'confirmation');
  const user = await h.call(auth, 'confirm', token, true);
  h.check(user && user.confirmed_at && user.user_metadata.color === 'blue', 'confirm logs the user in');
  await h.note('confirm resolves the current user', auth.currentUser() === user);
  await h.call(auth, 'signup', 'alice@example.com', 'x', {});
  await h.call(auth, 'signup', 'bob@example.com', '');
  await h.call(auth, 'signup', 'not-an-email', 'pw');
  const again = await h.call(auth, 'login', 'alice@example.com', 'alice-pw-1');
  h.check(again && again.email === 'alice@example.com', 'the first password stays');
}

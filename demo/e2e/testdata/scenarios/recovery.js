// requestPasswordRecovery (then 429 for the same address, {} for an
// unknown one), recover(token), a new password, a login with it.
export default async function (GoTrue, h) {
  const auth = await h.new();
  await h.call(auth, 'signup', 'erin@example.com', 'erin-pw');
  const confirmation = await h.mail('erin@example.com', 'confirmation');
  await h.call(auth, 'confirm', confirmation, false);
  await h.call(auth, 'requestPasswordRecovery', 'erin@example.com');
  await h.call(auth, 'requestPasswordRecovery', 'erin@example.com');
  await h.call(auth, 'requestPasswordRecovery', 'nobody@example.com');
  await h.call(auth, 'requestPasswordRecovery', '');
  const token = await h.mail('erin@example.com', 'recovery');
  const user = await h.call(auth, 'recover', token, true);
  h.check(user && user.email === 'erin@example.com', 'recover logs the user in');
  await h.call(user, 'update', { password: 'erin-pw-2' });
  await h.call(auth, 'recover', token, true);
  await h.call(user, 'logout');
  await h.call(auth, 'login', 'erin@example.com', 'erin-pw', true);
  const back = await h.call(auth, 'login', 'erin@example.com', 'erin-pw-2', true);
  h.check(back && back.email === 'erin@example.com', 'the new password works');
}

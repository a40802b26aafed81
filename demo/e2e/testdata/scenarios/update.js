// user.update: data, an email change (pending, then confirmed with the
// mailed email_change_token), a password, a refused app_metadata.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const admin = await h.call(auth, 'login', adminEmail, adminPassword, false);
  await h.call(admin.admin, 'createUser', 'dave@example.com', 'dave-pw', { confirm: true });
  const user = await h.call(auth, 'login', 'dave@example.com', 'dave-pw', true);
  await h.call(user, 'update', { data: { full_name: 'Dave', plan: 'pro' } });
  const pending = await h.call(user, 'update', { email: 'dave.new@example.com' });
  h.check(pending && pending.new_email === 'dave.new@example.com', 'the email change is pending');
  const token = await h.mail('dave.new@example.com', 'email_change');
  const changed = await h.call(user, 'update', { email_change_token: token });
  h.check(changed && changed.email === 'dave.new@example.com', 'the email changed');
  await h.call(user, 'update', { email_change_token: 'wrong-token' });
  await h.call(user, 'update', { password: 'dave-pw-2' });
  await h.call(user, 'update', { app_metadata: { roles: ['admin'] } });
  await h.call(user, 'update', { email: adminEmail });
  await h.call(user, 'logout');
  await h.call(auth, 'login', 'dave.new@example.com', 'dave-pw', false);
  const back = await h.call(auth, 'login', 'dave.new@example.com', 'dave-pw-2', false);
  h.check(back && back.email === 'dave.new@example.com', 'the new password works');
}

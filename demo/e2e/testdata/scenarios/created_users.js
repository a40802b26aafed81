// The users a server creates, as the real netlify/gotrue answers them:
// user_metadata is null in the answer that creates a user without any
// ({} once read back), no answer has last_sign_in_at, and an empty email
// is refused with "An email address is required". Users log in after
// admin.createUser, so the script needs no mail.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  await h.call(auth, 'signup', '', 'pw-1');
  const ann = await h.call(auth, 'signup', 'ann@example.com', 'ann-pw');
  h.check(ann && 'user_metadata' in ann, 'signup answers the user');
  await h.call(auth, 'signup', 'bea@example.com', 'bea-pw', { full_name: 'Bea' });
  const admin = await h.call(auth, 'login', adminEmail, adminPassword, false);
  await h.call(admin.admin, 'createUser', '', 'pw-2');
  const cal = await h.call(admin.admin, 'createUser', 'cal@example.com', 'cal-pw', { confirm: true });
  h.check(cal && cal.id, 'createUser creates cal');
  await h.call(admin.admin, 'createUser', 'dan@example.com', 'dan-pw', { confirm: true, user_metadata: { full_name: 'Dan' } });
  const user = await h.call(auth, 'login', 'cal@example.com', 'cal-pw', true);
  await h.call(user, 'getUserData');
  await h.call(user, 'update', { data: { seen: true } });
  await h.call(auth, 'currentUser');
  await h.call(admin.admin, 'getUser', cal);
  await h.call(admin.admin, 'listUsers');
}

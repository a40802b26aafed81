// validateCurrentSession: null without a user, the reloaded user with
// one, null (and the session cleared) once the admin deleted the user.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  await h.call(auth, 'validateCurrentSession');
  const admin = await h.call(auth, 'login', adminEmail, adminPassword, false);
  const jack = await h.call(admin.admin, 'createUser', 'jack@example.com', 'jack-pw', { confirm: true });
  const user = await h.call(auth, 'login', 'jack@example.com', 'jack-pw', true);
  const valid = await h.call(auth, 'validateCurrentSession');
  await h.note('validateCurrentSession resolves the current user', valid === user);
  await h.storageEvent();
  await h.call(auth, 'validateCurrentSession');
  await h.call(admin.admin, 'deleteUser', jack);
  const gone = await h.call(auth, 'validateCurrentSession');
  h.check(gone === null, 'a deleted user is logged out');
  await h.call(auth, 'currentUser');
}

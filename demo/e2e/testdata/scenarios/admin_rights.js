// Who may use user.admin, as the real netlify/gotrue decides: a user whose
// role is "admin". app_metadata.roles ["admin"] is not enough, and
// createUser ignores app_metadata and data (set roles with updateUser).
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const admin = await h.call(auth, 'login', adminEmail, adminPassword, false);
  const gus = await h.call(admin.admin, 'createUser', 'gus@example.com', 'gus-pw', {
    confirm: true,
    app_metadata: { roles: ['admin'] },
    data: { via: 'data' },
  });
  h.check(gus && gus.id, 'createUser creates gus');
  const asGus = await h.call(auth, 'login', 'gus@example.com', 'gus-pw', false);
  await h.call(asGus.admin, 'listUsers');
  await h.call(admin.admin, 'updateUser', gus, { app_metadata: { roles: ['admin'] } });
  await h.call(asGus, 'getUserData');
  await h.call(asGus.admin, 'listUsers');
  await h.call(admin.admin, 'updateUser', gus, { role: 'admin' });
  await h.call(asGus.admin, 'listUsers');
}

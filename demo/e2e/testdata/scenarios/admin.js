// user.admin with the seeded admin: list, create, get, update, delete;
// a non-admin gets 401, a non-UUID id 400, a deleted user 404.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  const admin = await h.call(auth, 'login', adminEmail, adminPassword, false);
  await h.call(admin.admin, 'listUsers');
  const gina = await h.call(admin.admin, 'createUser', 'gina@example.com', 'gina-pw', {
    confirm: true,
    data: { full_name: 'Gina' },
  });
  h.check(gina && gina.id && gina.confirmed_at, 'createUser creates a confirmed user');
  await h.call(admin.admin, 'createUser', 'gina@example.com', 'again');
  await h.call(admin.admin, 'listUsers', '');
  await h.call(admin.admin, 'getUser', gina);
  await h.call(admin.admin, 'updateUser', gina, { app_metadata: { roles: ['editor'] }, user_metadata: { team: 'b' } });
  await h.call(admin.admin, 'updateUser', gina);
  const asGina = await h.call(auth, 'login', 'gina@example.com', 'gina-pw', false);
  await h.call(asGina.admin, 'listUsers');
  await h.call(asGina.admin, 'getUser', { id: admin.id });
  await h.call(admin.admin, 'getUser', { id: 'not-a-uuid' });
  await h.call(admin.admin, 'deleteUser', gina);
  await h.call(admin.admin, 'getUser', gina);
  await h.call(admin.admin, 'deleteUser', gina);
  await h.call(admin.admin, 'listUsers', 'other-aud');
  await h.call(admin.admin, 'listUsers');
}

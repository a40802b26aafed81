// Failed logins: wrong password, unknown email, empty, unconfirmed; a
// failed login keeps the session there was; characters that need encoding.
export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const auth = await h.new();
  await h.call(auth, 'login', adminEmail, 'wrong-password', true);
  await h.call(auth, 'login', 'nobody@example.com', 'whatever', true);
  await h.call(auth, 'login', '', '');
  await h.call(auth, 'signup', 'carol@example.com', 'carol-pw');
  await h.call(auth, 'login', 'carol@example.com', 'carol-pw', true);
  const admin = await h.call(auth, 'login', adminEmail, adminPassword, true);
  h.check(admin && admin.email === adminEmail, 'the admin logs in');
  await h.call(auth, 'login', adminEmail, 'wrong-password', false);
  await h.call(auth, 'currentUser');
  await h.call(auth, 'login', 'a+b&c=d@example.com', 'p&ss=w rd%/?', false);
}

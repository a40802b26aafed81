// What a page that enumerates or reaches gotrue-js's objects sees: the
// member lists of every class and prototype (with each method's length and
// whether it is a getter), the own keys of every instance in their order,
// and JSON.stringify of each, as libraries that wrap or persist the
// objects read them.
const names = (o) => Object.getOwnPropertyNames(o);

// members maps each own property of a prototype or class to what it is:
// a method's length, 'getter', or the type of a value.
function members(o) {
  const out = {};
  for (const n of names(o)) {
    const d = Object.getOwnPropertyDescriptor(o, n);
    if (d.get || d.set) out[n] = `accessor(get:${!!d.get},set:${!!d.set},enumerable:${d.enumerable})`;
    else if (typeof d.value === 'function') out[n] = `function/${d.value.length}${d.enumerable ? ' enumerable' : ''}`;
    else out[n] = typeof d.value;
  }
  return out;
}

export default async function (GoTrue, h) {
  const { adminEmail, adminPassword } = h.env;
  const { User, Admin, HTTPError, TextHTTPError, JSONHTTPError } = h.mod;
  const auth = await h.new();
  const aud = await h.new({ APIUrl: 'https://identity.example/.netlify/identity', audience: 'aud7', setCookie: true, clientName: 'shapes' });
  const API = auth.api.constructor;

  await h.note('GoTrue statics', members(GoTrue));
  await h.note('GoTrue.prototype members', members(GoTrue.prototype));
  await h.note('GoTrue.length', GoTrue.length);
  await h.note('API statics', members(API));
  await h.note('API.prototype members', members(API.prototype));
  await h.note('User statics', members(User));
  await h.note('User.prototype members', members(User.prototype));
  await h.note('Admin statics', members(Admin));
  await h.note('Admin.prototype members', members(Admin.prototype));
  for (const [name, E] of Object.entries({ HTTPError, TextHTTPError, JSONHTTPError })) {
    await h.note(`${name}.prototype members`, members(E.prototype));
    await h.note(`${name} extends`, Object.getPrototypeOf(E) === Error ? 'Error' : Object.getPrototypeOf(E).name);
  }

  await h.note('Object.keys(gotrue)', Object.keys(auth));
  await h.note('JSON.stringify(gotrue)', JSON.stringify(auth));
  await h.note('Object.keys(gotrue with options)', Object.keys(aud));
  await h.note('JSON.stringify(gotrue with options)', JSON.stringify(aud));
  await h.note('Object.keys(gotrue.api)', Object.keys(auth.api));
  await h.note('gotrue.api instanceof its class', auth.api instanceof API);
  await h.note('gotrue.api own property names', names(auth.api));
  await h.note('Object.keys(api.defaultHeaders)', Object.keys(auth.api.defaultHeaders));

  const user = await h.call(auth, 'login', adminEmail, adminPassword, true);
  await h.note('Object.keys(user)', Object.keys(user));
  await h.note('JSON.stringify(user)', JSON.stringify(user));
  await h.note('user.api === gotrue.api', user.api === auth.api);
  await h.note('Object.keys(user.token)', Object.keys(user.token));
  await h.note('user._details', user._details);
  await h.note('Object.keys(user._details)', Object.keys(user._details));
  await h.note('for…in user', (() => { const k = []; for (const x in user) k.push(x); return k; })());
  const admin = user.admin;
  await h.note('Object.keys(user.admin)', Object.keys(admin));
  await h.note('user.admin instanceof Admin', admin instanceof Admin);
  await h.note('user.admin.user === user', admin.user === user);

  // A recovered user: its own keys end with _fromStorage.
  await h.storageEvent();
  const recovered = await h.call(auth, 'currentUser');
  await h.note('Object.keys(recovered user)', recovered && Object.keys(recovered));
  await h.note('recovered._fromStorage', recovered && recovered._fromStorage);
  await h.note('JSON.stringify(recovered) has api', recovered && 'api' in JSON.parse(JSON.stringify(recovered)));

  // The error classes' own keys.
  const err = await auth.login(adminEmail, 'wrong', false).catch((e) => e);
  await h.note('Object.keys(a JSONHTTPError)', Object.keys(err));
  await h.note('JSON.stringify(a JSONHTTPError)', JSON.stringify(err));
  const text = await auth.api.request('/no-such-path').catch((e) => e);
  await h.note('Object.keys(a TextHTTPError)', Object.keys(text));
  await h.call(user, 'logout');
}

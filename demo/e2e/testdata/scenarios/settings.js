// settings, the constructor's options and defaults, and the sync URL
// builders; an http:// APIUrl warns on the console.
export default async function (GoTrue, h) {
  const auth = await h.new();
  const settings = await h.call(auth, 'settings');
  h.check(settings && settings.external && settings.external.email === true, 'settings lists email');
  await h.call(auth, 'loginExternalUrl', 'github');
  await h.call(auth, 'acceptInviteExternalUrl', 'gitlab', 'some-invite-token');
  await h.call(auth, 'currentUser');
  await h.new({ APIUrl: '/.netlify/identity', audience: 'aud1', setCookie: true, clientName: 'my-app' });
  await h.new({ audience: '' });
  const named = await h.new({ clientName: 'my-app' });
  await h.call(named, 'settings');
  // The origin is http://127.0.0.1:port: the warning, and no credentials
  // option on an absolute URL (the request still works same-origin).
  const absolute = await h.new({ APIUrl: `${location.origin}/.netlify/identity` });
  await h.call(absolute, 'settings');
  await h.call(absolute, 'loginExternalUrl', 'google');
}

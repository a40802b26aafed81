// README-style code against the package's types, checked by tsc --strict
// under Node's module resolution (tsconfig.json) and a bundler's
// (tsconfig.bundler.json): both entry points, the classes and the errors.
import GoTrue, { JSONHTTPError, User } from 'gotrue-wasm';
import { load, type LoadOptions } from 'gotrue-wasm/load';

const auth = new GoTrue({ APIUrl: 'https://example.netlify.app/.netlify/identity', setCookie: false });
const user: User = await auth.login('ann@example.com', 'password', true);
const jwt: string = await user.jwt();

const options: LoadOptions = { wasmURL: new URL('https://cdn.example.com/gotrue.wasm') };
const loaded = await load(options);
const other: GoTrue = new loaded.GoTrue();

try {
  await other.login('ann@example.com', 'wrong');
} catch (err) {
  if (err instanceof loaded.JSONHTTPError || err instanceof JSONHTTPError) {
    const status: number = err.status;
    const reason: unknown = err.json.error_description;
    console.log(status, reason);
  }
}
console.log(jwt.length, auth.currentUser()?.email);

// gotrue-wasm's own additions: events, redirects, auto-refresh, admin paging.
const live = new GoTrue({ autoRefresh: true });
const stop: () => void = live.on('login', (u: User) => console.log(u.email));
const onLogout = () => console.log('logged out');
live.on('logout', onLogout);
live.off('logout', onLogout);
stop();
const redirect = await live.handleRedirect();
if (redirect?.type === 'invite') {
  await live.acceptInvite(redirect.token, 'new password');
} else if (redirect?.type === 'error') {
  console.log(redirect.error.message);
} else if (redirect) {
  console.log(redirect.user.email);
}
const page = await user.admin.listUsers({ page: 2, perPage: 10, filter: 'ann' });
const total: number | null = page.total;
const plain = await user.admin.listUsers('aud');
const invited = await user.admin.inviteUser('guest@example.com', { full_name: 'Guest' });
console.log(total, plain.users.length, invited.id);

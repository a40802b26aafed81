// A server entry as SSR frameworks build it (`vite build --ssr`): the app's
// modules import the package at the top, as they do for the browser, and
// the server imports the build. The import must not crash on the server.
import GoTrue, { JSONHTTPError } from 'gotrue-wasm';

export const classes = { GoTrue, JSONHTTPError };

export function render(user) {
  return user ? `<p>Signed in as ${user.email}</p>` : '<p>Signed out</p>';
}

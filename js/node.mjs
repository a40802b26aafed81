// node.mjs — gotrue-wasm in Node.js (18 or later), which the package's
// "node" export condition picks for `import 'gotrue-wasm'`: the same
// classes as in a browser, with gotrue.wasm read from disk and the
// session kept in memory (load-node.mjs). Server-side rendering imports
// it too, often for code that only runs in the browser, so a failed load
// does not fail the import: every class then throws the load's error when
// used. A process holds one current user, as a page does: use it for one
// person's scripts and tests, or admin calls, not for many users at once.

import { load } from './load-node.mjs';

const classes = await load().catch((err) => {
  console.warn(`${err.message} (every gotrue-wasm class throws this when used)`);
  return unavailable(err);
});

const GoTrue = classes.GoTrue;
export const { User, Admin, HTTPError, TextHTTPError, JSONHTTPError } = classes;
export default GoTrue;

// unavailable stands in for the classes when gotrue.wasm could not start.
function unavailable(err) {
  const fail = () => {
    throw err;
  };
  const stand = (name) => ({ [name]: class { constructor() { fail(); } } })[name];
  const GoTrue = stand('GoTrue');
  const User = stand('User');
  User.recoverSession = fail;
  User.removeSavedSession = fail;
  const HTTPError = class HTTPError extends Error {};
  return {
    GoTrue, User, Admin: stand('Admin'), HTTPError,
    TextHTTPError: class TextHTTPError extends HTTPError {},
    JSONHTTPError: class JSONHTTPError extends HTTPError {},
  };
}

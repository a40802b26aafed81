// node.mjs — gotrue-wasm in Node.js (18 or later), which the package's
// "node" export condition picks for `import 'gotrue-wasm'`: the same
// classes as in a browser, with gotrue.wasm read from disk and the
// session kept in memory (load-node.mjs). Server-side rendering can
// import it; logging in on a server keeps that user for the process, so
// use it there for one person's scripts and tests, or admin calls with an
// operator token, not for many users at once.

import { load } from './load-node.mjs';

const classes = await load();

const GoTrue = classes.GoTrue;
export const { User, Admin, HTTPError, TextHTTPError, JSONHTTPError } = classes;
export default GoTrue;

// load-node.mjs — `gotrue-wasm/load` in Node.js (18 or later): load()
// reads gotrue.wasm from disk instead of fetching it, and keeps the
// session in memory, as Node.js has no localStorage to share with.
// Requests go through Node's own fetch. Nothing here keeps the process
// alive once the last call has settled.

import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { start } from './gotrue-core.js';

// load starts gotrue.wasm and resolves { GoTrue, User, Admin, HTTPError,
// TextHTTPError, JSONHTTPError }. options.wasmURL (a path, a file: or
// http(s): URL) or options.wasm (the bytes) replace the gotrue.wasm of the
// package; a relative path is resolved against the working directory.
export async function load(options = {}) {
  const { wasmURL, wasm } = options;
  // wasm_exec.js needs Web Crypto, which Node 18 does not put on globalThis.
  if (!globalThis.crypto) {
    globalThis.crypto = (await import('node:crypto')).webcrypto;
  }
  const url = wasmURL
    ? new URL(wasmURL, pathToFileURL(process.cwd() + '/'))
    : new URL('./gotrue.wasm', import.meta.url);
  const read = () => wasm ?? (url.protocol === 'file:' ? readFile(url) : fetch(url));
  return start(url, read, { storage: 'memory' });
}

// load-node.mjs — `gotrue-wasm/load` in Node.js (18 or later): load()
// reads gotrue.wasm from disk instead of fetching it, and keeps the
// session in memory, as Node.js has no localStorage to share with.
// Requests go through Node's own fetch. Nothing here keeps the process
// alive once the last call has settled.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { start } from './gotrue-core.js';

// load starts gotrue.wasm and resolves { GoTrue, User, Admin, HTTPError,
// TextHTTPError, JSONHTTPError }. options.wasmURL (a path, a file: or
// http(s): URL) or options.wasm (the bytes) replace the gotrue.wasm of the
// package; a relative path is resolved against the working directory.
export async function load(options) {
  const { wasmURL, wasm } = options ?? {};
  // wasm_exec.js needs Web Crypto, which Node 18 does not put on globalThis.
  if (!globalThis.crypto) {
    globalThis.crypto = (await import('node:crypto')).webcrypto;
  }
  if (wasm || wasmURL) {
    const url = wasm ? new URL('gotrue.wasm', import.meta.url) : new URL(wasmURL, pathToFileURL(process.cwd() + '/'));
    return start(url, () => wasm ?? (url.protocol === 'file:' ? readFile(url) : fetch(url)), { storage: 'memory' });
  }
  const beside = new URL('./gotrue.wasm', import.meta.url);
  return start(beside, () => readPackaged(beside), { storage: 'memory' });
}

// readPackaged reads gotrue.wasm beside this module or, where a server
// build has bundled this module without copying the wasm (Vite's
// ssr.noExternal, say), the package's own from node_modules.
async function readPackaged(beside) {
  try {
    return await readFile(beside);
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
    let installed;
    try {
      installed = pathToFileURL(createRequire(import.meta.url).resolve('gotrue-wasm/gotrue.wasm'));
    } catch {
      // no package of that name to take it from
    }
    if (!installed || installed.href === beside.href) {
      throw new Error(`${beside.pathname} is missing, and no installed gotrue-wasm has one: copy gotrue.wasm there, keep gotrue-wasm out of the server bundle, or pass load({ wasmURL })`, { cause: err });
    }
    return readFile(installed);
  }
}

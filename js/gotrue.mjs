// gotrue.mjs — gotrue-wasm as an ES module, a drop-in for gotrue-js 1.0.1:
//
//   import GoTrue, { User, Admin, HTTPError, TextHTTPError, JSONHTTPError } from 'gotrue-wasm';
//   const auth = new GoTrue({ APIUrl: 'https://example.com/.netlify/identity' });
//
// The module loads wasm_exec.js and gotrue.wasm, found next to this file,
// with top-level await: once the import resolves, `new GoTrue()` is
// synchronous. To load gotrue.wasm from elsewhere (a CDN, a hashed file
// name), set globalThis.GOTRUE_WASM_URL before the import; a relative URL
// is resolved against this module. gotrue.wasm is fetched as soon as this
// module runs, at the same time as wasm_exec.js, and compiled while it
// downloads; a page can start both earlier still from its HTML:
//
//   <link rel="modulepreload" href="/js/gotrue.mjs">
//   <link rel="modulepreload" href="/js/gotrue-core.js">
//   <link rel="modulepreload" href="/js/wasm_exec.js">
//   <link rel="preload" href="/js/gotrue.wasm" as="fetch" type="application/wasm" crossorigin>
//
// wasm_exec.js is skipped when the page has already loaded one
// (globalThis.Go); it must come from the Go release that built gotrue.wasm.
//
// A page with a Content-Security-Policy must allow WebAssembly:
// script-src 'wasm-unsafe-eval'. Nothing here needs 'unsafe-eval'.

import { defineGoTrue } from './gotrue-core.js';

// The literal URL lets bundlers see and emit gotrue.wasm.
const wasmURL = globalThis.GOTRUE_WASM_URL
  ? new URL(globalThis.GOTRUE_WASM_URL, import.meta.url)
  : new URL('./gotrue.wasm', import.meta.url);

// instantiate compiles while downloading when the server sends
// application/wasm, and from the bytes otherwise (file://, dev servers
// with a wrong MIME type), where instantiateStreaming would refuse.
async function instantiate(response, imports) {
  const type = (response.headers.get('Content-Type') || '').split(';')[0].trim();
  if (typeof WebAssembly.instantiateStreaming === 'function' && type === 'application/wasm') {
    return WebAssembly.instantiateStreaming(response, imports);
  }
  return WebAssembly.instantiate(await response.arrayBuffer(), imports);
}

async function load() {
  // The download starts now, alongside wasm_exec.js, not after it: on a
  // slow network each hop in sequence costs a round trip.
  const fetching = fetch(wasmURL);
  fetching.catch(() => {}); // reported below, after wasm_exec.js
  if (typeof globalThis.Go !== 'function') {
    await import('./wasm_exec.js');
  }
  const go = new globalThis.Go();
  const response = await fetching;
  if (!response.ok) {
    throw new Error(`gotrue-wasm: could not load ${wasmURL}: ${response.status} ${response.statusText}`);
  }
  const { instance } = await instantiate(response, go.importObject);
  delete globalThis.__gotrueWasm;
  // run() resolves only when the Go program exits, which it never should.
  go.run(instance).then(
    () => console.error('gotrue-wasm: the Go program exited'),
    (err) => console.error('gotrue-wasm: the Go program failed', err),
  );
  // main() has registered its exports before blocking.
  const bridge = globalThis.__gotrueWasm;
  if (!bridge) throw new Error(`gotrue-wasm: ${wasmURL} did not start (is it gotrue.wasm?)`);
  return { bridge, fast: instance.exports };
}

const { bridge, fast } = await load();
const classes = defineGoTrue(bridge, fast);

const GoTrue = classes.GoTrue;
export const { User, Admin, HTTPError, TextHTTPError, JSONHTTPError } = classes;
export default GoTrue;

if (typeof window !== 'undefined') {
  window.GoTrue = GoTrue;
}

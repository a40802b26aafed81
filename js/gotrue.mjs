// gotrue.mjs — gotrue-wasm as an ES module, a drop-in for gotrue-js 1.0.1:
//
//   import GoTrue, { User, Admin, HTTPError, TextHTTPError, JSONHTTPError } from 'gotrue-wasm';
//   const auth = new GoTrue({ APIUrl: 'https://example.com/.netlify/identity' });
//
// The module loads wasm_exec.js and gotrue.wasm, found next to this file,
// with top-level await: once the import resolves, `new GoTrue()` is
// synchronous. To load gotrue.wasm from elsewhere (a CDN, a hashed file
// name), set globalThis.GOTRUE_WASM_URL before the import; a relative URL
// is resolved against the page. Where top-level await is not allowed
// (older build targets, iife bundles), import { load } from
// 'gotrue-wasm/load' instead and await load() yourself.
//
// gotrue.wasm is fetched as soon as this module runs, at the same time as
// wasm_exec.js, and compiled while it downloads; a page can start both
// earlier still from its HTML:
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

import { load } from './gotrue-core.js';

const override = globalThis.GOTRUE_WASM_URL;
const classes = await load(override ? { wasmURL: override } : {});

const GoTrue = classes.GoTrue;
export const { User, Admin, HTTPError, TextHTTPError, JSONHTTPError } = classes;
export default GoTrue;

if (typeof window !== 'undefined') {
  window.GoTrue = GoTrue;
}

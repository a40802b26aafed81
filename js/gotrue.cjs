// gotrue.cjs — what require('gotrue-wasm') gets. gotrue-wasm is an ES
// module that must load WebAssembly before GoTrue exists, which require()
// cannot wait for. So this says how to import it instead, and offers
// load(), which resolves the classes from CommonJS code.
'use strict';

const advice =
  "gotrue-wasm is an ES module loaded asynchronously: use `const { default: GoTrue } = await import('gotrue-wasm')`, " +
  "or from CommonJS `require('gotrue-wasm').load().then(({ GoTrue }) => …)`, not `require('gotrue-wasm')` as GoTrue";

function GoTrue() {
  throw new Error(advice);
}
// load resolves { GoTrue, User, Admin, HTTPError, TextHTTPError,
// JSONHTTPError }; the package's own "load" export picks the loader for
// Node.js or the browser.
GoTrue.load = (options) => import('gotrue-wasm/load').then((m) => m.load(options));
GoTrue.advice = advice;

module.exports = GoTrue;

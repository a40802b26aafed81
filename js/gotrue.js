// gotrue.js — gotrue-wasm as a classic script, for pages without modules:
//
//   <script src="/js/gotrue.js" data-wasm-url="/assets/gotrue.wasm"></script>
//   <script>
//     GoTrueReady.then((GoTrue) => { const auth = new GoTrue(); … });
//     // or: window.addEventListener('gotrue:ready', (e) => new e.detail());
//   </script>
//
// It loads gotrue.mjs from its own directory (which loads wasm_exec.js and
// gotrue.wasm beside it, or gotrue.wasm from data-wasm-url, relative to the
// page). When ready, window.GoTrue is the GoTrue class (unlike gotrue-js's
// bundle, which put its module namespace there), window.GoTrueReady
// resolves to it and a 'gotrue:ready' event (detail: the class) fires on
// window. If loading fails, GoTrueReady rejects with an Error saying why.
(function () {
  'use strict';
  var script = document.currentScript;

  async function load() {
    if (!script || !script.src) {
      throw new Error('gotrue.js must be loaded by a <script src> element; as a module, import gotrue.mjs');
    }
    var wasmURL = script.getAttribute('data-wasm-url');
    if (wasmURL) {
      globalThis.GOTRUE_WASM_URL = new URL(wasmURL, document.baseURI).href;
    }
    var mod = await import(new URL('gotrue.mjs', script.src).href);
    return mod.default;
  }

  window.GoTrueReady = load().then(
    function (GoTrue) {
      window.GoTrue = GoTrue;
      window.dispatchEvent(new CustomEvent('gotrue:ready', { detail: GoTrue }));
      return GoTrue;
    },
    function (err) {
      var msg = err && err.message ? err.message : String(err);
      if (msg.indexOf('gotrue-wasm:') !== 0) msg = 'gotrue-wasm: loading failed: ' + msg;
      throw new Error(msg, { cause: err });
    }
  );
})();

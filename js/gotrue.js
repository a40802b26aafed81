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

  // preload asks for everything gotrue.mjs will need at once, instead of
  // one file after another as each is evaluated: on a slow network every
  // hop is a round trip. gotrue.mjs's own fetch of the wasm then takes the
  // preloaded answer (same URL, mode and credentials).
  function preload(wasmHref) {
    var links = [
      ['modulepreload', new URL('gotrue.mjs', script.src).href],
      ['modulepreload', new URL('gotrue-core.js', script.src).href],
      ['modulepreload', new URL('wasm_exec.js', script.src).href],
      ['preload', wasmHref],
    ];
    for (var i = 0; i < links.length; i++) {
      if (document.querySelector('link[href="' + links[i][1] + '"]')) continue;
      var link = document.createElement('link');
      link.rel = links[i][0];
      link.href = links[i][1];
      if (link.rel === 'preload') {
        link.as = 'fetch';
        link.type = 'application/wasm';
        link.crossOrigin = 'anonymous';
      }
      document.head.appendChild(link);
    }
  }

  async function load() {
    if (!script || !script.src) {
      throw new Error('gotrue.js must be loaded by a <script src> element; as a module, import gotrue.mjs');
    }
    var wasmURL = script.getAttribute('data-wasm-url');
    if (wasmURL) {
      globalThis.GOTRUE_WASM_URL = new URL(wasmURL, document.baseURI).href;
    }
    preload(wasmURL ? globalThis.GOTRUE_WASM_URL : new URL('gotrue.wasm', script.src).href);
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

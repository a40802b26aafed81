// A classic-script bundle from esbuild (--format=iife): no top-level await
// and no import.meta (esbuild empties it), so the app uses the loader and
// names the URL of gotrue.wasm, which the build copies next to the bundle.
import { load } from 'gotrue-wasm/load';

const wasmURL = new URL('gotrue.wasm', document.currentScript.src).href;

window.gotrueFixture = load({ wasmURL }).then(({ GoTrue, JSONHTTPError }) => {
  document.getElementById('status').textContent = 'Ready';
  return { GoTrue, JSONHTTPError };
});

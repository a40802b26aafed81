// A webpack 5 app: the default import. webpack emits gotrue.wasm as an
// asset from the package's new URL('./gotrue.wasm', import.meta.url) and
// handles its top-level await (an async module).
import GoTrue, { JSONHTTPError } from 'gotrue-wasm';

window.gotrueFixture = Promise.resolve({ GoTrue, JSONHTTPError });
document.getElementById('status').textContent = 'Ready';

// An esbuild app (--bundle --format=esm): the default import. The bundle
// keeps the package's new URL('./gotrue.wasm', import.meta.url), now
// relative to dist/main.js, where the build copies gotrue.wasm.
import GoTrue, { JSONHTTPError } from 'gotrue-wasm';

window.gotrueFixture = Promise.resolve({ GoTrue, JSONHTTPError });
document.getElementById('status').textContent = 'Ready';

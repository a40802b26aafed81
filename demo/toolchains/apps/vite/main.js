// A Vite 8 app: the default import, whose top-level await Vite 8's
// default build target (baseline-widely-available) allows.
import GoTrue, { JSONHTTPError } from 'gotrue-wasm';

window.gotrueFixture = Promise.resolve({ GoTrue, JSONHTTPError });
document.getElementById('status').textContent = 'Ready';

// A Vite 5 app. Vite 5's default build target (es2020, chrome87, safari14,
// ...) predates top-level await, so the app uses the loader, which has
// none: load() resolves the classes once gotrue.wasm is running.
import { load } from 'gotrue-wasm/load';

window.gotrueFixture = load().then(({ GoTrue, JSONHTTPError }) => {
  document.getElementById('status').textContent = 'Ready';
  return { GoTrue, JSONHTTPError };
});

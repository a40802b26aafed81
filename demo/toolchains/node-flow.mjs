// node-flow.mjs — the flow of flow.mjs in Node, with the package as a Node
// user gets it:
//
//   node node-flow.mjs <apiURL>                  import('gotrue-wasm')
//   node node-flow.mjs <apiURL> require          require('gotrue-wasm'), then its load()
//   node node-flow.mjs <apiURL> <server.mjs>     a server build (vite build --ssr)
//                                                that imported the package; its
//                                                `classes` export is used
//
// Prints one JSON line, {"node","ok","steps","error","finished"}, when the
// flow has finished (finished: Date.now() at that moment), sets the exit
// status (0 when ok) and then must exit on its own: nothing the package
// leaves behind (a timer, an open handle, the Go program) may keep Node
// alive. toolchains_test.go measures the gap between the line and the exit.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { flow } from './flow.mjs';

const [apiURL, how = 'import'] = process.argv.slice(2);
const report = { node: process.version, ok: false, steps: [], error: null };

async function classes() {
  if (how === 'import') {
    const { default: GoTrue, JSONHTTPError } = await import('gotrue-wasm');
    return { GoTrue, JSONHTTPError };
  }
  if (how === 'require') {
    // CommonJS cannot wait for the wasm: the constructor says to import().
    const required = createRequire(import.meta.url)('gotrue-wasm');
    let advice = '';
    try {
      new required();
    } catch (err) {
      advice = err.message;
    }
    if (!advice.includes("import('gotrue-wasm')")) {
      throw new Error(`new (require('gotrue-wasm'))() did not give the import() advice: ${JSON.stringify(advice)}`);
    }
    return required.load();
  }
  return (await import(pathToFileURL(how).href)).classes;
}

try {
  if (!apiURL) throw new Error('usage: node node-flow.mjs <apiURL> [require|server.mjs]');
  Object.assign(report, await flow(await classes(), apiURL));
} catch (err) {
  report.error = String((err && err.stack) || err);
}
report.finished = Date.now();
console.log(JSON.stringify(report));
process.exitCode = report.ok ? 0 : 1;

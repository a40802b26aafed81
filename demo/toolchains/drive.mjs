// drive.mjs — runs flow.mjs inside a page, in a real browser engine:
//
//   node drive.mjs <chromium|firefox|webkit> <pageURL> [apiURL]
//
// The page is the app under test: once it has imported the package it sets
// window.gotrueFixture, a Promise of { GoTrue, JSONHTTPError, ... }. We
// wait for it (polling, 30 s at most), send flow's source into the page
// with apiURL (default: /.netlify/identity on the page's origin) and
// print one JSON line:
//
//   {"engine","version","ok","steps","error","console","ms","phases"}
//
// phases: the ms that launch, load, fixture, flow and close took.
//
// Exit 0 when the flow passed, 1 otherwise. The browser and every process
// started for it are gone before we exit, also on failure, on the overall
// deadline (90 s) and on SIGTERM/SIGINT/SIGHUP. No token is ever printed:
// the flow's messages name none, and we print nothing else of the page's.
import { flow } from './flow.mjs';

const FIXTURE_MS = 30000;
const DEADLINE_MS = 90000;

const started = Date.now();
const [engine, pageURL, apiArg] = process.argv.slice(2);
const report = { engine: engine || '', version: '', ok: false, steps: [], error: '', console: [] };
let engines; // engines.mjs, imported after the signal handlers are in place
let browser;
let finishing;
let stage = 'starting'; // where we are, for the deadline's message
const phases = {}; // ms each phase took: where a slow run spent its time
let phaseStart = started;
function phase(name) {
  phases[name] = Date.now() - phaseStart;
  phaseStart = Date.now();
}

// finish reports once, closes everything, and exits; whichever comes
// first (the flow, the deadline, a signal) wins.
function finish(result) {
  finishing ??= (async () => {
    Object.assign(report, result);
    if (browser) {
      // A hung page must not keep us from closing it.
      report.console = await engines.withTimeout(browser.errors(), 3000).catch(() => report.console);
    }
    phaseStart = Date.now();
    if (engines) await engines.closeAll();
    phase('close');
    report.ms = Date.now() - started;
    report.phases = phases;
    process.stdout.write(JSON.stringify(report) + '\n', () => process.exit(report.ok ? 0 : 1));
  })();
  return finishing;
}

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(sig, () => finish({ ok: false, error: `stopped by ${sig}` }));
}
setTimeout(() => finish({ ok: false, error: `no result within the ${DEADLINE_MS / 1000} s deadline, ${stage}` }),
  DEADLINE_MS).unref();

// The expression evaluated in the page. It turns every failure into a
// result, so the error text is the flow's own, whatever each driver would
// make of a thrown exception.
function pageScript(apiURL) {
  return `(async () => {
    const message = (err) => String(err && err.message || err);
    let fixture;
    try {
      fixture = await window.gotrueFixture;
    } catch (err) {
      return { ok: false, steps: [], error: 'window.gotrueFixture rejected: ' + message(err) };
    }
    try {
      return await (${flow.toString()})(fixture, ${JSON.stringify(apiURL)});
    } catch (err) {
      return { ok: false, steps: [], error: message(err) };
    }
  })()`;
}

async function main() {
  engines = await import('./engines.mjs');
  if (!engines.ENGINES.includes(engine) || !pageURL) {
    throw new Error(`usage: node drive.mjs <${engines.ENGINES.join('|')}> <pageURL> [apiURL]`);
  }
  const apiURL = apiArg || new URL('/.netlify/identity', pageURL).href;
  // The page, fetched once from here first: a wrong URL or a server that
  // is down fails at once and plainly, not as a fixture that never came
  // (WebDriver classic, WebKit's protocol, tells no HTTP status).
  stage = `fetching ${pageURL}`;
  const res = await fetch(pageURL, { signal: AbortSignal.timeout(10000) }).catch((err) => {
    throw new Error(`could not fetch ${pageURL}: ${err.cause && err.cause.code || err.message}`);
  });
  if (!res.ok) throw new Error(`${pageURL} answered ${res.status}`);
  await res.arrayBuffer();
  stage = `starting ${engine}`;
  browser = await engines.open(engine);
  report.version = browser.version;
  phase('launch');
  stage = `loading ${pageURL}`;
  await browser.goto(pageURL);
  phase('load');
  // The page sets the fixture only once its imports, the wasm among them,
  // have loaded: in some engines after the load event.
  stage = 'waiting for window.gotrueFixture';
  await engines.waitFor(() => browser.eval(`typeof window.gotrueFixture !== 'undefined'`), FIXTURE_MS,
    `${pageURL} did not set window.gotrueFixture`);
  phase('fixture');
  stage = 'running the flow (is window.gotrueFixture settled?)';
  const result = await browser.eval(pageScript(apiURL));
  phase('flow');
  if (!result || typeof result !== 'object') throw new Error(`the flow answered ${JSON.stringify(result)}`);
  return {
    ok: result.ok === true,
    steps: Array.isArray(result.steps) ? result.steps : [],
    error: result.ok === true ? '' : String(result.error || 'the flow did not answer ok'),
  };
}

// A driver's error can carry the browser's stack on more lines: the first
// one says what went wrong.
main().then(finish, (err) => finish({ ok: false, error: String(err && err.message || err).split('\n')[0] }));

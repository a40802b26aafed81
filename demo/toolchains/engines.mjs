// engines.mjs — opens one browser engine, headless, with a maintained
// driver library, behind one small interface for drive.mjs:
//
//   const b = await open('chromium' | 'firefox' | 'webkit');
//   b.version            // the browser's own version string
//   await b.goto(url)    // resolves once the page's load event fired
//   await b.eval(expr)   // a JS expression, awaited if it is a Promise
//   await b.errors()     // console errors and page errors seen so far
//   await closeAll()     // every browser, driver, X server and temp dir
//                        // started here is gone, also one still starting;
//                        // bounded in time, safe to call twice
//
// Chromium: puppeteer-core over CDP. Firefox ESR: puppeteer-core over
// WebDriver BiDi. WebKitGTK: Debian's WebKitWebDriver through
// selenium-webdriver (W3C WebDriver classic), under an Xvfb of our own.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { Builder } from 'selenium-webdriver';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

// Each close step gets this long before the next, harsher one.
const GRACE_MS = 5000;

// What open() has started, to be undone by closeAll(); registered before
// each start, so that a signal in the middle of a launch undoes it too.
const cleanups = [];

export async function closeAll() {
  while (cleanups.length) await cleanups.pop()().catch(() => {});
}

export async function open(engine) {
  if (!ENGINES.includes(engine)) {
    throw new Error(`unknown engine ${JSON.stringify(engine)}: want one of ${ENGINES.join(', ')}`);
  }
  // One fresh temp dir holds the profile and is the browser's TMPDIR too:
  // a browser killed while starting leaves its own temp files there, and
  // the dir goes last, after every process that might write to it.
  const dir = mkdtempSync(join(tmpdir(), `drive-${engine}-`));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, TMPDIR: dir };
  if (engine === 'webkit') return openWebKit(env);
  return openPuppeteer(engine === 'firefox' ? 'firefox' : 'chrome', join(dir, 'profile'), env);
}

// This network is closed: everything a browser fetches on its own (updates,
// safe browsing, telemetry, captive portal checks) is refused or hangs, and
// Chromium's page loads stall behind it. puppeteer's default arguments and
// prefs already turn most of it off; these are the rest.
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const FIREFOX_PREFS = {
  'app.normandy.enabled': false,
  'app.update.auto': false,
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.topsites.contile.enabled': false,
  'datareporting.usage.uploadEnabled': false,
  'extensions.blocklist.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.predictor.enabled': false,
  'network.prefetch-next': false,
  'network.trr.mode': 5, // no DNS over HTTPS
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.server': '',
};

// A fresh profile of our own (not puppeteer's, so we know where it is).
async function openPuppeteer(browser, profile, env) {
  mkdirSync(profile);
  const abort = new AbortController();
  const launching = puppeteer.launch({
    browser,
    protocol: browser === 'firefox' ? 'webDriverBiDi' : 'cdp',
    executablePath: browser === 'firefox'
      ? process.env.FIREFOX || '/usr/bin/firefox-esr'
      : process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    userDataDir: profile,
    args: browser === 'firefox' ? [] : CHROMIUM_ARGS,
    extraPrefsFirefox: FIREFOX_PREFS,
    env: { ...env, MOZ_CRASHREPORTER_DISABLE: '1' },
    // drive.mjs handles the signals: it reports, then calls closeAll().
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    signal: abort.signal, // kills a browser that is still starting
    timeout: 30000,
  });
  let launched = false;
  launching.then(() => { launched = true; }, () => {});
  cleanups.push(async () => {
    if (!launched) abort.abort();
    const b = await withTimeout(launching, GRACE_MS).catch(() => null);
    if (b) {
      const proc = b.process();
      await withTimeout(b.close(), GRACE_MS).catch(() => {});
      // puppeteer starts the browser as the leader of its own process
      // group: take the group if close() did not.
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        const exited = once(proc, 'exit');
        kill(proc, 'SIGKILL');
        await withTimeout(exited, GRACE_MS).catch(() => {});
      }
    }
  });

  const b = await launching;
  const page = (await b.pages())[0] || await b.newPage();
  const errors = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // "Failed to load resource" names no URL in its text.
    const at = msg.location() && msg.location().url;
    errors.push(`console: ${msg.text()}${at ? ` (${at})` : ''}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err && err.message || err}`));
  return {
    version: await b.version(),
    goto: async (url) => {
      const res = await page.goto(url, { waitUntil: 'load', timeout: 30000 });
      if (res && !res.ok()) throw new Error(`${url} answered ${res.status()}`);
    },
    eval: (expr) => page.evaluate(expr),
    errors: async () => [...errors],
  };
}

// WebKitGTK: WebKitWebDriver starts MiniBrowser, the small browser that
// Debian ships in libwebkit2gtk-4.1-0 (not in webkit2gtk-driver), with
// --automation. The GTK port has no headless mode (GTK's MiniBrowser has
// no --headless, unlike WPE's), so it gets an X display: an Xvfb of ours.
async function openWebKit(env) {
  const display = await startXvfb(env);
  const port = await freePort();
  // The driver leads a process group of its own, which holds MiniBrowser
  // and its web and network processes: killing the group takes them all.
  const wd = spawn(process.env.WEBKIT_DRIVER || 'WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
    env: { ...env, DISPLAY: display },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  cleanups.push(() => stop(wd, true));
  drain(wd); // GTK and GStreamer chatter
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/status`)).ok, 10000, 'WebKitWebDriver did not start');

  const building = new Builder()
    .usingServer(url)
    .withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: miniBrowser(), args: ['--automation'] },
    })
    .build();
  cleanups.push(async () => {
    const driver = await withTimeout(building, GRACE_MS).catch(() => null);
    if (driver) await withTimeout(driver.quit(), GRACE_MS).catch(() => {});
  });
  const driver = await building;
  // Past drive.mjs's own deadline: that one decides, and says where it was.
  await driver.manage().setTimeouts({ script: 120000, pageLoad: 30000 });
  const caps = await driver.getCapabilities();
  return {
    version: `WebKitGTK ${caps.get('browserVersion')} (${caps.get('browserName')})`,
    goto: (u) => driver.get(u),
    // W3C Execute Script awaits a returned Promise.
    eval: (expr) => driver.executeScript(`${PAGE_HOOKS}; return (${expr});`),
    errors: () => driver.executeScript('return window.__driveErrors || [];'),
  };
}

// WebKit's console, seen from inside the page. Debian's WebKitWebDriver
// has no BiDi (webSocketUrl fails to match) and no log endpoint, and in
// automation mode MiniBrowser ignores its --enable-write-console-messages-
// to-stdout setting; so every script we run first hooks the page (once per
// document). It sees what happens after the first poll for the fixture,
// not what failed while the page loaded.
const PAGE_HOOKS = `if (!window.__driveErrors) {
  const errors = window.__driveErrors = [];
  const text = (v) => v instanceof Error ? v.name + ': ' + v.message : String(v);
  addEventListener('error', (e) => errors.push(e instanceof ErrorEvent
    ? 'pageerror: ' + (e.error ? text(e.error) : e.message)
    : 'console: failed to load ' + (e.target.src || e.target.href)), true);
  addEventListener('unhandledrejection', (e) => errors.push('pageerror: ' + text(e.reason)));
  const error = console.error;
  console.error = function (...args) {
    errors.push('console: ' + args.map(text).join(' '));
    return error.apply(this, args);
  };
}`;

// MiniBrowser's path has the multiarch triplet in it.
function miniBrowser() {
  if (process.env.MINIBROWSER) return process.env.MINIBROWSER;
  for (const dir of readdirSync('/usr/lib')) {
    const p = join('/usr/lib', dir, 'webkit2gtk-4.1', 'MiniBrowser');
    if (existsSync(p)) return p;
  }
  throw new Error('no MiniBrowser in /usr/lib/*/webkit2gtk-4.1 (Debian package libwebkit2gtk-4.1-0)');
}

// Xvfb picks a free display itself and writes its number to -displayfd
// once it accepts connections: no guessing, no race with other X servers.
async function startXvfb(env) {
  const x = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  cleanups.push(() => stop(x, false));
  drain(x);
  const n = await withTimeout(new Promise((resolve, reject) => {
    let out = '';
    x.stdio[3].on('data', (d) => { out += d; if (out.includes('\n')) resolve(out.trim()); });
    x.on('error', reject);
    x.on('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  }), 10000, 'Xvfb did not start');
  return `:${n}`;
}

// SIGTERM, then SIGKILL after the grace time; resolves once it is gone.
async function stop(p, group) {
  if (p.exitCode !== null || p.signalCode !== null || !p.pid) return;
  const exited = once(p, 'exit');
  kill(p, 'SIGTERM', group);
  if (await withTimeout(exited, GRACE_MS).then(() => true, () => false)) {
    if (group) kill(p, 'SIGKILL', group); // anything left in its group
    return;
  }
  kill(p, 'SIGKILL', group);
  await withTimeout(exited, GRACE_MS).catch(() => {});
}

// A child spawned detached leads its own process group, which is ours
// alone: its pid negated names the group.
function kill(p, signal, group = true) {
  try {
    process.kill(group ? -p.pid : p.pid, signal);
  } catch { /* already gone */ }
}

function drain(p) {
  for (const s of [p.stdout, p.stderr]) if (s) s.resume();
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function withTimeout(promise, ms, what = `timed out after ${ms} ms`) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(what)), ms); }),
  ]).finally(() => clearTimeout(timer));
}

// Polls fn until it answers truthy or ms have passed; the pause between
// tries is a polling interval, not a wait for something to happen.
export async function waitFor(fn, ms, what, every = 100) {
  const end = Date.now() + ms;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= end) throw new Error(`${what} within ${ms / 1000} s${last ? ` (${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

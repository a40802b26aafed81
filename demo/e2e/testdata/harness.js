// The page side of the e2e tests. It loads a client module with the
// gotrue-js API (?client=/path.js, default /js/gotrue.mjs), exposes it as
// window.mod, and runs scenario scripts (window.e2e.run(name)) that call
// the API through `h`, which records a transcript of every call: its
// arguments, its value or error, the saved session after it, the console
// output during it and the requests the server received. The Go test
// normalises and compares the transcripts of two clients.
//
// A scenario is testdata/scenarios/<name>.js:
//   export default async function (GoTrue, h) { … }
// It never throws on purpose: a failed call is recorded and h.call returns
// undefined, so that the rest of the transcript still shows what happened.

const STORAGE_KEY = 'gotrue.user';
const clientURL = new URLSearchParams(location.search).get('client') || '/js/gotrue.mjs';

const root = document.documentElement;
let mod;
try {
  mod = await import(clientURL);
} catch (e) {
  root.dataset.state = 'error';
  root.dataset.error = `loading ${clientURL}: ${e && e.message}`;
  throw e;
}
window.mod = mod;

// Names that a transcript uses for objects, in order of first appearance,
// so that "the same object" reads the same in both transcripts.
class Labels {
  constructor() {
    this.names = new WeakMap();
    this.counts = {};
  }
  of(obj) {
    if (obj instanceof mod.Admin) {
      return `${this.of(obj.user)}.admin`;
    }
    let name = this.names.get(obj);
    if (!name) {
      const kind = obj instanceof mod.User ? 'user' : obj instanceof mod.default ? 'gotrue' : 'object';
      this.counts[kind] = (this.counts[kind] || 0) + 1;
      name = `${kind}#${this.counts[kind]}`;
      this.names.set(obj, name);
    }
    return name;
  }
  seen(obj) {
    return this.names.has(obj);
  }
}

// encode turns a value into JSON the transcript can hold. Users keep their
// JSON (JSON.parse(JSON.stringify(user)) without api), their api's JSON
// (apiURL, _sameOrigin, defaultHeaders, as a page sees it) and their label. An
// object shaped like a user but not a User is encoded the same way, so
// that the transcript shows instanceofUser: false rather than noise.
function encode(v, labels) {
  if (v === undefined) return '<undefined>';
  if (typeof v === 'function') return '<function>';
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Error) return { error: encodeError(v) };
  if (v instanceof mod.User || (v.token !== undefined && v.url !== undefined && v.api !== undefined)) {
    const seen = labels.seen(v);
    const { api, ...rest } = v;
    return {
      object: labels.of(v) + (seen ? ' (seen before)' : ''),
      instanceofUser: v instanceof mod.User,
      api: api && JSON.parse(JSON.stringify(api)),
      json: JSON.parse(JSON.stringify(rest)),
    };
  }
  if (v instanceof mod.default) {
    return { object: labels.of(v), instanceofGoTrue: true, json: encodeClient(v) };
  }
  if (Array.isArray(v)) return v.map((x) => encode(x, labels));
  return JSON.parse(JSON.stringify(v));
}

// encodeClient is a GoTrue instance as JSON.stringify shows it: its own
// keys in order, api with apiURL, _sameOrigin and defaultHeaders.
function encodeClient(g) {
  return JSON.parse(JSON.stringify(g));
}

const errorClasses = ['HTTPError', 'TextHTTPError', 'JSONHTTPError'];

function encodeError(e) {
  if (!(e instanceof Error)) return { thrown: typeof e === 'object' ? JSON.parse(JSON.stringify(e ?? null)) : String(e) };
  const out = { constructor: e.constructor && e.constructor.name, name: e.name, message: e.message };
  for (const k of ['status', 'json', 'data']) {
    if (k in e) out[k] = e[k] === undefined ? '<undefined>' : e[k];
  }
  out.instanceOf = errorClasses.filter((c) => e instanceof mod[c]);
  if (e instanceof TypeError) out.instanceOf.push('TypeError');
  return out;
}

// captureConsole records console.warn and console.error while a step runs
// (gotrue-js reports the HTTP warning and recovery errors there).
function captureConsole() {
  const lines = [];
  const saved = {};
  for (const level of ['warn', 'error']) {
    saved[level] = console[level];
    console[level] = (...args) => {
      lines.push(`${level}: ${args.map(String).join(' ')}`);
      saved[level].apply(console, args);
    };
  }
  return {
    lines,
    stop() {
      Object.assign(console, saved);
    },
  };
}

async function getJSON(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

// mail returns the newest mail of that kind to that address, from the
// demo server's /mailbox.
async function mail(to, kind) {
  const mails = await getJSON(`/mailbox?to=${encodeURIComponent(to)}&kind=${encodeURIComponent(kind)}`);
  if (!mails.length) throw new Error(`no ${kind} mail to ${to}`);
  const m = mails[mails.length - 1];
  return { to: m.to, kind: m.kind, subject: m.subject, link: m.link, token: m.token };
}

// Recorder is `h`, the scenario's only way to act, so that every action
// lands in the transcript.
class Recorder {
  constructor(env) {
    this.env = env; // {adminEmail, adminPassword} from the Go test
    this.steps = [];
    this.labels = new Labels();
    this.failedChecks = [];
    this.clients = [];
    this.lastHeaders = '';
    this.mod = mod;
  }

  // step runs fn as one transcript entry.
  async step(name, args, fn) {
    const entry = { step: name };
    if (args) entry.args = args.map((a) => encode(a, this.labels));
    const log = captureConsole();
    let result;
    try {
      const r = fn();
      entry.async = !!r && typeof r.then === 'function';
      result = await r;
      entry.value = encode(result, this.labels);
    } catch (e) {
      result = undefined;
      entry.error = encodeError(e);
    } finally {
      log.stop();
    }
    if (log.lines.length) entry.console = log.lines;
    entry.storage = localStorage.getItem(STORAGE_KEY);
    const headers = JSON.stringify(this.clients.map((g) => g.api && g.api.defaultHeaders));
    if (headers !== this.lastHeaders) {
      entry.defaultHeaders = JSON.parse(headers);
      this.lastHeaders = headers;
    }
    const requests = await getJSON('/e2e-api/requests');
    if (requests.length) entry.requests = requests;
    // A snapshot: the objects recorded (headers, tokens) may change later.
    this.steps.push(JSON.parse(JSON.stringify(entry)));
    return result;
  }

  // new GoTrue(options), recorded.
  new(options) {
    return this.step('new GoTrue', options === undefined ? [] : [options], () => {
      const g = new mod.default(options);
      this.clients.push(g);
      return g;
    });
  }

  // call runs obj[method](...args): "gotrue#1.login", "user#1.admin.listUsers".
  call(obj, method, ...args) {
    const name = obj == null ? `${obj}.${method}` : `${this.labels.of(obj)}.${method}`;
    return this.step(name, args, () => obj[method](...args));
  }

  // get reads a property (user.admin, user.token), recorded.
  get(obj, prop) {
    return this.step(`${this.labels.of(obj)}.${prop}`, null, () => obj[prop]);
  }

  // note records a value the script computed (an identity check, say).
  note(what, value) {
    return this.step(`note: ${what}`, null, () => value);
  }

  // check records a script assumption; a failed one fails the Go test, so
  // that a scenario cannot pass by both clients doing nothing.
  check(ok, what) {
    if (!ok) this.failedChecks.push(what);
  }

  // mail returns the token of the newest mail of that kind to that
  // address, from the demo server's /mailbox.
  mail(to, kind) {
    return this.step('mail', [to, kind], () => mail(to, kind)).then((m) => m && m.token);
  }

  // fetch calls the identity API directly (what a Netlify function or an
  // admin tool would do), e.g. POST /invite with an admin's jwt.
  fetch(method, path, { jwt, body } = {}) {
    return this.step(`fetch ${method} ${path}`, body === undefined ? [] : [body], async () => {
      const headers = { 'Content-Type': 'application/json' };
      if (jwt) headers.Authorization = `Bearer ${jwt}`;
      const res = await fetch(`/.netlify/identity${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, json: await res.json() };
    });
  }

  // oauth follows an /authorize URL through the server's fake provider
  // (driven from Go, since fetch cannot see a redirect's Location) and
  // returns the callback's hash as an object of strings, as the widget
  // reads it.
  oauth(url) {
    return this.step('oauth', [url], async () => {
      const { hash } = await getJSON(`/e2e-api/oauth?url=${encodeURIComponent(url)}`);
      return Object.fromEntries(new URLSearchParams(hash));
    });
  }

  // cookies reads the browser's cookies through CDP (nf_jwt is HttpOnly).
  cookies() {
    return this.step('cookies', null, () => getJSON('/e2e-api/cookies'));
  }

  // run records a compound action of the script, e.g. two calls at once.
  run(what, fn) {
    return this.step(what, null, fn);
  }

  // setStorage writes the saved session directly, as another tab or a
  // corrupted profile would (null removes it).
  setStorage(value) {
    return this.step('set storage', [value], () => {
      if (value === null) localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, value);
    });
  }

  // storageEvent tells the page that another tab wrote the session, as
  // the browser does with a storage event.
  storageEvent() {
    return this.step('storage event', null, () => {
      window.dispatchEvent(new StorageEvent('storage', { key: STORAGE_KEY, storageArea: localStorage }));
    });
  }
}

window.e2e = {
  client: clientURL,
  // mailToken is the token of the newest mail of a kind to an address,
  // for the flow tests' expressions.
  mailToken: (to, kind) => mail(to, kind).then((m) => m.token),
  // run runs a scenario and resolves with its transcript as JSON text
  // (text, so that Go sees the keys in the page's order).
  async run(name, env) {
    const { default: scenario } = await import(`/e2e/scenarios/${name}.js`);
    const h = new Recorder(env);
    try {
      await scenario(mod.default, h);
    } catch (e) {
      h.steps.push({ step: 'the script threw', error: encodeError(e) });
    }
    return JSON.stringify({ steps: h.steps, failedChecks: h.failedChecks });
  },
};
root.dataset.state = 'ready';

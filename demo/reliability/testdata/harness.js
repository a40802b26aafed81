// harness.js — helpers the reliability tests call in the page (window.rt).
// It loads the library on demand, so that a test can prepare localStorage
// (or break it) before the loader runs, and it turns every outcome into
// plain data the Go side can check.
'use strict';

(() => {
  const rt = {
    goInstances: [], // every Go instance the loader made, to read .exited
    GoTrue: null,
    mod: null,
  };

  // load imports gotrue-wasm's ES module loader. Go (from wasm_exec.js) is
  // wrapped first so that the test can see the instance's exited flag;
  // the loader uses a Go class the page already has.
  rt.load = async () => {
    if (typeof globalThis.Go !== 'function') await import('/js/wasm_exec.js');
    if (!globalThis.Go.__wrapped) {
      const Base = globalThis.Go;
      const Wrapped = class extends Base {
        constructor() {
          super();
          rt.goInstances.push(this);
        }
      };
      Wrapped.__wrapped = true;
      globalThis.Go = Wrapped;
    }
    rt.mod = await import('/js/gotrue.mjs');
    rt.GoTrue = rt.mod.default;
    return true;
  };

  // loadReference imports gotrue-js 1.0.1 (mounted at /ref/).
  rt.loadReference = async () => {
    rt.mod = await import('/ref/lib/index.js');
    rt.GoTrue = rt.mod.default;
    return true;
  };

  // exited reports whether the Go program has ended (it never should).
  rt.exited = () => rt.goInstances.some((g) => g.exited);

  // safe is String(v) that never throws (symbols, Proxies, throwing
  // toString, BigInt).
  const safe = (v) => {
    try {
      if (typeof v === 'symbol') return v.toString();
      return String(v);
    } catch (e) {
      try { return Object.prototype.toString.call(v); } catch { return '[unprintable]'; }
    }
  };
  rt.safe = safe;

  // describe is an error (or any thrown value) as data.
  rt.describe = (e) => {
    const d = { isError: e instanceof Error, type: typeof e, text: safe(e) };
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      for (const k of ['name', 'message', 'status', 'data', 'json']) {
        try {
          const v = e[k];
          if (v !== undefined) d[k] = typeof v === 'object' ? JSON.parse(JSON.stringify(v)) : v;
        } catch { /* a hostile value */ }
      }
      try { d.ctor = e.constructor && e.constructor.name; } catch { /* ignore */ }
      try { if (typeof e.stack === 'string') d.stack = e.stack; } catch { /* ignore */ }
    }
    if (typeof d.data === 'string' && d.data.length > 300) d.data = d.data.slice(0, 300) + '…';
    return d;
  };

  // outcome runs fn and settles what it returns: {ok, value} or {ok:false,
  // error, sync}. A Promise that does not settle within ms is {hung:true}.
  rt.outcome = async (fn, ms = 60000) => {
    let p;
    try {
      p = fn();
    } catch (e) {
      return { ok: false, sync: true, error: rt.describe(e) };
    }
    let timer;
    const hung = new Promise((resolve) => { timer = setTimeout(() => resolve({ hung: true }), ms); });
    try {
      return await Promise.race([Promise.resolve(p).then((v) => ({ ok: true, value: rt.summary(v) })), hung]);
    } catch (e) {
      return { ok: false, sync: false, error: rt.describe(e) };
    } finally {
      clearTimeout(timer);
    }
  };

  // summary is a result as data: users become {user: email, token}.
  rt.summary = (v) => {
    if (v && rt.mod && v instanceof rt.mod.User) {
      return { user: v.email, token: v.token && { ...v.token } };
    }
    // Large or deep values are cut: CDP cannot return a 100,000-deep array.
    try {
      const s = JSON.stringify(v === undefined ? null : v);
      return s.length > 4096 ? { cut: s.slice(0, 200), length: s.length } : JSON.parse(s);
    } catch {
      return safe(v).slice(0, 200);
    }
  };

  // stored is the saved session as it is in localStorage (null if none);
  // it reads through the original localStorage and getItem, which tests
  // may replace or break.
  const getItem = Storage.prototype.getItem;
  const storage = (() => { try { return window.localStorage; } catch { return null; } })();
  rt.stored = () => getItem.call(storage, 'gotrue.user');

  // console records what the page printed, for tests that count warnings.
  rt.console = [];
  for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
    const orig = console[level];
    console[level] = function (...args) {
      rt.console.push({
        level,
        isError: args[0] instanceof Error,
        text: args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : safe(a))).join(' '),
      });
      return orig.apply(this, args);
    };
  }

  // The session as the client sees it.
  // The session as the client sees it (gotrue-js's currentUser() throws
  // where localStorage does).
  rt.current = (auth) => {
    let u;
    try {
      u = auth.currentUser();
    } catch (e) {
      return { threw: `${e && e.name}: ${e && e.message}` };
    }
    return u ? { email: u.email, token: u.token && { ...u.token } } : null;
  };

  // traceStorage records this tab's reads and writes of the saved session
  // and the storage events it gets, with the refresh token each one saw,
  // so that a failed cross-tab test can show who saw what, and when.
  rt.trace = [];
  rt.traceStorage = () => {
    const KEY = 'gotrue.user';
    const rtOf = (v) => { try { return JSON.parse(v).token.refresh_token || null; } catch { return null; } };
    const note = (op, v) => rt.trace.push({ at: Date.now(), op, rt: rtOf(v) });
    const { getItem, setItem, removeItem } = Storage.prototype;
    Storage.prototype.getItem = function (k) {
      const v = getItem.call(this, k);
      if (k === KEY) note('read', v);
      return v;
    };
    Storage.prototype.setItem = function (k, v) {
      if (k === KEY) note('write', v);
      return setItem.call(this, k, v);
    };
    Storage.prototype.removeItem = function (k) {
      if (k === KEY) note('remove', null);
      return removeItem.call(this, k);
    };
    addEventListener('storage', (e) => { if (e.key === KEY) note('storage event', e.newValue); });
    return true;
  };

  // lagStorage makes this tab see other tabs' changes of the saved session
  // only ms later, with their storage event, as Chrome does when its
  // cross-process localStorage updates trail behind (they are not ordered
  // with Web Locks). Call it before the library loads.
  rt.lagStorage = (ms) => {
    const KEY = 'gotrue.user';
    const { getItem, setItem, removeItem } = Storage.prototype;
    let view = getItem.call(localStorage, KEY); // what this tab sees
    Storage.prototype.getItem = function (k) { return k === KEY ? view : getItem.call(this, k); };
    Storage.prototype.setItem = function (k, v) {
      if (k === KEY) view = String(v);
      return setItem.call(this, k, v);
    };
    Storage.prototype.removeItem = function (k) {
      if (k === KEY) view = null;
      return removeItem.call(this, k);
    };
    const add = EventTarget.prototype.addEventListener;
    const late = (fn) => (e) => setTimeout(() => {
      if (e.key === KEY) view = e.newValue;
      if (fn) fn.call(window, e);
    }, ms);
    window.addEventListener = function (type, fn, ...rest) {
      return add.call(this, type, type === 'storage' ? late(fn) : fn, ...rest);
    };
    add.call(window, 'storage', late(null)); // the view follows even without listeners
    return true;
  };

  globalThis.rt = rt;
})();

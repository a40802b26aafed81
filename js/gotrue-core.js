// gotrue-core.js — the classes a page sees: GoTrue, User, Admin and the
// HTTP error classes of gotrue-js 1.0.1, as thin shells over gotrue.wasm,
// and load(), which starts gotrue.wasm and defines them.
//
// Every method is one call into Go (the `go` bridge, which gotrue.wasm
// publishes as globalThis.__gotrueWasm). Go holds all state and makes every
// decision; nothing here converts or checks a value. The shell only
// answers from the page object when Go says it is current (the fast paths
// below), notices when the page has written user.token itself, and hands
// the callers of one refresh the same promise, as gotrue-js does. The classes are
// defined in plain JavaScript, not from Go, so that they are real classes
// (instanceof, class names, `extends Error`) without `new Function`, which
// a strict Content-Security-Policy forbids.
//
// This module has no top-level await: it is what `gotrue-wasm/load`
// names in browsers, for bundles and build targets without top-level
// await. gotrue.mjs (the package's default) awaits load() for the page.

// fast, when given, is the wasm instance's exports: the //go:wasmexport
// checks that let a cached answer (currentUser(), tokenDetails(), a fresh
// jwt()) be returned from the page object itself, at the speed of a plain
// wasm call. Go decides; the shell only reads what Go says is current.
//
// options.storage "memory" keeps the session in memory instead of
// localStorage (the Node.js loader).
export function defineGoTrue(go, fast, options = {}) {
  const hasFast = !!(fast && fast.userSynced && fast.userFresh && fast.currentUser);
  const key = go.handleKey;
  const objects = go.objects;
  // The handle Go gave obj, or 0; a fast path that meets anything odd (a
  // Proxy, a throwing getter) gives way to the Go path, which reports it.
  const handleOf = (obj) => {
    try {
      return (obj !== null && typeof obj === 'object' && obj[key]) || 0;
    } catch {
      return 0;
    }
  };
  if (typeof FinalizationRegistry !== 'function' || typeof WeakRef !== 'function') {
    throw new Error('gotrue-wasm: this browser lacks WeakRef/FinalizationRegistry (Chrome 84, Firefox 79, Safari 14.1 or later are needed)');
  }

  // A sync Go function cannot throw into JavaScript: it returns the error
  // wrapped in a Thrown, and the shell throws it.
  class Thrown {
    constructor(error) {
      this.error = error;
    }
  }
  const unwrap = (result) => {
    if (result instanceof Thrown) throw result.error;
    return result;
  };

  class HTTPError extends Error {
    constructor(response) {
      super(response.statusText);
      this.name = 'HTTPError';
      this.status = response.status;
    }
  }

  class TextHTTPError extends HTTPError {
    constructor(response, data) {
      super(response);
      this.name = 'TextHTTPError';
      this.data = data;
    }
  }

  class JSONHTTPError extends HTTPError {
    constructor(response, json) {
      super(response);
      this.name = 'JSONHTTPError';
      this.json = json;
    }
  }

  // The classes below have gotrue-js 1.0.1's members, in its order and
  // with its method lengths (a default parameter does not count), so that
  // a page or library that enumerates them sees the same object.
  class API {
    constructor(apiURL, options) { unwrap(go.newAPI(this, apiURL, options)); }
    headers(headers = {}) { return unwrap(go.apiHeaders(this, headers)); }
    static parseJsonResponse(response) { return go.parseJsonResponse(this, response); }
    request(path, options = {}) { return go.apiRequest(this, path, options); }
  }

  class GoTrue {
    constructor(options = {}) { unwrap(go.newGoTrue(this, options)); }
    _request(path, options = {}) { return go.request(this, path, options); }
    settings() { return go.settings(this); }
    signup(email, password, data) { return go.signup(this, email, password, data); }
    login(email, password, remember) { return go.login(this, email, password, remember); }
    loginExternalUrl(provider) { return unwrap(go.loginExternalUrl(this, provider)); }
    confirm(token, remember) { return go.confirm(this, token, remember); }
    requestPasswordRecovery(email) { return go.requestPasswordRecovery(this, email); }
    recover(token, remember) { return go.recover(this, token, remember); }
    acceptInvite(token, password, remember) { return go.acceptInvite(this, token, password, remember); }
    acceptInviteExternalUrl(provider, token) { return unwrap(go.acceptInviteExternalUrl(this, provider, token)); }
    createUser(tokenResponse, remember = false) { return go.createUser(this, tokenResponse, remember); }
    currentUser() {
      if (hasFast) {
        try {
          const h = fast.currentUser(handleOf(this), this.setCookie ? 1 : 0);
          const user = h > 0 ? objects.get(h)?.deref() : undefined;
          if (user) return user;
        } catch { /* the Go path answers */ }
      }
      return unwrap(go.currentUser(this));
    }
    validateCurrentSession() { return go.validateCurrentSession(this); }
    verify(type, token, remember) { return go.verify(this, type, token, remember); }
    _setRememberHeaders(remember) { return unwrap(go.setRememberHeaders(this, remember)); }
    // Beyond gotrue-js (after its members, so that its own come first).
    on(event, listener) {
      unwrap(go.on(this, event, listener));
      return () => unwrap(go.off(this, event, listener));
    }
    off(event, listener) { return unwrap(go.off(this, event, listener)); }
    handleRedirect(url, remember) { return go.handleRedirect(this, url, remember); }
  }

  // The token Go last wrote onto each User object (or adopted from it),
  // with the fields jwt() reads: a page may replace user.token or change
  // it in place, as gotrue-js reads this.token at every call, and then
  // the fast path must give way to Go, which adopts the page's token.
  const written = new WeakMap();
  const assign = (user, data) => {
    if (data !== undefined) {
      // gotrue-js replaces user.token only with a new token; an unchanged
      // one stays the same object.
      const t = user.token;
      if (t && data.token && JSON.stringify(t) === JSON.stringify(data.token)) data.token = t;
      Object.assign(user, data);
    }
    const t = user.token;
    written.set(user, t && { t, a: t.access_token, r: t.refresh_token, e: t.expires_at });
  };
  const tokenUntouched = (user) => {
    const t = user.token;
    const w = written.get(user);
    return !!w && t === w.t && t.access_token === w.a && t.refresh_token === w.r && t.expires_at === w.e;
  };

  // gotrue-js hands everyone who refreshes one refresh token the same
  // promise (its refreshPromises); so does the shell, which also spares
  // each of them a call into Go while the request is under way. Go shares
  // the request itself (one /token for one refresh token, across tabs too).
  const refreshing = new Map(); // refresh token → Promise of the access token
  const shareRefresh = (rt, start) => {
    let p = refreshing.get(rt);
    if (!p) {
      p = start();
      refreshing.set(rt, p);
      const done = () => { if (refreshing.get(rt) === p) refreshing.delete(rt); };
      p.then(done, done);
    }
    return p;
  };

  class User {
    // Go makes the users of login, currentUser() and the rest without
    // this constructor; a page may still make one, as with gotrue-js.
    constructor(api, tokenResponse, audience) { unwrap(go.newUser(this, api, tokenResponse, audience)); }
    static removeSavedSession() { return unwrap(go.removeSavedSession(this)); }
    static recoverSession(apiInstance) { return unwrap(go.recoverSession(this, apiInstance)); }
    get admin() { return new Admin(this); }
    update(attributes) { return go.userUpdate(this, attributes); }
    jwt(forceRefresh) {
      try {
        if (tokenUntouched(this)) {
          if (hasFast && !forceRefresh && fast.userFresh(handleOf(this))) return Promise.resolve(this.token.access_token);
          if (forceRefresh) return shareRefresh(this.token.refresh_token, () => go.userJwt(this, true));
        }
      } catch { /* the Go path answers */ }
      return go.userJwt(this, forceRefresh);
    }
    logout() { return go.userLogout(this); }
    _refreshToken(refresh_token) {
      if (typeof refresh_token !== 'string' || !handleOf(this)) return go.userRefreshToken(this, refresh_token);
      return shareRefresh(refresh_token, () => go.userRefreshToken(this, refresh_token));
    }
    _request(path, options = {}) { return go.userRequest(this, path, options); }
    getUserData() { return go.userGetUserData(this); }
    _saveUserData(attributes, fromStorage) { return unwrap(go.userSaveUserData(this, attributes, fromStorage)); }
    _processTokenResponse(tokenResponse) { return unwrap(go.userProcessTokenResponse(this, tokenResponse)); }
    _refreshSavedSession() { return unwrap(go.userRefreshSavedSession(this)); }
    get _details() { return unwrap(go.userDetails(this)); }
    _saveSession() { return unwrap(go.userSaveSession(this)); }
    tokenDetails() {
      // gotrue-js answers this.token, whatever the page wrote there.
      if (hasFast) {
        try {
          if (fast.userSynced(handleOf(this))) return this.token;
        } catch { /* the Go path answers */ }
      }
      return unwrap(go.userTokenDetails(this));
    }
    clearSession() { return unwrap(go.userClearSession(this)); }
  }

  class Admin {
    constructor(user) { this.user = user; }
    listUsers(aud) { return go.adminListUsers(this, aud); }
    getUser(user) { return go.adminGetUser(this, user); }
    updateUser(user, attributes = {}) { return go.adminUpdateUser(this, user, attributes); }
    createUser(email, password, attributes = {}) { return go.adminCreateUser(this, email, password, attributes); }
    deleteUser(user) { return go.adminDeleteUser(this, user); }
    inviteUser(email, data) { return go.adminInviteUser(this, email, data); }
  }

  // emit calls an event's listeners, in a microtask so that they run
  // after the change and never inside Go; one that throws is reported as
  // an event listener's error is, and the others still run.
  const report = (err) => {
    if (typeof globalThis.reportError === 'function') globalThis.reportError(err);
    else console.error(err);
  };
  const emit = (listeners, user) => {
    queueMicrotask(() => {
      for (const listener of listeners) {
        try {
          if (user === undefined) listener();
          else listener(user);
        } catch (err) {
          report(err);
        }
      }
    });
  };

  // Go keeps one handle per GoTrue and User object; this registry gives
  // it back when the page drops the object, so Go memory does not grow.
  const registry = new FinalizationRegistry((handle) => {
    try { go.release(handle); } catch { /* the Go program has exited */ }
  });
  const failure = go.init({ API, User, HTTPError, TextHTTPError, JSONHTTPError, Thrown, registry, assign, emit, storage: options.storage });
  if (failure) throw failure;

  // gotrue-js's script-tag bundle put its module namespace on
  // window.GoTrue; ours puts the class there, so the class carries the
  // namespace's members too, as non-enumerable statics like a class's own.
  const exported = { GoTrue, User, Admin, HTTPError, TextHTTPError, JSONHTTPError };
  for (const [name, value] of Object.entries({ default: GoTrue, ...exported })) {
    if (name !== 'GoTrue') Object.defineProperty(GoTrue, name, { value, writable: true, configurable: true });
  }
  return exported;
}

// load starts gotrue.wasm and resolves the classes: { GoTrue, User, Admin,
// HTTPError, TextHTTPError, JSONHTTPError }. options.wasmURL loads it from
// elsewhere (a CDN, a bundler's asset URL), resolved against the page;
// options.wasm gives the module's bytes or a Response (or a Promise of
// either) instead. Only the first call of a page loads: later calls, from
// any copy of this module, resolve the same classes.
export function load(options) {
  const { wasmURL, wasm } = options ?? {};
  let url;
  try {
    url = wasmURL ? new URL(wasmURL, globalThis.document?.baseURI ?? globalThis.location?.href) : besideThisModule();
  } catch (err) {
    return Promise.reject(err);
  }
  return start(url, () => wasm ?? fetch(url), {});
}

// besideThisModule is the package's gotrue.wasm. The literal URL lets
// bundlers see the file and emit it; a bundle without import.meta (an
// iife) cannot say where it is.
function besideThisModule() {
  try {
    return new URL('./gotrue.wasm', import.meta.url);
  } catch (err) {
    throw new Error('gotrue-wasm: this bundle has no import.meta.url to find gotrue.wasm by (an iife?): pass load({ wasmURL })', { cause: err });
  }
}

// One Go program per JavaScript realm, whichever copy of this module
// starts it (a bundler may include two).
const running = Symbol.for('gotrue-wasm.running');

// start runs gotrue.wasm from what getWasm() gives (a Response, the bytes,
// or a Promise of either) and resolves the classes. url names it in
// errors. A load that fails before the Go program starts may be tried
// again; one that fails after cannot.
export function start(url, getWasm, options) {
  if (!globalThis[running]) {
    const state = { started: false };
    const p = run(url, getWasm, options, state);
    globalThis[running] = p;
    p.catch(() => {
      if (!state.started && globalThis[running] === p) delete globalThis[running];
    });
  }
  return globalThis[running];
}

async function run(url, getWasm, options, state) {
  // The download starts now, alongside wasm_exec.js, not after it: on a
  // slow network each hop in sequence costs a round trip.
  const source = new Promise((resolve) => resolve(getWasm()));
  source.catch(() => {}); // reported below, after wasm_exec.js
  if (typeof globalThis.Go !== 'function') {
    await import('./wasm_exec.js');
  }
  const go = new globalThis.Go();
  let wasm;
  try {
    wasm = await source;
  } catch (err) {
    throw new Error(`gotrue-wasm: could not load ${url}: ${err && err.message}`, { cause: err });
  }
  const { instance } = await instantiate(url, wasm, go.importObject);
  delete globalThis.__gotrueWasm;
  state.started = true;
  // run() resolves only when the Go program exits, which it never should.
  go.run(instance).then(
    () => console.error('gotrue-wasm: the Go program exited'),
    (err) => console.error('gotrue-wasm: the Go program failed', err),
  );
  // main() has registered its exports before blocking.
  const bridge = globalThis.__gotrueWasm;
  if (!bridge) throw new Error(`gotrue-wasm: ${url} did not start (is it gotrue.wasm?)`);
  return defineGoTrue(bridge, instance.exports, options);
}

// instantiate compiles while downloading when the server sends
// application/wasm, and from the bytes otherwise (file://, dev servers
// with a wrong MIME type), where instantiateStreaming would refuse. What
// is not WebAssembly, such as the index.html a dev server answers for a
// file it does not have, gets an error that says so.
async function instantiate(url, wasm, imports) {
  if (typeof Response === 'function' && wasm instanceof Response) {
    if (!wasm.ok) {
      throw new Error(`gotrue-wasm: could not load ${url}: ${wasm.status} ${wasm.statusText}`);
    }
    const type = (wasm.headers.get('Content-Type') || '').split(';')[0].trim().toLowerCase();
    if (type === 'application/wasm' && typeof WebAssembly.instantiateStreaming === 'function') {
      try {
        return await WebAssembly.instantiateStreaming(wasm, imports);
      } catch (err) {
        if (err instanceof WebAssembly.CompileError) throw notWasm(url, type, err);
        throw err;
      }
    }
    wasm = new Uint8Array(await wasm.arrayBuffer());
    if (!isWasm(wasm)) throw notWasm(url, type);
  } else if (ArrayBuffer.isView(wasm) || wasm instanceof ArrayBuffer) {
    if (!isWasm(wasm)) throw notWasm(url, '');
  }
  return WebAssembly.instantiate(wasm, imports);
}

// isWasm checks the magic number every WebAssembly module starts with.
function isWasm(buf) {
  const b = ArrayBuffer.isView(buf) ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : new Uint8Array(buf);
  return b.length >= 4 && b[0] === 0x00 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d;
}

function notWasm(url, type, cause) {
  const hint = type === 'text/html' ? ' (a dev-server fallback?)' : '';
  const what = type ? `returned ${type}, not WebAssembly` : 'is not WebAssembly';
  return new Error(`gotrue-wasm: ${url} ${what}${hint}`, { cause });
}

// gotrue-core.js — the classes a page sees: GoTrue, User, Admin and the
// HTTP error classes of gotrue-js 1.0.1, as thin shells over gotrue.wasm.
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
// Loaded by gotrue.mjs (and through it by gotrue.js); not meant to be
// imported on its own.

// fast, when given, is the wasm instance's exports: the //go:wasmexport
// checks that let a cached answer (currentUser(), tokenDetails(), a fresh
// jwt()) be returned from the page object itself, at the speed of a plain
// wasm call. Go decides; the shell only reads what Go says is current.
export function defineGoTrue(go, fast) {
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
  }

  // Go keeps one handle per GoTrue and User object; this registry gives
  // it back when the page drops the object, so Go memory does not grow.
  const registry = new FinalizationRegistry((handle) => {
    try { go.release(handle); } catch { /* the Go program has exited */ }
  });
  const failure = go.init({ API, User, HTTPError, TextHTTPError, JSONHTTPError, Thrown, registry, assign });
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

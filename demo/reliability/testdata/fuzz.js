// fuzz.js — rt.fuzz: calls every method of GoTrue, User, Admin and API
// (and their constructors, statics and getters) with random argument
// lists and random receivers, and classifies every outcome. A seeded PRNG
// makes a run reproducible: the same seed gives the same calls in the same
// order (only the interleaving of the network answers varies).
'use strict';

(() => {
  const rt = globalThis.rt;

  // mulberry32: a small, fast, seeded PRNG.
  const mulberry32 = (a) => () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  // PAGE_THROW is what the fuzz's own hostile values throw when they throw
  // something that is not an Error. The library may hand it back as it is
  // (gotrue-js does the same: JSON.stringify rethrows what a getter threw);
  // any other non-Error is a failure.
  const PAGE_THROW = Object.freeze({ pageThrow: 'a value the page threw on purpose' });
  rt.PAGE_THROW = PAGE_THROW;

  const boom = () => { throw new Error('hostile value: this trap throws'); };
  const throwingProxy = (target) => new Proxy(target, {
    get: boom, set: boom, has: boom, deleteProperty: boom, ownKeys: boom,
    getOwnPropertyDescriptor: boom, defineProperty: boom, getPrototypeOf: boom,
    setPrototypeOf: boom, isExtensible: boom, preventExtensions: boom,
    apply: boom, construct: boom,
  });
  const pageThrowProxy = () => new Proxy({}, { get() { throw PAGE_THROW; }, ownKeys() { throw PAGE_THROW; } });

  // An object whose every interesting property is a throwing getter.
  const throwingGetters = (thrown) => {
    const o = {};
    for (const k of ['id', 'APIUrl', 'audience', 'setCookie', 'clientName', 'access_token',
      'refresh_token', 'expires_in', 'token_type', 'user', 'email', 'password', 'data', 'toJSON']) {
      Object.defineProperty(o, k, { enumerable: true, get() { throw thrown(); } });
    }
    return o;
  };

  const deepNest = (n) => {
    let o = { leaf: true };
    for (let i = 0; i < n; i++) o = { o };
    return o;
  };
  const cyclic = () => { const o = { a: 1 }; o.self = o; return o; };
  const cyclicArray = () => { const a = [1]; a.push(a); return a; };
  const sparse = () => { const a = []; a[1000] = 'x'; return a; };

  rt.fuzz = async (cfg) => {
    const GoTrue = rt.GoTrue;
    const { User, Admin } = rt.mod;
    const rand = mulberry32(cfg.seed);
    const pick = (a) => a[Math.floor(rand() * a.length)];
    const chance = (p) => rand() < p;

    const huge = 'x'.repeat(1 << 20); // 1 MiB
    const hugeOdd = '\uD800\u0000'.repeat(1 << 18); // lone surrogates and NULs, 1 MiB of UTF-16
    const stubClient = new GoTrue({ APIUrl: cfg.stub });
    const realClient = new GoTrue({ APIUrl: cfg.real });
    const clients = [stubClient, realClient];
    // The pools of receivers change only between batches, in call order,
    // so that a seed replays the same calls.
    const users = [];
    let replace = 0;
    const addUser = (u) => {
      if (!(u instanceof User)) return;
      if (users.length < 30) users.push(u); else users[replace++ % 30] = u;
    };
    const addClient = (g) => { if (g instanceof GoTrue && clients.length < 30) clients.push(g); };

    // A user of the stub API, and a real user of the identity server:
    // "a real user object from another client".
    const login = async () => {
      addUser(await stubClient.login('fuzz@example.com', 'stub-password', false));
      if (cfg.realEmail) addUser(await realClient.login(cfg.realEmail, cfg.realPassword, false));
    };
    await login();
    const someUser = () => pick(users);
    const someClient = () => (chance(0.65) ? stubClient : chance(0.45) ? realClient : pick(clients));

    const values = [
      () => undefined, () => null, () => true, () => false,
      () => 0, () => -0, () => NaN, () => 1e308, () => Infinity, () => -Infinity, () => 42, () => -1,
      () => 2 ** 53 + 1, () => 0.5,
      () => '', () => 'a', () => '\uD800', () => 'a\uDC00b', () => '\0', () => 'a\0b\0', () => huge, () => hugeOdd,
      () => '../../admin/users', () => '%', () => '%E0%A4%A', () => 'é👍\u2028', () => '<script>alert(1)</script>',
      () => 'javascript:alert(1)', () => 'data:application/json,', () => cfg.stub, () => 'signup', () => 'recovery',
      () => 'fuzz@example.com', () => 'http://127.0.0.1:1', () => '//example.invalid', () => 'bearer',
      () => [], () => [1, 'a', null], () => [undefined], () => sparse(), () => cyclicArray(),
      () => ({}), () => ({ a: { b: { c: [1, { d: 'e' }] } } }), () => deepNest(2000), () => cyclic(),
      () => Object.create(null), () => ({ id: 'x' }), () => ({ id: '../../x?y#z' }), () => ({ id: 5 }),
      () => ({ id: huge }),
      () => ({ access_token: cfg.fakeJWT, token_type: 'bearer', expires_in: 3600, refresh_token: 'fuzz-refresh' }),
      () => ({ access_token: cfg.fakeJWT }), () => ({ access_token: 5, refresh_token: [] }),
      () => ({ access_token: 'a.b', expires_in: 'x' }), () => ({ access_token: '\uD800.\0.x' }),
      () => ({ APIUrl: cfg.stub }), () => ({ APIUrl: 5 }), () => ({ APIUrl: cfg.stub, audience: 'aud', setCookie: true, clientName: 'fz' }),
      () => ({ APIUrl: huge }), () => ({ APIUrl: 'data:application/json,' }), () => ({ APIUrl: cfg.real, audience: {} }),
      () => ({ email: 'x@example.com', data: { n: 1 } }), () => ({ app_metadata: { roles: ['admin'] } }),
      () => ({ toJSON() { throw new Error('toJSON throws'); } }), () => ({ toJSON() { throw PAGE_THROW; } }),
      () => ({ toJSON() { return huge; } }), () => ({ toString() { throw new Error('toString throws'); } }),
      () => ({ valueOf() { throw new Error('valueOf throws'); }, [Symbol.toPrimitive]() { throw new Error('toPrimitive throws'); } }),
      () => ({ get id() { throw new Error('getter throws'); } }),
      () => ({ get APIUrl() { throw new Error('getter throws'); } }),
      () => ({ get access_token() { throw PAGE_THROW; } }),
      () => throwingGetters(() => new Error('getter throws')), () => throwingGetters(() => PAGE_THROW),
      () => throwingProxy({}), () => throwingProxy(function () {}), () => pageThrowProxy(),
      () => Object.freeze({ APIUrl: cfg.stub }), () => Object.freeze({ access_token: cfg.fakeJWT, refresh_token: 'r' }),
      () => Object.freeze([1, 2]), () => Object.freeze(Object.create(null)), () => Object.freeze({ id: 'frozen', user: someUser() }),
      () => function () {}, () => () => 1, () => class {}, () => async () => {}, () => Math.max,
      () => Symbol('s'), () => Symbol.iterator, () => 10n, () => ({ a: 1n }),
      () => someUser(), () => someUser(), () => stubClient, () => realClient, () => ({ user: someUser() }),
      () => ({ user: throwingProxy({}) }), () => ({ ...someUser() }), () => Object.freeze(someUser()),
      () => new Date(NaN), () => /re/g, () => new Map([[1, 2]]), () => new Uint8Array(4), () => new Error('an Error argument'),
      () => Promise.resolve(1), () => new Promise(() => {}), () => ({ then(res) { res(1); } }),
      () => ({ then() { throw new Error('then throws'); } }), () => JSON.parse('{"__proto__": {"x": 1}, "id": "p"}'),
      () => globalThis, () => document, () => localStorage,
    ];
    const anyValue = () => pick(values)();
    const args = (n = Math.floor(rand() * 5)) => Array.from({ length: n }, anyValue);
    // Plausible argument lists reach deeper: each slot is a value of the
    // right type most of the time, a hostile one otherwise.
    const str = () => (chance(0.7) ? pick(['fuzz@example.com', 'stub-password', 'signup', 'recovery', 'tok', 'github', cfg.realEmail || 'a']) : anyValue());
    const obj = () => (chance(0.7) ? pick([{}, { data: { a: 1 } }, { email: 'n@example.com' }, { access_token: cfg.fakeJWT, refresh_token: 'fuzz-refresh', expires_in: 3600 }]) : anyValue());
    const bool = () => (chance(0.7) ? chance(0.5) : anyValue());
    const userArg = () => (chance(0.7) ? pick([{ id: 'u1' }, someUser(), { id: 'stub-user' }]) : anyValue());
    const plausible = {
      settings: () => [],
      signup: () => [str(), str(), obj()],
      login: () => [str(), str(), bool()],
      loginExternalUrl: () => [str()],
      confirm: () => [str(), bool()],
      requestPasswordRecovery: () => [str()],
      recover: () => [str(), bool()],
      acceptInvite: () => [str(), str(), bool()],
      acceptInviteExternalUrl: () => [str(), str()],
      createUser: () => [obj(), bool()],
      currentUser: () => [],
      validateCurrentSession: () => [],
      verify: () => [str(), str(), bool()],
      update: () => [obj()],
      jwt: () => [bool()],
      logout: () => [],
      getUserData: () => [],
      tokenDetails: () => [],
      clearSession: () => [],
      listUsers: () => [chance(0.5) ? undefined : str()],
      getUser: () => [userArg()],
      updateUser: () => [userArg(), obj()],
      deleteUser: () => [userArg()],
    };
    const argsFor = (m) => (chance(0.5) && plausible[m] ? plausible[m]() : args());
    const weird = () => anyValue();

    const gotrueMethods = Object.getOwnPropertyNames(GoTrue.prototype).filter((m) => m !== 'constructor');
    const userMethods = Object.getOwnPropertyNames(User.prototype).filter((m) => m !== 'constructor' && m !== 'admin');
    const adminMethods = Object.getOwnPropertyNames(Admin.prototype).filter((m) => m !== 'constructor');
    const adminGetter = Object.getOwnPropertyDescriptor(User.prototype, 'admin').get;

    // Each operation is [name, () => result].
    const ops = [];
    ops.push(['new GoTrue', 6, () => new GoTrue(...(chance(0.5) ? [obj()] : args()))]);
    ops.push(['GoTrue() without new', 1, () => GoTrue(...args())]);
    ops.push(['Reflect.construct(GoTrue, args, other)', 1, () => Reflect.construct(GoTrue, args(), pick([User, Admin, Object, function F() {}]))]);
    ops.push(['new User', 2, () => new User(...args())]);
    ops.push(['new Admin', 2, () => new Admin(...args())]);
    ops.push(['user.admin', 2, () => adminGetter.call(chance(0.8) ? someUser() : weird())]);
    for (const m of gotrueMethods) {
      ops.push([`GoTrue#${m}`, 4, () => {
        const r = GoTrue.prototype[m].apply(chance(0.9) ? someClient() : weird(), argsFor(m));
        return r;
      }]);
    }
    for (const m of userMethods) {
      const w = m === 'clearSession' || m === 'logout' ? 1 : 4; // keep users logged in most of the time
      ops.push([`User#${m}`, w, () => User.prototype[m].apply(chance(0.85) ? someUser() : chance(0.5) ? new User() : weird(), argsFor(m))]);
    }
    for (const m of adminMethods) {
      ops.push([`Admin#${m}`, 3, () => {
        const recv = chance(0.8) ? someUser().admin : chance(0.5) ? new Admin(weird()) : weird();
        return Admin.prototype[m].apply(recv, argsFor(m));
      }]);
    }
    // The API class (gotrue.api's) and User's statics.
    const API = stubClient.api.constructor;
    ops.push(['new API', 2, () => new API(...args())]);
    for (const m of Object.getOwnPropertyNames(API.prototype).filter((n) => n !== 'constructor')) {
      ops.push([`API#${m}`, 3, () => API.prototype[m].apply(chance(0.85) ? someClient().api : weird(), args())]);
    }
    ops.push(['API.parseJsonResponse', 2, () => API.parseJsonResponse(...args())]);
    ops.push(['User.recoverSession', 2, () => User.recoverSession(...(chance(0.5) ? [someClient().api] : args()))]);
    ops.push(['User.removeSavedSession', 1, () => User.removeSavedSession(...args())]);
    const table = [];
    for (const op of ops) for (let i = 0; i < op[1]; i++) table.push(op);

    const stats = {
      seed: cfg.seed, calls: 0, returned: 0, resolved: 0, thrownError: 0, rejectedError: 0,
      pageThrowPassedBack: 0, nonError: 0, hung: 0, byMethod: {}, errorNames: {}, nonErrorSamples: [],
      hungSamples: [], messages: [],
    };
    const messages = new Set();
    const count = (name, o) => {
      stats.calls++;
      stats.byMethod[name] = (stats.byMethod[name] || 0) + 1;
      if (o.hung) {
        stats.hung++;
        if (stats.hungSamples.length < 10) stats.hungSamples.push(name);
        return;
      }
      if (o.ok) {
        if (o.async) stats.resolved++; else stats.returned++;
        return;
      }
      const e = o.error;
      if (e === PAGE_THROW) { stats.pageThrowPassedBack++; return; }
      if (!(e instanceof Error)) {
        stats.nonError++;
        if (stats.nonErrorSamples.length < 20) stats.nonErrorSamples.push({ call: name, thrown: rt.describe(e), sync: o.sync });
        return;
      }
      if (o.sync) stats.thrownError++; else stats.rejectedError++;
      const key = `${e.name}${e.status ? ' ' + e.status : ''}`;
      stats.errorNames[key] = (stats.errorNames[key] || 0) + 1;
      let text = '';
      try { text = `${e.name}: ${e.message}${e.data ? ' data=' + rt.safe(e.data) : ''}${e.json ? ' json=' + JSON.stringify(e.json) : ''}`; } catch { text = rt.safe(e); }
      if (messages.size < 5000) messages.add(text.length > 100000 ? text.slice(0, 100000) : text);
    };

    // run performs one call: a sync throw, a plain value, or a Promise
    // that must settle within cfg.timeoutMs. It answers {value}, boxed: a
    // sync answer may be a thenable (api.headers copies a hostile `then`),
    // which an async function would otherwise call.
    const run = async (name, fn) => {
      let r;
      try {
        r = fn();
      } catch (e) {
        count(name, { ok: false, sync: true, error: e });
        return {};
      }
      if (!(r instanceof Promise)) {
        count(name, { ok: true });
        return { value: r };
      }
      let timer;
      const hung = new Promise((resolve) => { timer = setTimeout(() => resolve({ hung: true }), cfg.timeoutMs); });
      const o = await Promise.race([
        r.then((v) => ({ ok: true, async: true, value: v }), (e) => ({ ok: false, error: e })),
        hung,
      ]);
      clearTimeout(timer);
      count(name, o);
      return { value: o.value };
    };

    let done = 0;
    while (done < cfg.calls) {
      const n = Math.min(cfg.batch, cfg.calls - done);
      const batch = [];
      for (let i = 0; i < n; i++) {
        const [name, , fn] = pick(table);
        batch.push(run(name, fn));
      }
      const results = await Promise.all(batch);
      for (const { value: v } of results) {
        if (v instanceof User) addUser(v);
        else if (v instanceof GoTrue) addClient(v);
      }
      done += n;
      // Users get logged out by logout/clearSession/refresh failures;
      // bring fresh ones in now and then so that the user paths stay deep.
      if (done % 1000 === 0) {
        try { await login(); } catch { /* counted by the sanity check */ }
      }
    }
    stats.messages = [...messages];
    return stats;
  };
})();

// bench.js — the workloads `make bench` runs in a page, the same code for
// gotrue.wasm (wasm.html) and gotrue-js (ref.html). The Go side calls
// window.bench.* through the DevTools protocol and awaits the results;
// every time is performance.now() in the page, so the protocol's own
// latency is never counted.

const API = '/.netlify/identity';
const now = () => performance.now();

let sink = 0; // keeps the JIT from dropping calls whose result is unused

// rate calls f in doubling batches until minMs have passed, awaiting each
// call when async, and answers calls per second.
export async function rate(f, async, minMs) {
  let n = 0;
  let batch = 16;
  const t0 = now();
  let dt = 0;
  while (dt < minMs) {
    if (async) {
      for (let i = 0; i < batch; i++) if ((await f()) === '') sink++;
    } else {
      for (let i = 0; i < batch; i++) if (f() === undefined) sink++;
    }
    n += batch;
    batch *= 2;
    dt = now() - t0;
  }
  return (n / dt) * 1000;
}

export function install(GoTrue, probes) {
  const g = new GoTrue({ APIUrl: API });
  let user = null;

  // The hot calls: each returns at once (jwt() with a fresh token resolves
  // without a request).
  const sync = {
    currentUser: () => g.currentUser(),
    tokenDetails: () => user.tokenDetails(),
    loginExternalUrl: () => g.loginExternalUrl('github'),
  };

  window.bench = {
    async login(email, password) {
      user = await g.login(email, password, true);
      return user.email === email;
    },

    async logout() {
      await user.logout();
      user = null;
      return true;
    },

    // rate answers op's calls per second.
    async rate(op, minMs) {
      if (op === 'jwt') {
        const u = user;
        return rate(() => u.jwt(), true, minMs);
      }
      if (!sync[op]) throw new Error('no such op ' + op);
      return rate(sync[op], false, minMs);
    },

    // trips times n rounds of login → getUserData → logout, in ms.
    async trips(email, password, n) {
      const r = { login: [], getUserData: [], logout: [], cycle: [] };
      for (let i = 0; i < n; i++) {
        const t0 = now();
        const u = await g.login(email, password, true);
        const t1 = now();
        await u.getUserData();
        const t2 = now();
        await u.logout();
        const t3 = now();
        r.login.push(t1 - t0);
        r.getUserData.push(t2 - t1);
        r.logout.push(t3 - t2);
        r.cycle.push(t3 - t0);
      }
      return r;
    },

    // refreshes times n forced refreshes, jwt(true), one after the other.
    async refreshes(n) {
      const r = [];
      for (let i = 0; i < n; i++) {
        const t0 = now();
        await user.jwt(true);
        r.push(now() - t0);
      }
      return r;
    },

    // saved is the session saved in localStorage.
    saved() {
      return localStorage.getItem('gotrue.user');
    },

    // firstRefresh times this page's first jwt(true), on the session it
    // found saved, and answers the session saved after it.
    async firstRefresh() {
      const u = g.currentUser();
      if (!u) throw new Error('no session saved');
      const t0 = now();
      await u.jwt(true);
      const ms = now() - t0;
      return { ms, saved: localStorage.getItem('gotrue.user') };
    },

    // concurrent starts n jwt(true) at once and times until all settle.
    async concurrent(n) {
      const t0 = now();
      const results = await Promise.allSettled(Array.from({ length: n }, () => user.jwt(true)));
      const ms = now() - t0;
      const tokens = new Set(results.filter((x) => x.status === 'fulfilled').map((x) => x.value));
      const failed = results.filter((x) => x.status === 'rejected').map((x) => String(x.reason));
      return { ms, distinct: tokens.size, failed: failed.length, firstFailure: failed[0] || '' };
    },

    // churn is the memory workload: jwts fresh jwt() calls, then cycles
    // logins and logouts, dropping every user.
    async churn(email, password, jwts, cycles) {
      let u = await g.login(email, password, true);
      for (let i = 0; i < jwts; i++) await u.jwt();
      await u.logout();
      for (let i = 0; i < cycles; i++) {
        u = await g.login(email, password, true);
        await u.logout();
      }
      u = null;
      user = null;
      return true;
    },

    // memory is read after the bench forced a garbage collection.
    memory() {
      return {
        heap: performance.memory ? performance.memory.usedJSHeapSize : null,
        wasm: probes.linearMemory(),
        handles: probes.handles(),
      };
    },

    // settle lets FinalizationRegistry callbacks run after a collection.
    settle(ms) {
      return new Promise((resolve) => setTimeout(() => resolve(sink >= 0), ms));
    },
  };
  window.__ready = true;
}

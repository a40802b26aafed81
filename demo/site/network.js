// Explaining "Failed to fetch": a request that got no answer at all (the
// server is down, or the browser blocked it for CORS or CSP) rejects
// fetch with a bare TypeError whose message says none of that
// ("Failed to fetch" in Chromium, "NetworkError when attempting to fetch
// resource." in Firefox, "Load failed" in Safari). Both clients pass that
// very TypeError on to the page, so the page watches its own fetches to
// tell such a failure from any other TypeError, and says what likely
// happened. When the browser reports that the page's CSP blocked the
// request (a securitypolicyviolation event, which Chromium fires after the
// fetch has failed), the lines that explained it say so too.

// The browsers' messages for a fetch without an answer, for errors whose
// fetch the page did not see (a client that kept its own fetch).
const NETWORK_MESSAGE = /failed to fetch|networkerror|load failed|network request failed|fetch failed/i;

const failed = new WeakMap(); // a fetch's TypeError → the URL it was for
const violations = []; // {origin, directive} of the page's CSP reports, newest last
let apiURL = ''; // the loaded client's APIUrl, absolute

/**
 * watchNetwork wraps window.fetch, before the client loads, to remember
 * which URL each network TypeError was for, and listens for the CSP
 * violations the browser reports. The wrapper changes nothing else:
 * same arguments, same answer, same error object.
 */
export function watchNetwork() {
  const fetch = window.fetch;
  if (typeof fetch !== 'function' || fetch.watched) return;
  const watched = function (input, init) {
    return Reflect.apply(fetch, window, arguments).then(undefined, (err) => {
      if (err instanceof TypeError) failed.set(err, urlOf(input));
      throw err;
    });
  };
  watched.watched = true;
  window.fetch = watched;
  document.addEventListener('securitypolicyviolation', (e) => {
    const v = { origin: originOf(e.blockedURI), directive: e.effectiveDirective || e.violatedDirective || '' };
    if (!v.origin || !/connect-src|default-src/.test(v.directive)) return;
    violations.push(v);
    if (violations.length > 20) violations.shift();
    // The lines that explained a failure to reach that origin.
    for (const el of document.querySelectorAll('[data-unreachable]')) {
      if (el.dataset.unreachable === v.origin && !('csp' in el.dataset)) addCSPNote(el, v);
    }
  });
}

/**
 * markUnreachable tags el, a line that shows explain()'s text for origin,
 * so that a CSP report for origin, now or later, is added to it.
 */
export function markUnreachable(el, origin) {
  if (!el || !origin) return;
  el.dataset.unreachable = origin;
  delete el.dataset.csp;
  const v = violations.find((x) => x.origin === origin);
  if (v) addCSPNote(el, v);
}

/** unmark forgets el's tag: it shows something else now. */
export function unmark(el) {
  if (!el) return;
  delete el.dataset.unreachable;
  delete el.dataset.csp;
}

function addCSPNote(el, v) {
  el.dataset.csp = v.directive;
  const note = document.createElement('span');
  note.className = 'csp-note';
  note.textContent = ` The browser reported a CSP violation (${v.directive}) for ${v.origin}: the page's Content-Security-Policy blocked it.`;
  const details = el.querySelector(':scope > .details');
  if (details) details.before(note);
  else el.append(note);
}

/** setApiURL tells which identity API the page's client talks to. */
export function setApiURL(url) {
  try {
    apiURL = new URL(url, location.href).href.replace(/\/+$/, '');
  } catch {
    apiURL = String(url);
  }
}

/** isNetworkFailure: err is the TypeError of a fetch that got no answer. */
export function isNetworkFailure(err) {
  if (!(err instanceof TypeError)) return false;
  return failed.has(err) || NETWORK_MESSAGE.test(err.message || '');
}

/**
 * explain says what likely happened when a call failed without an answer
 * from the server, as {text, origin} (origin: where the request went), or
 * null for any other failure. The error's own message is left to the
 * caller to show beside it.
 */
export function explain(err) {
  if (!isNetworkFailure(err)) return null;
  const url = failed.get(err) || '';
  const origin = originOf(url || apiURL);
  const crossOrigin = origin && origin !== location.origin;
  const causes = [];
  if (crossOrigin) causes.push(`CORS: the identity server must allow this page's origin ${location.origin}`);
  causes.push(`CSP: the page's connect-src must allow ${crossOrigin ? origin : 'it'}`);
  return {
    text: `could not reach ${where(url)}: the server is down, or the browser blocked the request (${causes.join('; ')}). See the browser console for which.`,
    origin,
  };
}

// where is the APIUrl the call went to, or the failed request's URL
// (without query) when it was not under the APIUrl.
function where(url) {
  if (!url) return apiURL || 'the identity server';
  if (apiURL && url.startsWith(apiURL)) return apiURL;
  try {
    const u = new URL(url, location.href);
    return u.origin + u.pathname;
  } catch {
    return url;
  }
}

function urlOf(input) {
  try {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input && input.url;
    return new URL(raw, location.href).href;
  } catch {
    return '';
  }
}

function originOf(url) {
  try {
    const o = new URL(url, location.href).origin;
    return o === 'null' ? '' : o;
  } catch {
    return '';
  }
}

// The playground: loads the client, runs the method a button names,
// completes the links that come back to the page (mail and OAuth), and
// logs the session's events (gotrue-wasm's gotrue.on).

import { $, setStatus, enableCalls, track, note, setOutcome, outcomeFor, clearStaleOutcomes } from './ui.js';
import { short, redact } from './format.js';
import { showUser, showStorage, tick, markRefresh } from './session.js';
import { startMailbox, pollSoon, onPaste } from './mailbox.js';
import { route, clearHash } from './links.js';
import { makeCalls } from './calls.js';
import { listen, logEvent, startEventLog } from './events.js';
import { watchNetwork, setApiURL } from './network.js';

const CLIENT_MODULE = '/js/gotrue.mjs';
const PROVIDERS = ['github', 'gitlab', 'google', 'bitbucket'];
const PROVIDER_NAMES = { github: 'GitHub', gitlab: 'GitLab', google: 'Google', bitbucket: 'Bitbucket' };

let mod = null; // the client module: default GoTrue, named User, …
let gotrue = null; // the GoTrue instance the buttons use
let user = null; // the user the page shows
let shownSession; // who the outcomes were last written for (sessionKey), once known
// What the loaded client has beyond gotrue-js 1.0.1 (all false for the
// reference): events (gotrue.on/off, and the autoRefresh option),
// redirect (handleRedirect), admin (inviteUser, listUsers({page, …})).
let features = { events: false, redirect: false, admin: false };
const calls = makeCalls(() => gotrue, (f) => features[f]);

main();

async function main() {
  watchNetwork(); // before the client loads: to explain "Failed to fetch"
  showStorage();
  startMailbox();
  setInterval(tick, 1000);
  document.addEventListener('submit', onSubmit);
  window.addEventListener('hashchange', completeLink);
  window.addEventListener('storage', (e) => {
    // Another tab logged in or out: the client re-reads storage. In a task
    // of its own, after every storage listener: gotrue-wasm's own (added
    // when it loads, so after this one) compares the saved entry with the
    // user in memory to fire login / logout / token_refresh, and a
    // currentUser() before it would already hold the new user, leaving it
    // nothing to report.
    if (e.key !== 'gotrue.user' && e.key !== null) return;
    setTimeout(() => {
      showStorage();
      if (gotrue) setUser(gotrue.currentUser());
    }, 0);
  });
  $('accept-token').addEventListener('input', renderAcceptLinks);
  startEventLog();

  if (!(await loadClient())) return;
  features = detectFeatures();
  createClient();
  // The one currentUser() call the page makes on its own, as the widget
  // does at start: later calls would change what setCookie sends.
  setUser(gotrue.currentUser());
  enableCalls(true);
  applyFeatures();
  completeLink();
}

/** detectFeatures reads what the loaded module has beyond gotrue-js. */
function detectFeatures() {
  const proto = mod.default.prototype || {};
  const Admin = mod.Admin || mod.default.Admin;
  return {
    events: typeof proto.on === 'function' && typeof proto.off === 'function',
    redirect: typeof proto.handleRedirect === 'function',
    admin: typeof Admin === 'function' && typeof Admin.prototype.inviteUser === 'function',
  };
}

/**
 * applyFeatures enables the gotrue-wasm-only controls ([data-needs]) the
 * client supports and disables the others, their badges saying so.
 */
function applyFeatures() {
  const why = 'gotrue-wasm only: the loaded client lacks it';
  for (const el of document.querySelectorAll('[data-needs]')) {
    const ok = Boolean(features[el.dataset.needs]);
    el.disabled = !ok;
    if (!ok) el.title = why;
  }
  for (const badge of document.querySelectorAll('.only[data-feature]')) {
    if (features[badge.dataset.feature]) delete badge.dataset.missing;
    else {
      badge.dataset.missing = '';
      badge.title = why;
    }
  }
  if (!features.redirect) {
    const outcome = outcomeFor($('redirect-button'));
    outcome.dataset.state = 'unsupported';
    outcome.textContent = 'gotrue-wasm only: this client has no handleRedirect(). Mailbox links still work: they come back to the page.';
  }
  onPaste(features.redirect ? pasteLink : null);
}

// pasteLink puts a mailbox link into the Paste a mail link card.
function pasteLink(url) {
  const input = $('redirect-url');
  input.value = url;
  $('card-redirect').scrollIntoView({ block: 'center', behavior: 'smooth' });
  $('redirect-button').focus({ preventScroll: true });
}

// onAuthEvent logs an event of gotrue.on and shows the user it brings:
// a login in another tab, or an auto-refresh, shows at once.
function onAuthEvent(name, u) {
  logEvent(name, u);
  if (name === 'logout') setUser(null);
  else if (isUser(u)) setUser(u);
  if (name === 'token_refresh') markRefresh();
  showStorage();
}

/** clientModule is /js/gotrue.mjs, or ?client=/path.mjs on this origin. */
function clientModule() {
  const asked = new URLSearchParams(location.search).get('client');
  return asked && /^\/(?!\/)[\w\-./]*\.m?js$/.test(asked) ? asked : CLIENT_MODULE;
}

async function loadClient() {
  const url = clientModule();
  const started = performance.now();
  const what = url === CLIENT_MODULE ? 'gotrue.wasm' : url;
  const slow = setInterval(() => {
    const s = Math.round((performance.now() - started) / 1000);
    setStatus('loading', `Loading ${what}… (${s} s)`);
  }, 1000);
  try {
    mod = await import(url);
    // A loader may resolve its import before the wasm runs and expose
    // readiness as a promise instead.
    if (mod.ready && typeof mod.ready.then === 'function') await mod.ready;
    if (typeof mod.default !== 'function') throw new TypeError(`${url} has no default export (the GoTrue class)`);
    const ms = Math.round(performance.now() - started);
    setStatus('ready', `Ready: ${what} loaded in ${ms} ms.`);
    return true;
  } catch (err) {
    console.error(err);
    setStatus(
      'error',
      `Could not load the client from ${url}: ${(err && err.message) || err}. ` +
        'Is the dev server running with a built js/ folder (make wasm)? Reload to try again.',
    );
    return false;
  } finally {
    clearInterval(slow);
  }
}

/** createClient makes the GoTrue instance from the Client form. */
function createClient() {
  const GoTrue = mod.default;
  const options = { APIUrl: $('config-apiurl').value.trim() || '/.netlify/identity', setCookie: $('config-setcookie').checked };
  const audience = $('config-audience').value.trim();
  if (audience) options.audience = audience;
  if (features.events && $('config-autorefresh').checked) options.autoRefresh = true;
  gotrue = new GoTrue(options);
  setApiURL(options.APIUrl);
  window.gotrue = gotrue; // for the console and end-to-end tests
  listen(gotrue, onAuthEvent); // and no longer to the previous client
  renderExternalLinks(PROVIDERS);
  renderAcceptLinks();
  // Show only the providers the server enables; quietly, it is not a call
  // the visitor asked for.
  gotrue
    .settings()
    .then((s) => renderExternalLinks(PROVIDERS.filter((p) => s && s.external && s.external[p])))
    .catch(() => {});
  return { options, api: gotrue.api };
}

async function onSubmit(e) {
  e.preventDefault();
  const button = e.submitter;
  const name = button && button.dataset.call;
  if (!name || !gotrue) return;
  const outcome = outcomeFor(button); // the line right after the form's buttons
  if (name === 'newClient') {
    const r = await track('newClient', 'new GoTrue(options)', async () => createClient(), { button, outcome });
    if (r.ok) setUser(gotrue.currentUser(), outcome); // what an app does with a new client
    return;
  }
  await run(name, calls[name](), { button, outcome });
}

/** run tracks one call, then refreshes what it may have changed. */
async function run(name, spec, where) {
  const r = await track(name, spec.label, spec.run, where);
  if (r.ok) {
    if (spec.after) spec.after(r.value);
    adoptUser(name, r.value);
    if (spec.summary) {
      const s = spec.summary(r.value);
      const { state, text } = typeof s === 'string' ? { state: 'ok', text: s } : s;
      setOutcome(where.outcome, state, `${state === 'error' ? '✗' : '✓'} ${text} · ${r.ms} ms`);
    }
  }
  // The call's own outcome describes any change of session it made.
  if (user && !tokenOf(user)) setUser(null, where.outcome); // a failed refresh clears the session
  else setUser(user, where.outcome);
  showStorage();
  if (spec.mails) pollSoon();
  return r;
}

// What each call says about who is logged in.
function adoptUser(name, value) {
  if (isUser(value)) user = value;
  else if (name === 'handleRedirect' && value && isUser(value.user)) user = value.user;
  else if (['currentUser', 'validateCurrentSession'].includes(name)) user = value || null;
  else if (['logout', 'clearSession'].includes(name)) user = null;
}

function isUser(v) {
  if (!v || typeof v !== 'object') return false;
  if (typeof mod.User === 'function' && v instanceof mod.User) return true;
  return typeof v.jwt === 'function' && 'token' in v;
}

function tokenOf(u) {
  try {
    return u.tokenDetails();
  } catch {
    return u.token;
  }
}

/**
 * setUser shows u as the current user. When that changes who is logged
 * in (a login, a logout, another user, also from another tab), the
 * outcomes written for the session before are cleared, except keep: the
 * outcome of the call that made the change.
 */
function setUser(u, keep = null) {
  user = u || null;
  const key = sessionKey(user);
  if (shownSession !== undefined && key !== shownSession) clearStaleOutcomes(keep);
  shownSession = key;
  showUser(user);
}

// sessionKey names who is logged in: '' for nobody.
function sessionKey(u) {
  return u ? String(u.id || u.email || 'user') : '';
}

// Links that come back to the page, completed the way
// netlify-identity-widget does; the hash is cleared first so a token
// never lingers in the address bar or the history.
async function completeLink() {
  const r = route(location.hash);
  if (!r || !gotrue) return;
  clearHash();
  const remember = $('links-remember').checked;
  const outcomeOf = (id) => outcomeFor($(id));

  switch (r.kind) {
    case 'confirmation':
      await run('confirm', calls.confirm(r.token, remember), { outcome: outcomeOf('confirm-button') });
      break;
    case 'recovery': {
      const res = await run('recover', calls.recover(r.token, remember), { outcome: outcomeOf('recover-button') });
      if (res.ok) {
        $('update-password').focus();
        setOutcome(outcomeOf('update-button'), 'note', 'Logged in with the recovery link: choose a new password here.');
      }
      break;
    }
    case 'invite':
      $('accept-token').value = r.token;
      renderAcceptLinks();
      note('ok', 'Invitation link opened: choose a password and press “Accept invite”, or accept with a provider.', {
        invite_token: short(r.token),
      });
      $('accept-card').scrollIntoView({ block: 'center' });
      $('accept-password').focus();
      break;
    case 'email_change':
      if (gotrue.currentUser()) {
        await run('emailChange', calls.emailChange(r.token), { outcome: outcomeOf('email-change-button') });
      } else {
        $('email-change-token').value = r.token;
        note('error', 'Email change link opened while logged out: log in, then press “Confirm email change”.', {
          email_change_token: short(r.token),
        });
      }
      break;
    case 'external':
      await run('externalLogin', calls.createUserFromParams(r.params, remember), { outcome: outcomeOf('external-links') });
      break;
    case 'error':
      note('error', `External login failed: ${r.error}${r.description ? ': ' + r.description : ''}`, redact(r));
      break;
  }
}

function renderExternalLinks(providers) {
  const list = $('external-links');
  if (!providers.length) {
    list.replaceChildren(item(null, 'No external provider is enabled on this server.'));
    return;
  }
  list.replaceChildren(...providers.map((p) => item(link(`external-${p}`, gotrue.loginExternalUrl(p), p))));
}

function renderAcceptLinks() {
  const list = $('accept-external-links');
  const token = $('accept-token').value.trim();
  if (!gotrue || !token) {
    list.replaceChildren(item(null, 'Enter an invite token first.'));
    return;
  }
  list.replaceChildren(
    ...PROVIDERS.map((p) => item(link(`accept-external-${p}`, gotrue.acceptInviteExternalUrl(p, token), p))),
  );
}

// link shows the provider's name and the URL with any token cut short;
// the href keeps the whole URL.
function link(id, href, provider) {
  const a = document.createElement('a');
  a.id = id;
  a.href = href;
  const name = document.createElement('strong');
  name.textContent = PROVIDER_NAMES[provider] || provider;
  const url = document.createElement('code');
  url.textContent = redact(href);
  a.append(name, ' ', url);
  return a;
}

function item(child, text) {
  const li = document.createElement('li');
  if (child) li.append(child);
  else {
    li.className = 'hint';
    li.textContent = text;
  }
  return li;
}

// The session panels: who is logged in, the access token's countdown and
// the raw localStorage entry gotrue-js keeps.

import { $ } from './ui.js';
import { clock, redact, pretty } from './format.js';

const STORAGE_KEY = 'gotrue.user';
const EXPIRY_MARGIN_S = 60; // jwt() refreshes this long before expiry (docs/behaviour.md §4.3)

let user = null;
let refreshedAt = null; // when the shown user's token last changed (token_refresh)

/** showUser renders the current user (or nobody) and keeps it for the countdown. */
export function showUser(u) {
  if (!u || !user || u.email !== user.email) refreshedAt = null;
  user = u || null;
  const box = $('current-user');
  if (!user) {
    box.dataset.state = 'anonymous';
    delete box.dataset.email;
    box.replaceChildren(hint('Nobody. Sign up or log in.'));
    $('whoami').textContent = 'Not logged in.';
    tick();
    return;
  }
  box.dataset.state = 'user';
  box.dataset.email = user.email || '';
  const roles = (user.app_metadata && user.app_metadata.roles) || [];
  const meta = user.user_metadata || {};
  const rows = [
    ['Email', user.email],
    ['Name', meta.full_name],
    ['Id', user.id],
    ['Roles', roles.length ? roles.join(', ') : '(none)'],
    ['Provider', user.app_metadata && user.app_metadata.provider],
    ['Confirmed', user.confirmed_at || 'not yet'],
    ['Pending email', user.new_email],
    ['Session', localStorage.getItem(STORAGE_KEY) ? 'saved in localStorage' : 'in memory only'],
  ];
  const dl = document.createElement('dl');
  for (const [k, v] of rows) {
    if (v === undefined || v === null || v === '') continue;
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = String(v);
    dl.append(dt, dd);
  }
  box.replaceChildren(dl);
  $('whoami').textContent = `Logged in as ${user.email}${roles.includes('admin') ? ' (admin)' : ''}.`;
  tick();
}

function hint(text) {
  const p = document.createElement('p');
  p.className = 'hint';
  p.textContent = text;
  return p;
}

function tokenOf(u) {
  if (!u) return null;
  try {
    return typeof u.tokenDetails === 'function' ? u.tokenDetails() : u.token;
  } catch {
    return u.token || null;
  }
}

/** markRefresh notes a token_refresh: the countdown jumps back, and flashes. */
export function markRefresh() {
  refreshedAt = new Date();
  const el = $('token-expiry');
  el.classList.remove('jumped');
  void el.offsetWidth; // restart the animation
  el.classList.add('jumped');
  tick();
}

/** tick updates the countdown; runs every second. */
export function tick() {
  const el = $('token-expiry');
  const token = tokenOf(user);
  if (!token || typeof token.expires_at !== 'number') {
    el.textContent = user ? 'No token.' : '';
    el.dataset.state = 'none';
    return;
  }
  const left = (token.expires_at - Date.now()) / 1000;
  let text;
  if (left <= 0) {
    el.dataset.state = 'expired';
    text = `Access token expired ${clock(-left)} ago: the next jwt() refreshes it.`;
  } else if (left <= EXPIRY_MARGIN_S) {
    el.dataset.state = 'margin';
    text = `Access token expires in ${clock(left)}: inside the ${EXPIRY_MARGIN_S} s margin, so the next jwt() refreshes it.`;
  } else {
    el.dataset.state = 'valid';
    text = `Access token expires in ${clock(left)}; jwt() refreshes it in ${clock(left - EXPIRY_MARGIN_S)} (${EXPIRY_MARGIN_S} s margin).`;
  }
  if (refreshedAt) text += ` Refreshed at ${refreshedAt.toLocaleTimeString()}.`;
  el.textContent = text;
  if (token.expires_in) {
    const meter = document.createElement('meter');
    meter.min = 0;
    meter.max = token.expires_in;
    meter.low = EXPIRY_MARGIN_S + 1;
    meter.optimum = token.expires_in;
    meter.value = Math.max(0, left);
    meter.setAttribute('aria-label', 'Time left on the access token');
    el.append(meter);
  }
}

/** showStorage prints localStorage["gotrue.user"] with its tokens cut short. */
export function showStorage() {
  const el = $('storage');
  const raw = localStorage.getItem(STORAGE_KEY);
  if (raw === null) {
    el.dataset.state = 'empty';
    el.textContent = '(empty: nothing saved. Log in with "remember" to save a session.)';
    return;
  }
  try {
    el.textContent = pretty(redact(JSON.parse(raw)));
    el.dataset.state = 'saved';
  } catch {
    // Not JSON: show its size only, the text may hold a token.
    el.dataset.state = 'invalid';
    el.textContent = `(not valid JSON: ${raw.length} characters)`;
  }
}

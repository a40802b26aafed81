// The page's output: the loader status, the result panel, each form's
// outcome line and the call history.

import { errorFields, errorLine, present, pretty } from './format.js';
import { explain, markUnreachable, unmark } from './network.js';

export const $ = (id) => document.getElementById(id);

/** setStatus shows the loader state (loading | ready | error). */
export function setStatus(state, text) {
  const el = $('status');
  el.dataset.state = state;
  el.replaceChildren();
  if (state === 'loading') {
    const spin = document.createElement('span');
    spin.className = 'spinner';
    spin.setAttribute('aria-hidden', 'true');
    el.append(spin, ' ');
  }
  el.append(text);
}

/** enableCalls turns on every method button once a client exists. */
export function enableCalls(on) {
  for (const b of document.querySelectorAll('[data-call]')) b.disabled = !on;
}

/**
 * track runs one call and reports it everywhere: the result panel, the
 * form's outcome line and the history. label is the call as JS source,
 * secrets already masked. Resolves to {ok: true, value, ms} or
 * {ok: false, error, ms}.
 */
export async function track(method, label, fn, { button, outcome } = {}) {
  const result = $('result');
  result.dataset.state = 'pending';
  result.dataset.method = method;
  result.setAttribute('aria-busy', 'true');
  delete result.dataset.errorClass;
  unmark($('result-title'));
  $('result-title').textContent = `${label} …`;
  $('result-json').textContent = '';
  if (button) {
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
  }
  setOutcome(outcome, 'pending', `${label} …`);

  const started = performance.now();
  try {
    const value = await fn();
    const ms = Math.round(performance.now() - started);
    show('ok', `✓ ${label} resolved in ${ms} ms`, present(value));
    setOutcome(outcome, 'ok', `✓ resolved in ${ms} ms`);
    remember('ok', label, ms);
    return { ok: true, value, ms };
  } catch (err) {
    const ms = Math.round(performance.now() - started);
    // A fetch without an answer says only "Failed to fetch": say what
    // likely happened, and keep the browser's own words beside it.
    const why = explain(err);
    const line = why ? `${why.text} (${errorLine(err)})` : errorLine(err);
    const fields = errorFields(err);
    show('error', `✗ ${label} rejected after ${ms} ms: ${line}`, why ? { explanation: why.text, ...fields } : fields);
    result.dataset.errorClass = fields.class || fields.name || '';
    setOutcome(outcome, 'error', `✗ ${line}`);
    if (why) {
      markUnreachable($('result-title'), why.origin);
      markUnreachable(outcome, why.origin);
    }
    remember('error', label, ms, line);
    console.error(`${label} rejected:`, fields);
    return { ok: false, error: err, ms };
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }
}

function show(state, title, value) {
  $('result').dataset.state = state;
  $('result').removeAttribute('aria-busy');
  unmark($('result-title'));
  $('result-title').textContent = title;
  $('result-json').textContent = pretty(value);
}

/** note puts a message in the result panel that is not a call. */
export function note(state, title, value) {
  $('result').dataset.method = 'note';
  show(state, title, value);
}

/**
 * outcomeFor is the outcome line of a control: the p.outcome of its own
 * form, right after the form's buttons (a card with several forms has one
 * per form), or of its card when the card has no form.
 */
export function outcomeFor(el) {
  const scope = el && el.closest('form, .card');
  return scope ? scope.querySelector('.outcome') : null;
}

/** setOutcome sets an outcome line (pending | ok | error | note). */
export function setOutcome(el, state, text) {
  if (!el) return;
  unmark(el);
  el.dataset.state = state;
  el.replaceChildren(text);
  if (state === 'ok' || state === 'error') {
    // On a narrow page the result panel is far below: point to it (the
    // stylesheet hides the link where the panel is beside the methods).
    const details = document.createElement('span');
    details.className = 'details';
    const a = document.createElement('a');
    a.href = '#result-panel';
    a.textContent = 'details';
    details.append(' · ', a);
    el.append(details);
  }
}

/**
 * clearStaleOutcomes empties the outcome lines a change of session (a
 * login, a logout, another user, also from another tab) made stale:
 * every error (it was about the state before: "Email not confirmed",
 * "Nobody is logged in") and whatever the forms marked data-bound said
 * (user-bound answers, logins of the previous session). keep is the
 * outcome of the call that made the change, which describes it; lines of
 * calls still pending, and "unsupported" lines, stay too.
 */
export function clearStaleOutcomes(keep) {
  for (const el of document.querySelectorAll('.outcome[data-state]')) {
    const state = el.dataset.state;
    if (el === keep || state === 'pending' || state === 'unsupported') continue;
    if (state === 'error' || el.closest('[data-bound]')) {
      el.replaceChildren();
      delete el.dataset.state;
      unmark(el);
    }
  }
}

const MAX_HISTORY = 20;

function remember(state, label, ms, why = '') {
  const li = document.createElement('li');
  li.dataset.state = state;
  const time = new Date().toLocaleTimeString();
  li.textContent = `${time} ${state === 'ok' ? '✓' : '✗'} ${label} · ${ms} ms${why ? ' · ' + why : ''}`;
  const list = $('history');
  list.prepend(li);
  while (list.children.length > MAX_HISTORY) list.lastElementChild.remove();
}

// The page's output: the loader status, the result panel, each form's
// outcome line and the call history.

import { errorFields, errorLine, present, pretty } from './format.js';

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
    const line = errorLine(err);
    const fields = errorFields(err);
    show('error', `✗ ${label} rejected after ${ms} ms: ${line}`, fields);
    result.dataset.errorClass = fields.class || fields.name || '';
    setOutcome(outcome, 'error', `✗ ${line}`);
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
  $('result-title').textContent = title;
  $('result-json').textContent = pretty(value);
}

/** note puts a message in the result panel that is not a call. */
export function note(state, title, value) {
  $('result').dataset.method = 'note';
  show(state, title, value);
}

/** setOutcome sets a card's outcome line (pending | ok | error). */
export function setOutcome(el, state, text) {
  if (!el) return;
  el.dataset.state = state;
  el.replaceChildren(text);
  if (state !== 'pending' && window.matchMedia('(max-width: 899px)').matches) {
    // On a phone the result panel is far below: point to it.
    const a = document.createElement('a');
    a.href = '#result-panel';
    a.textContent = 'details';
    el.append(' · ', a);
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

// The Events panel: what gotrue.on() reports about the session (gotrue-wasm
// only), newest first, including what another tab of this origin did.

import { $ } from './ui.js';

export const EVENTS = ['login', 'logout', 'token_refresh', 'user_update'];
const MAX_EVENTS = 50;

let stop = () => {};

/**
 * listen subscribes onEvent(name, user) to the four events of client, after
 * unsubscribing from the previous client's. Reports whether the client has
 * gotrue.on (the reference gotrue-js has not).
 */
export function listen(client, onEvent) {
  stop();
  stop = () => {};
  if (!client || typeof client.on !== 'function') {
    setStatus('gotrue-wasm only: this client has none, so there is nothing to show.');
    return false;
  }
  const stops = EVENTS.map((name) => client.on(name, (u) => onEvent(name, u)));
  stop = () => {
    for (const s of stops) if (typeof s === 'function') s();
  };
  setStatus(`${EVENTS.join(', ')} of the page's client, from this tab and the others, newest first.`);
  return true;
}

function setStatus(text) {
  $('events-status').textContent = text;
}

/** logEvent adds one event to the top of the log. */
export function logEvent(name, user) {
  const li = document.createElement('li');
  li.dataset.event = name;
  const time = document.createElement('time');
  const now = new Date();
  time.dateTime = now.toISOString();
  time.textContent = now.toLocaleTimeString();
  const what = document.createElement('strong');
  what.textContent = name;
  li.append(time, ' ', what);
  const email = user && typeof user === 'object' ? user.email : '';
  if (email) {
    li.dataset.email = email;
    const who = document.createElement('span');
    who.className = 'event-email';
    who.textContent = email;
    li.append(' ', who);
  }
  const list = $('event-log');
  list.prepend(li);
  while (list.children.length > MAX_EVENTS) list.lastElementChild.remove();
  list.dataset.count = String(list.children.length);
}

/** startEventLog wires the Clear button. */
export function startEventLog() {
  $('event-log-clear-button').addEventListener('click', () => {
    const list = $('event-log');
    list.replaceChildren();
    list.dataset.count = '0';
  });
}

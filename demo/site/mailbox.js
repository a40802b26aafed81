// The mailbox panel: polls the local identity server's /mailbox and lists
// the mails with their links (tokens shown cut short).

import { $ } from './ui.js';
import { short } from './format.js';
import { sameOriginLink } from './links.js';

const POLL_MS = 2000;
const ACTIONS = {
  confirmation: 'Confirm your email address',
  recovery: 'Reset your password',
  invite: 'Accept the invite',
  email_change: 'Confirm the new email address',
};

let lastJSON = '';
let timer = 0;

/** startMailbox polls until the server says there is no local mailbox. */
export function startMailbox() {
  $('mailbox-clear-button').addEventListener('click', clear);
  poll();
}

/** pollSoon checks at once, e.g. right after a call that sends a mail. */
export function pollSoon() {
  if (timer) {
    clearTimeout(timer);
    poll();
  }
}

async function poll() {
  timer = 0;
  let delay = POLL_MS;
  try {
    const res = await fetch('/mailbox', { cache: 'no-store' });
    const body = await res.json().catch(() => null);
    if (res.status === 404) {
      setStatus((body && body.msg) || 'No local mailbox.');
      $('mailbox-clear-button').hidden = true;
      return; // proxy mode: real mails, nothing to poll
    }
    if (!res.ok || !Array.isArray(body)) throw new Error(`answered ${res.status}`);
    render(body);
  } catch (err) {
    setStatus(`Mailbox unreachable (${err.message}); retrying.`);
    delay = POLL_MS * 3;
  }
  timer = setTimeout(poll, delay);
}

function setStatus(text) {
  const el = $('mailbox-status');
  if (el.textContent !== text) el.textContent = text;
}

function render(mails) {
  const json = JSON.stringify(mails);
  if (json === lastJSON) return; // keep focus and scroll while nothing changed
  lastJSON = json;
  const list = $('mailbox');
  list.dataset.count = String(mails.length);
  list.replaceChildren(...mails.slice().reverse().map(item));
  setStatus(mails.length ? `${mails.length} mail${mails.length > 1 ? 's' : ''}, newest first.` : 'No mail yet.');
}

function item(m) {
  const li = document.createElement('li');
  li.dataset.kind = m.kind;
  li.dataset.to = m.to;
  const head = document.createElement('p');
  head.className = 'mail-head';
  const subject = document.createElement('strong');
  subject.textContent = m.subject;
  head.append(subject, ` to ${m.to}`);
  const meta = document.createElement('p');
  meta.className = 'hint';
  meta.textContent = `${new Date(m.sent_at).toLocaleTimeString()} · ${m.kind} token ${short(m.token)}`;
  const a = document.createElement('a');
  a.className = 'mail-link';
  a.href = sameOriginLink(m.link);
  a.textContent = ACTIONS[m.kind] || 'Open the link';
  li.append(head, meta, a);
  return li;
}

async function clear() {
  await fetch('/mailbox', { method: 'DELETE' }).catch(() => {});
  lastJSON = '';
  pollSoon();
}

// The mailbox panel: polls the local identity server's /mailbox and lists
// the mails with their links (tokens shown cut short), each with a "paste"
// button that hands its link to the Paste a mail link card.

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
let paste = null; // (url) => void, or null while the client cannot handle links

/** startMailbox polls until the server says there is no local mailbox. */
export function startMailbox() {
  $('mailbox-clear-button').addEventListener('click', clear);
  $('mailbox').addEventListener('click', (e) => {
    const button = e.target.closest('button.mail-paste');
    const link = button && button.closest('li').querySelector('a.mail-link');
    if (link && paste) paste(link.href);
  });
  poll();
}

/**
 * onPaste sets what the "paste" buttons do with a mail's link (absolute
 * URL); null disables them (a client without handleRedirect).
 */
export function onPaste(fn) {
  paste = fn;
  for (const b of document.querySelectorAll('#mailbox button.mail-paste')) setPasteButton(b);
}

function setPasteButton(b) {
  b.disabled = !paste;
  b.title = paste ? 'Put this link into “Paste a mail link”' : 'gotrue-wasm only: this client has no handleRedirect()';
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
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'mail-paste quiet';
  button.dataset.needs = 'redirect';
  button.textContent = 'paste';
  button.setAttribute('aria-label', `Paste the link of “${m.subject}” to ${m.to} into Paste a mail link`);
  setPasteButton(button);
  const actions = document.createElement('p');
  actions.className = 'mail-actions';
  actions.append(a, button);
  li.append(head, meta, actions);
  return li;
}

async function clear() {
  await fetch('/mailbox', { method: 'DELETE' }).catch(() => {});
  lastJSON = '';
  pollSoon();
}

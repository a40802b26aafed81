// Every method the playground can call. Each entry reads its form and
// returns {label, run, after?, summary?, mails?}: label is the call as JS
// with secrets masked, run performs it, after sees the resolved value,
// summary(value) is the card's outcome line instead of "resolved in …"
// (a string, or {state, text}), mails says the call may have sent a mail.

import { $ } from './ui.js';
import { mask, redact, short } from './format.js';

const text = (id) => $(id).value.trim();
const secret = (id) => $(id).value; // passwords are used as typed
const checked = (id) => $(id).checked;
const q = (v) => JSON.stringify(v);

/**
 * makeCalls builds the table; client() is the current GoTrue instance and
 * has(feature) says whether it has a gotrue-wasm addition ('events',
 * 'redirect', 'admin').
 */
export function makeCalls(client, has = () => false) {
  const user = () => {
    const u = client().currentUser();
    if (!u) throw new Error('Nobody is logged in: gotrue.currentUser() is null. Log in first.');
    return u;
  };
  const adminTarget = () => {
    const id = text('admin-user-id');
    if (!id) throw new Error('Enter a user id (List users fills the suggestions).');
    return { id };
  };

  return {
    settings: () => ({ label: 'gotrue.settings()', run: () => client().settings() }),

    signup: () => {
      const email = text('signup-email');
      const password = secret('signup-password');
      const name = text('signup-name');
      const data = name ? { full_name: name } : undefined;
      return {
        label: `gotrue.signup(${q(email)}, ${q(mask(password))}${data ? ', ' + q(data) : ''})`,
        run: () => client().signup(email, password, data),
        mails: true,
      };
    },

    confirm: (token = text('confirm-token'), remember = checked('confirm-remember')) => ({
      label: `gotrue.confirm(${q(short(token))}, ${remember})`,
      run: () => client().confirm(token, remember),
    }),

    login: () => {
      const email = text('login-email');
      const password = secret('login-password');
      const remember = checked('login-remember');
      return {
        label: `gotrue.login(${q(email)}, ${q(mask(password))}, ${remember})`,
        run: () => client().login(email, password, remember),
      };
    },

    requestPasswordRecovery: () => {
      const email = text('recovery-email');
      return {
        label: `gotrue.requestPasswordRecovery(${q(email)})`,
        run: () => client().requestPasswordRecovery(email),
        mails: true,
      };
    },

    recover: (token = text('recover-token'), remember = checked('recover-remember')) => ({
      label: `gotrue.recover(${q(short(token))}, ${remember})`,
      run: () => client().recover(token, remember),
    }),

    // user.admin.inviteUser (gotrue-wasm); gotrue-js has no method for
    // POST /invite: user._request sends it with the user's token.
    invite: () => {
      const email = text('invite-email');
      if (has('admin')) {
        const name = text('invite-name');
        const data = name ? { full_name: name } : undefined;
        return {
          label: `user.admin.inviteUser(${q(email)}${data ? ', ' + q(data) : ''})`,
          run: () => user().admin.inviteUser(email, data),
          summary: (u) => `invited ${(u && u.email) || email}: the mail is in the mailbox`,
          mails: true,
        };
      }
      return {
        label: `user._request('/invite', {method: 'POST', body: ${q(JSON.stringify({ email }))}})`,
        run: () => user()._request('/invite', { method: 'POST', body: JSON.stringify({ email }) }),
        mails: true,
      };
    },

    // A pasted mail link or OAuth callback URL (gotrue-wasm only).
    handleRedirect: () => {
      const url = text('redirect-url');
      const remember = checked('redirect-remember');
      return {
        label: `gotrue.handleRedirect(${q(redact(url))}, ${remember})`,
        run: async () => {
          if (!url) throw new Error('Paste a mail link or an OAuth callback URL first (the mailbox has “paste” buttons).');
          return client().handleRedirect(url, remember);
        },
        after: (res) => {
          if (!res) return; // nothing used: keep the link to fix it
          $('redirect-url').value = ''; // its token is spent (or moved)
          if (res.type === 'invite' && res.token) {
            $('accept-token').value = res.token;
            $('accept-token').dispatchEvent(new Event('input')); // the provider links
          }
        },
        summary: redirectSummary,
      };
    },

    // Any route, through gotrue.api.request (no token) or the current
    // user's _request (with its token).
    rawRequest: () => {
      const path = text('raw-path') || '/settings';
      const method = $('raw-method').value;
      const asUser = checked('raw-as-user');
      const opts = method === 'GET' ? {} : { method };
      return {
        label: asUser ? `user._request(${q(path)}, ${q(opts)})` : `gotrue.api.request(${q(path)}, ${q(opts)})`,
        run: () => (asUser ? user()._request(path, opts) : client().api.request(path, opts)),
      };
    },

    recoverSession: () => ({
      label: 'User.recoverSession(gotrue.api)',
      run: async () => client().constructor.User.recoverSession(client().api),
    }),

    acceptInvite: () => {
      const token = text('accept-token');
      const password = secret('accept-password');
      const remember = checked('accept-remember');
      return {
        label: `gotrue.acceptInvite(${q(short(token))}, ${q(mask(password))}, ${remember})`,
        run: () => client().acceptInvite(token, password, remember),
      };
    },

    // OAuth callback params (#access_token=…) become a user.
    createUserFromParams: (params, remember) => ({
      label: `gotrue.createUser({access_token: ${q(short(params.access_token || ''))}, …}, ${remember})`,
      run: () => client().createUser(params, remember),
    }),

    currentUser: () => ({ label: 'gotrue.currentUser()', run: async () => client().currentUser() }),

    validateCurrentSession: () => ({
      label: 'gotrue.validateCurrentSession()',
      run: () => client().validateCurrentSession(),
    }),

    getUserData: () => ({ label: 'user.getUserData()', run: () => user().getUserData() }),
    tokenDetails: () => ({ label: 'user.tokenDetails()', run: async () => user().tokenDetails() }),
    jwt: () => ({ label: 'user.jwt()', run: () => user().jwt() }),
    jwtForce: () => ({ label: 'user.jwt(true)', run: () => user().jwt(true) }),
    logout: () => ({ label: 'user.logout()', run: () => user().logout() }),
    clearSession: () => ({ label: 'user.clearSession()', run: async () => user().clearSession() }),

    update: () => {
      const attrs = {};
      const name = text('update-name');
      const email = text('update-email');
      const password = secret('update-password');
      if (name) attrs.data = { full_name: name };
      if (email) attrs.email = email;
      if (password) attrs.password = password;
      const shown = { ...attrs, ...(password ? { password: mask(password) } : {}) };
      return {
        label: `user.update(${q(shown)})`,
        run: () => user().update(attrs),
        after: () => {
          $('update-password').value = '';
        },
        mails: Boolean(email),
      };
    },

    emailChange: (token = text('email-change-token')) => ({
      label: `user.update({email_change_token: ${q(short(token))}})`,
      run: () => user().update({ email_change_token: token }),
      after: () => {
        $('email-change-token').value = '';
      },
    }),

    // listUsers(aud) as in gotrue-js, or one page of users
    // (gotrue-wasm) when page, per page or filter is filled in.
    listUsers: () => {
      const aud = text('admin-aud');
      const paged = has('admin') ? pageOptions() : null;
      if (paged) {
        if (aud) paged.aud = aud;
        return {
          label: `user.admin.listUsers(${q(paged)})`,
          run: () => user().admin.listUsers(paged),
          after: (res) => fillUserIds((res && res.users) || []),
          summary: (res) => {
            const n = ((res && res.users) || []).length;
            const total = res && typeof res.total === 'number' ? res.total : '?';
            return `${n} of ${total} users${paged.page ? ` (page ${paged.page})` : ''}`;
          },
        };
      }
      return {
        label: `user.admin.listUsers(${aud ? q(aud) : ''})`,
        run: () => user().admin.listUsers(aud || undefined),
        after: (res) => fillUserIds((res && res.users) || []),
        summary: (res) => {
          const n = ((res && res.users) || []).length;
          return `${n} user${n === 1 ? '' : 's'}`;
        },
      };
    },

    getUser: () => {
      const target = text('admin-user-id');
      return {
        label: `user.admin.getUser({id: ${q(target)}})`,
        run: () => user().admin.getUser(adminTarget()),
      };
    },

    updateUser: () => {
      const target = text('admin-user-id');
      const raw = $('admin-attrs').value;
      return {
        label: `user.admin.updateUser({id: ${q(target)}}, ${shownJSON(raw)})`,
        run: () => {
          const u = user();
          let attrs;
          try {
            attrs = raw.trim() ? JSON.parse(raw) : {};
          } catch (err) {
            throw new SyntaxError(`The attributes are not JSON: ${err.message}`);
          }
          return u.admin.updateUser(adminTarget(), attrs);
        },
      };
    },

    deleteUser: () => {
      const target = text('admin-user-id');
      return {
        label: `user.admin.deleteUser({id: ${q(target)}})`,
        run: () => user().admin.deleteUser(adminTarget()),
      };
    },

    createUser: () => {
      const email = text('admin-create-email');
      const password = secret('admin-create-password');
      const attrs = { confirm: checked('admin-create-confirm') };
      return {
        label: `user.admin.createUser(${q(email)}, ${q(mask(password))}, ${q(attrs)})`,
        run: () => user().admin.createUser(email, password, attrs),
        after: (created) => {
          if (created && created.id) $('admin-user-id').value = created.id;
        },
      };
    },
  };
}

// pageOptions reads the Admin card's page, per page and filter: null when
// all three are empty.
function pageOptions() {
  const opts = {};
  const page = $('admin-page').value.trim();
  const perPage = $('admin-per-page').value.trim();
  const filter = text('admin-filter');
  if (page) opts.page = Number(page);
  if (perPage) opts.perPage = Number(perPage);
  if (filter) opts.filter = filter;
  return Object.keys(opts).length ? opts : null;
}

// redirectSummary is the Paste card's outcome for handleRedirect's answer.
function redirectSummary(res) {
  if (!res) return 'nothing to handle in this link';
  const email = res.user && res.user.email;
  switch (res.type) {
    case 'confirmation':
    case 'external':
      return `${res.type}: logged in as ${email}`;
    case 'recovery':
      return `recovery: logged in as ${email}; choose a new password under Update`;
    case 'invite':
      return 'invite: token ready — fill in Accept invite';
    case 'email_change':
      return `email_change: email is now ${email}`;
    case 'error': {
      const e = res.error;
      return { state: 'error', text: `error: ${(e && e.message) || e}` };
    }
    default:
      return `${res.type}`;
  }
}

// shownJSON is typed JSON for a label, with any password masked.
function shownJSON(raw) {
  try {
    return q(redact(raw.trim() ? JSON.parse(raw) : {}));
  } catch {
    return '(invalid JSON)';
  }
}

function fillUserIds(users) {
  const list = $('admin-user-ids');
  list.replaceChildren(
    ...users.map((u) => {
      const o = document.createElement('option');
      o.value = u.id;
      o.label = u.email;
      return o;
    }),
  );
  if (users.length && !text('admin-user-id')) $('admin-user-id').value = users[0].id;
}

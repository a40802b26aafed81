// Reading the links that come back to the page, as netlify-identity-widget
// does: mail links (#confirmation_token=…, #recovery_token=…,
// #invite_token=…, #email_change_token=…) and the OAuth callback
// (#access_token=…&refresh_token=…, or #error=…).

const TOKEN_ROUTE = /(confirmation|invite|recovery|email_change)_token=([^&]+)/;

/**
 * route parses a location hash into what to do:
 * {kind: 'confirmation'|'invite'|'recovery'|'email_change', token},
 * {kind: 'external', params}, {kind: 'error', error, description}, or null.
 */
export function route(hash) {
  const h = (hash || '').replace(/^#\/?/, '');
  if (!h) return null;
  const m = h.match(TOKEN_ROUTE);
  if (m) return { kind: m[1], token: decode(m[2]) };
  const params = Object.fromEntries(
    h.split('&').map((pair) => {
      const i = pair.indexOf('=');
      return i < 0 ? [decode(pair), ''] : [decode(pair.slice(0, i)), decode(pair.slice(i + 1))];
    }),
  );
  if (params.access_token) return { kind: 'external', params };
  if (params.error) return { kind: 'error', error: params.error, description: params.error_description || '' };
  return null;
}

function decode(s) {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/** clearHash drops the fragment without a reload or a history entry, so a
 * token never stays in the address bar. */
export function clearHash() {
  history.replaceState(null, '', location.pathname + location.search);
}

/** sameOriginLink points a mail link at this page, whatever origin the
 * server put in it (a phone opening the demo by LAN address). */
export function sameOriginLink(link) {
  const i = link.indexOf('#');
  return i < 0 ? link : location.pathname + location.search + link.slice(i);
}

// Turning values into something safe to show: tokens cut to their first
// 8 characters, passwords masked, errors unpacked into their fields.

const JWT = /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/;
// Keys whose string values are credentials.
const SHORTEN = new Set([
  'access_token', 'refresh_token', 'token', 'jwt', 'state',
  'confirmation_token', 'recovery_token', 'invite_token', 'email_change_token',
]);
const MASK = new Set(['password']);
// A token inside a URL or fragment: …_token=VALUE or state=VALUE.
const IN_URL = /((?:_token|state)=)([^&#\s"]+)/g;

/** short shows the first 8 characters of a secret, never the whole. */
export function short(s) {
  return String(s).slice(0, 8) + '…';
}

/** mask hides a password entirely, keeping only whether it was empty. */
export function mask(s) {
  return s ? '••••••' : '';
}

/** redact copies a value as plain JSON data with every secret shortened. */
export function redact(value, key = '', depth = 0) {
  if (typeof value === 'string') {
    if (MASK.has(key)) return mask(value);
    if (SHORTEN.has(key) || JWT.test(value)) return short(value);
    return value.replace(IN_URL, (_, k, v) => k + short(v));
  }
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' ? undefined : value;
  }
  if (value instanceof Error) return errorFields(value); // its fields are not enumerable
  if (depth > 8) return '…';
  if (Array.isArray(value)) return value.map((v) => redact(v, '', depth + 1));
  const out = {};
  // for…in: a User's fields are its own data properties; methods and
  // getters (admin) on the prototype are not enumerable and stay out.
  for (const k in value) {
    const v = value[k];
    if (typeof v !== 'function') out[k] = redact(v, k, depth + 1);
  }
  return out;
}

/** claims reads a JWT's payload (no signature check: display only). */
export function claims(jwt) {
  try {
    const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(part.padEnd(part.length + ((4 - (part.length % 4)) % 4), '='));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0))));
  } catch {
    return null;
  }
}

/** present is what the result panel shows for a resolved value. */
export function present(value) {
  if (value === undefined) return 'undefined';
  if (typeof value === 'string' && JWT.test(value)) {
    const c = claims(value);
    if (c && typeof c.exp === 'number') c.exp_as_date = new Date(c.exp * 1000).toISOString();
    return { jwt: short(value), claims: redact(c) };
  }
  return redact(value);
}

/** errorFields unpacks an HTTPError / TextHTTPError / JSONHTTPError or any throw. */
export function errorFields(err) {
  if (!(err instanceof Object)) return { thrown: redact(String(err)) };
  const out = {
    class: err.constructor && err.constructor.name,
    name: err.name,
    status: err.status,
    message: err.message,
  };
  if ('json' in err) out.json = err.json;
  if ('data' in err) out.data = err.data;
  return redact(out);
}

/** errorLine is the one-line summary of a failure. */
export function errorLine(err) {
  const f = errorFields(err);
  if ('thrown' in f) return f.thrown;
  const cls = f.class || f.name || 'Error';
  return [cls, f.status, f.message].filter((x) => x !== undefined && x !== '').join(' · ');
}

/** pretty is indented JSON, with undefined spelled out. */
export function pretty(value) {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, null, 2);
}

/** clock formats seconds as m:ss or h:mm:ss. */
export function clock(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

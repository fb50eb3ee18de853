/**
 * What may reach a log line. `redact` copies a value for logging with every secret replaced: values
 * under secret-named keys (`userSig`, `sessionToken`, `token`, `secret`, `password`, a login `code`
 * ...), string values that look like a UserSig, a login code or a token (wherever they sit, URL
 * query parameters included), at any depth. Cycles, depth and size are bounded, getters that throw
 * are survived, and an `Error` keeps its name, message and stack (redacted like any string).
 */

export const REDACTED = '[redacted]';

/** Keys whose values never reach a log line. */
const SECRET_KEY =
  /usersig|token|secret|password|passwd|authkey|a2key|signature|^sig$|cookie|credential|privatekey/i;

/** Keys holding a wx.login code or an error code: redacted unless the value is an error code. */
const CODE_KEY = /^(code|logincode|jscode|js_code|wxcode)$/i;

/** An error code as the project writes them (`network`, `usersig-expired`) or a number. */
const ERROR_CODE = /^[a-z][a-z0-9_-]{0,40}$/;

/** `key=value` pairs in URLs and messages whose value is a secret. */
const SECRET_PARAM =
  /\b(usersig|user_sig|sig|token|access_token|session_token|sessiontoken|code|js_code|secret|password)=([^&\s"'#]+)/gi;

/** A run of token characters long enough to be a credential. */
const TOKEN_RUN = /[A-Za-z0-9+/_\-.=*]{24,}/g;

const MAX_DEPTH = 32;
const MAX_NODES = 2_000;
const MAX_STRING = 4_000;

/**
 * Whether a run of token characters is a credential: mixed upper case, lower case and digits (a
 * UserSig, a wx.login code, a JWT), not an id made of digits and dashes or a lower-case UUID.
 */
function isCredential(run: string): boolean {
  return /[A-Z]/.test(run) && /[a-z]/.test(run) && /[0-9]/.test(run);
}

/** A string with its secret-looking parts replaced. */
export function redactString(value: string): string {
  const clipped = value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  return clipped
    .replace(SECRET_PARAM, (_whole, key: string) => `${key}=${REDACTED}`)
    .replace(TOKEN_RUN, (run) => (isCredential(run) ? REDACTED : run));
}

function isSecretKey(key: string, value: unknown): boolean {
  if (SECRET_KEY.test(key)) return true;
  if (!CODE_KEY.test(key)) return false;
  return !(typeof value === 'number' || (typeof value === 'string' && ERROR_CODE.test(value)));
}

/** A log-safe copy of `value` (see the module comment). Never throws. */
export function redact(value: unknown): unknown {
  let nodes = 0;
  const seen = new Set<object>();
  const copy = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactString(v);
    if (v === null || typeof v !== 'object') {
      return typeof v === 'function' ? '[function]' : typeof v === 'symbol' ? String(v) : v;
    }
    nodes += 1;
    if (depth > MAX_DEPTH || nodes > MAX_NODES) return '[truncated]';
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    try {
      if (v instanceof Error) {
        const out: Record<string, unknown> = {
          name: redactString(String(v.name)),
          message: redactString(String(v.message)),
        };
        if (typeof v.stack === 'string') out.stack = redactString(v.stack);
        for (const key of Object.keys(v)) out[key] = entry(v, key, depth);
        return out;
      }
      if (Array.isArray(v)) return v.slice(0, 100).map((item) => copy(item, depth + 1));
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v).slice(0, 200)) out[key] = entry(v, key, depth);
      return out;
    } catch {
      return '[unreadable]';
    } finally {
      seen.delete(v);
    }
  };
  const entry = (owner: object, key: string, depth: number): unknown => {
    let item: unknown;
    try {
      item = (owner as Record<string, unknown>)[key];
    } catch {
      return '[unreadable]';
    }
    if (isSecretKey(key, item))
      return item === undefined || item === null || item === '' ? item : REDACTED;
    return copy(item, depth + 1);
  };
  return copy(value, 0);
}

import type { Logger } from '../core/ports/logger';

/** Keys whose values never reach a log line. */
const SECRET_KEYS = /usersig|token|secret|password|authkey|a2key/i;

/** Replaces secret-looking fields (UserSig, tokens, wx.login codes) before anything is logged. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEYS.test(k) && typeof v === 'string' ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

/** A `Logger` over the console, with secrets redacted; `debug` only when `verbose`. */
export function createConsoleLogger(prefix = '[cs]', verbose = false): Logger {
  const line = (message: string): string => `${prefix} ${message}`;
  return {
    debug(message, detail) {
      if (verbose) console.info(line(message), redact(detail) ?? '');
    },
    info(message, detail) {
      console.info(line(message), redact(detail) ?? '');
    },
    warn(message, detail) {
      console.warn(line(message), redact(detail) ?? '');
    },
    error(message, detail) {
      console.error(line(message), redact(detail) ?? '');
    },
  };
}

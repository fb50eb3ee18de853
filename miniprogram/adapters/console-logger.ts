import { redact } from '../core/log/redact';
import type { Logger } from '../core/ports/logger';

export { redact };

/** A `Logger` over the console, with secrets redacted (`core/log/redact.ts`); `debug` only when `verbose`. */
export function createConsoleLogger(prefix = '[cs]', verbose = false): Logger {
  const line = (message: string): string => `${prefix} ${String(redact(message))}`;
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

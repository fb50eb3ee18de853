/**
 * The simulator's console output. `quiet` (tests, benchmarks) keeps warnings only. Never logs
 * UserSigs, keys or message texts: only commands, user IDs and codes.
 */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  /** Logs a message at most once per key (unknown servcmds, repeated malformed frames). */
  once(key: string, message: string): void;
}

export function createLogger(quiet: boolean, prefix = '[simulator]'): Logger {
  const seen = new Set<string>();
  return {
    info(message) {
      if (!quiet) console.info(`${prefix} ${message}`);
    },
    warn(message) {
      console.warn(`${prefix} ${message}`);
    },
    once(key, message) {
      if (seen.has(key)) return;
      // Bounded so a client inventing endless names cannot grow the set forever.
      if (seen.size < 1000) seen.add(key);
      if (!quiet) console.info(`${prefix} ${message}`);
    },
  };
}

/** Logging port: core code reports through it; adapters decide where lines go (console, wx log manager). */
export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

const noop = (): void => undefined;

/** A logger that drops everything; the default where none is injected. */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * Keeps the TCCC engine's state (sessions, queue order, rating cards) in a JSON file beside the
 * Chat data (`SIMULATOR_DATA.tccc.json`), so a restarted simulator keeps every bot, queued and
 * agent session and what the console shows of it. Written debounced after each change and on
 * close, through a temp file + rename; a corrupt file is moved aside and the service starts empty.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import type { EngineLogger } from './types';

const DEBOUNCE_MS = 100;

export interface StateFile<T> {
  /** The saved state, if there is a readable one. */
  load(): T | undefined;
  /** Writes soon (debounced). */
  schedule(): void;
  /** Writes now. */
  flush(): void;
}

export function createStateFile<T>(
  file: string,
  read: () => T,
  isState: (value: unknown) => value is T,
  log: EngineLogger,
): StateFile<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.tmp`;
      writeFileSync(tmp, JSON.stringify(read()));
      renameSync(tmp, file);
    } catch (cause) {
      log.warn(
        `tccc: could not write ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
      );
    }
  };
  return {
    load() {
      if (!existsSync(file)) return undefined;
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        parsed = undefined;
      }
      if (isState(parsed)) return parsed;
      const aside = `${file}.corrupt-${Date.now()}`;
      renameSync(file, aside);
      log.warn(`tccc: state file unreadable, moved to ${aside}; starting without sessions`);
      return undefined;
    },
    schedule() {
      if (timer) return;
      timer = setTimeout(flush, DEBOUNCE_MS);
      timer.unref();
    },
    flush,
  };
}

/**
 * Optional JSON persistence of the store: loaded at start, written debounced after changes and once
 * more on close, through a temp file + rename so a crash mid-write never leaves half a file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import type { Logger } from './logger';
import type { ChatStore, StoreSnapshot } from './store';
import { isRecord } from './wire';

const DEBOUNCE_MS = 300;

function isSnapshot(v: unknown): v is StoreSnapshot {
  return (
    isRecord(v) &&
    v.version === 1 &&
    typeof v.nextId === 'number' &&
    typeof v.nextTinyId === 'number' &&
    typeof v.nextServerSeq === 'number' &&
    Array.isArray(v.users) &&
    v.users.every(
      (u) => isRecord(u) && typeof u.userID === 'string' && typeof u.tinyId === 'string',
    ) &&
    Array.isArray(v.messages) &&
    v.messages.every(
      (m) =>
        isRecord(m) &&
        typeof m.id === 'number' &&
        typeof m.from === 'string' &&
        typeof m.to === 'string' &&
        Array.isArray(m.elems),
    ) &&
    Array.isArray(v.views) &&
    v.views.every((x) => isRecord(x) && typeof x.owner === 'string' && isRecord(x.view))
  );
}

export class Persistence {
  private timer: NodeJS.Timeout | undefined;
  private writtenRevision = -1;

  constructor(
    private readonly file: string,
    private readonly store: ChatStore,
    private readonly log: Logger,
  ) {}

  /**
   * Loads the file into the store if it exists. A corrupt file is moved aside (never silently
   * overwritten) and the simulator starts empty.
   */
  load(): void {
    if (!existsSync(this.file)) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      parsed = undefined;
    }
    if (!isSnapshot(parsed)) {
      const aside = `${this.file}.corrupt-${Date.now()}`;
      renameSync(this.file, aside);
      this.log.warn(`persistence file unreadable, moved to ${aside}; starting empty`);
      return;
    }
    this.store.loadSnapshot(parsed);
    this.writtenRevision = this.store.revision;
    this.log.info(`loaded ${parsed.messages.length} messages from ${this.file}`);
  }

  /** Schedules a write if the store changed since the last one. */
  schedule(): void {
    if (this.timer || this.store.revision === this.writtenRevision) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, DEBOUNCE_MS);
    this.timer.unref();
  }

  /** Writes now (synchronously) if anything changed. */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.store.revision === this.writtenRevision) return;
    const revision = this.store.revision;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.store.toSnapshot()));
      renameSync(tmp, this.file);
      this.writtenRevision = revision;
    } catch (e) {
      this.log.warn(`could not write ${this.file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

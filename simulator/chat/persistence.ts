/**
 * Optional persistence of the store in two files:
 * - `<file>.journal`, append-only: every change is written to it synchronously, inside the store
 *   call that makes it, so a message is in the file before the SDK gets its acknowledgement and a
 *   killed process loses nothing it acknowledged;
 * - `<file>`, the JSON snapshot: the journal is compacted into it in the background (debounced)
 *   and on close, through a temp file + fsync + rename so a crash mid-write never leaves half a
 *   file, then the journal is emptied.
 * Start = snapshot + the journal replayed (records are idempotent; a torn last line is skipped).
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

import type { Logger } from './logger';
import type { ChatStore, JournalRecord, StoreSnapshot } from './store';
import { isRecord } from './wire';

/**
 * Compaction runs this long after the first change since the last one: the journal already holds
 * every change, so it only bounds the journal's length and the start-up replay.
 */
const COMPACT_AFTER_MS = 2000;

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

function isJournalRecord(v: unknown): v is JournalRecord {
  return (
    isRecord(v) &&
    Array.isArray(v.n) &&
    v.n.length === 3 &&
    v.n.every((x) => typeof x === 'number') &&
    ((isRecord(v.u) && typeof v.u.userID === 'string') ||
      (isRecord(v.m) && typeof v.m.id === 'number' && Array.isArray(v.m.elems)) ||
      (Array.isArray(v.v) && typeof v.v[0] === 'string' && isRecord(v.v[2])) ||
      typeof v.o === 'string')
  );
}

export class Persistence {
  private timer: NodeJS.Timeout | undefined;
  private writtenRevision = -1;
  private journalFd: number | undefined;
  private readonly journalFile: string;

  constructor(
    private readonly file: string,
    private readonly store: ChatStore,
    private readonly log: Logger,
  ) {
    this.journalFile = `${file}.journal`;
  }

  /** Loads snapshot + journal, compacts them, and from then on journals every store change. */
  open(): void {
    this.load();
    this.replayJournal();
    mkdirSync(dirname(this.file), { recursive: true });
    this.journalFd = openSync(this.journalFile, 'a');
    this.writtenRevision = -1;
    this.flush();
    this.store.journal = (record) => this.append(record);
  }

  private replayJournal(): void {
    if (!existsSync(this.journalFile)) return;
    const lines = readFileSync(this.journalFile, 'utf8').split('\n');
    let replayed = 0;
    let skipped = 0;
    for (const line of lines) {
      if (!line) continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        record = undefined;
      }
      if (isJournalRecord(record)) {
        this.store.applyRecord(record);
        replayed++;
      } else skipped++;
    }
    if (replayed > 0) this.log.info(`replayed ${replayed} changes from ${this.journalFile}`);
    // A line cut short by a crash is the only expected one; anything more is worth a word.
    if (skipped > 0) this.log.warn(`skipped ${skipped} unreadable journal lines`);
  }

  private append(record: JournalRecord): void {
    if (this.journalFd === undefined) return;
    try {
      writeSync(this.journalFd, `${JSON.stringify(record)}\n`);
    } catch (e) {
      this.log.warn(
        `could not append to ${this.journalFile}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  /** Compacts a last time and stops journaling. Idempotent. */
  close(): void {
    this.flush();
    this.store.journal = undefined;
    if (this.journalFd !== undefined) {
      closeSync(this.journalFd);
      this.journalFd = undefined;
    }
  }

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
    }, COMPACT_AFTER_MS);
    this.timer.unref();
  }

  /** Compacts now (synchronously) if anything changed. */
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
      const fd = openSync(tmp, 'r+');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
      // Only once the snapshot holds every journaled change is the journal emptied.
      if (this.journalFd !== undefined) ftruncateSync(this.journalFd, 0);
      this.writtenRevision = revision;
    } catch (e) {
      this.log.warn(`could not write ${this.file}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

import type { KeyValueStorage } from '../../miniprogram/core/ports/storage';
import { appError, err, ok } from '../../miniprogram/core/result';
import type { Result } from '../../miniprogram/core/result';

/**
 * In-memory key-value storage that round-trips values through JSON like wx storage does, so code
 * that keeps references to stored objects is caught. Survives a simulated restart when the same
 * instance is handed to new stores.
 */
export class MemoryStorage implements KeyValueStorage {
  readonly data = new Map<string, string>();
  /** When set, `set` fails (storage full). */
  failWrites = false;
  writes = 0;

  get(key: string): unknown {
    const raw = this.data.get(key);
    return raw === undefined ? undefined : (JSON.parse(raw) as unknown);
  }

  set(key: string, value: unknown): Result<void> {
    this.writes += 1;
    if (this.failWrites) return err(appError('unknown', 'storage full'));
    this.data.set(key, JSON.stringify(value));
    return ok(undefined);
  }

  remove(key: string): void {
    this.data.delete(key);
  }
}

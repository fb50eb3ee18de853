import type { Result } from '../result';

/**
 * Synchronous key-value storage for small JSON-able values (wx storage in production, a map in
 * tests). Reads never throw; corrupt or missing entries read as `undefined`.
 */
export interface KeyValueStorage {
  get(key: string): unknown;
  /** Fails (e.g. storage full) as a value, so callers can keep the data in memory and say so. */
  set(key: string, value: unknown): Result<void>;
  remove(key: string): void;
}

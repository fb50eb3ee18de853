/**
 * The server's only state lives behind this port, so instances stay stateless and a shared store
 * (Redis or similar) can replace the in-memory default. Operations mirror what Redis offers
 * atomically (GET, SET EX, SET NX EX, INCRBY, a DECR-if-positive script, DEL) so an adapter is a
 * thin mapping.
 */
export interface Store {
  get(key: string): Promise<string | undefined>;
  /** Sets the value; with `ttlSeconds` the key disappears after that long. */
  set(key: string, value: string, ttlSeconds?: number): Promise<void>;
  /** Sets only when the key is absent. Resolves whether it was set (an atomic lock or claim). */
  setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean>;
  /**
   * Adds `delta` to an integer value (a missing key counts as 0) and resolves the new value.
   * `ttlSeconds` applies only when this call creates the key (fixed windows, like INCR + EXPIRE NX).
   */
  incrBy(key: string, delta: number, ttlSeconds?: number): Promise<number>;
  /**
   * Atomically decrements a positive integer value. Resolves the new value, or `undefined` (and
   * changes nothing) when the key is missing or not positive.
   */
  decrIfPositive(key: string): Promise<number | undefined>;
  del(key: string): Promise<void>;
  /** Whether the store answers now (the readiness probe). Absent: always ready. */
  ping?(): Promise<boolean>;
  /** Releases timers and connections. */
  close(): Promise<void>;
}

interface Entry {
  value: string;
  /** Epoch ms, or Infinity. */
  expiresAt: number;
}

/**
 * In-memory store for one process (tests, local runs, single-instance deployments). Expired keys
 * are dropped when read and by a periodic sweep that never keeps the process alive.
 */
export class MemoryStore implements Store {
  private readonly entries = new Map<string, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly now: () => number = Date.now,
    sweepIntervalMs = 60_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepIntervalMs);
    this.sweeper.unref();
  }

  /** Number of live keys (for tests and diagnostics). */
  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  private live(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  private expiry(ttlSeconds: number | undefined): number {
    return ttlSeconds === undefined ? Infinity : this.now() + ttlSeconds * 1000;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(key);
    }
  }

  async get(key: string): Promise<string | undefined> {
    return this.live(key)?.value;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    this.entries.set(key, { value, expiresAt: this.expiry(ttlSeconds) });
  }

  async setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean> {
    if (this.live(key) !== undefined) return false;
    this.entries.set(key, { value, expiresAt: this.expiry(ttlSeconds) });
    return true;
  }

  async incrBy(key: string, delta: number, ttlSeconds?: number): Promise<number> {
    const entry = this.live(key);
    const current = entry === undefined ? 0 : Number.parseInt(entry.value, 10) || 0;
    const next = current + delta;
    this.entries.set(key, {
      value: String(next),
      expiresAt: entry === undefined ? this.expiry(ttlSeconds) : entry.expiresAt,
    });
    return next;
  }

  async decrIfPositive(key: string): Promise<number | undefined> {
    const entry = this.live(key);
    const current = entry === undefined ? 0 : Number.parseInt(entry.value, 10) || 0;
    if (entry === undefined || current <= 0) return undefined;
    entry.value = String(current - 1);
    return current - 1;
  }

  async del(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}

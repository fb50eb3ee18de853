/** Time source and timers of the TCCC engine, injectable so tests can drive a fake clock. */
export interface Scheduler {
  /** Milliseconds since the epoch, like `Date.now()`. */
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Real timers; unref'd so a pending flow step never keeps a process alive on its own. */
export const REAL_SCHEDULER: Scheduler = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Tracks every timer it starts so `cancelAll()` (service close) leaves nothing behind.
 * `after()` returns a cancel function; calling it after the timer fired is harmless.
 */
export class TimerSet {
  private readonly live = new Set<unknown>();

  constructor(private readonly scheduler: Scheduler) {}

  after(ms: number, callback: () => void): () => void {
    const handle = this.scheduler.setTimeout(() => {
      this.live.delete(handle);
      callback();
    }, ms);
    this.live.add(handle);
    return () => {
      if (this.live.delete(handle)) this.scheduler.clearTimeout(handle);
    };
  }

  cancelAll(): void {
    for (const handle of this.live) this.scheduler.clearTimeout(handle);
    this.live.clear();
  }
}

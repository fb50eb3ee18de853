/**
 * Work that outlives the request that started it (IM callbacks answer at once; notifications go
 * out afterwards). Tasks with the same key run in order; `idle()` waits for everything, which is
 * what shutdown and tests need.
 */
export class BackgroundTasks {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  /** At most `maxPending` tasks wait or run at once, so a flood cannot grow memory without end. */
  constructor(private readonly maxPending = 10_000) {}

  /**
   * Runs `task` after earlier tasks with the same key. Failures go to `onError`, never upward.
   * Returns false (and drops the task) when `maxPending` tasks are already queued.
   */
  run(key: string, task: () => Promise<void>, onError: (error: unknown) => void): boolean {
    if (this.pending.size >= this.maxPending) return false;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(task).catch(onError);
    this.chains.set(key, next);
    this.pending.add(next);
    void next.finally(() => {
      this.pending.delete(next);
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
    return true;
  }

  /** Resolves once no task is queued or running. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.allSettled([...this.pending]);
    }
  }
}

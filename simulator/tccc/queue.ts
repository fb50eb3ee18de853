/** The human-agent queue: who waits, in which order, and how many are ahead of each. */
export interface Queued {
  key: string;
  /** Simulated people ahead (the countdown), added to the real ones. */
  virtualAhead: number;
}

export class ServiceQueue<T extends Queued> {
  private readonly waiting: T[] = [];

  /** Appends at the end (no-op if already waiting). */
  push(entry: T): void {
    if (!this.waiting.includes(entry)) this.waiting.push(entry);
  }

  /** Removes the entry; returns who was behind it (their position changed), empty if absent. */
  remove(entry: T): T[] {
    const index = this.waiting.indexOf(entry);
    if (index < 0) return [];
    this.waiting.splice(index, 1);
    return this.waiting.slice(index);
  }

  isHead(entry: T): boolean {
    return this.waiting[0] === entry;
  }

  /** Real and simulated people ahead of the entry. */
  aheadOf(entry: T): number {
    return Math.max(0, this.waiting.indexOf(entry)) + entry.virtualAhead;
  }

  /** Head first. */
  entries(): readonly T[] {
    return this.waiting;
  }
}

/**
 * The human-agent queues: one per skill group (no group is a group of its own), in arrival order;
 * only people of the same group are ahead of someone.
 */
export interface Queued {
  key: string;
  /** Simulated people ahead (the countdown), added to the real ones. */
  virtualAhead: number;
  skillGroup?: string;
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
    return this.waiting.slice(index).filter((other) => other.skillGroup === entry.skillGroup);
  }

  /** First of its group. */
  isHead(entry: T): boolean {
    return this.waiting.find((other) => other.skillGroup === entry.skillGroup) === entry;
  }

  /** Real people of the same group and simulated people ahead of the entry. */
  aheadOf(entry: T): number {
    const index = this.waiting.indexOf(entry);
    const real =
      index < 0
        ? 0
        : this.waiting.slice(0, index).filter((other) => other.skillGroup === entry.skillGroup)
            .length;
    return real + entry.virtualAhead;
  }

  /** Head first. */
  entries(): readonly T[] {
    return this.waiting;
  }
}

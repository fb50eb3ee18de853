import type { Clock, TimerHandle } from '../../miniprogram/core/ports/clock';

interface Timer {
  id: number;
  at: number;
  callback: () => void;
}

/** Lets pending promise callbacks run (several rounds, for chains of awaits). */
export async function flushMicrotasks(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i += 1) await Promise.resolve();
}

/**
 * A manual clock: time moves only through `advance`/`tick`, timers fire in time order (ties in
 * creation order), and timers created while advancing fire if they fall inside the window.
 */
export class FakeClock implements Clock {
  private current: number;
  private timers: Timer[] = [];
  private nextId = 1;

  /** Starts at 2024-01-15 10:00:00 local time unless told otherwise. */
  constructor(startMs: number = new Date(2024, 0, 15, 10, 0, 0).getTime()) {
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: Timer = { id: this.nextId, at: this.current + Math.max(0, ms), callback };
    this.nextId += 1;
    this.timers.push(timer);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Pending timer count (to assert that nothing is left running). */
  pending(): number {
    return this.timers.length;
  }

  /** Moves time forward synchronously, firing due timers. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = this.nextDue(end);
      if (!due) break;
      this.current = due.at;
      this.timers = this.timers.filter((t) => t !== due);
      due.callback();
    }
    this.current = end;
  }

  /** Like `advance`, letting promise chains settle after every timer (for async code under test). */
  async tick(ms: number): Promise<void> {
    const end = this.current + ms;
    await flushMicrotasks();
    for (;;) {
      const due = this.nextDue(end);
      if (!due) break;
      this.current = due.at;
      this.timers = this.timers.filter((t) => t !== due);
      due.callback();
      await flushMicrotasks();
    }
    this.current = end;
    await flushMicrotasks();
  }

  private nextDue(end: number): Timer | undefined {
    let best: Timer | undefined;
    for (const t of this.timers) {
      if (t.at <= end && (!best || t.at < best.at || (t.at === best.at && t.id < best.id)))
        best = t;
    }
    return best;
  }
}

/** A manual clock implementing the engine's `Scheduler`: time moves only through `advance`. */
import type { Scheduler } from '../../../../simulator/tccc/scheduler';

interface Task {
  id: number;
  at: number;
  callback: () => void;
}

export class FakeClock implements Scheduler {
  private current: number;
  private tasks: Task[] = [];
  private nextId = 1;

  constructor(start = Date.UTC(2024, 4, 20, 2, 0, 0)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const task = { id: this.nextId++, at: this.current + Math.max(0, ms), callback };
    this.tasks.push(task);
    return task.id;
  }

  clearTimeout(handle: unknown): void {
    this.tasks = this.tasks.filter((task) => task.id !== handle);
  }

  get pending(): number {
    return this.tasks.length;
  }

  /** Runs every task due within `ms`, in time order, including tasks those tasks schedule. */
  advance(ms: number): void {
    const end = this.current + ms;
    for (;;) {
      const due = this.tasks
        .filter((task) => task.at <= end)
        .sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.tasks = this.tasks.filter((task) => task !== due);
      this.current = due.at;
      due.callback();
    }
    this.current = end;
  }
}

/** An opaque timer handle. */
export type TimerHandle = unknown;

/** Time and timers, injectable so tests run on a fake clock. */
export interface Clock {
  /** Unix milliseconds. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

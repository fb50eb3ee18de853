import type { Clock } from '../core/ports/clock';

/** The real clock (Date.now and the global timers, present in WeChat and Node alike). */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as number),
};

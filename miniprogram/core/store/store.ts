/** Removes a listener; calling it twice is harmless. */
export type Unsubscribe = () => void;

/** A read-only view of a store: what pages and behaviors bind to. */
export interface ReadableStore<S> {
  /** The current state. States are immutable: a change always yields a new object. */
  getState(): S;
  /** Calls `listener(next, prev)` after every change; never for a no-op update. */
  subscribe(listener: (state: S, previous: S) => void): Unsubscribe;
}

/** A store plus the setter its owner uses. */
export interface WritableStore<S> extends ReadableStore<S> {
  /** Replaces the state with `update(current)`; returning the same object is a no-op. */
  update(update: (state: S) => S): void;
}

/**
 * A minimal observable state holder. Listeners run synchronously, in subscription order; a
 * listener that throws is reported through `onListenerError` and does not stop the others.
 */
export function createStore<S>(
  initial: S,
  onListenerError: (error: unknown) => void = () => undefined,
): WritableStore<S> {
  let state = initial;
  let listeners: Array<(state: S, previous: S) => void> = [];
  return {
    getState: () => state,
    subscribe(listener) {
      listeners = [...listeners, listener];
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
    update(update) {
      const previous = state;
      const next = update(previous);
      if (next === previous) return;
      state = next;
      for (const listener of listeners) {
        try {
          listener(next, previous);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
  };
}

/** A tiny event emitter for one event type. */
export interface Emitter<E> {
  emit(event: E): void;
  on(listener: (event: E) => void): Unsubscribe;
  size(): number;
}

/** Creates an emitter; a listener that throws is reported and does not stop the others. */
export function createEmitter<E>(
  onListenerError: (error: unknown) => void = () => undefined,
): Emitter<E> {
  let listeners: Array<(event: E) => void> = [];
  return {
    emit(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          onListenerError(error);
        }
      }
    },
    on(listener) {
      listeners = [...listeners, listener];
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
    size: () => listeners.length,
  };
}

import { createEmitter, createStore } from '../../../miniprogram/core/store/store';

describe('createStore', () => {
  it('notifies with next and previous, skips no-op updates, and unsubscribes', () => {
    const store = createStore({ n: 0 });
    const seen: Array<[number, number]> = [];
    const off = store.subscribe((s, p) => seen.push([s.n, p.n]));
    store.update((s) => ({ n: s.n + 1 }));
    store.update((s) => s);
    off();
    off();
    store.update((s) => ({ n: s.n + 1 }));
    expect(seen).toEqual([[1, 0]]);
    expect(store.getState().n).toBe(2);
  });

  it('keeps notifying others when a listener throws, and reports it', () => {
    const errors: unknown[] = [];
    const store = createStore({ n: 0 }, (e) => errors.push(e));
    const seen: number[] = [];
    store.subscribe(() => {
      throw new Error('boom');
    });
    store.subscribe((s) => seen.push(s.n));
    store.update(() => ({ n: 1 }));
    expect(seen).toEqual([1]);
    expect(errors).toHaveLength(1);
  });
});

describe('createEmitter', () => {
  it('emits to current listeners only', () => {
    const emitter = createEmitter<number>();
    const seen: number[] = [];
    const off = emitter.on((n) => seen.push(n));
    emitter.emit(1);
    off();
    emitter.emit(2);
    expect(seen).toEqual([1]);
    expect(emitter.size()).toBe(0);
  });
});

import type { ReadableStore } from '../core/store/store';
import { diffForSetData, isEmptyPayload } from '../core/view/set-data-diff';

/** What a page or component needs to receive state. */
export interface SetDataTarget {
  setData(data: Record<string, unknown>, callback?: () => void): void;
}

export interface ViewBinding {
  /** Stops updates; call from `onUnload`/`detached`. Safe to call twice. */
  unbind(): void;
  /** Re-selects now (e.g. after the clock or language changed) and sends what changed. */
  refresh(): void;
}

/**
 * Binds `target` to `store` through `select` (state → flat view object). The first call sends the
 * whole view; each store change sends only the minimal `setData` diff (path keys), and nothing at all
 * when the view did not change. The target never reads or mutates its own `this.data` for this.
 */
export function bindView<S, V extends Record<string, unknown>>(
  target: SetDataTarget,
  store: ReadableStore<S>,
  select: (state: S) => V,
): ViewBinding {
  let last: V | null = null;
  let active = true;
  const push = (state: S) => {
    if (!active) return;
    const next = select(state);
    const payload = diffForSetData(last, next);
    last = next;
    if (!isEmptyPayload(payload)) target.setData(payload);
  };
  const unsubscribe = store.subscribe((state) => push(state));
  push(store.getState());
  return {
    unbind() {
      active = false;
      unsubscribe();
    },
    refresh() {
      push(store.getState());
    },
  };
}

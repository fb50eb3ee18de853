import type { Clock, TimerHandle } from '../ports/clock';
import type { WritableStore } from '../store/store';
import type { ChatEntry, ChatState } from './chat-store';
import {
  expireTransient,
  INITIAL_SERVICE_SESSION,
  markRated,
  nextTransientExpiry,
  reduceServiceSession,
} from './service-session';
import type { ServiceSessionState } from './service-session';

/** What the session fold of a chat store works on. */
export interface SessionFoldDeps {
  store: WritableStore<ChatState>;
  clock: Clock;
  isService: boolean;
  /** The whole list, oldest first. */
  entries: () => ReadonlyArray<ChatEntry>;
  typingMs: number;
  thinkingMs: number;
}

/**
 * The session state of a chat store, folded from its messages: live messages one by one, and the
 * whole list again after history loads. Transient flags (typing, thinking) expire on a timer.
 */
export function createSessionFold(deps: SessionFoldDeps): {
  fold(entries: ReadonlyArray<ChatEntry>, live: boolean, from?: ServiceSessionState): void;
  refold(): void;
  /** Cancels the expiry timer. */
  dispose(): void;
} {
  const { store, clock, isService, typingMs, thinkingMs } = deps;
  let transientTimer: TimerHandle | null = null;
  const set = (patch: Partial<ChatState>): void => store.update((s) => ({ ...s, ...patch }));

  const scheduleTransientExpiry = (): void => {
    if (transientTimer !== null) clock.clearTimeout(transientTimer);
    transientTimer = null;
    const at = nextTransientExpiry(store.getState().session);
    if (!at) return;
    transientTimer = clock.setTimeout(
      () => {
        transientTimer = null;
        const next = expireTransient(store.getState().session, clock.now());
        if (next !== store.getState().session) set({ session: next });
        scheduleTransientExpiry();
      },
      Math.max(0, at - clock.now()),
    );
  };

  const foldSession = (
    entries: ReadonlyArray<ChatEntry>,
    live: boolean,
    from?: ServiceSessionState,
  ): void => {
    if (!isService) return;
    const ctx = { now: clock.now(), live, typingMs, thinkingMs };
    let session = from ?? store.getState().session;
    for (const entry of entries)
      session = reduceServiceSession(session, entry.derived, entry.message, ctx);
    if (session !== store.getState().session) {
      set({ session });
      scheduleTransientExpiry();
    }
  };

  /** Rebuilds the session from the whole list (after history loads), keeping live-only facts. */
  const refoldSession = (): void => {
    if (!isService) return;
    const current = store.getState().session;
    const base: ServiceSessionState = {
      ...INITIAL_SERVICE_SESSION,
      typingUntil: current.typingUntil,
      thinkingUntil: current.thinkingUntil,
      canUserRate: current.canUserRate,
    };
    const ctx = { now: clock.now(), live: false, typingMs, thinkingMs };
    const { ratings } = store.getState();
    let session = base;
    for (const entry of deps.entries()) {
      session = reduceServiceSession(session, entry.derived, entry.message, ctx);
      // A local rating submission is newer than what history says of its card.
      const local = entry.derived.kind === 'rating' ? ratings[entry.message.ID] : undefined;
      if (local && !local.submitting) session = markRated(session);
    }
    set({ session });
  };

  return {
    fold: foldSession,
    refold: refoldSession,
    dispose() {
      if (transientTimer !== null) clock.clearTimeout(transientTimer);
      transientTimer = null;
    },
  };
}

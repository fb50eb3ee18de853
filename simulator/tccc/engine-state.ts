/**
 * What the TCCC engine keeps across a restart: sessions (plain data, no timers), queue order, rating cards
 * and the agent rotation, as one JSON-safe value, with the guard that checks a loaded file.
 */
import { isRecord } from './protocol';
import type { RatingCard } from './rating';
import type { Offer, Session } from './session';

/** A session as saved: plain data, no timers. */
export type SavedSession = Omit<Session, 'offers' | 'cancelQueueTimer' | 'cancelTimeout'> & {
  offers: [string, Offer][];
};

/** Everything the engine keeps across a restart (`exportState` / `importState`). */
export interface EngineState {
  version: 1;
  sessions: SavedSession[];
  /** Session keys, head of the queue first. */
  queue: string[];
  ratings: [userKey: string, cards: RatingCard[]][];
  agentRotation: number;
}

export function isEngineState(v: unknown): v is EngineState {
  return (
    isRecord(v) &&
    v.version === 1 &&
    Array.isArray(v.sessions) &&
    v.sessions.every(
      (x) =>
        isRecord(x) &&
        typeof x.key === 'string' &&
        typeof x.userID === 'string' &&
        typeof x.serviceAccount === 'string' &&
        typeof x.state === 'string' &&
        Array.isArray(x.offers) &&
        Array.isArray(x.transcript),
    ) &&
    Array.isArray(v.queue) &&
    v.queue.every((k) => typeof k === 'string') &&
    Array.isArray(v.ratings) &&
    typeof v.agentRotation === 'number'
  );
}

/** The state to save. */
export function saveState(parts: {
  sessions: Iterable<Session>;
  queue: readonly Session[];
  ratings: EngineState['ratings'];
  agentRotation: number;
}): EngineState {
  return {
    version: 1,
    sessions: [...parts.sessions].map(
      ({ offers, cancelQueueTimer: _q, cancelTimeout: _t, ...rest }) => ({
        ...rest,
        offers: [...offers.entries()],
      }),
    ),
    queue: parts.queue.map((session) => session.key),
    ratings: parts.ratings,
    agentRotation: parts.agentRotation,
  };
}

/**
 * The saved sessions as live ones, and the queue head first: the saved order, then any queued session the
 * saved order missed. Timers are not armed here.
 */
export function restoreSessions(state: EngineState): {
  sessions: Map<string, Session>;
  queue: Session[];
} {
  const sessions = new Map<string, Session>();
  for (const saved of state.sessions) {
    const seatRefs = (saved as Partial<SavedSession>).seatRefs ?? {};
    const session: Session = { ...saved, seatRefs, offers: new Map(saved.offers) };
    sessions.set(session.key, session);
  }
  const queue: Session[] = [];
  for (const key of state.queue) {
    const session = sessions.get(key);
    if (session?.state === 'queued' && !queue.includes(session)) queue.push(session);
  }
  for (const session of sessions.values())
    if (session.state === 'queued' && !queue.includes(session)) queue.push(session);
  return { sessions, queue };
}

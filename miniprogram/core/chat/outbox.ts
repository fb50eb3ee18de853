import type { ChatMessage, OutgoingMessage } from '../model/message';
import type { ChatTransport } from '../ports/chat-transport';
import type { Clock, TimerHandle } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { KeyValueStorage } from '../ports/storage';
import { appError, err, ok } from '../result';
import type { AppError, AppErrorCode, Result } from '../result';
import { createEmitter, createStore } from '../store/store';
import type { ReadableStore, Unsubscribe } from '../store/store';

/**
 * Where an unsent message stands:
 * - `queued`: waits for the next flush (offline, not logged in, or behind an earlier message);
 * - `sending`: a send is in flight (after a crash: its outcome is unknown and is checked first);
 * - `failed`: the server refused it; sent again only by an explicit retry;
 * - `blocked`: refused for its content (moderation); never sent again.
 */
export type OutboxStatus = 'queued' | 'sending' | 'failed' | 'blocked';

/** One unsent message, as persisted. */
export interface OutboxEntry {
  clientId: string;
  message: OutgoingMessage;
  /** Unix ms when the user sent it. */
  createdAt: number;
  /** The SDK message ID once created, `''` before. Lets a restart find it in history. */
  messageID: string;
  status: OutboxStatus;
  /** True when a send may have reached the server without us learning the outcome. */
  uncertain: boolean;
  /** Automatic attempts that ended in a non-definitive error (reset by a manual retry). */
  autoRetries?: number;
  /** Unix ms before which a queued entry waits (backoff after a non-definitive error). */
  retryAt?: number;
  error?: AppError;
}

/** The outbox of the current user. */
export interface OutboxState {
  /** The user whose outbox is loaded; `''` when none. */
  userID: string;
  /** In send order (oldest first). */
  entries: readonly OutboxEntry[];
}

/** What a send finally came to, for the caller waiting on it. */
export type SendOutcome = Result<ChatMessage>;

/** What the outbox runs on (ports and clock), injected by the composition root or a test. */
export interface OutboxDeps {
  transport: ChatTransport;
  storage: KeyValueStorage;
  clock: Clock;
  logger: Logger;
  /** Storage key prefix; the user ID is appended. */
  storageKey?: string;
  /** How many history pages to search for an interrupted send before sending it again. */
  verifyPages?: number;
  /**
   * Waits before sending again after an error that says nothing definite about the message (an
   * unknown code, a refusal while the connection is re-established); one entry per attempt, after
   * which the message is `failed`. Default 1 s, 3 s.
   */
  autoRetryDelaysMs?: readonly number[];
  /**
   * Delays between attempts while sends fail for network reasons (ms). Each attempt is a real send,
   * which also makes the SDK dial again: after a few failed reconnects it otherwise waits for its
   * 120 s hello, a network change or a new request.
   */
  offlineRetryDelaysMs?: readonly number[];
}

/**
 * The persistent queue every user-visible message goes through. Guarantees: a message is stored
 * before any send attempt; messages of a user are sent one at a time, in the order they were
 * queued; a message whose previous attempt may have reached the server is looked up in history
 * before it is sent again, so a crash or a timeout does not send it twice; a network-class failure
 * leaves it queued for the next flush (reconnect, login, restart); content refusals are `blocked`
 * and never retried.
 */
export interface Outbox extends ReadableStore<OutboxState> {
  /** Loads the persisted queue of `userID` (or clears the in-memory one for `''`). */
  setUser(userID: string): void;
  /**
   * Queues `message`, persists it, flushes, and resolves with that message's outcome: ok with the
   * sent message, or the error (a `network`-class error means it stays queued and will be sent).
   */
  send(message: OutgoingMessage): Promise<SendOutcome>;
  /** Queues a `failed` message again (same client id and message ID) and flushes. */
  retry(clientId: string): Promise<SendOutcome>;
  /** Drops an unsent message (not one in flight). */
  discard(clientId: string): Result<void>;
  /** Sends queued messages in order while the transport is ready. Single-flight. */
  flush(): Promise<void>;
  /**
   * The connection is back (the socket reconnected, the SDK is ready again): forgets the back-off
   * (offline attempts and per-entry waits) and sends now, so a short outage costs no long wait.
   */
  reconnected(): Promise<void>;
  /** Tells the outbox that history shows the message as sent (it is dropped, never resent). */
  confirmSent(clientId: string, message: ChatMessage): void;
  /** Called for every message that left the outbox as sent. */
  onSent(listener: (event: { clientId: string; message: ChatMessage }) => void): Unsubscribe;
}

/** Errors that are definite about the message: sending it again unchanged cannot help. */
const DEFINITE: ReadonlySet<AppErrorCode> = new Set<AppErrorCode>([
  'blocked-content',
  'invalid-input',
  'server-refused',
  'not-found',
  'file-too-large',
  'not-allowed',
]);

/** Errors after which the same message may simply be sent later. */
export const TRANSIENT: ReadonlySet<AppErrorCode> = new Set<AppErrorCode>([
  'network',
  'timeout',
  'not-logged-in',
  'usersig-expired',
  'kicked',
  'busy',
]);

function parseEntries(value: unknown): OutboxEntry[] {
  if (!Array.isArray(value)) return [];
  const out: OutboxEntry[] = [];
  for (const raw of value) {
    if (typeof raw !== 'object' || raw === null) continue;
    const e = raw as Record<string, unknown>;
    const m = e.message as Record<string, unknown> | undefined;
    if (typeof e.clientId !== 'string' || !m || typeof m !== 'object') continue;
    if (typeof m.conversationID !== 'string' || typeof m.to !== 'string') continue;
    const c = m.content as Record<string, unknown> | undefined;
    if (!c || (c.kind !== 'text' && c.kind !== 'custom' && c.kind !== 'image')) continue;
    const status = e.status;
    const entry: OutboxEntry = {
      clientId: e.clientId,
      message: {
        clientId: e.clientId,
        conversationID: m.conversationID,
        to: m.to,
        content: c as unknown as OutgoingMessage['content'],
        cloudCustomData: typeof m.cloudCustomData === 'string' ? m.cloudCustomData : '',
      },
      createdAt: typeof e.createdAt === 'number' ? e.createdAt : 0,
      messageID: typeof e.messageID === 'string' ? e.messageID : '',
      // An entry persisted as `sending` was interrupted: its outcome is unknown.
      status: status === 'failed' || status === 'blocked' ? status : 'queued',
      uncertain: e.uncertain === true || status === 'sending',
    };
    if (typeof e.autoRetries === 'number') entry.autoRetries = e.autoRetries;
    const error = e.error as Record<string, unknown> | undefined;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      entry.error = { code: error.code as AppErrorCode, message: error.message };
    }
    out.push(entry);
  }
  return out;
}

function serialise(entries: readonly OutboxEntry[]): unknown {
  // `cause` may hold SDK objects: never persisted.
  return entries.map((e) => ({
    ...e,
    error: e.error ? { code: e.error.code, message: e.error.message } : undefined,
  }));
}

/** Creates the outbox; empty until `setUser` loads a user's persisted queue. */
/** After a reconnect, failed sends are retried every {@link RECONNECT_RETRY_MS} for this long. */
const RECONNECT_WINDOW_MS = 3_000;
const RECONNECT_RETRY_MS = 500;

export function createOutbox(deps: OutboxDeps): Outbox {
  const { transport, storage, logger, clock } = deps;
  const prefix = deps.storageKey ?? 'cs.outbox.';
  const verifyPages = deps.verifyPages ?? 5;
  const autoRetryDelays = deps.autoRetryDelaysMs ?? [1_000, 3_000];
  const offlineRetryDelays = deps.offlineRetryDelaysMs ?? [2_000, 4_000, 8_000, 15_000];
  let offlineAttempts = 0;
  /** When the connection last came back (see `reconnected`). */
  let reconnectedAt = -Infinity;
  let retryTimer: TimerHandle | null = null;
  const store = createStore<OutboxState>({ userID: '', entries: [] }, (e) =>
    logger.error('outbox listener failed', e),
  );
  const sent = createEmitter<{ clientId: string; message: ChatMessage }>((e) =>
    logger.error('outbox sent listener failed', e),
  );
  const waiters = new Map<string, Array<(outcome: SendOutcome) => void>>();
  let flushing: Promise<void> | null = null;
  let again = false;

  const persist = (): void => {
    const { userID, entries } = store.getState();
    if (!userID) return;
    const saved = storage.set(prefix + userID, serialise(entries));
    if (!saved.ok) logger.warn('outbox not persisted', saved.error);
  };

  const setEntries = (
    change: (entries: readonly OutboxEntry[]) => readonly OutboxEntry[],
  ): void => {
    store.update((s) => {
      const entries = change(s.entries);
      return entries === s.entries ? s : { ...s, entries };
    });
    persist();
  };

  const patchEntry = (clientId: string, patch: Partial<OutboxEntry>): void =>
    setEntries((entries) => entries.map((e) => (e.clientId === clientId ? { ...e, ...patch } : e)));

  const settle = (clientId: string, outcome: SendOutcome): void => {
    const list = waiters.get(clientId);
    if (!list) return;
    waiters.delete(clientId);
    for (const resolve of list) resolve(outcome);
  };

  const waitFor = (clientId: string): Promise<SendOutcome> =>
    new Promise((resolve) => {
      waiters.set(clientId, [...(waiters.get(clientId) ?? []), resolve]);
    });

  const markSent = (clientId: string, message: ChatMessage): void => {
    offlineAttempts = 0;
    setEntries((entries) => entries.filter((e) => e.clientId !== clientId));
    const delivered: ChatMessage = { ...message, clientId, status: 'sent' };
    delete delivered.error;
    sent.emit({ clientId, message: delivered });
    settle(clientId, ok(delivered));
  };

  /** Looks for an interrupted send in the conversation's recent history. */
  const findInHistory = async (entry: OutboxEntry): Promise<Result<ChatMessage | null>> => {
    if (!entry.messageID) return ok(null);
    let cursor: string | undefined;
    for (let page = 0; page < verifyPages; page += 1) {
      const res = await transport.getMessageList(entry.message.conversationID, cursor);
      if (!res.ok) return res;
      const found = res.value.messages.find((m) => m.ID === entry.messageID);
      if (found) return ok(found.status === 'sent' ? found : null);
      const oldest = res.value.messages[0];
      // History is newest-first by page: once past the time we queued it, it is not there.
      if (res.value.isCompleted || !oldest || oldest.time * 1000 < entry.createdAt - 60_000) break;
      cursor = res.value.nextReqMessageID;
    }
    return ok(null);
  };

  /** Sends one entry; returns false when flushing should stop (transport unusable). */
  const sendOne = async (entry: OutboxEntry): Promise<boolean> => {
    const { clientId } = entry;
    if (entry.uncertain) {
      const found = await findInHistory(entry);
      if (!found.ok) {
        settle(clientId, err(found.error));
        return !TRANSIENT.has(found.error.code);
      }
      if (found.value) {
        logger.info('outbox: interrupted send found in history', { clientId });
        markSent(clientId, found.value);
        return true;
      }
    }
    // The adapter hands back the SDK message it still holds for this client id (same ID, so a resend
    // is a resend), or makes a new one after a restart; either way its ID is recorded first.
    const created = transport.createMessage(entry.message);
    const messageID = created.ok ? created.value.ID : entry.messageID;
    // Stored as in flight before the request, so a crash during it is detected on restart.
    patchEntry(clientId, { status: 'sending', uncertain: true, messageID, retryAt: undefined });
    const res = await transport.sendMessage(entry.message);
    if (!store.getState().entries.some((e) => e.clientId === clientId)) {
      // Discarded or confirmed from history while in flight; nothing more to do.
      return true;
    }
    if (res.ok) {
      markSent(clientId, res.value);
      return true;
    }
    const error = res.error;
    if (error.code === 'blocked-content') {
      patchEntry(clientId, { status: 'blocked', uncertain: false, error });
      settle(clientId, err(error));
      return true;
    }
    if (TRANSIENT.has(error.code)) {
      // A timeout may have reached the server: check history before the next attempt.
      patchEntry(clientId, { status: 'queued', uncertain: error.code === 'timeout', error });
      settle(clientId, err(error));
      return false;
    }
    const done = entry.autoRetries ?? 0;
    if (!DEFINITE.has(error.code) && done < autoRetryDelays.length) {
      // Says nothing definite (e.g. refused while the connection logs in again): try again soon,
      // still in order, and keep the caller waiting for the real outcome.
      logger.info('outbox: will retry', { clientId, code: error.code, attempt: done + 1 });
      patchEntry(clientId, {
        status: 'queued',
        uncertain: false,
        autoRetries: done + 1,
        retryAt: clock.now() + autoRetryDelays[done],
        error: undefined,
      });
      return true;
    }
    patchEntry(clientId, { status: 'failed', uncertain: false, error });
    settle(clientId, err(error));
    return true;
  };

  const scheduleRetry = (at: number): void => {
    if (retryTimer !== null) clock.clearTimeout(retryTimer);
    retryTimer = clock.setTimeout(
      () => {
        retryTimer = null;
        void flush();
      },
      Math.max(0, at - clock.now()),
    );
  };

  /** Sends queued entries in order until none is left or the transport is unusable. */
  const drain = async (): Promise<void> => {
    for (;;) {
      const { userID, entries } = store.getState();
      const next = entries.find((e) => e.status === 'queued');
      if (!next) return;
      if (next.retryAt !== undefined && next.retryAt > clock.now()) {
        // Later messages wait behind it: order is kept.
        scheduleRetry(next.retryAt);
        return;
      }
      const usable = userID !== '' && transport.isReady();
      const proceed = usable && (await sendOne(next));
      if (!proceed) {
        const reason = appError('network', 'not connected; queued');
        for (const e of store.getState().entries) {
          if (e.status === 'queued') settle(e.clientId, err(reason));
        }
        // The send itself failed (logged in, connection down): try again with back-off. Not logged
        // in: the session's next ready state flushes.
        if (usable) {
          // Just after a reconnect the SDK often needs a moment before sends work: retry soon
          // (a few times), and only then fall back to the back-off.
          const fresh = clock.now() - reconnectedAt < RECONNECT_WINDOW_MS;
          const delay = fresh
            ? RECONNECT_RETRY_MS
            : offlineRetryDelays[Math.min(offlineAttempts, offlineRetryDelays.length - 1)];
          if (!fresh) offlineAttempts += 1;
          if (delay !== undefined) scheduleRetry(clock.now() + delay);
        }
        return;
      }
    }
  };

  const flush = (): Promise<void> => {
    if (flushing) {
      // Picked up by the running loop before it lets go of `flushing` (same microtask).
      again = true;
      return flushing;
    }
    flushing = (async () => {
      try {
        do {
          again = false;
          await drain();
        } while (again);
      } catch (e) {
        logger.error('outbox flush failed', e);
      } finally {
        flushing = null;
      }
    })();
    return flushing;
  };

  return {
    getState: store.getState,
    subscribe: store.subscribe,
    onSent: sent.on,
    flush,

    setUser(userID) {
      if (store.getState().userID === userID) return;
      const entries = userID ? parseEntries(storage.get(prefix + userID)) : [];
      store.update(() => ({ userID, entries }));
    },

    async send(message) {
      if (!store.getState().userID) return err(appError('not-logged-in', 'no user for the outbox'));
      const entry: OutboxEntry = {
        clientId: message.clientId,
        message,
        createdAt: clock.now(),
        messageID: '',
        status: 'queued',
        uncertain: false,
      };
      setEntries((entries) => [...entries, entry]);
      const outcome = waitFor(message.clientId);
      void flush();
      return outcome;
    },

    reconnected() {
      offlineAttempts = 0;
      reconnectedAt = clock.now();
      if (retryTimer !== null) clock.clearTimeout(retryTimer);
      retryTimer = null;
      if (store.getState().entries.some((e) => e.status === 'queued' && e.retryAt !== undefined)) {
        setEntries((entries) =>
          entries.map((e) =>
            e.status === 'queued' && e.retryAt !== undefined ? { ...e, retryAt: undefined } : e,
          ),
        );
      }
      return flush();
    },

    async retry(clientId) {
      const entry = store.getState().entries.find((e) => e.clientId === clientId);
      if (!entry) return err(appError('not-found', `no unsent message ${clientId}`));
      if (entry.status === 'blocked') {
        return err(entry.error ?? appError('blocked-content', 'refused for its content'));
      }
      if (entry.status === 'sending') return err(appError('busy', 'already being sent'));
      const outcome = waitFor(clientId);
      patchEntry(clientId, {
        status: 'queued',
        error: undefined,
        autoRetries: 0,
        retryAt: undefined,
      });
      void flush();
      return outcome;
    },

    discard(clientId) {
      const entry = store.getState().entries.find((e) => e.clientId === clientId);
      if (!entry) return err(appError('not-found', `no unsent message ${clientId}`));
      if (entry.status === 'sending') return err(appError('busy', 'being sent'));
      setEntries((entries) => entries.filter((e) => e.clientId !== clientId));
      settle(clientId, err(appError('not-found', 'discarded')));
      return ok(undefined);
    },

    confirmSent(clientId, message) {
      if (!store.getState().entries.some((e) => e.clientId === clientId)) return;
      markSent(clientId, message);
    },
  };
}

/**
 * Keeps `outbox` in step with the session: it follows the logged-in user and, whenever the
 * connection is usable again (session ready, the socket reconnected, the SDK ready), resets its
 * back-off and sends. Returns an unsubscribe.
 */
export function followSession(
  outbox: Outbox,
  session: ReadableStore<{ userID: string; status: string }>,
  transport: Pick<ChatTransport, 'onEvent'>,
): Unsubscribe {
  // Whether the connection was lost since it was last usable: coming back from that resets the
  // back-off; the first ready after a login just flushes.
  let lost = false;
  const usable = (): void => {
    if (lost) void outbox.reconnected();
    else void outbox.flush();
    lost = false;
  };
  const offSession = session.subscribe((state, previous) => {
    if (state.userID !== previous.userID) outbox.setUser(state.userID);
    if (state.status === 'reconnecting') lost = true;
    if (state.status === 'ready' && previous.status !== 'ready') usable();
  });
  const offTransport = transport.onEvent((event) => {
    if (event.type === 'net-state' && event.state !== 'connected') lost = true;
    if (event.type === 'not-ready') lost = true;
    if ((event.type === 'net-state' && event.state === 'connected') || event.type === 'ready')
      usable();
  });
  return () => {
    offSession();
    offTransport();
  };
}

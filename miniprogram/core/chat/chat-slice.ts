import { protocolLanguage } from '../i18n/preference';
import { peerOfConversation } from '../model/message';
import type { ChatMessage, OutgoingContent, SendOptions } from '../model/message';
import type { TransportEvent } from '../ports/chat-transport';
import type { TimerHandle } from '../ports/clock';
import { appError, err, ok } from '../result';
import type { AppError, Result } from '../result';
import { createStore } from '../store/store';
import type { Unsubscribe, WritableStore } from '../store/store';
import { buildHandshake, isServiceConversation } from '../tccc/index';
import type { ChatEntry, ChatState, ChatStore, ChatStoreDeps } from './chat-store';
import { createChatSending } from './chat-sending';
import { createClassifiedList } from './classified-list';
import { createOutboxMirror } from './outbox-mirror';
import { createSessionFold } from './session-fold';
import { INITIAL_SERVICE_SESSION } from './service-session';

/** The chat slice's actions (the part of {@link ChatStore} that is not service-specific). */
export type ChatActions = Pick<
  ChatStore,
  | 'getState'
  | 'subscribe'
  | 'open'
  | 'loadOlder'
  | 'sendText'
  | 'sendImage'
  | 'retry'
  | 'discard'
  | 'close'
>;

/** What the chat slice shares with the other slices of the same store. */
export interface ChatSlice {
  actions: ChatActions;
  store: WritableStore<ChatState>;
  isService: boolean;
  set(patch: Partial<ChatState>): void;
  fail<T>(error: AppError): Result<T>;
  succeed(): Result<void>;
  entryOf(messageId: string): ChatEntry | undefined;
  /** Runs `run` unless a run with the same key is in progress (`busy` then). */
  guard(key: string, run: () => Promise<Result<void>>): Promise<Result<void>>;
  /** Sends a hidden protocol uplink now, not through the outbox. */
  sendProtocol(data: string, options: SendOptions): Promise<Result<ChatMessage>>;
  /** Sends a visible message through the outbox (optimistic). */
  sendThroughOutbox(content: OutgoingContent, cloudCustomData?: string): Promise<Result<void>>;
}

/**
 * The chat itself: open, history, gap-fill, outbox mirroring, network, mark-read and the session
 * state folded from the list.
 */
export function createChatSlice(deps: ChatStoreDeps): ChatSlice {
  const { transport, outbox, clock, logger, conversationID } = deps;
  const markReadDelay = deps.markReadDelayMs ?? 300;
  const gapFillPages = deps.gapFillPages ?? 5;
  const peerID = peerOfConversation(conversationID);
  const isService = isServiceConversation(conversationID, deps.serviceAccounts());
  const list = createClassifiedList(logger);

  const store = createStore<ChatState>(
    {
      conversationID,
      peerID,
      isService,
      isOpen: false,
      entries: list.entries,
      history: { loading: false, loaded: false, completed: false, cursor: '', error: null },
      session: INITIAL_SERVICE_SESSION,
      network: transport.isReady() ? 'online' : 'reconnecting',
      ratings: {},
      choices: {},
      forms: {},
      menuPages: {},
      productOffer: null,
      lastError: null,
    },
    (e) => logger.error('chat listener failed', e),
  );

  let subscriptions: Unsubscribe[] = [];
  let markReadTimer: TimerHandle | null = null;
  let pendingOpen = false;
  /**
   * The first page came back empty. Right after login the SDK may answer before it has synced the
   * conversation list (observed: an empty, complete page for a conversation with history); once
   * the list shows this conversation with a message, the page is read again.
   */
  let emptyFirstPage = false;
  let handshakePending = false;
  const busy = new Set<string>();

  const set = (patch: Partial<ChatState>): void => store.update((s) => ({ ...s, ...patch }));
  const publishEntries = (): void => {
    if (store.getState().entries !== list.entries) set({ entries: list.entries });
  };
  const fail = <T>(error: AppError): Result<T> => {
    set({ lastError: error });
    return err(error);
  };
  const succeed = (): Result<void> => {
    if (store.getState().lastError) set({ lastError: null });
    return ok(undefined);
  };

  const session = createSessionFold({
    store,
    clock,
    isService,
    entries: () => list.entries,
    typingMs: deps.typingMs ?? 10_000,
    thinkingMs: deps.thinkingMs ?? 30_000,
  });
  const foldSession = session.fold;
  const refoldSession = session.refold;
  const mirror = createOutboxMirror({
    conversationID,
    outbox,
    list,
    selfID: deps.selfID,
    publish: publishEntries,
  });
  const syncOutbox = mirror.sync;
  const confirmFromHistory = mirror.confirmFromHistory;

  const mergeHistory = (messages: readonly ChatMessage[], placement: 'newer' | 'older'): void => {
    const mine = messages.filter((m) => m.conversationID === conversationID || !m.conversationID);
    if (list.upsert(mine, placement)) {
      publishEntries();
      confirmFromHistory();
      refoldSession();
    }
  };

  const markRead = (): void => {
    if (!transport.isReady()) return;
    void transport.setMessageRead(conversationID).then((res) => {
      if (!res.ok) logger.warn('mark read failed', res.error);
    });
  };

  const scheduleMarkRead = (): void => {
    if (markReadTimer !== null || !store.getState().isOpen) return;
    markReadTimer = clock.setTimeout(() => {
      markReadTimer = null;
      if (store.getState().isOpen) markRead();
    }, markReadDelay);
  };

  // ---- transport events ------------------------------------------------------------------

  const onMessages = (messages: readonly ChatMessage[], live: boolean): void => {
    const mine = messages.filter((m) => m.conversationID === conversationID);
    if (mine.length === 0) return;
    const before = new Set(mine.filter((m) => list.has(m.ID)).map((m) => m.ID));
    if (!list.upsert(mine)) return;
    publishEntries();
    const fresh = mine.map((m) => list.get(m.ID)).filter((e): e is ChatEntry => e !== undefined);
    foldSession(fresh, live);
    if (live && mine.some((m) => !before.has(m.ID) && m.flow === 'in')) scheduleMarkRead();
  };

  let gapFilling: Promise<void> | null = null;
  /** After a reconnect or re-login: fetch newest pages until they meet what is loaded. */
  const gapFill = (): Promise<void> => {
    if (gapFilling) return gapFilling;
    gapFilling = runGapFill().finally(() => {
      gapFilling = null;
    });
    return gapFilling;
  };

  const runGapFill = async (): Promise<void> => {
    if (!store.getState().history.loaded || !transport.isReady()) return;
    // Pages come newest first; they are merged together, oldest first, so messages of the same
    // second keep the server's order.
    const pages: ChatMessage[][] = [];
    let cursor: string | undefined;
    for (let page = 0; page < gapFillPages; page += 1) {
      const res = await transport.getMessageList(conversationID, cursor);
      if (!res.ok) {
        logger.warn('gap fill failed', res.error);
        break;
      }
      pages.unshift(res.value.messages);
      if (res.value.messages.some((m) => list.has(m.ID)) || res.value.isCompleted) break;
      cursor = res.value.nextReqMessageID;
    }
    const all = ([] as ChatMessage[]).concat(...pages);
    const fresh = all.filter((m) => !list.has(m.ID));
    mergeHistory(all, 'newer');
    if (fresh.some((m) => m.flow === 'in')) scheduleMarkRead();
  };

  /**
   * Back online: read what was missed (the session state is folded again from the list), then,
   * for a service, say hello again. A live session is not restarted by it; a desk that lost the
   * session (restarted) answers with its welcome, and the state follows: no agent who is gone.
   */
  const reconnected = async (): Promise<void> => {
    await gapFill();
    if (isService && store.getState().isOpen && store.getState().history.loaded)
      await sendHandshake();
  };

  const sendHandshake = async (): Promise<void> => {
    handshakePending = false;
    const language = protocolLanguage(deps.language());
    const res = await sendProtocol(buildHandshake({ language, skillGroup: deps.skillGroup }), {
      onlineUserOnly: true,
    });
    if (!res.ok) logger.warn('handshake not sent', res.error);
  };

  const loadFirstPage = async (): Promise<Result<void>> => {
    pendingOpen = false;
    set({ history: { ...store.getState().history, loading: true, error: null } });
    const res = await transport.getMessageList(conversationID);
    if (!res.ok) {
      set({ history: { ...store.getState().history, loading: false, error: res.error } });
      if (!transport.isReady()) pendingOpen = true;
      return fail(res.error);
    }
    const page = res.value;
    emptyFirstPage = page.messages.length === 0 && list.size === 0;
    const known = store.getState().history;
    mergeHistory(page.messages, 'newer');
    set({
      history: {
        loading: false,
        loaded: true,
        // A reopen keeps the deeper cursor it already had.
        completed: known.loaded ? known.completed : page.isCompleted,
        cursor: known.loaded ? known.cursor : page.nextReqMessageID,
        error: null,
      },
    });
    refoldSession();
    scheduleMarkRead();
    if (handshakePending) await sendHandshake();
    void outbox.flush();
    return ok(undefined);
  };

  const onEvent = (event: TransportEvent): void => {
    switch (event.type) {
      case 'message-received':
        onMessages(event.messages, true);
        return;
      case 'message-modified':
      case 'message-revoked':
      case 'message-read-by-peer':
        onMessages(event.messages, false);
        return;
      case 'net-state': {
        const network =
          event.state === 'connected'
            ? 'online'
            : event.state === 'connecting'
              ? 'reconnecting'
              : 'offline';
        const was = store.getState().network;
        if (network !== was) set({ network });
        if (network === 'online' && was !== 'online') void reconnected();
        return;
      }
      case 'conversation-list-updated':
        if (
          emptyFirstPage &&
          event.conversations.some((c) => c.conversationID === conversationID && c.lastMessage)
        ) {
          emptyFirstPage = false;
          void loadFirstPage();
        }
        return;
      case 'ready': {
        const was = store.getState().network;
        if (was !== 'online') set({ network: 'online' });
        if (pendingOpen) void loadFirstPage();
        else if (was !== 'online') void reconnected();
        return;
      }
      case 'not-ready':
      case 'kicked':
        if (store.getState().network === 'online') set({ network: 'reconnecting' });
        return;
      default:
        return;
    }
  };

  // ---- sending ---------------------------------------------------------------------------

  const sending = createChatSending({
    deps,
    peerID,
    list,
    store,
    syncOutbox,
    publishEntries,
    fail,
    succeed,
  });
  const { sendProtocol, sendThroughOutbox } = sending;

  const entryOf = (messageId: string): ChatEntry | undefined => list.get(messageId);

  const guard = async (key: string, run: () => Promise<Result<void>>): Promise<Result<void>> => {
    if (busy.has(key)) return fail(appError('busy', 'already in progress'));
    busy.add(key);
    try {
      return await run();
    } finally {
      busy.delete(key);
    }
  };

  // ---- actions ---------------------------------------------------------------------------

  const actions: ChatActions = {
    getState: store.getState,
    subscribe: store.subscribe,

    async open() {
      if (store.getState().isOpen) return ok(undefined);
      subscriptions = [
        transport.onEvent(onEvent),
        outbox.subscribe(() => syncOutbox()),
        outbox.onSent(({ message }) => {
          if (message.conversationID !== conversationID) return;
          if (list.upsert([message])) publishEntries();
        }),
      ];
      set({ isOpen: true, network: transport.isReady() ? 'online' : store.getState().network });
      syncOutbox();
      handshakePending = isService;
      if (!transport.isReady()) {
        pendingOpen = true;
        set({ history: { ...store.getState().history, loading: true } });
        return ok(undefined);
      }
      return loadFirstPage();
    },

    async loadOlder() {
      const { history } = store.getState();
      if (history.completed || history.loading) return ok(undefined);
      if (!history.loaded) return fail(appError('not-found', 'open the conversation first'));
      set({ history: { ...history, loading: true, error: null } });
      const res = await transport.getMessageList(conversationID, history.cursor || undefined);
      if (!res.ok) {
        set({ history: { ...store.getState().history, loading: false, error: res.error } });
        return fail(res.error);
      }
      mergeHistory(res.value.messages, 'older');
      set({
        history: {
          ...store.getState().history,
          loading: false,
          completed: res.value.isCompleted,
          cursor: res.value.nextReqMessageID,
        },
      });
      return succeed();
    },

    ...sending.actions,

    close() {
      for (const unsubscribe of subscriptions) unsubscribe();
      subscriptions = [];
      if (markReadTimer !== null) {
        // Shown before the page went: read, even if the user left within the debounce.
        clock.clearTimeout(markReadTimer);
        markRead();
      }
      session.dispose();
      markReadTimer = null;
      pendingOpen = false;
      handshakePending = false;
      if (store.getState().isOpen) set({ isOpen: false });
    },
  };

  return {
    actions,
    store,
    isService,
    set,
    fail,
    succeed,
    entryOf,
    guard,
    sendProtocol,
    sendThroughOutbox,
  };
}

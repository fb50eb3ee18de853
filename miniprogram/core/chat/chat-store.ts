import type { Language } from '../i18n/index';
import { protocolLanguage } from '../i18n/preference';
import { MESSAGE_TYPE, peerOfConversation } from '../model/message';
import type { ChatMessage, OutgoingContent, OutgoingMessage, SendOptions } from '../model/message';
import type { ChatTransport, TransportEvent } from '../ports/chat-transport';
import type { Clock, TimerHandle } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { appError, err, ok } from '../result';
import type { AppError, Result } from '../result';
import { createStore } from '../store/store';
import type { ReadableStore, Unsubscribe } from '../store/store';
import {
  buildChoiceReply,
  buildEndSession,
  buildFormInputReply,
  buildHandshake,
  buildProductCard,
  buildRatingRequest,
  buildRatingSubmission,
  buildTaskFormSubmission,
  createClassifier,
  isRatingExpired,
  isServiceConversation,
  RatingSubmissionError,
} from '../tccc/index';
import type { ClassifiedMessage, MenuItem, ProductCardInput, TaskFormProblem } from '../tccc/index';
import { MessageList } from './message-list';
import type { MessageEntry } from './message-list';
import { TRANSIENT } from './outbox';
import type { Outbox, OutboxEntry } from './outbox';
import {
  expireTransient,
  INITIAL_SERVICE_SESSION,
  nextTransientExpiry,
  reduceServiceSession,
} from './service-session';
import type { ServiceSessionState } from './service-session';

/** A list entry: the message plus its protocol classification (parsed once per version). */
export type ChatEntry = MessageEntry<ClassifiedMessage>;

/** Connection state for the network banner. */
export type NetworkState = 'online' | 'offline' | 'reconnecting';

/** Local state of a rating card: what the user picked, and whether it is on its way. */
export interface RatingLocal {
  selectedId: string;
  submitting: boolean;
}

/** Local state of a src 21 input form or a src 33 task form. */
export interface FormLocal {
  submitting: boolean;
  submitted: boolean;
  /** Task forms: values typed so far, by field name. */
  values: Readonly<Record<string, string>>;
  /** Task forms: validation problems by field name (`required`, `not-a-choice`). */
  errors: Readonly<Record<string, string>>;
}

/** One conversation's chat state. Immutable: every change yields a new object. */
export interface ChatState {
  conversationID: string;
  peerID: string;
  /** Whether the peer is a configured customer-service account (the protocol applies). */
  isService: boolean;
  isOpen: boolean;
  /** Sorted oldest → newest; includes hidden protocol messages (the view filters them). */
  entries: ReadonlyArray<ChatEntry>;
  history: {
    loading: boolean;
    /** The first page has been loaded since `open`. */
    loaded: boolean;
    /** No older messages exist: stop asking. */
    completed: boolean;
    cursor: string;
    error: AppError | null;
  };
  session: ServiceSessionState;
  network: NetworkState;
  /** By message ID. */
  ratings: Readonly<Record<string, RatingLocal>>;
  /** By message ID: content of the row last tapped (menus, choice forms, task branches). */
  choices: Readonly<Record<string, string>>;
  /** By message ID. */
  forms: Readonly<Record<string, FormLocal>>;
  /** By message ID: page shown of a paged welcome menu. */
  menuPages: Readonly<Record<string, number>>;
  /** The last action error, for a toast; cleared by the next successful action. */
  lastError: AppError | null;
}

/** An image picked with `wx.chooseMedia`. */
export interface PickedImage {
  tempFilePath: string;
  size: number;
  width?: number;
  height?: number;
}

/** What a chat store runs on, injected by `services/index.ts` or a test. */
export interface ChatStoreDeps {
  conversationID: string;
  transport: ChatTransport;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  serviceAccounts: () => readonly string[];
  /** The logged-in userID. */
  selfID: () => string;
  /** UI language, sent with the handshake as `zh`/`en`. */
  language: () => Language;
  /** New unique client ids. */
  newClientId: () => string;
  imageMaxBytes: number;
  /** The text that asks the flow for a human agent. */
  transferText: string;
  /** Delay before a mark-read, so bursts cost one call (ms). */
  markReadDelayMs?: number;
  typingMs?: number;
  thinkingMs?: number;
  /** How many pages a reconnect gap-fill may read. */
  gapFillPages?: number;
  /** Items per page of a welcome menu. */
  menuPageSize?: number;
}

/**
 * One conversation's chat: every user intent is one action that resolves to a `Result` and never
 * throws. State is immutable (`getState`/`subscribe`).
 */
export interface ChatStore extends ReadableStore<ChatState> {
  /**
   * Starts listening, loads the newest page, marks the conversation read and, for a service
   * conversation, sends the handshake (src 7, `onlineUserOnly`). When the SDK is not ready yet this
   * happens as soon as it is. Call on every page show; `close` on hide/unload.
   */
  open(): Promise<Result<void>>;
  /** Loads the page before the oldest loaded message; a no-op once `history.completed`. */
  loadOlder(): Promise<Result<void>>;
  /** Sends text through the outbox (optimistic). A `network` error means it is queued, not lost. */
  sendText(text: string): Promise<Result<void>>;
  /** Sends an image; refuses files over the size limit with `file-too-large`. */
  sendImage(file: PickedImage): Promise<Result<void>>;
  /** Sends a failed message again, keeping its client id and place. Blocked messages are refused. */
  retry(clientId: string): Promise<Result<void>>;
  /** Drops an unsent (failed or blocked) message. */
  discard(clientId: string): Result<void>;
  /** Answers a menu/branch/choice-form/task-branch row with its text (src 32 fixed: + cloudCustomData). */
  chooseItem(messageId: string, item: MenuItem | string): Promise<Result<void>>;
  /** Shows the next page of a welcome menu ("换一换"). */
  nextMenuPage(messageId: string): void;
  /** Submits a rating once (optimistic: rated + tail at once); refused when expired or rated. */
  submitRating(messageId: string, optionId: string): Promise<Result<void>>;
  /** Records a task-form field value (kept across renders, cleared of its error). */
  setTaskFormValue(messageId: string, name: string, value: string): void;
  /** Submits a task form (src 33) once; `invalid-input` with per-field errors when incomplete. */
  submitTaskForm(
    messageId: string,
    values?: Readonly<Record<string, string>>,
  ): Promise<Result<void>>;
  /** Answers a src 21 input form with text, once; empty text is refused. */
  submitFormInput(messageId: string, text: string): Promise<Result<void>>;
  /** Asks for a rating card (src 24); allowed when the rating settings say so. */
  requestRating(): Promise<Result<void>>;
  /** Ends the human session (src 27); only while an agent holds it. */
  endSession(): Promise<Result<void>>;
  /** Asks for a human agent by sending the configured text (`人工服务`). */
  transferToHuman(): Promise<Result<void>>;
  /** Sends the product the user came from as a card (src 22), through the outbox like text. */
  sendProductCard(card: ProductCardInput): Promise<Result<void>>;
  /** Stops listening and cancels timers. State stays readable. */
  close(): void;
}

const OUTGOING_TYPE: Record<OutgoingContent['kind'], string> = {
  text: MESSAGE_TYPE.TEXT,
  custom: MESSAGE_TYPE.CUSTOM,
  image: MESSAGE_TYPE.IMAGE,
};

/** The optimistic list copy of an outbox entry. */
export function messageFromOutbox(entry: OutboxEntry, selfID: string): ChatMessage {
  const { message, content } = { message: entry.message, content: entry.message.content };
  const out: ChatMessage = {
    ID: entry.messageID,
    conversationID: message.conversationID,
    type: OUTGOING_TYPE[content.kind],
    flow: 'out',
    from: selfID,
    to: message.to,
    time: Math.floor(entry.createdAt / 1000),
    sequence: 0,
    nick: '',
    avatar: '',
    payload:
      content.kind === 'text'
        ? { text: content.text }
        : content.kind === 'custom'
          ? { data: content.data, description: content.description ?? '' }
          : {},
    cloudCustomData: message.cloudCustomData,
    isRevoked: false,
    version: 0,
    status:
      entry.status === 'failed' ? 'failed' : entry.status === 'blocked' ? 'blocked' : 'sending',
    clientId: entry.clientId,
  };
  if (content.kind === 'image') {
    out.image = {
      url: content.tempFilePath,
      width: content.width ?? 0,
      height: content.height ?? 0,
    };
  }
  // A queued entry keeps the network error that stopped it: the view says "sent when back online".
  if (entry.error) out.error = entry.error;
  return out;
}

const TASK_PROBLEM_TEXT: Record<TaskFormProblem['reason'], string> = {
  'not-editable': 'not-editable',
  required: 'required',
  'not-a-choice': 'not-a-choice',
};

/** Creates the store for one conversation. Nothing happens until `open`. */
export function createChatStore(deps: ChatStoreDeps): ChatStore {
  const { transport, outbox, clock, logger, conversationID } = deps;
  const markReadDelay = deps.markReadDelayMs ?? 300;
  const typingMs = deps.typingMs ?? 10_000;
  const thinkingMs = deps.thinkingMs ?? 30_000;
  const gapFillPages = deps.gapFillPages ?? 5;
  const peerID = peerOfConversation(conversationID);
  const isService = isServiceConversation(conversationID, deps.serviceAccounts());
  const classify = createClassifier({ logger });
  const list = new MessageList<ClassifiedMessage>((message, previous) =>
    // Only a new version (or a revoke) can change what the payload says.
    previous &&
    previous.message.version === message.version &&
    previous.message.isRevoked === message.isRevoked &&
    previous.message.payload.data === message.payload.data &&
    previous.message.payload.text === message.payload.text &&
    previous.message.cloudCustomData === message.cloudCustomData &&
    previous.message.type === message.type
      ? previous.derived
      : classify(message),
  );

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
      lastError: null,
    },
    (e) => logger.error('chat listener failed', e),
  );

  let subscriptions: Unsubscribe[] = [];
  let markReadTimer: TimerHandle | null = null;
  let transientTimer: TimerHandle | null = null;
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

  // ---- session state ---------------------------------------------------------------------

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
    let session = base;
    for (const entry of list.entries)
      session = reduceServiceSession(session, entry.derived, entry.message, ctx);
    // A local rating submission is newer than anything history can say.
    if (
      Object.values(store.getState().ratings).some((r) => !r.submitting) &&
      session.phase !== 'bot'
    ) {
      session = { ...session, phase: 'rated' };
    }
    set({ session });
  };

  // ---- list maintenance ------------------------------------------------------------------

  const ownEntries = (): OutboxEntry[] =>
    outbox.getState().entries.filter((e) => e.message.conversationID === conversationID);

  /** Drops outbox entries that history shows as delivered (no second send). */
  const confirmFromHistory = (): void => {
    for (const entry of ownEntries()) {
      if (!entry.messageID) continue;
      const listed = list.get(entry.messageID);
      if (listed && listed.message.status === 'sent')
        outbox.confirmSent(entry.clientId, listed.message);
    }
  };

  const syncOutbox = (): void => {
    const self = deps.selfID();
    let changed = false;
    for (const entry of ownEntries()) {
      const optimistic = messageFromOutbox(entry, self);
      const listed =
        list.get(entry.clientId) ?? (entry.messageID ? list.get(entry.messageID) : undefined);
      if (!listed) {
        changed = list.upsert([optimistic]) || changed;
        continue;
      }
      if (listed.message.status === 'sent') continue;
      const m = listed.message;
      if (m.status === optimistic.status && m.ID === optimistic.ID && m.error === optimistic.error)
        continue;
      changed =
        list.patch(listed.key, (current) => {
          const next: ChatMessage = {
            ...current,
            status: optimistic.status,
            ID: optimistic.ID || current.ID,
          };
          if (optimistic.error) next.error = optimistic.error;
          else delete next.error;
          return next;
        }) || changed;
    }
    if (changed) publishEntries();
  };

  const mergeHistory = (messages: readonly ChatMessage[], placement: 'newer' | 'older'): void => {
    const mine = messages.filter((m) => m.conversationID === conversationID || !m.conversationID);
    if (list.upsert(mine, placement)) {
      publishEntries();
      confirmFromHistory();
      refoldSession();
    }
  };

  const scheduleMarkRead = (): void => {
    if (markReadTimer !== null || !store.getState().isOpen) return;
    markReadTimer = clock.setTimeout(() => {
      markReadTimer = null;
      if (!store.getState().isOpen || !transport.isReady()) return;
      void transport.setMessageRead(conversationID).then((res) => {
        if (!res.ok) logger.warn('mark read failed', res.error);
      });
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

  const sendHandshake = async (): Promise<void> => {
    handshakePending = false;
    const language = protocolLanguage(deps.language());
    const res = await sendProtocol(buildHandshake({ language }), { onlineUserOnly: true });
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
        if (network === 'online' && was !== 'online') void gapFill();
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
        else if (was !== 'online') void gapFill();
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

  const outgoing = (content: OutgoingContent, cloudCustomData = ''): OutgoingMessage => ({
    clientId: deps.newClientId(),
    conversationID,
    to: peerID,
    content,
    cloudCustomData,
  });

  /** Protocol uplinks bypass the outbox: they are hidden, and stale ones must not be sent later. */
  const sendProtocol = async (data: string, options: SendOptions): Promise<Result<ChatMessage>> => {
    if (!transport.isReady()) return err(appError('not-logged-in', 'not connected'));
    return transport.sendMessage(outgoing({ kind: 'custom', data }), options);
  };

  const sendThroughOutbox = async (
    content: OutgoingContent,
    cloudCustomData = '',
  ): Promise<Result<void>> => {
    const message = outgoing(content, cloudCustomData);
    const pending = outbox.send(message);
    // The outbox has the entry now: show it before the send resolves.
    syncOutbox();
    const res = await pending;
    if (!store.getState().isOpen) {
      // Not listening to the outbox: apply the outcome here so the list never shows a stale state.
      if (res.ok && list.upsert([res.value])) publishEntries();
      else syncOutbox();
    }
    // Queued for the connection to return: the bubble says so, a toast would cry wolf.
    if (!res.ok && TRANSIENT.has(res.error.code)) return err(res.error);
    if (!res.ok) return fail(res.error);
    return succeed();
  };

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

  return {
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

    sendText(text) {
      const trimmed = text.trim();
      if (trimmed === '') return Promise.resolve(fail(appError('invalid-input', 'empty message')));
      return sendThroughOutbox({ kind: 'text', text });
    },

    sendImage(file) {
      if (!file || typeof file.tempFilePath !== 'string' || file.tempFilePath === '') {
        return Promise.resolve(fail(appError('invalid-input', 'no file')));
      }
      if (!(file.size <= deps.imageMaxBytes)) {
        return Promise.resolve(
          fail(
            appError('file-too-large', `image of ${file.size} bytes over ${deps.imageMaxBytes}`, {
              max: deps.imageMaxBytes,
            }),
          ),
        );
      }
      const content: OutgoingContent = {
        kind: 'image',
        tempFilePath: file.tempFilePath,
        size: file.size,
      };
      if (file.width) content.width = file.width;
      if (file.height) content.height = file.height;
      return sendThroughOutbox(content);
    },

    async retry(clientId) {
      const pending = outbox.retry(clientId);
      syncOutbox();
      const res = await pending;
      return res.ok ? succeed() : fail(res.error);
    },

    discard(clientId) {
      const res = outbox.discard(clientId);
      if (!res.ok) return fail(res.error);
      if (list.remove(clientId)) publishEntries();
      return succeed();
    },

    chooseItem(messageId, item) {
      return guard(`choose:${messageId}`, async () => {
        const entry = entryOf(messageId);
        const c = entry?.derived;
        if (
          !c ||
          (c.kind !== 'branch' &&
            c.kind !== 'form' &&
            c.kind !== 'robot-menu' &&
            c.kind !== 'task-branch')
        ) {
          return fail(appError('not-found', `no menu ${messageId}`));
        }
        if (c.kind === 'task-branch' && store.getState().choices[messageId] !== undefined) {
          return fail(appError('not-allowed', 'this branch was already answered'));
        }
        const reply = buildChoiceReply(c, item);
        if (!reply.ok)
          return fail(
            appError(
              reply.error.problem === 'already-selected' ? 'not-allowed' : 'invalid-input',
              reply.error.message,
            ),
          );
        set({ choices: { ...store.getState().choices, [messageId]: reply.value.text } });
        return sendThroughOutbox(
          { kind: 'text', text: reply.value.text },
          reply.value.cloudCustomData ?? '',
        );
      });
    },

    nextMenuPage(messageId) {
      const c = entryOf(messageId)?.derived;
      if (!c || c.kind !== 'robot-menu') return;
      const size = deps.menuPageSize ?? 5;
      const pages = Math.max(1, Math.ceil(c.items.length / size));
      const current = store.getState().menuPages[messageId] ?? 0;
      set({ menuPages: { ...store.getState().menuPages, [messageId]: (current + 1) % pages } });
    },

    submitRating(messageId, optionId) {
      return guard(`rating:${messageId}`, async () => {
        const entry = entryOf(messageId);
        const c = entry?.derived;
        if (!entry || !c || c.kind !== 'rating')
          return fail(appError('not-found', `no rating ${messageId}`));
        const local = store.getState().ratings[messageId];
        if (c.selectedId !== undefined || local)
          return fail(appError('rating-duplicate', 'already rated'));
        const nowSec = Math.floor(clock.now() / 1000);
        if (isRatingExpired(c, nowSec)) return fail(appError('rating-expired', 'rating expired'));
        let data: string;
        try {
          data = buildRatingSubmission(c, optionId, nowSec);
        } catch (e) {
          if (e instanceof RatingSubmissionError) {
            return fail(
              appError(e.code === 'expired' ? 'rating-expired' : 'invalid-input', e.message),
            );
          }
          throw e;
        }
        const previousPhase = store.getState().session.phase;
        set({
          ratings: {
            ...store.getState().ratings,
            [messageId]: { selectedId: optionId, submitting: true },
          },
          session: { ...store.getState().session, phase: 'rated' },
        });
        const res = await sendProtocol(data, { onlineUserOnly: true });
        if (!res.ok) {
          const ratings = { ...store.getState().ratings };
          delete ratings[messageId];
          set({ ratings, session: { ...store.getState().session, phase: previousPhase } });
          return fail(res.error);
        }
        set({
          ratings: {
            ...store.getState().ratings,
            [messageId]: { selectedId: optionId, submitting: false },
          },
        });
        return succeed();
      });
    },

    setTaskFormValue(messageId, name, value) {
      const forms = store.getState().forms;
      const form = forms[messageId] ?? {
        submitting: false,
        submitted: false,
        values: {},
        errors: {},
      };
      const errors = { ...form.errors };
      delete errors[name];
      set({
        forms: {
          ...forms,
          [messageId]: { ...form, values: { ...form.values, [name]: value }, errors },
        },
      });
    },

    submitTaskForm(messageId, values) {
      return guard(`form:${messageId}`, async () => {
        const c = entryOf(messageId)?.derived;
        if (!c || c.kind !== 'task-form')
          return fail(appError('not-found', `no task form ${messageId}`));
        const forms = store.getState().forms;
        const form = forms[messageId] ?? {
          submitting: false,
          submitted: false,
          values: {},
          errors: {},
        };
        if (form.submitted || !c.editable)
          return fail(appError('not-allowed', 'form already submitted'));
        const merged = { ...form.values, ...(values ?? {}) };
        const built = buildTaskFormSubmission(c, merged);
        if (!built.ok) {
          const errors: Record<string, string> = {};
          for (const problem of built.error.problems) {
            if ('field' in problem) errors[problem.field] = TASK_PROBLEM_TEXT[problem.reason];
          }
          set({
            forms: { ...store.getState().forms, [messageId]: { ...form, values: merged, errors } },
          });
          return fail(appError('invalid-input', built.error.message, built.error.problems));
        }
        set({
          forms: {
            ...store.getState().forms,
            [messageId]: { ...form, values: merged, errors: {}, submitting: true },
          },
        });
        const res = await sendProtocol(built.value, {});
        const latest = store.getState().forms[messageId] ?? form;
        set({
          forms: {
            ...store.getState().forms,
            [messageId]: { ...latest, submitting: false, submitted: res.ok },
          },
        });
        return res.ok ? succeed() : fail(res.error);
      });
    },

    submitFormInput(messageId, text) {
      return guard(`form:${messageId}`, async () => {
        const c = entryOf(messageId)?.derived;
        if (!c || c.kind !== 'form') return fail(appError('not-found', `no form ${messageId}`));
        const form = store.getState().forms[messageId];
        if (form?.submitted) return fail(appError('not-allowed', 'form already answered'));
        const reply = buildFormInputReply(c, text);
        if (!reply.ok) return fail(appError('invalid-input', reply.error.message));
        const base = form ?? { submitting: false, submitted: false, values: {}, errors: {} };
        set({ forms: { ...store.getState().forms, [messageId]: { ...base, submitted: true } } });
        return sendThroughOutbox({ kind: 'text', text: reply.value.text });
      });
    },

    requestRating() {
      return guard('request-rating', async () => {
        if (!isService) return fail(appError('not-allowed', 'not a service conversation'));
        if (!store.getState().session.canUserRate)
          return fail(appError('not-allowed', 'rating requests are off'));
        const res = await sendProtocol(buildRatingRequest(), { onlineUserOnly: true });
        return res.ok ? succeed() : fail(res.error);
      });
    },

    endSession() {
      return guard('end-session', async () => {
        if (!isService || store.getState().session.phase !== 'agent') {
          return fail(appError('not-allowed', 'no human session to end'));
        }
        const language = protocolLanguage(deps.language());
        const res = await sendProtocol(buildEndSession({ language }), { onlineUserOnly: true });
        return res.ok ? succeed() : fail(res.error);
      });
    },

    transferToHuman() {
      if (!isService)
        return Promise.resolve(fail(appError('not-allowed', 'not a service conversation')));
      return sendThroughOutbox({ kind: 'text', text: deps.transferText });
    },

    sendProductCard(card) {
      if (!isService)
        return Promise.resolve(fail(appError('not-allowed', 'not a service conversation')));
      if (!card.header.trim())
        return Promise.resolve(fail(appError('invalid-input', 'card without header')));
      return sendThroughOutbox({ kind: 'custom', data: buildProductCard(card) });
    },

    close() {
      for (const unsubscribe of subscriptions) unsubscribe();
      subscriptions = [];
      if (markReadTimer !== null) clock.clearTimeout(markReadTimer);
      if (transientTimer !== null) clock.clearTimeout(transientTimer);
      markReadTimer = null;
      transientTimer = null;
      pendingOpen = false;
      handshakePending = false;
      if (store.getState().isOpen) set({ isOpen: false });
    },
  };
}

import { createChatStore } from '../core/chat/chat-store';
import type { ChatStore, ChatStoreDeps } from '../core/chat/chat-store';
import type { ChatViewContext } from '../core/chat/chat-view';
import { createOutbox, followSession } from '../core/chat/outbox';
import { storedSentProducts } from '../core/chat/product-offer';
import type { Outbox } from '../core/chat/outbox';
import { createConversationStore } from '../core/conversations/conversation-store';
import type { ConversationStore } from '../core/conversations/conversation-store';
import type { ConversationViewContext } from '../core/conversations/conversation-view';
import { getLanguage, t } from '../core/i18n/index';
import type { Language } from '../core/i18n/index';
import { peerOfConversation } from '../core/model/message';
import type { AuthPort } from '../core/ports/auth';
import type { ChatTransport } from '../core/ports/chat-transport';
import type { Clock } from '../core/ports/clock';
import type { Logger } from '../core/ports/logger';
import type { FileKeeper } from '../core/ports/files';
import type { KeyValueStorage } from '../core/ports/storage';
import { createProfileStore } from '../core/profile/my-profile';
import type { ProfileStore } from '../core/profile/my-profile';
import { createSessionStore } from '../core/session/session-store';
import type { SessionStore } from '../core/session/session-store';
import type { AppConfig, ServiceDisplay } from '../config';

/** Per-chat options: the entry's skill group, and timings and limits a test may shorten. */
export type ChatTuning = Partial<
  Pick<
    ChatStoreDeps,
    | 'markReadDelayMs'
    | 'typingMs'
    | 'thinkingMs'
    | 'gapFillPages'
    | 'menuPageSize'
    | 'imageMaxBytes'
    | 'skillGroup'
  >
>;

/** What the services are built on: the configuration and one adapter per port. */
export interface ServicePorts {
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  storage: KeyValueStorage;
  transport: ChatTransport;
  auth: AuthPort;
  files: FileKeeper;
  /** UI language in effect; the app's current language when not given. */
  language?: () => Language;
  /** New unique client ids; time + counter + randomness when not given. */
  newClientId?: () => string;
  /** Login retry delays (ms) of the session store. */
  sessionRetryDelaysMs?: readonly number[];
  /** Applied to every chat store. */
  chatTuning?: ChatTuning;
}

let clientSeq = 0;

function defaultClientId(clock: Clock): string {
  clientSeq += 1;
  // Unique per device and run: time + counter + randomness (client ids never leave the device).
  return `c${clock.now().toString(36)}-${clientSeq.toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`;
}

/**
 * The stores and their wiring over the ports: what pages use, built once by `services/index.ts`
 * over the real adapters and by the test harnesses over fakes (one wiring for all).
 *
 * Start-up (app.ts `onLaunch`): `getServices().session.restore()`; `ok(false)` → login page.
 * Chat page: `const chat = services.createChat(id)`, `chat.open()` in `onLoad`, `chat.close()`
 * in `onUnload` (a hidden page keeps listening); view via `createChatViewBuilder()` with
 * `services.chatViewContext(id)` and `diffForSetData` for `setData`.
 */
export interface CoreServices {
  config: AppConfig;
  clock: Clock;
  logger: Logger;
  storage: KeyValueStorage;
  transport: ChatTransport;
  auth: AuthPort;
  session: SessionStore;
  outbox: Outbox;
  conversations: ConversationStore;
  /** The user's own avatar and nickname. */
  profile: ProfileStore;
  /** UI language in effect. */
  language(): Language;
  /** Service accounts: the login server's list when it sent one, else the configured one. */
  serviceAccounts(): readonly string[];
  /** Display nick/avatar of a service account (configuration fallbacks). */
  serviceDisplay(userID: string): ServiceDisplay;
  /** A new chat store for one conversation (one per page instance). */
  createChat(conversationID: string, tuning?: ChatTuning): ChatStore;
  /** The context `createChatViewBuilder()` needs for that conversation, at the current time. */
  chatViewContext(conversationID: string): ChatViewContext;
  /** The context `createConversationViewBuilder()` needs, at the current time. */
  conversationViewContext(): ConversationViewContext;
}

/** Builds the stores over the ports and wires them together. */
export function buildServices(ports: ServicePorts): CoreServices {
  const { config, clock, logger, storage, transport, auth, files } = ports;
  const language = ports.language ?? ((): Language => getLanguage());
  const newClientId = ports.newClientId ?? (() => defaultClientId(clock));
  const session = createSessionStore({
    transport,
    auth,
    storage,
    clock,
    logger,
    ...(ports.sessionRetryDelaysMs ? { retryDelaysMs: ports.sessionRetryDelaysMs } : {}),
  });
  const sentProducts = storedSentProducts(storage);
  const serviceAccounts = (): readonly string[] => {
    const fromServer = session.getState().serviceAccounts;
    return fromServer.length > 0 ? fromServer : config.serviceAccounts;
  };
  const outbox = createOutbox({ transport, storage, clock, logger });
  const conversations = createConversationStore({ transport, logger, serviceAccounts, language });
  const profile = createProfileStore({ storage, files, transport, logger });
  profile.useAccount(session.getState().userID);
  session.subscribe((state, previous) => {
    if (state.userID !== previous.userID) profile.useAccount(state.userID);
    if (state.status === 'ready' && previous.status !== 'ready') profile.shareIfPending();
  });
  /** Configured names are the company's own; without one, "在线客服" in the user's language. */
  const serviceDisplay = (userID: string): ServiceDisplay => {
    const display = config.serviceDisplay[userID] ?? config.defaultServiceDisplay;
    return display.nick !== ''
      ? display
      : { ...display, nick: t('chat.conversation.service', undefined, language()) };
  };

  // The outbox follows the user; it flushes whenever the connection is usable again.
  const pinTried = new Set<string>();
  followSession(outbox, session, transport);
  session.subscribe((state, previous) => {
    if (state.userID !== previous.userID) pinTried.clear();
  });
  // Service conversations are pinned on the server too (once per conversation and login), so
  // other clients of the same user list them first as well. Only once Chat is ready: before
  // that the SDK refuses (3000, login in progress).
  const pinServiceConversations = (): void => {
    if (session.getState().status !== 'ready') return;
    const unpinned = conversations
      .getState()
      .items.filter(
        (i) => i.isService && !i.isPlaceholder && !i.isPinned && !pinTried.has(i.conversationID),
      );
    if (unpinned.length === 0) return;
    for (const item of unpinned) pinTried.add(item.conversationID);
    void conversations.pinServiceAccounts().then((res) => {
      if (!res.ok) logger.warn('pinning service accounts failed', res.error);
    });
  };
  conversations.subscribe(pinServiceConversations);
  session.subscribe((state, previous) => {
    if (state.status === 'ready' && previous.status !== 'ready') pinServiceConversations();
  });

  return {
    config,
    clock,
    logger,
    storage,
    transport,
    auth,
    session,
    outbox,
    conversations,
    profile,
    language,
    serviceAccounts,
    serviceDisplay,
    createChat(conversationID, tuning) {
      return createChatStore({
        conversationID,
        transport,
        outbox,
        clock,
        logger,
        serviceAccounts,
        selfID: () => session.getState().userID,
        language,
        newClientId,
        sentProducts,
        imageMaxBytes: config.imageMaxBytes,
        transferText: config.transferToHumanText,
        ...ports.chatTuning,
        ...tuning,
      });
    },
    chatViewContext(conversationID) {
      const peer = peerOfConversation(conversationID);
      const isService = serviceAccounts().includes(peer);
      const mine = profile.getState();
      return {
        now: clock.now(),
        language: language(),
        self: {
          nick: mine.nick || config.selfDisplay.nick,
          avatar: mine.avatar || config.selfDisplay.avatar,
        },
        peer: isService ? serviceDisplay(peer) : { nick: peer, avatar: '' },
      };
    },
    conversationViewContext() {
      return { now: clock.now(), language: language(), serviceDisplay };
    },
  };
}

import type { Language } from '../i18n/index';
import type { Conversation, LastMessage } from '../model/conversation';
import { c2cConversationID } from '../model/message';
import type { ChatTransport, TransportEvent } from '../ports/chat-transport';
import type { Logger } from '../ports/logger';
import { appError, err, ok } from '../result';
import type { AppError, Result } from '../result';
import { createStore } from '../store/store';
import type { ReadableStore } from '../store/store';
import {
  createClassifier,
  createVisibilityClassifier,
  isMessageInvisible,
  isServiceConversation,
  previewText,
} from '../tccc/index';
import type { Classification } from '../tccc/index';

/** A conversation with what the list needs already worked out. */
export interface ConversationItem extends Conversation {
  /** Talks to a configured customer-service account. */
  isService: boolean;
  /** Listed because it is configured, before any message exists. */
  isPlaceholder: boolean;
  /** One-line preview; `''` when nothing visible is known. Never the SDK's `[自定义消息]`. */
  preview: string;
  /** Unix ms of the last message, 0 when none. */
  lastTime: number;
}

/** The conversation list state. */
export interface ConversationListState {
  /** Service accounts first (configured order), then pinned, then newest first. */
  items: readonly ConversationItem[];
  totalUnread: number;
  loading: boolean;
  /** A list has been received since login. */
  loaded: boolean;
  error: AppError | null;
}

/** What the conversation store runs on. */
export interface ConversationStoreDeps {
  transport: ChatTransport;
  logger: Logger;
  serviceAccounts: () => readonly string[];
  language: () => Language;
}

/** The conversation list and its actions (each resolves to a `Result`). */
export interface ConversationStore extends ReadableStore<ConversationListState> {
  /** Reads the whole list again. */
  refresh(): Promise<Result<void>>;
  /** Deletes a conversation; refuses service accounts (`not-allowed`). */
  delete(conversationID: string): Promise<Result<void>>;
  /** Pins every existing service-account conversation on the server (so other clients agree). */
  pinServiceAccounts(): Promise<Result<void>>;
  /** Stops listening to the transport. */
  dispose(): void;
}

/**
 * The conversation list, kept current from `conversation-list-updated` events (the SDK sends the
 * whole list each time) and `refresh`. Previews come from the protocol core: protocol messages get
 * human text, and when the last message is invisible (a signal), the last visible preview seen for
 * that conversation is kept instead.
 */
export function createConversationStore(deps: ConversationStoreDeps): ConversationStore {
  const { transport, logger } = deps;
  const classify = createClassifier({ logger });
  const classifyLast = createVisibilityClassifier({ logger });
  const store = createStore<ConversationListState>(
    { items: [], totalUnread: 0, loading: false, loaded: false, error: null },
    (e) => logger.error('conversation listener failed', e),
  );
  /**
   * Last visible message's preview and time per conversation, for when the newest message is a
   * hidden signal: the row shows that message, at its own time.
   */
  const remembered = new Map<string, { text: string; time: number }>();
  /** Conversations whose newest visible message is being read from history, by stamp. */
  const lookedUp = new Map<string, string>();
  let raw: readonly Conversation[] = [];
  /**
   * Unread counts of service conversations without protocol messages: the SDK counts hidden
   * signals (src 23 after every handshake...) that the user never sees. Keyed by conversation, valid
   * while the conversation's unread stamp is unchanged.
   */
  const visibleUnread = new Map<string, { stamp: string; count: number }>();
  const recounting = new Set<string>();

  const stampOf = (c: Conversation): string => {
    const last = c.lastMessage;
    const body = last ? (last.payload.data ?? last.payload.text ?? '').slice(0, 64) : '';
    return `${c.unreadCount}|${last?.time ?? 0}|${last?.type ?? ''}|${body}`;
  };

  /** Counts the visible ones among the newest `unreadCount` incoming messages, then re-lists. */
  async function recount(conversationID: string): Promise<void> {
    if (recounting.has(conversationID)) return;
    recounting.add(conversationID);
    try {
      for (;;) {
        const conv = raw.find((c) => c.conversationID === conversationID);
        if (!conv || conv.unreadCount <= 0) return;
        const stamp = stampOf(conv);
        const page = await transport.getMessageList(conversationID);
        if (!page.ok) {
          logger.debug('unread recount failed', { conversationID, error: page.error });
          return;
        }
        const incoming = page.value.messages.filter((m) => m.flow === 'in');
        const unread = incoming.slice(-conv.unreadCount);
        const hidden = unread.filter((m) => isMessageInvisible(classify(m))).length;
        // Older unread messages beyond the page count as visible.
        visibleUnread.set(conversationID, { stamp, count: conv.unreadCount - hidden });
        const now = raw.find((c) => c.conversationID === conversationID);
        if (!now || stampOf(now) === stamp) break;
      }
      apply(raw);
    } finally {
      recounting.delete(conversationID);
    }
  }

  /** What the badge shows: the SDK's count, less protocol messages in service conversations. */
  const shownUnread = (
    c: Conversation,
    isService: boolean,
    last: Classification | null,
  ): number => {
    if (!isService || c.unreadCount <= 0) return Math.max(0, c.unreadCount);
    const known = visibleUnread.get(c.conversationID);
    if (known && known.stamp === stampOf(c)) return known.count;
    void recount(c.conversationID);
    // Until the recount answers: a hidden newest message is surely not worth a badge.
    const lastHidden = last !== null && !last.visible && c.lastMessage?.fromAccount === c.peerID;
    return Math.max(0, c.unreadCount - (lastHidden ? 1 : 0));
  };

  /** The last message classified once, for both the badge and the preview. */
  const classifyLastMessage = (last: LastMessage | null): Classification | null =>
    last
      ? classifyLast({
          type: last.type,
          payload: last.payload,
          cloudCustomData: last.cloudCustomData,
          isRevoked: last.isRevoked,
          from: last.fromAccount,
          time: last.time,
        })
      : null;

  const previewTextOf = (
    classified: ReturnType<typeof classify>,
    isService: boolean,
  ): string | undefined =>
    // Outside service conversations a custom message is not protocol: it never hides.
    previewText(
      !isService && (classified.kind === 'signal' || classified.kind === 'hidden')
        ? { ...classified, kind: 'unsupported', reason: 'no-src' }
        : classified,
      deps.language(),
    );

  /** The newest hidden: read the last visible message from history once per list stamp. */
  async function lookUpVisible(c: Conversation, isService: boolean): Promise<void> {
    const stamp = stampOf(c);
    if (lookedUp.get(c.conversationID) === stamp) return;
    lookedUp.set(c.conversationID, stamp);
    const page = await transport.getMessageList(c.conversationID);
    if (!page.ok) {
      logger.debug('preview lookup failed', {
        conversationID: c.conversationID,
        error: page.error,
      });
      return;
    }
    for (let i = page.value.messages.length - 1; i >= 0; i -= 1) {
      const m = page.value.messages[i];
      const text = previewTextOf(classify(m), isService);
      if (text === undefined) continue;
      const known = remembered.get(c.conversationID);
      if (known && known.time > m.time) return;
      remembered.set(c.conversationID, { text, time: m.time });
      apply(raw);
      return;
    }
  }

  const previewOf = (c: Conversation, isService: boolean): { text: string; time: number } => {
    const { conversationID } = c;
    const last = c.lastMessage;
    const none = { text: '', time: 0 };
    if (!last) return remembered.get(conversationID) ?? none;
    const classified = classify({
      type: last.type,
      payload: last.payload,
      cloudCustomData: last.cloudCustomData,
      isRevoked: last.isRevoked,
      from: last.fromAccount,
      time: last.time,
    });
    const text = previewTextOf(classified, isService);
    if (text === undefined) {
      const known = remembered.get(conversationID);
      // Visible messages may have come in a burst the list only saw the end of: check history.
      if (!known || known.time < last.time) void lookUpVisible(c, isService);
      // Nothing visible known yet: the time of a hidden signal would be a lie too.
      return known ?? none;
    }
    const shown = { text, time: last.time };
    remembered.set(conversationID, shown);
    return shown;
  };

  const shownPreview = (p: { text: string; time: number }) => ({
    preview: p.text,
    lastTime: p.time * 1000,
  });

  const build = (conversations: readonly Conversation[]): ConversationItem[] => {
    const accounts = deps.serviceAccounts();
    const items: ConversationItem[] = conversations
      .filter((c) => c.type !== 'SYSTEM')
      .map((c) => {
        const isService = isServiceConversation(c.conversationID, accounts);
        const last = classifyLastMessage(c.lastMessage);
        return {
          ...c,
          unreadCount: shownUnread(c, isService, last),
          isService,
          isPlaceholder: false,
          ...shownPreview(previewOf(c, isService)),
        };
      });
    for (const account of accounts) {
      const id = c2cConversationID(account);
      if (items.some((i) => i.conversationID === id)) continue;
      items.push({
        conversationID: id,
        type: 'C2C',
        peerID: account,
        name: '',
        avatar: '',
        unreadCount: 0,
        isPinned: false,
        lastMessage: null,
        isService: true,
        isPlaceholder: true,
        preview: remembered.get(id)?.text ?? '',
        lastTime: 0,
      });
    }
    const rank = (i: ConversationItem): number =>
      i.isService ? accounts.indexOf(i.peerID) : accounts.length;
    return items.sort(
      (a, b) =>
        rank(a) - rank(b) || Number(b.isPinned) - Number(a.isPinned) || b.lastTime - a.lastTime,
    );
  };

  const apply = (conversations: readonly Conversation[]): void => {
    raw = conversations;
    const items = build(conversations);
    const totalUnread = items.reduce((sum, i) => sum + Math.max(0, i.unreadCount), 0);
    store.update((s) => ({ ...s, items, totalUnread, loaded: true, loading: false, error: null }));
  };

  const onEvent = (event: TransportEvent): void => {
    if (event.type === 'conversation-list-updated') apply(event.conversations);
    else if (event.type === 'ready') void refresh();
    else if (
      event.type === 'not-ready' &&
      !transport.isReady() &&
      transport.getLoginUser() === ''
    ) {
      // Logged out or kicked: the next user must not see this list.
      raw = [];
      remembered.clear();
      visibleUnread.clear();
      store.update((s) => ({ ...s, items: build([]), totalUnread: 0, loaded: false }));
    }
  };

  const unsubscribe = transport.onEvent(onEvent);

  async function refresh(): Promise<Result<void>> {
    store.update((s) => ({ ...s, loading: true }));
    const res = await transport.getConversationList();
    if (!res.ok) {
      store.update((s) => ({ ...s, loading: false, error: res.error }));
      return res;
    }
    apply(res.value);
    return ok(undefined);
  }

  return {
    getState: store.getState,
    subscribe: store.subscribe,
    refresh,

    async delete(conversationID) {
      if (isServiceConversation(conversationID, deps.serviceAccounts())) {
        return err(appError('not-allowed', 'service conversations cannot be deleted'));
      }
      const res = await transport.deleteConversation(conversationID);
      if (!res.ok) return res;
      // The list event follows within a second; drop it now so the tap feels immediate.
      apply(raw.filter((c) => c.conversationID !== conversationID));
      return ok(undefined);
    },

    async pinServiceAccounts() {
      const existing = new Set(raw.map((c) => c.conversationID));
      let failure: AppError | null = null;
      for (const account of deps.serviceAccounts()) {
        const id = c2cConversationID(account);
        const conv = raw.find((c) => c.conversationID === id);
        if (!existing.has(id) || conv?.isPinned) continue;
        const res = await transport.pinConversation(id, true);
        if (!res.ok) {
          logger.warn('pin failed', { id, error: res.error });
          failure = res.error;
        }
      }
      return failure ? err(failure) : ok(undefined);
    },

    dispose() {
      unsubscribe();
    },
  };
}

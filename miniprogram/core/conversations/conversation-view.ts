import { t } from '../i18n/index';
import type { Language } from '../i18n/index';
import { errorText } from '../chat/chat-view';
import { formatListTime } from '../view/time-format';
import type { ConversationItem, ConversationListState } from './conversation-store';

/** One row of the conversation list, pre-formatted. */
export interface ConversationItemView {
  conversationID: string;
  name: string;
  avatar: string;
  preview: string;
  timeText: string;
  unreadCount: number;
  /** Badge text: `''` for none, `99+` above 99. */
  unreadText: string;
  isPinned: boolean;
  isService: boolean;
  /** Service conversations cannot be deleted. */
  canDelete: boolean;
}

/** The conversation list page's data. */
export interface ConversationListView {
  items: ConversationItemView[];
  totalUnread: number;
  totalUnreadText: string;
  isEmpty: boolean;
  loading: boolean;
  errorText: string;
}

/** Display settings for a service account (config), used when its profile is empty. */
export interface ServiceDisplay {
  nick: string;
  avatar: string;
}

/** Time, language and display fallbacks for the list view. */
export interface ConversationViewContext {
  now: number;
  language: Language;
  /** By service-account userID. */
  serviceDisplay: (userID: string) => ServiceDisplay;
  /** Avatar for ordinary conversations without one. */
  defaultAvatar?: string;
}

function badge(count: number): string {
  if (count <= 0) return '';
  return count > 99 ? '99+' : String(count);
}

function itemView(item: ConversationItem, ctx: ConversationViewContext): ConversationItemView {
  const display = item.isService ? ctx.serviceDisplay(item.peerID) : null;
  return {
    conversationID: item.conversationID,
    name:
      item.name ||
      display?.nick ||
      (item.isService
        ? t('chat.conversation.service', undefined, ctx.language)
        : item.peerID || item.conversationID),
    avatar: item.avatar || display?.avatar || ctx.defaultAvatar || '',
    preview: item.preview,
    timeText: formatListTime(item.lastTime, ctx.now, ctx.language),
    unreadCount: item.unreadCount,
    unreadText: badge(item.unreadCount),
    // Service accounts are always shown pinned, whatever the server says.
    isPinned: item.isService || item.isPinned,
    isService: item.isService,
    canDelete: !item.isService,
  };
}

/**
 * Makes the conversation-list view function. Items whose conversation object did not change (and
 * whose time text did not roll over) keep their identity, so `diffForSetData` sends only what moved.
 */
export function createConversationViewBuilder(): (
  state: ConversationListState,
  ctx: ConversationViewContext,
) => ConversationListView {
  let cache = new Map<
    string,
    { item: ConversationItem; key: string; view: ConversationItemView }
  >();
  return (state, ctx) => {
    const next = new Map<
      string,
      { item: ConversationItem; key: string; view: ConversationItemView }
    >();
    const items = state.items.map((item) => {
      const display = item.isService ? ctx.serviceDisplay(item.peerID) : null;
      const key = `${ctx.language}|${formatListTime(item.lastTime, ctx.now, ctx.language)}|${display?.nick ?? ''}|${display?.avatar ?? ''}|${item.preview}|${item.unreadCount}|${item.isPinned}|${item.name}|${item.avatar}`;
      const cached = cache.get(item.conversationID);
      const view = cached && cached.key === key ? cached.view : itemView(item, ctx);
      next.set(item.conversationID, { item, key, view });
      return view;
    });
    cache = next;
    return {
      items,
      totalUnread: state.totalUnread,
      totalUnreadText: badge(state.totalUnread),
      isEmpty: state.loaded && items.length === 0,
      loading: state.loading,
      errorText: errorText(state.error, ctx.language),
    };
  };
}

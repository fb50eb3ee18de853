import type { ChatStore } from '../../core/chat/chat-store';
import type { MessageView } from '../../core/chat/chat-view';
import { createScrollFollow } from '../../core/chat/scroll-follow';
import type { ScrollFollow } from '../../core/chat/scroll-follow';
import type { EntryTarget } from '../../core/entry/route-entry';
import type { TimerHandle } from '../../core/ports/clock';
import type { ReplyNotifications } from '../../adapters/notify/index';
import type { ViewBinding } from '../../behaviors/store-binding';
import type { UnreachableWatch } from '../../utils/unreachable-watch';
import type { ReplyPrompts } from './reply-prompts';

/** What a chat page instance keeps outside `data` (never rendered). */
export interface PagePrivate {
  chat?: ChatStore;
  binding?: ViewBinding;
  target?: EntryTarget;
  conversationID: string;
  lastError: string;
  /** Whether the list follows its end, and the "new messages" pill (see scroll-follow.ts). */
  follow: ScrollFollow;
  /** Height of the message list (px), for the scroll positions. */
  viewport: number;
  /** Stops `afterChange` following the store. */
  unfollow?: () => void;
  /** Stops redrawing one's messages on a profile change. */
  unfollowProfile?: () => void;
  /** Rebuilds the view when it changes by itself (a rating card expiring). */
  refreshTimer?: TimerHandle;
  refreshAt: number;
  notify?: ReplyNotifications;
  prompts?: ReplyPrompts;
  /** Offers WeChat's customer service when the chat stays unreachable. */
  unreachable?: UnreachableWatch;
  /** The render window starts at this message key (`''` = the first loaded message). */
  firstKey: string;
  /** Every loaded message's view, of which the window renders the newest part. */
  allMessages: readonly MessageView[];
}
const own = new WeakMap<object, PagePrivate>();
export const priv = (page: object): PagePrivate => {
  let p = own.get(page);
  if (!p) {
    p = {
      conversationID: '',
      lastError: '',
      follow: createScrollFollow(),
      viewport: 0,
      firstKey: '',
      allMessages: [],
      refreshAt: 0,
    };
    own.set(page, p);
  }
  return p;
};

/** Page-path values arrive URI-encoded. */
export function decodeParam(value: string | undefined): string {
  try {
    return value ? decodeURIComponent(value) : '';
  } catch {
    return '';
  }
}

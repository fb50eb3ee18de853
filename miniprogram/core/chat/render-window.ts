/**
 * How many messages a chat page renders. The store keeps every message it loaded, but WeChat's
 * setData and the rendering layer pay for every item on screen: a long session (or a user paging far
 * back) must not put thousands of bubbles into one page. The page renders the messages from
 * `firstKey` on; the window only moves on purpose, never on an incoming message, so an append stays
 * a one-item setData:
 *
 * - it is cut back to the newest {@link RENDER_KEEP} once more than {@link RENDER_MAX} are rendered
 *   and the reader is at the bottom (one full list send, every ~100 messages at most);
 * - "load older" first widens it over messages already in memory, then pages the server.
 */
import type { ChatView, MessageView } from './chat-view';

/** More rendered messages than this, with the reader at the bottom, trims the window. */
export const RENDER_MAX = 200;
/** Messages kept rendered after a trim. */
export const RENDER_KEEP = 100;
/** Messages one "load older" reveals from memory. */
export const RENDER_STEP = 40;

/** A chat view cut to its render window; `history.hidden` counts loaded messages not rendered. */
export interface WindowedChatView extends ChatView {
  history: ChatView['history'] & { hidden: number };
}

function indexOfKey(messages: readonly MessageView[], key: string): number {
  if (key === '') return 0;
  // From the end: the window is the newest part, so this is short however much is loaded.
  for (let i = messages.length - 1; i >= 0; i -= 1) if (messages[i].key === key) return i;
  // The anchor is gone (should not happen: entries are not removed): render everything.
  return 0;
}

/** `view` rendering only from `firstKey` (`''` = everything). Message objects are shared. */
export function windowChatView(view: ChatView, firstKey: string): WindowedChatView {
  const from = indexOfKey(view.messages, firstKey);
  return {
    ...view,
    messages: from === 0 ? view.messages : view.messages.slice(from),
    history: {
      ...view.history,
      hidden: from,
      canLoadOlder: view.history.canLoadOlder || from > 0,
    },
  };
}

/**
 * The window's new first key after a change: trimmed to the newest {@link RENDER_KEEP} when more
 * than {@link RENDER_MAX} are rendered and the reader is at the bottom, else unchanged.
 */
export function trimmedFirstKey(
  messages: readonly MessageView[],
  firstKey: string,
  atBottom: boolean,
): string {
  const rendered = messages.length - indexOfKey(messages, firstKey);
  if (!atBottom || rendered <= RENDER_MAX) return firstKey;
  return messages[messages.length - RENDER_KEEP].key;
}

/** The first key after revealing up to `step` older messages from memory (`''` at the start). */
export function widenedFirstKey(
  messages: readonly MessageView[],
  firstKey: string,
  step = RENDER_STEP,
): string {
  const from = indexOfKey(messages, firstKey) - step;
  return from <= 0 ? '' : messages[from].key;
}

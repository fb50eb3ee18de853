/**
 * Whether the message list follows its end, as a small state machine fed with the list's scroll
 * positions and its changes. At the bottom, every change of the rendered list (a new message, the
 * newest one growing as it streams, a rating's thank-you line, a form's error) keeps the end in
 * view; scrolled up, a new incoming message raises a "new messages" pill instead of a jump, and the
 * pill goes when the user is back at the bottom.
 */

/** The part of a rendered message the decision needs. */
export interface FollowedMessage {
  key: string;
  isMine: boolean;
}

export interface ScrollFollowState {
  /** The end of the list is in view (within the threshold). */
  atBottom: boolean;
  /** Unseen messages arrived below while scrolled up. */
  pill: boolean;
}

/** What the page does after an event: scroll to the end or not, and the pill to show. */
export interface ScrollDecision extends ScrollFollowState {
  scrollToBottom: boolean;
}

/** A scroll position of the list (the scroll-view's `bindscroll` detail plus its own height). */
export interface ScrollPosition {
  scrollTop: number;
  scrollHeight: number;
  viewportHeight: number;
}

export interface ScrollFollow {
  getState(): ScrollFollowState;
  /** The user (or a programmatic scroll) moved the list. */
  scrolled(position: ScrollPosition): ScrollDecision;
  /** The rendered list changed (a new array of message views: something in it changed). */
  listChanged(messages: readonly FollowedMessage[]): ScrollDecision;
  /** The user asked for the end (sent something, tapped the pill, opened the keyboard). */
  follow(): ScrollDecision;
  /** The page scrolled to a message up the list on purpose (a buried rating card). */
  leave(): ScrollDecision;
}

/** Distance from the end (px) that still counts as "at the bottom". */
export const AT_BOTTOM_PX = 80;

export function createScrollFollow(thresholdPx = AT_BOTTOM_PX): ScrollFollow {
  let state: ScrollFollowState = { atBottom: true, pill: false };
  let lastKey = '';
  let lastList: readonly FollowedMessage[] | null = null;
  let lastTop: number | null = null;

  const decide = (next: ScrollFollowState, scrollToBottom: boolean): ScrollDecision => {
    if (next.atBottom !== state.atBottom || next.pill !== state.pill) state = next;
    return { ...state, scrollToBottom };
  };

  return {
    getState: () => state,

    scrolled({ scrollTop, scrollHeight, viewportHeight }) {
      if (![scrollTop, scrollHeight, viewportHeight].every(Number.isFinite))
        return decide(state, false);
      // Only a move up leaves the bottom: content that grew before the page's own scroll caught
      // up reports a distance too, but the list did not move up.
      const movedUp = lastTop !== null && scrollTop < lastTop;
      lastTop = scrollTop;
      const near = scrollHeight - scrollTop - viewportHeight <= thresholdPx;
      const atBottom = near || (!movedUp && state.atBottom);
      return decide({ atBottom, pill: atBottom ? false : state.pill }, false);
    },

    listChanged(messages) {
      if (messages === lastList) return decide(state, false);
      lastList = messages;
      const last = messages[messages.length - 1];
      const key = last ? last.key : '';
      const isNew = key !== '' && key !== lastKey;
      lastKey = key;
      if (state.atBottom) return decide({ atBottom: true, pill: false }, true);
      // The user's own message brings them down; someone else's raises the pill.
      if (isNew && last?.isMine) return decide({ atBottom: true, pill: false }, true);
      if (isNew) return decide({ atBottom: false, pill: true }, false);
      return decide(state, false);
    },

    follow() {
      return decide({ atBottom: true, pill: false }, true);
    },

    leave() {
      return decide({ atBottom: false, pill: state.pill }, false);
    },
  };
}

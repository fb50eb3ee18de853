import { isRatingExpired } from '../tccc/index';
import { agentNameFromPrompt } from './service-session';
import { localDayKey } from '../view/time-format';
import type { ChatEntry, ChatState, FormLocal, RatingLocal } from './chat-store';
import { errorText, messageView, TIME_SEPARATOR_GAP_MS } from './message-view';
import { historyView, networkView, productOfferView, sessionView } from './session-view';
import type { LastRating } from './session-view';
import type { ChatView, ChatViewContext, MessageView } from './view-types';

export { errorText, TIME_SEPARATOR_GAP_MS } from './message-view';
export type * from './view-types';

const NO_RATING: LastRating = { pendingKey: '', expired: false };
const RATED: LastRating = NO_RATING;
const EXPIRED: LastRating = { pendingKey: '', expired: true };

/**
 * Consecutive queue updates are one live line: only the newest of a run is shown. Returns the
 * same array when nothing collapses.
 */
function collapseQueueNotices(messages: MessageView[]): MessageView[] {
  let out: MessageView[] | null = null;
  for (let i = 0; i < messages.length; i += 1) {
    const collapsed = messages[i].notice === 'queue' && messages[i + 1]?.notice === 'queue';
    if (collapsed && !out) out = messages.slice(0, i);
    else if (!collapsed && out) out.push(messages[i]);
  }
  return out ?? messages;
}

/** What a message view was built from; reused (mutated) across builds, never handed out. */
interface CacheSlot {
  entry: ChatEntry;
  rating: RatingLocal | undefined;
  choice: string | undefined;
  form: FormLocal | undefined;
  page: number | undefined;
  agent: string;
  day: number;
  expired: boolean;
  ctxKey: string;
  view: MessageView | null;
  generation: number;
}

/**
 * Makes a view-model function for one chat page. It remembers the previous result: an entry whose
 * inputs did not change keeps the same `MessageView` object, so `diffForSetData` skips it by
 * reference and one new message yields one `messages[i]` key.
 */
export function createChatViewBuilder(): (state: ChatState, ctx: ChatViewContext) => ChatView {
  const cache = new Map<string, CacheSlot>();
  let generation = 0;

  /** The previous build, so an append only builds the new tail (unchanged prefix reused as is). */
  let prev: {
    state: ChatState;
    ctxKey: string;
    day: number;
    /** Earliest `expireTime` among pending ratings (Infinity when none): past it, rebuild all. */
    expiryAt: number;
    messages: MessageView[];
    /** For entry index i: visible messages before it, separator time and rating-pending flag there. */
    visibleBefore: number[];
    shownBefore: number[];
    lastRatingBefore: LastRating[];
    /** For entry index i: the agent serving at that point (from the last "connected" prompt). */
    agentBefore: string[];
    agent: string;
    /** Two queue notices in a row may be shown: collapse them (a scan only then). */
    queueRun: boolean;
    /** Separator time and rating-pending flag after the last entry. */
    lastShown: number;
    lastRating: LastRating;
  } | null = null;

  return (state, ctx) => {
    const { language } = ctx;
    const day = localDayKey(ctx.now);
    const nowSec = Math.floor(ctx.now / 1000);
    // Everything besides the entry a message view depends on (the network only for unsent ones,
    // but it changes rarely enough to rebuild all).
    const ctxKey = `${language}|${ctx.self.nick}|${ctx.self.avatar}|${ctx.peer.nick}|${ctx.peer.avatar}|${ctx.imageBox ?? ''}|${ctx.menuPageSize ?? ''}|${state.network}`;
    generation += 1;
    const { entries, ratings, choices, forms, menuPages } = state;

    // Where this build starts: after the longest prefix of entries that is the same as last time,
    // when nothing else a view depends on changed.
    let start = 0;
    if (
      prev &&
      prev.ctxKey === ctxKey &&
      prev.day === day &&
      nowSec <= prev.expiryAt &&
      prev.state.ratings === ratings &&
      prev.state.choices === choices &&
      prev.state.forms === forms &&
      prev.state.menuPages === menuPages &&
      prev.state.isService === state.isService
    ) {
      const before = prev.state.entries;
      const limit = Math.min(before.length, entries.length);
      while (start < limit && before[start] === entries[start]) start += 1;
    }
    let messages: MessageView[] = [];
    let visibleBefore: number[] = [];
    let shownBefore: number[] = [];
    let lastRatingBefore: LastRating[] = [];
    let agentBefore: string[] = [];
    let agent = '';
    let queueRun = false;
    // The gap is measured from the last separator shown, like WeChat: a steady trickle of messages
    // still shows a time every five minutes.
    let lastShownTime = -Infinity;
    let lastRating: LastRating = NO_RATING;
    let expiryAt = Infinity;
    if (prev && start > 0) {
      const atEnd = start === prev.state.entries.length;
      messages = prev.messages.slice(0, atEnd ? prev.messages.length : prev.visibleBefore[start]);
      lastShownTime = atEnd ? prev.lastShown : prev.shownBefore[start];
      lastRating = atEnd ? prev.lastRating : prev.lastRatingBefore[start];
      agent = atEnd ? prev.agent : prev.agentBefore[start];
      // Kept from the longer list: at worst one needless scan.
      queueRun = prev.queueRun;
      expiryAt = prev.expiryAt;
      // The per-index arrays are internal: reused and cut back to the unchanged prefix.
      ({ visibleBefore, shownBefore, lastRatingBefore, agentBefore } = prev);
      visibleBefore.length = start;
      shownBefore.length = start;
      lastRatingBefore.length = start;
      agentBefore.length = start;
    }

    for (let i = start; i < entries.length; i += 1) {
      visibleBefore[i] = messages.length;
      shownBefore[i] = lastShownTime;
      lastRatingBefore[i] = lastRating;
      agentBefore[i] = agent;
      const entry = entries[i];
      const m = entry.message;
      const c = entry.derived;
      const mid = m.ID;
      const rating = mid ? ratings[mid] : undefined;
      const choice = mid ? choices[mid] : undefined;
      const form = mid ? forms[mid] : undefined;
      const page = mid ? menuPages[mid] : undefined;
      if (c.meta?.messageType === 'connectedToAgent' && m.flow === 'in') {
        // Each agent session's messages carry that session's agent (the prompt names them).
        const own = m.nick.trim() !== '' && m.nick !== ctx.peer.nick ? m.nick.trim() : '';
        agent = agentNameFromPrompt(c.kind === 'plain' ? (c.text ?? '') : '') || own;
      }
      let expired = false;
      if (c.kind === 'rating') {
        expired = isRatingExpired(c, nowSec);
        const rated = c.selectedId !== undefined || rating !== undefined;
        lastRating = rated ? RATED : expired ? EXPIRED : { pendingKey: entry.key, expired: false };
        if (!rated && !expired && c.expireTime !== undefined)
          expiryAt = Math.min(expiryAt, c.expireTime);
      }
      let slot = cache.get(entry.key);
      let view: MessageView | null;
      if (
        slot &&
        slot.entry === entry &&
        slot.rating === rating &&
        slot.choice === choice &&
        slot.form === form &&
        slot.page === page &&
        slot.agent === agent &&
        slot.day === day &&
        slot.expired === expired &&
        slot.ctxKey === ctxKey
      ) {
        view = slot.view;
        if (view) {
          const showTime = m.time * 1000 - lastShownTime >= TIME_SEPARATOR_GAP_MS;
          if (view.showTime !== showTime) view = slot.view = { ...view, showTime };
        }
      } else {
        view = messageView(
          entry,
          { rating, choice, form, page, agent },
          state,
          ctx,
          expired,
          lastShownTime,
        );
        const fields = { entry, rating, choice, form, page, agent, day, expired, ctxKey, view };
        if (slot) Object.assign(slot, fields);
        else {
          slot = { ...fields, generation };
          cache.set(entry.key, slot);
        }
      }
      slot.generation = generation;
      if (view) {
        if (view.showTime) lastShownTime = m.time * 1000;
        if (view.notice === 'queue' && messages[messages.length - 1]?.notice === 'queue')
          queueRun = true;
        messages.push(view);
      }
    }
    if (start === 0 && cache.size > entries.length) {
      // Only a full build knows every live key; stale slots (removed messages) go then.
      for (const [key, slot] of cache) if (slot.generation !== generation) cache.delete(key);
    }
    prev = {
      state,
      ctxKey,
      day,
      expiryAt,
      messages,
      visibleBefore,
      shownBefore,
      lastRatingBefore,
      agentBefore,
      agent,
      queueRun,
      lastShown: lastShownTime,
      lastRating,
    };

    return {
      messages: queueRun ? collapseQueueNotices(messages) : messages,
      session: sessionView(state, ctx, lastRating),
      network: networkView(state, ctx),
      history: historyView(state, ctx),
      errorText: errorText(state.lastError, language),
      productOffer: productOfferView(state, ctx),
      refreshAt: expiryAt === Infinity ? 0 : (expiryAt + 1) * 1000,
    };
  };
}

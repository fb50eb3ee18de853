/**
 * Satisfaction rating (src 9 card, src 10 submission): the cards issued per user and the server-side
 * validation TCCC applies before it fills `selected`.
 */
import type { SentRef } from './port';
import type { RatingErrorCode } from './protocol';
import { RATING_ERROR, isRecord } from './protocol';
import type { Result } from './result';
import { err, ok } from './result';

export interface RatingOption {
  id: string;
  content: string;
}

/** One rating card: one per service session, possibly sent more than once (src 24 repeats). */
export interface RatingCard {
  sessionId: string;
  /** The `menuContent` exactly as sent (without `selected`). */
  menuContent: Record<string, unknown>;
  options: RatingOption[];
  /** Unix seconds; the card is expired once now (seconds) is greater. */
  expireTime: number;
  refs: SentRef[];
  selected?: RatingOption;
}

export interface RatingMenuInput {
  head: string;
  tail: string;
  options: RatingOption[];
  style: 'star' | 'number';
  sessionId: string;
  effectiveHour: number;
  expireTime: number;
}

/** Builds `menuContent` (tccc-protocol.md §7): type 1 = stars, 2 = numbers. */
export function ratingMenuContent(input: RatingMenuInput): Record<string, unknown> {
  return {
    head: input.head,
    tail: input.tail,
    menu: input.options.map((option) => ({ id: option.id, content: option.content })),
    type: input.style === 'star' ? 1 : 2,
    sessionId: input.sessionId,
    effectiveHour: input.effectiveHour,
    expireTime: input.expireTime,
  };
}

/** Cards per user key (`serviceAccount` + `userID`), then per rating session id. */
export class RatingBook {
  private readonly byUser = new Map<string, Map<string, RatingCard>>();

  get(userKey: string, sessionId: string): RatingCard | undefined {
    return this.byUser.get(userKey)?.get(sessionId);
  }

  /** Every card, per user key (for the state file). */
  entries(): [string, RatingCard[]][] {
    return [...this.byUser.entries()].map(([key, cards]) => [key, [...cards.values()]]);
  }

  /** Adds saved cards (from `entries`). */
  load(entries: [string, RatingCard[]][]): void {
    for (const [key, cards] of entries) for (const card of cards) this.add(key, card);
  }

  add(userKey: string, card: RatingCard): void {
    let cards = this.byUser.get(userKey);
    if (!cards) {
      cards = new Map();
      this.byUser.set(userKey, cards);
    }
    cards.set(card.sessionId, card);
  }

  /**
   * Validates a src 10 body against the cards this user received. Checks, in order: no card ever sent →
   * 10154; missing `menuSelected` or unknown `sessionId` → 10151; already rated → 10152; past `expireTime`
   * → 10150; option id not in the card's menu → 10151. Does not record the choice.
   */
  validate(
    userKey: string,
    body: Record<string, unknown>,
    nowSeconds: number,
  ): Result<{ card: RatingCard; option: RatingOption }, RatingErrorCode> {
    const cards = this.byUser.get(userKey);
    if (!cards || cards.size === 0) return err(RATING_ERROR.NO_SESSION);
    const selected = body.menuSelected;
    if (!isRecord(selected)) return err(RATING_ERROR.DATA_ERROR);
    const sessionId = typeof selected.sessionId === 'string' ? selected.sessionId : '';
    const card = cards.get(sessionId);
    if (!card) return err(RATING_ERROR.DATA_ERROR);
    if (card.selected) return err(RATING_ERROR.DUPLICATE);
    if (nowSeconds > card.expireTime) return err(RATING_ERROR.EXPIRED);
    const id = typeof selected.id === 'number' ? String(selected.id) : selected.id;
    const option = card.options.find((candidate) => candidate.id === id);
    if (!option) return err(RATING_ERROR.DATA_ERROR);
    return ok({ card, option });
  }
}

/**
 * Satisfaction ratings: sends the rating card of a service session (at the end, on the agent's or the
 * user's request), checks a submitted rating and marks every copy of the card, and refuses with a code.
 */
import type { FlowConfig } from './flow';
import type { Outbox } from './outbox';
import type { RatingErrorCode } from './protocol';
import { RATING_ERROR, RATING_RULE, SRC, cloudData, customElem, textElem } from './protocol';
import type { RatingCard } from './rating';
import { RatingBook, ratingMenuContent } from './rating';
import type { Result } from './result';
import { err, ok } from './result';
import type { Session } from './session';
import type { EngineSettings } from './types';

export class RatingService {
  /** The cards sent, by user (saved with the engine state). */
  readonly book = new RatingBook();

  constructor(
    private readonly out: Outbox,
    private readonly settings: EngineSettings,
  ) {}

  private get flow(): FlowConfig {
    return this.settings.flow;
  }

  /** Sends the card of a service session; a second request re-sends the same card while it is usable. */
  sendCard(session: Session, sessionId: string): Result<void, RatingErrorCode> {
    const nowSeconds = Math.floor(this.settings.scheduler.now() / 1000);
    const existing = this.book.get(session.key, sessionId);
    if (existing?.selected) return err(RATING_ERROR.DUPLICATE);
    if (existing && nowSeconds > existing.expireTime) return err(RATING_ERROR.EXPIRED);
    const card: RatingCard = existing ?? this.newRatingCard(session, sessionId, nowSeconds);
    const ref = this.out.send(
      session,
      [customElem(SRC.RATING, { menuContent: card.menuContent })],
      {
        role: 'robot',
        messageType: 'satisfactionRating',
        note: '[评价卡片]',
      },
    );
    if (!ref) return err(RATING_ERROR.INTERNAL);
    card.refs.push(ref);
    if (!existing) this.book.add(session.key, card);
    return ok(undefined);
  }

  private newRatingCard(session: Session, sessionId: string, nowSeconds: number): RatingCard {
    const rating = this.flow.rating;
    const options = rating.options.map((option) => ({
      id: option.id,
      content: this.out.localize(option.content, session),
    }));
    const expireTime = nowSeconds + this.settings.ratingExpireSeconds;
    const menuContent = ratingMenuContent({
      head: this.out.localize(rating.head, session),
      tail: this.out.localize(rating.tail, session),
      options,
      style: this.settings.ratingStyle,
      sessionId,
      effectiveHour: rating.effectiveHour,
      expireTime,
    });
    return { sessionId, menuContent, options, expireTime, refs: [] };
  }

  /**
   * src 10. On success every copy of the card is modified to carry `selected`. A refusal goes back as a
   * robot text whose cloudCustomData carries `messageType: satisfactionRating` and the `errorCode`
   * (10150-10154): real TCCC's delivery path for these codes is undocumented, and a text is the one
   * form every client shows.
   */
  submit(session: Session, body: Record<string, unknown>): void {
    const nowSeconds = Math.floor(this.settings.scheduler.now() / 1000);
    const checked = this.book.validate(session.key, body, nowSeconds);
    if (!checked.ok) {
      this.out.note(session, 'system', `评价被拒绝（${checked.error}）`);
      this.sendRatingRefusal(session, checked.error);
      return;
    }
    const { card, option } = checked.value;
    card.selected = option;
    session.rating = option;
    this.out.note(session, 'user', `[评价] ${option.content}`);
    const cloud = cloudData('robot', 'satisfactionRating');
    const elems = [
      customElem(SRC.RATING, { menuContent: { ...card.menuContent, selected: option } }),
    ];
    for (const ref of card.refs) this.out.modify(ref, elems, cloud);
  }

  /** src 24: the user asks to rate the current or last agent session. */
  userRequest(session: Session): void {
    if ((this.flow.rating.menuSendRuleFlag & RATING_RULE.CLIENT) === 0) {
      this.settings.logger.info(
        `tccc: src 24 from ${session.userID} but users may not ask to rate`,
      );
      return;
    }
    this.out.note(session, 'system', '用户请求评价');
    const sessionId = session.state === 'active' ? session.sessionId : session.lastAgentSessionId;
    const sent = sessionId ? this.sendCard(session, sessionId) : err(RATING_ERROR.NO_SESSION);
    if (!sent.ok) this.sendRatingRefusal(session, sent.error);
  }

  private sendRatingRefusal(session: Session, code: RatingErrorCode): void {
    const text = this.out.localize(
      this.flow.texts.ratingRefused[String(code) as keyof typeof this.flow.texts.ratingRefused],
      session,
    );
    this.out.send(session, [textElem(text)], {
      role: 'robot',
      cloud: cloudData('robot', 'satisfactionRating', { errorCode: code }),
      note: text,
    });
  }
}

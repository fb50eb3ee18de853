import type { FastifyBaseLogger } from 'fastify';
import type { ImRestClient, RoamMsg } from './im-rest-client';

/** What a callback claims about a message: who sent it to whom, when, and its identifiers. */
export interface MessageHint {
  From_Account: string;
  To_Account: string;
  MsgTime?: number;
  MsgKey?: string;
  MsgSeq?: number;
  MsgRandom?: number;
}

export interface MessageConfirmerOptions {
  im: Pick<ImRestClient, 'getRoamMsg'>;
  logger: FastifyBaseLogger;
}

/** Seconds either side of the callback's `MsgTime` searched for the message. */
const TIME_SLACK_S = 2;
/** Tencent's page size cap for `admin_getroammsg`. */
const PAGE_SIZE = 100;
/** A pair exchanging more than this many messages within the window is not worth paging through. */
const MAX_PAGES = 3;
/** `MsgFlagBits` bit 0: the message was revoked. */
const REVOKED = 1;

function matches(message: RoamMsg, hint: MessageHint): boolean {
  if (message.From_Account !== hint.From_Account || message.To_Account !== hint.To_Account) {
    return false;
  }
  if (hint.MsgKey !== undefined && hint.MsgKey !== '' && message.MsgKey === hint.MsgKey) {
    return true;
  }
  return (
    hint.MsgSeq !== undefined &&
    hint.MsgRandom !== undefined &&
    message.MsgSeq === hint.MsgSeq &&
    message.MsgRandom === hint.MsgRandom
  );
}

/**
 * Confirms a callback's message with Tencent Chat's REST API (`openim/admin_getroammsg` for that
 * one-to-one pair around `MsgTime`, matched on `MsgKey` or `MsgSeq` + `MsgRandom`). A callback's
 * signature covers only its `RequestTime`, so its body is a hint: whatever is acted on comes from
 * the copy confirmed here. Never throws.
 */
export class MessageConfirmer {
  constructor(private readonly options: MessageConfirmerOptions) {}

  /**
   * Resolves the stored, not revoked message the hint describes, read from `operator`'s history
   * (one of the two accounts), or `undefined` after logging one warning (without the content).
   */
  async confirm(hint: MessageHint, operator: string): Promise<RoamMsg | undefined> {
    const found = await this.find(hint, operator);
    if (found === 'failed') return undefined;
    if (found === undefined || (found.MsgFlagBits & REVOKED) !== 0) {
      this.options.logger.warn(
        { from: hint.From_Account, to: hint.To_Account, msgKey: hint.MsgKey },
        'callback not confirmed by the Chat REST API: ignored',
      );
      return undefined;
    }
    return found;
  }

  private async find(hint: MessageHint, operator: string): Promise<RoamMsg | undefined | 'failed'> {
    const time = hint.MsgTime;
    if (typeof time !== 'number' || !Number.isSafeInteger(time) || time <= 0) return undefined;
    const peer = operator === hint.From_Account ? hint.To_Account : hint.From_Account;
    let lastMsgKey: string | undefined;
    let maxTime = time + TIME_SLACK_S;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result = await this.options.im.getRoamMsg({
        Operator_Account: operator,
        Peer_Account: peer,
        MaxCnt: PAGE_SIZE,
        MinTime: Math.max(0, time - TIME_SLACK_S),
        MaxTime: maxTime,
        ...(lastMsgKey === undefined ? {} : { LastMsgKey: lastMsgKey }),
      });
      if (!result.ok) {
        this.options.logger.warn(
          { from: hint.From_Account, to: hint.To_Account, failure: result.error },
          'callback could not be confirmed (admin_getroammsg failed): ignored',
        );
        return 'failed';
      }
      const found = result.value.messages.find((message) => matches(message, hint));
      if (found !== undefined) return found;
      if (result.value.complete || result.value.lastMsgKey === '') return undefined;
      lastMsgKey = result.value.lastMsgKey;
      maxTime = result.value.lastMsgTime;
    }
    return undefined;
  }
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { apiError, sendApiError } from '../errors';
import type { AfterSendMsgEvent } from '../notifications';

const ACK = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' } as const;

interface CallbackQuery {
  SdkAppid: string;
  CallbackCommand: string;
  Sign?: string;
  RequestTime?: string;
}

const callbackSchema = {
  querystring: {
    type: 'object',
    required: ['SdkAppid', 'CallbackCommand'],
    properties: {
      SdkAppid: { type: 'string', maxLength: 20 },
      CallbackCommand: { type: 'string', maxLength: 100 },
      Sign: { type: 'string', maxLength: 128 },
      RequestTime: { type: 'string', maxLength: 20 },
    },
  },
  body: {
    type: 'object',
    required: ['CallbackCommand'],
    properties: {
      CallbackCommand: { type: 'string', maxLength: 100 },
      From_Account: { type: 'string', maxLength: 64 },
      To_Account: { type: 'string', maxLength: 64 },
      MsgTime: { type: 'integer' },
      MsgKey: { type: 'string', maxLength: 128 },
      MsgSeq: { type: 'integer' },
      MsgRandom: { type: 'integer' },
      SendMsgResult: { type: 'integer' },
      OnlineOnlyFlag: { type: 'integer' },
    },
  },
} as const;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * `POST /im/callback`: Tencent Chat's third-party callback. Checks the SdkAppid and
 * `Sign = sha256(token + RequestTime)` within IM_CALLBACK_MAX_AGE_SECONDS (unsigned callbacks only
 * with IM_CALLBACK_UNSIGNED=allow); then acknowledges at once and handles
 * `C2C.CallbackAfterSendMsg` in the background (ordered per user), where the message is confirmed
 * with the REST API before anything is written or sent. Its own per-IP rate limit applies.
 */
export function registerCallbackRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { config } = ctx;

  app.post<{ Querystring: CallbackQuery; Body: Record<string, unknown> }>(
    '/im/callback',
    {
      schema: callbackSchema,
      bodyLimit: 64 * 1024,
      config: { rateLimit: { max: config.rateLimitCallbackPerMinute, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const query = request.query;
      if (query.SdkAppid !== String(config.imSdkAppID)) {
        request.log.warn('callback for another SdkAppid');
        return sendApiError(reply, apiError('forbidden', 'Unknown SdkAppid.'));
      }
      const token = config.imCallbackToken;
      if (token === undefined && !config.imCallbackUnsignedAllowed) {
        // loadConfig never produces this; a hand-built config must not open the door either.
        return sendApiError(reply, apiError('forbidden', 'Callbacks need IM_CALLBACK_TOKEN.'));
      }
      if (token !== undefined) {
        const time = query.RequestTime ?? '';
        const nowS = Math.floor(ctx.now() / 1000);
        const fresh =
          /^\d{1,12}$/.test(time) && Math.abs(nowS - Number(time)) <= config.callbackMaxAgeSeconds;
        if (!fresh || !sameText(query.Sign ?? '', sha256Hex(token + time))) {
          request.log.warn('callback with a bad or stale signature');
          return sendApiError(reply, apiError('forbidden', 'Bad callback signature.'));
        }
      }
      const body = request.body;
      if (
        query.CallbackCommand !== 'C2C.CallbackAfterSendMsg' ||
        body.CallbackCommand !== query.CallbackCommand
      ) {
        return ACK;
      }
      if (typeof body.From_Account !== 'string' || typeof body.To_Account !== 'string') {
        return sendApiError(
          reply,
          apiError('invalid-request', 'From_Account and To_Account are required.'),
        );
      }
      const event: AfterSendMsgEvent = {
        From_Account: body.From_Account,
        To_Account: body.To_Account,
        ...(typeof body.MsgTime === 'number' ? { MsgTime: body.MsgTime } : {}),
        ...(typeof body.MsgKey === 'string' ? { MsgKey: body.MsgKey } : {}),
        ...(typeof body.MsgSeq === 'number' ? { MsgSeq: body.MsgSeq } : {}),
        ...(typeof body.MsgRandom === 'number' ? { MsgRandom: body.MsgRandom } : {}),
        ...(typeof body.SendMsgResult === 'number' ? { SendMsgResult: body.SendMsgResult } : {}),
        ...(typeof body.OnlineOnlyFlag === 'number' ? { OnlineOnlyFlag: body.OnlineOnlyFlag } : {}),
      };
      const userKey = config.serviceAccounts.includes(event.From_Account)
        ? event.To_Account
        : event.From_Account;
      const log = request.log;
      const queued = ctx.background.run(
        userKey,
        async () => {
          const outcome = await ctx.notifier.onAfterSend(event);
          log.debug(
            { outcome, from: event.From_Account, to: event.To_Account },
            'after-send handled',
          );
        },
        (error) => log.error({ err: error }, 'after-send handling failed'),
      );
      if (!queued) log.warn('after-send backlog full: callback dropped');
      return ACK;
    },
  );
}

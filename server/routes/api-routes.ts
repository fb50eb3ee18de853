import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServerContext } from '../context';
import type { ApiError } from '../errors';
import { apiError, sendApiError } from '../errors';
import type { SubscribeDecision } from '../notifications';
import { signSessionToken, verifySessionToken } from '../session-token';
import { takeUserToken } from '../user-rate-limit';
import { userIdForOpenid } from '../keys';
import { genUserSig, issuedAtOf } from '../usersig';
import type { WeChatFailure } from '../wechat-client';
import type { ImFailure } from '../im-rest-client';

/** What login and refresh answer. `expireAt` is the UserSig expiry in epoch milliseconds. */
export interface LoginResponse {
  sdkAppID: number;
  userID: string;
  userSig: string;
  expireAt: number;
  serviceAccounts: string[];
  sessionToken: string;
}

/** How long a login waits for a first-time activation before answering anyway. */
const ACTIVATION_WAIT_MS = 3000;

function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([work.then(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

const SESSION_TOKEN = { type: 'string', minLength: 1, maxLength: 512 } as const;

const loginSchema = {
  body: {
    type: 'object',
    required: ['code'],
    properties: {
      // wx.login codes are short printable ASCII; anything else cannot be one.
      code: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' },
      // The UI language: the service flow (welcome, menus) starts in it.
      language: { type: 'string', enum: ['zh', 'en'] },
    },
  },
} as const;

const sessionSchema = {
  body: {
    type: 'object',
    required: ['sessionToken'],
    properties: { sessionToken: SESSION_TOKEN },
  },
} as const;

const subscriptionsSchema = {
  body: {
    type: 'object',
    required: ['sessionToken', 'accepted'],
    properties: {
      sessionToken: SESSION_TOKEN,
      accepted: {
        type: 'object',
        maxProperties: 10,
        propertyNames: { pattern: '^[A-Za-z0-9_-]{1,128}$' },
        additionalProperties: { type: 'string', enum: ['accept', 'reject', 'ban', 'filter'] },
      },
    },
  },
} as const;

const presenceSchema = {
  body: {
    type: 'object',
    required: ['sessionToken'],
    properties: {
      sessionToken: SESSION_TOKEN,
      state: { type: 'string', enum: ['active', 'away'] },
    },
  },
} as const;

/** WeChat `jscode2session` outcomes → API errors (codes per WeChat's documentation). */
export function loginErrorFromWeChat(failure: WeChatFailure): ApiError {
  if (failure.kind === 'transport') {
    return apiError('wechat-unavailable', 'WeChat could not be reached, try again.');
  }
  switch (failure.errcode) {
    case 40029:
      return apiError('invalid-code', 'The login code is invalid; call wx.login again.');
    case 40163:
      return apiError('code-used', 'The login code was already used; call wx.login again.');
    case 40226:
      return apiError('user-blocked', 'WeChat flagged this account as high risk.');
    case 45011:
      return apiError('wechat-rate-limited', 'Too many logins, try again in a minute.', 60);
    case -1:
      return apiError('wechat-busy', 'WeChat is busy, try again shortly.', 2);
    default:
      return apiError('wechat-error', 'WeChat refused the login.');
  }
}

function imError(failure: ImFailure): ApiError {
  return failure.kind === 'transport'
    ? apiError('im-unavailable', 'The chat service could not be reached, try again.')
    : apiError('im-error', 'The chat service refused the account.');
}

/** Registers `/api/login`, `/api/refresh`, `/api/subscriptions` and `/api/presence`. */
export function registerApiRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { config, keys, store, now } = ctx;

  const issue = (userID: string, sessionToken: string): LoginResponse => {
    const userSig = genUserSig(
      config.imSdkAppID,
      config.imSecretKey,
      userID,
      config.userSigTtlSeconds,
    );
    // The library stamps the sig with the wall clock: expireAt follows the sig itself.
    const issuedAt = issuedAtOf(userSig) ?? Math.floor(Date.now() / 1000);
    return {
      sdkAppID: config.imSdkAppID,
      userID,
      userSig,
      expireAt: (issuedAt + config.userSigTtlSeconds) * 1000,
      serviceAccounts: [...config.serviceAccounts],
      sessionToken,
    };
  };

  const limited = async (scope: string, userID: string, reply: FastifyReply) => {
    const verdict = await takeUserToken(store, now(), scope, userID, config.rateLimitUserPerMinute);
    if (verdict.allowed) return false;
    sendApiError(
      reply,
      apiError('rate-limited', 'Too many requests for this user.', verdict.retryAfter),
    );
    return true;
  };

  /** Resolves the session's userID, or answers 401 and resolves undefined. */
  const session = (token: string, reply: FastifyReply): string | undefined => {
    const claims = verifySessionToken(keys.session, token, Math.floor(now() / 1000));
    if (claims !== undefined) return claims.userID;
    sendApiError(
      reply,
      apiError('session-expired', 'The session is invalid or expired; log in again.'),
    );
    return undefined;
  };

  app.post<{ Body: { code: string; language?: 'zh' | 'en' } }>(
    '/api/login',
    { schema: loginSchema },
    async (request, reply) => {
      const exchanged = await ctx.wechat.code2Session(request.body.code);
      if (!exchanged.ok) {
        const failure = exchanged.error;
        const level =
          failure.kind === 'api' && [40013, 40125].includes(failure.errcode) ? 'error' : 'warn';
        request.log[level]({ failure }, 'jscode2session failed');
        return sendApiError(reply, loginErrorFromWeChat(failure));
      }
      const userID = userIdForOpenid(keys.userId, exchanged.value.openid);
      if (await limited('login', userID, reply)) return reply;
      await ctx.notifier.rememberOpenid(userID, exchanged.value.openid);
      const imported = await ctx.activation.importUser(userID);
      if (!imported.ok) {
        request.log.error({ userID, failure: imported.error }, 'account_import failed');
        return sendApiError(reply, imError(imported.error));
      }
      // Activation failures are logged inside and retried on the next login; the login still works.
      // A slow IM backend delays the answer at most ACTIVATION_WAIT_MS; the attempt carries on.
      await waitAtMost(
        ctx.activation.ensureActivated(userID, request.body.language),
        ACTIVATION_WAIT_MS,
      );
      await ctx.notifier.touch(userID);
      request.log.info({ userID }, 'login');
      const token = signSessionToken(
        keys.session,
        userID,
        Math.floor(now() / 1000),
        config.sessionTtlSeconds,
      );
      return issue(userID, token);
    },
  );

  app.post<{ Body: { sessionToken: string } }>(
    '/api/refresh',
    { schema: sessionSchema },
    async (request, reply) => {
      const userID = session(request.body.sessionToken, reply);
      if (userID === undefined || (await limited('refresh', userID, reply))) return reply;
      await ctx.notifier.touch(userID);
      return issue(userID, request.body.sessionToken);
    },
  );

  app.post<{ Body: { sessionToken: string; accepted: Record<string, SubscribeDecision> } }>(
    '/api/subscriptions',
    { schema: subscriptionsSchema },
    async (request, reply) => {
      const userID = session(request.body.sessionToken, reply);
      if (userID === undefined || (await limited('subscriptions', userID, reply))) return reply;
      return ctx.notifier.recordSubscriptions(userID, request.body.accepted);
    },
  );

  app.post<{ Body: { sessionToken: string; state?: 'active' | 'away' } }>(
    '/api/presence',
    { schema: presenceSchema },
    async (request, reply) => {
      const userID = session(request.body.sessionToken, reply);
      if (userID === undefined || (await limited('presence', userID, reply))) return reply;
      if (request.body.state === 'away') await ctx.notifier.markAway(userID);
      else await ctx.notifier.touch(userID);
      return { ok: true, awayAfterSeconds: config.presenceAwaySeconds };
    },
  );
}

import rateLimit from '@fastify/rate-limit';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import { ActivationService } from './activation';
import { BackgroundTasks } from './background';
import type { ServerConfig } from './config';
import type { ServerContext } from './context';
import { apiError, fromFrameworkError, sendApiError } from './errors';
import type { FetchLike } from './http-json';
import { ImRestClient } from './im-rest-client';
import { deriveKeys } from './keys';
import { MessageConfirmer } from './message-confirmer';
import { Notifier } from './notifications';
import { registerApiRoutes } from './routes/api-routes';
import { registerCallbackRoutes } from './routes/callback-routes';
import type { Store } from './store';
import { MemoryStore } from './store';
import { RedisStore } from './redis-store';
import { WeChatClient } from './wechat-client';

/** Something log lines can be written to (a stream, or a test's collector). */
export interface LogDestination {
  write(line: string): void;
}

/** Replaceable collaborators; every one has a production default. */
export interface ServerDeps {
  /** Shared state. Default: a `RedisStore` on REDIS_URL when set, else a `MemoryStore`; closed with the server. */
  store: Store;
  /** Wall clock in epoch ms. */
  clock: { now(): number };
  /** Outbound HTTP (WeChat and the IM REST API). */
  fetch: FetchLike;
  /** A ready logger used as-is (its redaction is the caller's business). */
  logger: FastifyBaseLogger;
  /** Where the built-in, redacting logger writes (default stdout). Ignored when `logger` is set. */
  logDestination: LogDestination;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves once background work (callback handling, notifications) has finished. */
    backgroundIdle(): Promise<void>;
  }
}

/** Time limits for one client connection (see `buildServer`). */
export const SLOW_CLIENT = { requestMs: 10_000, headersMs: 5_000, idleMs: 10_000, sweepMs: 1_000 };

/** Values that must never reach a log line, wherever they appear in a logged object. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...[
    'body',
    'js_code',
    'sessionToken',
    'userSig',
    'usersig',
    'sessionKey',
    'secret',
    'access_token',
  ].flatMap((name) => [name, `*.${name}`]),
];

/** Query strings are dropped from logged URLs: the IM callback carries its signature there. */
function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: request.url.split('?')[0],
    remoteAddress: request.ip,
  };
}

function loggerOptions(config: ServerConfig, destination: LogDestination | undefined) {
  return {
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest },
    ...(destination === undefined ? {} : { stream: destination }),
  };
}

/** Echoes an allowed Origin (never `*`), so the browser preview can read answers cross-origin. */
function applyCors(
  request: FastifyRequest,
  reply: FastifyReply,
  allowed: ReadonlySet<string>,
): void {
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || !allowed.has(origin)) return;
  reply.header('access-control-allow-origin', origin);
  reply.header('vary', 'Origin');
}

/**
 * Builds the login server (not listening; call `listen` or use `inject`). Guarantees: every error
 * answer is JSON `{ error, message }` with a 4xx/5xx status; secrets, codes, UserSigs and session
 * tokens are redacted from logs; `close()` waits for background work and closes the default store.
 */
export function buildServer(config: ServerConfig, deps: Partial<ServerDeps> = {}): FastifyInstance {
  const ownsStore = deps.store === undefined;
  const store: Store =
    deps.store ??
    (config.redisUrl === undefined ? new MemoryStore() : new RedisStore(config.redisUrl));
  const clock = deps.clock ?? { now: () => Date.now() };
  const now = () => clock.now();
  const fetchImpl: FetchLike = deps.fetch ?? ((input, init) => fetch(input, init));

  const app = Fastify({
    ...(deps.logger !== undefined
      ? { loggerInstance: deps.logger }
      : { logger: loggerOptions(config, deps.logDestination) }),
    bodyLimit: 8 * 1024,
    // A hop count becomes the equivalent function (fastify's types omit the numeric form).
    trustProxy:
      typeof config.trustProxy === 'number'
        ? (
            (hops: number) => (_address: string, hop: number) =>
              hop < hops
          )(config.trustProxy)
        : config.trustProxy,
    return503OnClosing: true,
    // Slow clients: a whole request (headers and body) gets SLOW_CLIENT.requestMs, its headers
    // SLOW_CLIENT.headersMs, an idle socket SLOW_CLIENT.idleMs. Node enforces the first two only
    // when it sweeps its connections (every 30 s by default, which let a body trickled at 1 byte/s
    // hold a socket for ~70 s), so the sweep runs every second.
    requestTimeout: SLOW_CLIENT.requestMs,
    connectionTimeout: SLOW_CLIENT.idleMs,
    http: {
      headersTimeout: SLOW_CLIENT.headersMs,
      connectionsCheckingInterval: SLOW_CLIENT.sweepMs,
    },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });
  // Only JSON is accepted; without the text/plain parser other types get 415 from fastify.
  app.removeContentTypeParser('text/plain');

  const logger = app.log;
  const background = new BackgroundTasks();
  const wechat = new WeChatClient({
    apiBase: config.wechatApiBase,
    appID: config.wechatAppID,
    appSecret: config.wechatAppSecret,
    fetch: fetchImpl,
    store,
    now,
  });
  const im = new ImRestClient({
    restBase: config.imRestBase,
    sdkAppID: config.imSdkAppID,
    secretKey: config.imSecretKey,
    adminUserID: config.imAdminUserID,
    fetch: fetchImpl,
    now,
  });
  const ctx: ServerContext = {
    config,
    keys: deriveKeys(config),
    store,
    now,
    wechat,
    activation: new ActivationService({
      im,
      store,
      serviceAccounts: config.serviceAccounts,
      mode: config.activationMode,
      text: config.activationText,
      logger,
    }),
    notifier: new Notifier({
      config,
      store,
      wechat,
      confirmer: new MessageConfirmer({ im, logger }),
      now,
      logger,
    }),
    background,
    logger,
  };

  app.decorate('backgroundIdle', () => background.idle());
  // Graceful stop: requests under way finish, and their keep-alive connections close with them
  // (Node would otherwise hold them open for keepAliveTimeout after close()).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onClose', async () => {
    await ctx.activation.idle();
    await background.idle();
    if (ownsStore) await store.close();
  });

  const corsOrigins = new Set(config.corsOrigins);
  app.addHook('onRequest', async (request, reply) => {
    applyCors(request, reply, corsOrigins);
  });

  app.setErrorHandler((error, request, reply) => {
    const mapped = fromFrameworkError(error);
    if (mapped.code === 'internal') request.log.error({ err: error }, 'unhandled error');
    return sendApiError(reply, mapped);
  });

  void app.register(rateLimit, {
    global: true,
    max: config.rateLimitIpPerMinute,
    timeWindow: 60_000,
  });

  // Routes go in a child registered after the limiter, so its onRoute hook sees every route.
  void app.register(async (api) => {
    api.setNotFoundHandler({ preHandler: api.rateLimit() }, (_request, reply) =>
      sendApiError(reply, apiError('not-found', 'No such endpoint.')),
    );

    api.options('/*', { config: { rateLimit: false } }, (request, reply) => {
      if (!corsOrigins.has(String(request.headers.origin))) {
        return sendApiError(reply, apiError('forbidden', 'Origin not allowed.'));
      }
      return reply
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', 'content-type')
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    });

    // Probes hit these every few seconds: keep them out of the info logs.
    // Liveness: the process answers. Readiness: it can serve (the store answers; 503 while closing).
    api.get('/healthz', { config: { rateLimit: false }, logLevel: 'warn' }, async () => ({
      status: 'ok',
    }));
    api.get('/readyz', { config: { rateLimit: false }, logLevel: 'warn' }, async (_req, reply) => {
      const ready = store.ping === undefined ? true : await store.ping();
      if (ready) return { status: 'ready' };
      return sendApiError(reply, apiError('not-ready', 'The store is not reachable.', 5));
    });

    registerApiRoutes(api, ctx);
    registerCallbackRoutes(api, ctx);
  });

  return app;
}

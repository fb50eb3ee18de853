/**
 * HTTP side of the agent console, as fastify routes: the static page under `/console` (its plain
 * files through @fastify/static), its JSON API under `/api/agent/*` and a server-sent-events
 * stream of the session list. No build step.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join } from 'node:path';

import fastifyStatic, { type SetHeadersResponse } from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';

import type { AgentCardKind } from '../tccc/flow';
import { AGENT_CARD_KINDS } from '../tccc/flow';
import type { AgentError, AgentResult, TcccAgentApi, UserRef } from '../tccc/types';
import type { Result } from '../tccc/result';

export interface ConsoleDeps {
  agent: TcccAgentApi;
  onChange(listener: () => void): () => void;
  serviceProfile(serviceAccount: string): { nick: string; avatar: string } | undefined;
  /** The user's own profile (nick, avatar) when the backend knows it. */
  userProfile?(userID: string): { nick: string; avatar: string } | undefined;
  /** Folder of the card pictures served at `/console/assets/`. */
  assetDir: string;
}

export interface ConsoleRoutes {
  /**
   * Registers `/console…` (page, fonts, card pictures) and `/api/agent/…` on `app`, each in its
   * own scope: JSON 404s, 503 once closed, bodies left as streams (read capped here).
   */
  register(app: FastifyInstance): Promise<void>;
  /** Ends open event streams and stops the update timer. */
  close(): void;
}

const STATIC_DIR = __dirname;
/** Route → file of the page, and the type it is served as. */
const PAGE_FILES: Record<string, string> = {
  '/': 'index.html',
  '/console.css': 'console.css',
  '/console.js': 'console.js',
};
const PAGE_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};
/** Same-origin only: the page uses no inline script or style and no external resource. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/**
 * Noto Sans SC (the `@fontsource-variable/noto-sans-sc` package, no download) so the console shows
 * Chinese on a machine without CJK fonts: its stylesheet splits the font into unicode-range
 * subsets, and the browser fetches only the woff2 files of the characters on the page.
 */
const FONT_DIR = ((): string | undefined => {
  try {
    return dirname(
      createRequire(__filename).resolve('@fontsource-variable/noto-sans-sc/package.json'),
    );
  } catch {
    return undefined;
  }
})();
const FONT_FILE = /^\/noto-sans-sc-[\w-]+\.woff2$/;
const ASSET_FILE = /^\/[\w-]+\.svg$/;
let fontCss: Promise<string> | undefined;
const MAX_BODY = 64 * 1024;
const UPDATE_DEBOUNCE_MS = 40;
const KEEPALIVE_MS = 20_000;
/** Methods a route does not take get 405 with `allow` (fastify's router alone would say 404). */
const METHODS: readonly HTTPMethods[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
];
/**
 * Plain files as they always were: no ETag, Last-Modified or ranges, our own cache-control, the
 * console's CSP, the content type `typeOf` gives for the file's path.
 */
const staticFiles = (typeOf: (path: string) => string, cacheControl: string) => ({
  etag: false,
  lastModified: false,
  acceptRanges: false,
  cacheControl: false,
  contentType: false,
  setHeaders: (res: SetHeadersResponse, path: string) => {
    res.setHeader('content-type', typeOf(path));
    res.setHeader('cache-control', cacheControl);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('content-security-policy', CSP);
  },
});

type ActionName = 'accept' | 'reply' | 'typing' | 'card' | 'rating' | 'end' | 'revoke';
const ACTIONS: readonly ActionName[] = [
  'accept',
  'reply',
  'typing',
  'card',
  'rating',
  'end',
  'revoke',
];

const STATUS_BY_CODE: Record<AgentError['code'], number> = {
  'not-found': 404,
  'bad-state': 409,
  'bad-request': 400,
  'rating-refused': 409,
};

export function createConsoleRoutes(deps: ConsoleDeps): ConsoleRoutes {
  const streams = new Set<ServerResponse>();
  let pending: ReturnType<typeof setTimeout> | undefined;
  let keepalive: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const snapshot = (): string =>
    JSON.stringify({
      sessions: deps.agent.listSessions().map((session) => ({
        ...session,
        serviceNick: deps.serviceProfile(session.serviceAccount)?.nick ?? session.serviceAccount,
        ...userProfileOf(deps, session.userID),
      })),
    });

  const broadcast = (): void => {
    pending = undefined;
    if (streams.size === 0) return;
    const frame = `event: sessions\ndata: ${snapshot()}\n\n`;
    for (const res of streams) res.write(frame);
  };

  const unsubscribe = deps.onChange(() => {
    if (closed || pending || streams.size === 0) return;
    pending = setTimeout(broadcast, UPDATE_DEBOUNCE_MS);
    pending.unref();
  });

  /** The raw response: an event stream outlives fastify's request cycle. */
  const openStream = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`retry: 2000\nevent: sessions\ndata: ${snapshot()}\n\n`);
    streams.add(res);
    if (!keepalive) {
      keepalive = setInterval(() => {
        for (const stream of streams) stream.write(': keepalive\n\n');
      }, KEEPALIVE_MS);
      keepalive.unref();
    }
    const drop = (): void => {
      streams.delete(res);
      if (streams.size === 0 && keepalive) {
        clearInterval(keepalive);
        keepalive = undefined;
      }
    };
    req.on('close', drop);
    res.on('error', drop);
  };

  /** What both scopes share: 503 once closed, bodies as streams, 405 on the wrong method. */
  const prepare = (scope: FastifyInstance): void => {
    scope.addHook('onRequest', (_request, reply, done) => {
      if (!closed) return done();
      sendJson(reply, 503, {
        ok: false,
        error: { code: 'closed', message: 'the service is closed' },
      });
    });
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
  };
  const refuseOtherMethods = (scope: FastifyInstance, url: string, allow: string): void => {
    const allowed = allow.split(', ').flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
    scope.route({
      method: METHODS.filter((m) => !allowed.includes(m)),
      url,
      handler: (_request, reply) => methodNotAllowed(reply, allow),
    });
  };
  const noSuchApi = (request: FastifyRequest, reply: FastifyReply): FastifyReply =>
    sendJson(reply, 404, {
      ok: false,
      error: { code: 'not-found', message: `no such API: ${request.url.split('?')[0]}` },
    });

  const pages = async (scope: FastifyInstance): Promise<void> => {
    prepare(scope);
    // A missing font or picture is "file not found"; any other path is no API of ours.
    const notFound = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
      const file = /^\/console\/(fonts|assets)(\/[^?]*)/.exec(request.url);
      if (file && (file[1] === 'fonts' ? FONT_FILE : ASSET_FILE).test(file[2]))
        return notFoundFile(reply);
      return noSuchApi(request, reply);
    };
    scope.setNotFoundHandler(notFound);
    // Claims its GETs from the SDK's catch-all websocket route (whose 404 is the plain one).
    scope.get('/*', notFound);
    await scope.register(fastifyStatic, {
      root: STATIC_DIR,
      serve: false,
      ...staticFiles((path) => PAGE_TYPES[extname(path)], 'no-cache'),
    });
    for (const [url, file] of Object.entries(PAGE_FILES)) {
      scope.get(url, (_request, reply) => reply.sendFile(file));
      refuseOtherMethods(scope, url, 'GET, HEAD');
    }
    await scope.register(fastifyStatic, {
      root: deps.assetDir,
      prefix: '/assets/',
      decorateReply: false,
      allowedPath: (path: string) => ASSET_FILE.test(path),
      ...staticFiles(() => 'image/svg+xml', 'no-cache'),
    });
    refuseOtherMethods(scope, '/assets/*', 'GET, HEAD');
    refuseOtherMethods(scope, '/fonts/*', 'GET, HEAD');
    if (!FONT_DIR) return;
    const fontDir = FONT_DIR;
    await scope.register(fastifyStatic, {
      root: join(fontDir, 'files'),
      prefix: '/fonts/',
      decorateReply: false,
      allowedPath: (path: string) => FONT_FILE.test(path),
      ...staticFiles(() => 'font/woff2', 'max-age=86400'),
    });
    // The package's stylesheet, its font URLs pointed at the route above.
    scope.get('/fonts/noto-sans-sc.css', async (_request, reply) => {
      fontCss ??= readFile(join(fontDir, 'index.css'), 'utf8').then((css) =>
        css.replace(/url\(\.\/files\//g, 'url(/console/fonts/'),
      );
      const css = await fontCss.catch(() => undefined);
      if (css === undefined) return notFoundFile(reply);
      return sendRaw(reply, 200, 'text/css; charset=utf-8', css, 'max-age=86400');
    });
  };

  const api = async (scope: FastifyInstance): Promise<void> => {
    prepare(scope);
    scope.setNotFoundHandler(noSuchApi);
    scope.get('/*', noSuchApi);
    scope.get('/sessions', (_request, reply) =>
      sendRaw(reply, 200, 'application/json; charset=utf-8', snapshot()),
    );
    scope.get('/transcript', (request, reply) => {
      const query = new URL(request.url, 'http://console.local').searchParams;
      const user = userFrom(query.get('userID'), query.get('serviceAccount'));
      if (!user) return badRequest(reply, 'userID is required');
      const transcript = deps.agent.transcript(user);
      if (transcript.ok) return sendJson(reply, 200, { ok: true, messages: transcript.value });
      return sendJson(reply, STATUS_BY_CODE[transcript.error.code], {
        ok: false,
        error: transcript.error,
      });
    });
    scope.get('/events', (request, reply) => {
      reply.hijack();
      openStream(request.raw, reply.raw);
    });
    for (const url of ['/sessions', '/transcript', '/events'])
      refuseOtherMethods(scope, url, 'GET');
    for (const action of ACTIONS) {
      scope.post(`/${action}`, async (request, reply) => {
        // JSON only: a cross-site page cannot send application/json without a CORS preflight we never grant.
        if (!(request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
          return sendJson(reply, 415, {
            ok: false,
            error: { code: 'bad-request', message: 'send application/json' },
          });
        }
        const body = await readJson(request.raw).catch(() => undefined);
        if (!body)
          return sendJson(reply, 400, {
            ok: false,
            error: { code: 'bad-request', message: 'request aborted' },
          });
        if (!body.ok)
          return sendJson(reply, body.error.status, {
            ok: false,
            error: { code: 'bad-request', message: body.error.message },
          });
        const result = runAction(deps.agent, action, body.value);
        if (result.ok) return sendJson(reply, 200, { ok: true });
        return sendJson(reply, STATUS_BY_CODE[result.error.code], {
          ok: false,
          error: result.error,
        });
      });
      refuseOtherMethods(scope, `/${action}`, 'POST');
    }
  };

  return {
    register: async (app) => {
      await app.register(pages, { prefix: '/console' });
      await app.register(api, { prefix: '/api/agent' });
    },
    close: () => {
      if (closed) return;
      closed = true;
      unsubscribe();
      if (pending) clearTimeout(pending);
      if (keepalive) clearInterval(keepalive);
      for (const res of streams) res.end();
      streams.clear();
    },
  };
}

function runAction(
  agent: TcccAgentApi,
  action: ActionName,
  body: Record<string, unknown>,
): AgentResult {
  const user = userFrom(body.userID, body.serviceAccount);
  if (!user) return { ok: false, error: { code: 'bad-request', message: 'userID is required' } };
  switch (action) {
    case 'accept':
      return agent.accept(
        user,
        typeof body.agentName === 'string' ? body.agentName.slice(0, 32) : undefined,
      );
    case 'reply':
      if (typeof body.text !== 'string')
        return { ok: false, error: { code: 'bad-request', message: 'text is required' } };
      return agent.reply(user, body.text.slice(0, 4000));
    case 'typing':
      return agent.typing(user);
    case 'card':
      if (!AGENT_CARD_KINDS.includes(body.kind as AgentCardKind)) {
        return {
          ok: false,
          error: {
            code: 'bad-request',
            message: `kind must be one of ${AGENT_CARD_KINDS.join(', ')}`,
          },
        };
      }
      return agent.sendCard(user, body.kind as AgentCardKind);
    case 'rating':
      return agent.requestRating(user);
    case 'end':
      return agent.end(user);
    case 'revoke':
      return agent.revoke(user, typeof body.seq === 'number' ? body.seq : NaN);
  }
}

function userProfileOf(
  deps: ConsoleDeps,
  userID: string,
): { userNick?: string; userAvatar?: string } {
  const profile = deps.userProfile?.(userID);
  const out: { userNick?: string; userAvatar?: string } = {};
  if (profile?.nick) out.userNick = profile.nick.slice(0, 64);
  if (profile?.avatar) out.userAvatar = profile.avatar.slice(0, 2048);
  return out;
}

function userFrom(userID: unknown, serviceAccount: unknown): UserRef | undefined {
  if (typeof userID !== 'string' || !userID) return undefined;
  return typeof serviceAccount === 'string' && serviceAccount ? { serviceAccount, userID } : userID;
}

function readJson(
  req: IncomingMessage,
): Promise<Result<Record<string, unknown>, { status: number; message: string }>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (
      result: Result<Record<string, unknown>, { status: number; message: string }>,
    ): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        finish({ ok: false, error: { status: 413, message: 'body too large' } });
        req.resume();
        return;
      }
      if (!done) chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
          finish({ ok: true, value: value as Record<string, unknown> });
        } else {
          finish({ ok: false, error: { status: 400, message: 'body must be a JSON object' } });
        }
      } catch {
        finish({ ok: false, error: { status: 400, message: 'body is not JSON' } });
      }
    });
    req.on('error', (cause) => {
      if (!done) {
        done = true;
        reject(cause);
      }
    });
  });
}

function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return sendRaw(reply, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function notFoundFile(reply: FastifyReply): FastifyReply {
  return sendJson(reply, 404, {
    ok: false,
    error: { code: 'not-found', message: 'file not found' },
  });
}

function sendRaw(
  reply: FastifyReply,
  status: number,
  type: string,
  body: string,
  cacheControl = 'no-store',
): FastifyReply {
  return reply
    .code(status)
    .headers({
      'content-type': type,
      'cache-control': cacheControl,
      'x-content-type-options': 'nosniff',
    })
    .send(body);
}

function methodNotAllowed(reply: FastifyReply, allow: string): FastifyReply {
  reply.header('allow', allow);
  return sendJson(reply, 405, {
    ok: false,
    error: { code: 'bad-request', message: 'method not allowed' },
  });
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return sendJson(reply, 400, { ok: false, error: { code: 'bad-request', message } });
}

/**
 * HTTP side of the agent console: the static page under `/console`, its JSON API under `/api/agent/*`
 * and a server-sent-events stream of the session list. Node built-ins only; no build step.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';

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

export interface ConsoleHandler {
  /** Handles `/console…` and `/api/agent/…`; returns false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Ends open event streams and stops the update timer. */
  close(): void;
}

const STATIC_DIR = __dirname;
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/console': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/console/console.css': { file: 'console.css', type: 'text/css; charset=utf-8' },
  '/console/console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8' },
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
const FONT_CSS_PATH = '/console/fonts/noto-sans-sc.css';
const FONT_FILE = /^\/console\/fonts\/(noto-sans-sc-[\w-]+\.woff2)$/;
let fontCss: Promise<string> | undefined;
const MAX_BODY = 64 * 1024;
const UPDATE_DEBOUNCE_MS = 40;
const KEEPALIVE_MS = 20_000;

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

export function createConsoleHandler(deps: ConsoleDeps): ConsoleHandler {
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

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://console.local');
    const path = url.pathname;
    if (path !== '/console' && !path.startsWith('/console/') && !path.startsWith('/api/agent/'))
      return false;
    if (closed) {
      sendJson(res, 503, {
        ok: false,
        error: { code: 'closed', message: 'the service is closed' },
      });
      return true;
    }
    const method = req.method ?? 'GET';
    const staticFile = STATIC_FILES[path];
    if (staticFile) {
      if (!isRead(method)) return methodNotAllowed(res, 'GET, HEAD');
      void serveFile(res, join(STATIC_DIR, staticFile.file), staticFile.type, method === 'HEAD');
      return true;
    }
    const font = FONT_FILE.exec(path);
    if (path === FONT_CSS_PATH || font) {
      if (!isRead(method)) return methodNotAllowed(res, 'GET, HEAD');
      if (!FONT_DIR) return notFoundFile(res);
      if (font) {
        void serveFile(
          res,
          join(FONT_DIR, 'files', font[1]),
          'font/woff2',
          method === 'HEAD',
          'max-age=86400',
        );
        return true;
      }
      fontCss ??= readFile(join(FONT_DIR, 'index.css'), 'utf8').then((css) =>
        css.replace(/url\(\.\/files\//g, 'url(/console/fonts/'),
      );
      fontCss.then(
        (css) =>
          sendRaw(
            res,
            200,
            'text/css; charset=utf-8',
            method === 'HEAD' ? '' : css,
            'max-age=86400',
          ),
        () => notFoundFile(res),
      );
      return true;
    }
    const asset = /^\/console\/assets\/([\w-]+\.svg)$/.exec(path);
    if (asset) {
      if (!isRead(method)) return methodNotAllowed(res, 'GET, HEAD');
      void serveFile(res, join(deps.assetDir, asset[1]), 'image/svg+xml', method === 'HEAD');
      return true;
    }
    if (path === '/api/agent/sessions') {
      if (!isRead(method)) return methodNotAllowed(res, 'GET');
      sendRaw(res, 200, 'application/json; charset=utf-8', snapshot());
      return true;
    }
    if (path === '/api/agent/transcript') {
      if (!isRead(method)) return methodNotAllowed(res, 'GET');
      const user = userFrom(url.searchParams.get('userID'), url.searchParams.get('serviceAccount'));
      if (!user) return badRequest(res, 'userID is required');
      const transcript = deps.agent.transcript(user);
      if (transcript.ok) sendJson(res, 200, { ok: true, messages: transcript.value });
      else
        sendJson(res, STATUS_BY_CODE[transcript.error.code], {
          ok: false,
          error: transcript.error,
        });
      return true;
    }
    if (path === '/api/agent/events') {
      if (!isRead(method)) return methodNotAllowed(res, 'GET');
      openStream(req, res);
      return true;
    }
    const action = path.slice('/api/agent/'.length) as ActionName;
    if (!ACTIONS.includes(action)) {
      sendJson(res, 404, {
        ok: false,
        error: { code: 'not-found', message: `no such API: ${path}` },
      });
      return true;
    }
    if (method !== 'POST') return methodNotAllowed(res, 'POST');
    // JSON only: a cross-site page cannot send application/json without a CORS preflight we never grant.
    if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
      sendJson(res, 415, {
        ok: false,
        error: { code: 'bad-request', message: 'send application/json' },
      });
      return true;
    }
    readJson(req).then(
      (body) => {
        if (!body.ok)
          return sendJson(res, body.error.status, {
            ok: false,
            error: { code: 'bad-request', message: body.error.message },
          });
        const result = runAction(deps.agent, action, body.value);
        if (result.ok) sendJson(res, 200, { ok: true });
        else sendJson(res, STATUS_BY_CODE[result.error.code], { ok: false, error: result.error });
      },
      () =>
        sendJson(res, 400, {
          ok: false,
          error: { code: 'bad-request', message: 'request aborted' },
        }),
    );
    return true;
  };

  return {
    handle,
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

function isRead(method: string): boolean {
  return method === 'GET' || method === 'HEAD';
}

async function serveFile(
  res: ServerResponse,
  file: string,
  type: string,
  headOnly: boolean,
  cacheControl = 'no-cache',
): Promise<void> {
  try {
    const content = await readFile(file);
    res.writeHead(200, {
      'content-type': type,
      'content-length': content.length,
      'cache-control': cacheControl,
      'x-content-type-options': 'nosniff',
      'content-security-policy': CSP,
    });
    res.end(headOnly ? undefined : content);
  } catch {
    sendJson(res, 404, { ok: false, error: { code: 'not-found', message: 'file not found' } });
  }
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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendRaw(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function notFoundFile(res: ServerResponse): true {
  sendJson(res, 404, { ok: false, error: { code: 'not-found', message: 'file not found' } });
  return true;
}

function sendRaw(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  cacheControl = 'no-store',
): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
  });
  res.end(body);
}

function methodNotAllowed(res: ServerResponse, allow: string): true {
  res.setHeader('allow', allow);
  sendJson(res, 405, { ok: false, error: { code: 'bad-request', message: 'method not allowed' } });
  return true;
}

function badRequest(res: ServerResponse, message: string): true {
  sendJson(res, 400, { ok: false, error: { code: 'bad-request', message } });
  return true;
}

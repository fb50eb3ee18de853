/**
 * A local fake of the three WeChat server APIs the login server calls: `jscode2session`, the
 * access token and `subscribeMessage.send`, as fastify routes. Loopback only, no state on disk. It
 * plays WeChat's side faithfully where the server's behaviour depends on it (one-shot codes, error
 * codes, text/plain answers from jscode2session, token validity) and records sent messages for
 * tests and the demo.
 *
 * Login codes: `demo-<name>` or `demo-<name>.<nonce>` map to a stable openid derived from
 * `<name>` (and the appid); each full code works once, so clients should add a fresh nonce per
 * `wx.login`. Any other code gets WeChat's 40029.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

export const FAKE_WECHAT_DEFAULT_PORT = 9301;
export const FAKE_WECHAT_APPID = 'wx00000000demo0001';
export const FAKE_WECHAT_SECRET = 'demo-app-secret-0001';

/** A recorded `subscribeMessage.send` body. */
export interface SubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: string;
  lang?: string;
  /** Epoch ms when the fake received it. */
  receivedAt: number;
}

export type FakeWeChatEndpoint = 'jscode2session' | 'token' | 'send';

export interface FakeWeChatOptions {
  /** Default 9301; use 0 in tests. */
  port?: number;
  host?: string;
  appid?: string;
  secret?: string;
  /** Lifetime of issued access tokens, default 7200 s like WeChat. */
  tokenTtlSeconds?: number;
  /** Delay before every answer, to model a slow WeChat (default 0). */
  latencyMs?: number;
  /** Called with every accepted subscribe message (the demo prints them: the phone's notification). */
  onSend?: (message: SubscribeMessage) => void;
}

export interface FakeWeChat {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Every accepted subscribe message, oldest first. */
  sent: SubscribeMessage[];
  /** Calls per endpoint, including failed ones (tests check token caching with `token`). */
  calls: Record<FakeWeChatEndpoint, number>;
  /** The openid `demo-<name>` maps to. */
  openidFor(name: string): string;
  /** The next `times` calls to `endpoint` answer `{errcode, errmsg}` (e.g. 45011, -1, 43101). */
  failNext(endpoint: FakeWeChatEndpoint, errcode: number, errmsg?: string, times?: number): void;
  /** Invalidates every issued access token (WeChat's 40001 on the next send). */
  expireTokens(): void;
}

const ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40125: 'invalid appsecret',
  40163: 'code been used',
  41008: 'missing code',
  43101: 'user refuse to accept the msg',
  45011: 'api minute-quota reach limit  mustslower  retry next minute',
  47001: 'data format error',
  47003: 'argument invalid! data is empty',
};

const CODE_PATTERN = /^demo-([A-Za-z0-9_-]{1,64})(?:\.[A-Za-z0-9_-]{1,64})?$/;
const MAX_BODY = 64 * 1024;

function errorBody(errcode: number, errmsg?: string): { errcode: number; errmsg: string } {
  return { errcode, errmsg: errmsg ?? ERRMSG[errcode] ?? 'error' };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')),
    );
    req.on('error', () => resolve(undefined));
  });
}

/** Starts the fake on loopback. Resolves once it listens. */
export async function startFakeWeChat(options: FakeWeChatOptions = {}): Promise<FakeWeChat> {
  const appid = options.appid ?? FAKE_WECHAT_APPID;
  const secret = options.secret ?? FAKE_WECHAT_SECRET;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 7200;
  const latencyMs = options.latencyMs ?? 0;
  const usedCodes = new Set<string>();
  const knownOpenids = new Set<string>();
  const tokens = new Map<string, number>();
  const failures: Record<FakeWeChatEndpoint, Array<{ errcode: number; errmsg?: string }>> = {
    jscode2session: [],
    token: [],
    send: [],
  };
  const sent: SubscribeMessage[] = [];
  const calls: Record<FakeWeChatEndpoint, number> = { jscode2session: 0, token: 0, send: 0 };

  const openidFor = (name: string): string =>
    `o${createHash('sha256').update(`${appid}\n${name}`).digest('base64url').slice(0, 27)}`;

  const injected = (endpoint: FakeWeChatEndpoint) => {
    const next = failures[endpoint].shift();
    return next === undefined ? undefined : errorBody(next.errcode, next.errmsg);
  };

  const credentialsError = (query: URLSearchParams) => {
    if (query.get('appid') !== appid) return errorBody(40013);
    if (query.get('secret') !== secret) return errorBody(40125);
    return undefined;
  };

  const jscode2session = (query: URLSearchParams): object => {
    calls.jscode2session += 1;
    const failure = injected('jscode2session') ?? credentialsError(query);
    if (failure !== undefined) return failure;
    if (query.get('grant_type') !== 'authorization_code') return errorBody(40002);
    const code = query.get('js_code') ?? '';
    if (code === '') return errorBody(41008);
    const match = CODE_PATTERN.exec(code);
    if (match === null) return errorBody(40029);
    if (usedCodes.has(code)) return errorBody(40163);
    usedCodes.add(code);
    const openid = openidFor(match[1] as string);
    knownOpenids.add(openid);
    return { session_key: randomBytes(16).toString('base64'), openid };
  };

  const token = (query: URLSearchParams): object => {
    calls.token += 1;
    const failure = injected('token') ?? credentialsError(query);
    if (failure !== undefined) return failure;
    if (query.get('grant_type') !== 'client_credential') return errorBody(40002);
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, Date.now() + tokenTtlSeconds * 1000);
    return { access_token: accessToken, expires_in: tokenTtlSeconds };
  };

  const send = (query: URLSearchParams, rawBody: string | undefined): object => {
    calls.send += 1;
    const failure = injected('send');
    if (failure !== undefined) return failure;
    const expiresAt = tokens.get(query.get('access_token') ?? '');
    if (expiresAt === undefined || expiresAt <= Date.now()) return errorBody(40001);
    let body: unknown;
    try {
      body = JSON.parse(rawBody ?? '');
    } catch {
      return errorBody(47001);
    }
    if (typeof body !== 'object' || body === null) return errorBody(47001);
    const {
      touser,
      template_id: templateId,
      page,
      data,
      miniprogram_state,
      lang,
    } = body as Record<string, unknown>;
    if (typeof touser !== 'string' || !knownOpenids.has(touser)) return errorBody(40003);
    if (typeof templateId !== 'string' || templateId === '') return errorBody(40037);
    if (typeof data !== 'object' || data === null || Object.keys(data).length === 0) {
      return errorBody(47003);
    }
    const fields: Record<string, { value: string }> = {};
    for (const [key, entry] of Object.entries(data)) {
      const value: unknown = (entry as Record<string, unknown> | null)?.value;
      if (typeof value !== 'string' || value === '') {
        return errorBody(47003, `argument invalid! data.${key}.value is empty`);
      }
      fields[key] = { value };
    }
    sent.push({
      touser,
      template_id: templateId,
      ...(typeof page === 'string' ? { page } : {}),
      data: fields,
      ...(typeof miniprogram_state === 'string' ? { miniprogram_state } : {}),
      ...(typeof lang === 'string' ? { lang } : {}),
      receivedAt: Date.now(),
    });
    options.onSend?.(sent[sent.length - 1]);
    return { errcode: 0, errmsg: 'ok', msgid: sent.length };
  };

  const app = Fastify({
    logger: false,
    // As WeChat: a GET path answers HEAD with 404, not with the GET's headers.
    exposeHeadRoutes: false,
    keepAliveTimeout: 5000,
    requestTimeout: 300_000,
    forceCloseConnections: true,
  });
  // Bodies are read here, capped (an oversized one is WeChat's 47001, not a framework error).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  const query = (request: FastifyRequest): URLSearchParams =>
    new URL(request.url, 'http://fake-wechat').searchParams;
  const answer = async (
    reply: FastifyReply,
    status: number,
    body: object,
    contentType = 'application/json; encoding=utf-8',
  ): Promise<FastifyReply> => {
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const text = JSON.stringify(body);
    return reply
      .code(status)
      .headers({ 'content-type': contentType, 'content-length': Buffer.byteLength(text) })
      .send(Buffer.from(text));
  };
  // WeChat answers jscode2session as text/plain even though the body is JSON.
  app.get('/sns/jscode2session', (request, reply) =>
    answer(reply, 200, jscode2session(query(request)), 'text/plain'),
  );
  app.get('/cgi-bin/token', (request, reply) => answer(reply, 200, token(query(request))));
  app.post('/cgi-bin/message/subscribe/send', async (request, reply) => {
    const body = await readBody(request.raw);
    return answer(reply, 200, body === undefined ? errorBody(47001) : send(query(request), body));
  });
  app.setNotFoundHandler((_request, reply) =>
    answer(reply, 404, { errcode: 404, errmsg: 'not found' }),
  );
  app.setErrorHandler((_error, _request, reply) => reply.code(500).send(''));

  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: options.port ?? FAKE_WECHAT_DEFAULT_PORT, host });
  const { port } = app.server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}`,
    port,
    sent,
    calls,
    openidFor,
    failNext(endpoint, errcode, errmsg, times = 1) {
      for (let i = 0; i < times; i += 1) {
        failures[endpoint].push(errmsg === undefined ? { errcode } : { errcode, errmsg });
      }
    },
    expireTokens() {
      tokens.clear();
    },
    close: () => app.close(),
  };
}

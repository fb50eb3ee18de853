import type { Result } from '../miniprogram/core/result';
import { err, ok } from '../miniprogram/core/result';
import type { FetchLike, TransportFailure } from './http-json';
import { asRecord, fetchJson } from './http-json';
import type { Store } from './store';

/** A WeChat API answer with a non-zero `errcode`. */
export interface WeChatApiFailure {
  kind: 'api';
  errcode: number;
  errmsg: string;
}

export type WeChatFailure = TransportFailure | WeChatApiFailure;

export interface WeChatSession {
  openid: string;
  /** Kept server-side only; never returned or logged. */
  sessionKey: string;
  unionid?: string;
}

/** Body of `subscribeMessage.send` (without the access token). */
export interface SubscribeMessageRequest {
  touser: string;
  template_id: string;
  page: string;
  data: Record<string, { value: string }>;
  miniprogram_state: 'formal' | 'trial' | 'developer';
  lang: 'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW';
}

export interface WeChatClientOptions {
  apiBase: string;
  appID: string;
  appSecret: string;
  fetch: FetchLike;
  store: Store;
  now: () => number;
  timeoutMs?: number;
}

const TOKEN_KEY = 'wechat:access-token';
/** Claim held by the instance fetching a token (a fetch takes at most `timeoutMs`). */
const TOKEN_LOCK_KEY = 'wechat:access-token:fetching';
const TOKEN_LOCK_TTL_S = 10;
/** Refresh this long (at most a tenth of the lifetime) before expiry, so no send races the deadline. */
const TOKEN_MARGIN_MS = 5 * 60_000;
/** access_token invalid (40001), expired (42001), malformed (40014): fetch a fresh one once. */
const STALE_TOKEN_CODES = new Set([40001, 40014, 42001]);

function apiFailure(body: Record<string, unknown>): WeChatApiFailure | undefined {
  const errcode = body.errcode;
  if (typeof errcode !== 'number' || errcode === 0) return undefined;
  return {
    kind: 'api',
    errcode,
    errmsg: typeof body.errmsg === 'string' ? body.errmsg.slice(0, 200) : '',
  };
}

/**
 * WeChat server API client: `jscode2session`, the access token (cached in the store so every
 * instance shares one, refreshed before expiry, single-flight per process) and
 * `subscribeMessage.send`. Never throws; failures are values.
 */
export class WeChatClient {
  private tokenInFlight: Promise<Result<string, WeChatFailure>> | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: WeChatClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Exchanges a `wx.login` code for the user's openid. Each code works once. */
  async code2Session(code: string): Promise<Result<WeChatSession, WeChatFailure>> {
    const { apiBase, appID, appSecret } = this.options;
    const query = new URLSearchParams({
      appid: appID,
      secret: appSecret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    const result = await fetchJson(
      this.options.fetch,
      `${apiBase}/sns/jscode2session?${query.toString()}`,
      { method: 'GET' },
      this.timeoutMs,
    );
    if (!result.ok) return result;
    const body = asRecord(result.value);
    if (body === undefined)
      return err({ kind: 'transport', detail: 'jscode2session: not an object' });
    const failure = apiFailure(body);
    if (failure !== undefined) return err(failure);
    const { openid, session_key: sessionKey, unionid } = body;
    if (typeof openid !== 'string' || openid === '' || typeof sessionKey !== 'string') {
      return err({ kind: 'transport', detail: 'jscode2session: no openid in the answer' });
    }
    return ok(
      typeof unionid === 'string' ? { openid, sessionKey, unionid } : { openid, sessionKey },
    );
  }

  /** Sends a subscribe message; retries once with a fresh token when WeChat says it is stale. */
  async sendSubscribeMessage(
    message: SubscribeMessageRequest,
  ): Promise<Result<void, WeChatFailure>> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const token = await this.accessToken(attempt > 0);
      if (!token.ok) return token;
      const result = await fetchJson(
        this.options.fetch,
        `${this.options.apiBase}/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token.value)}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(message),
        },
        this.timeoutMs,
      );
      if (!result.ok) return result;
      const body = asRecord(result.value) ?? {};
      const failure = apiFailure(body);
      if (failure === undefined) return ok(undefined);
      if (attempt === 0 && STALE_TOKEN_CODES.has(failure.errcode)) continue;
      return err(failure);
    }
    return err({ kind: 'transport', detail: 'unreachable' });
  }

  /** The cached access token, or a new one when missing, near expiry, or `forceRefresh`. */
  async accessToken(forceRefresh = false): Promise<Result<string, WeChatFailure>> {
    const cached = await this.cachedToken();
    if (!forceRefresh && cached !== undefined) return ok(cached);
    this.tokenInFlight ??= this.fetchShared(forceRefresh ? cached : undefined).finally(() => {
      this.tokenInFlight = undefined;
    });
    return this.tokenInFlight;
  }

  private async cachedToken(): Promise<string | undefined> {
    const cached = await this.options.store.get(TOKEN_KEY);
    if (cached === undefined) return undefined;
    const parsed = asRecord(safeParse(cached));
    return parsed !== undefined &&
      typeof parsed.token === 'string' &&
      typeof parsed.refreshAt === 'number' &&
      parsed.refreshAt > this.options.now()
      ? parsed.token
      : undefined;
  }

  /**
   * One fetch for every instance sharing the store: each fetch of WeChat's token invalidates the
   * previous one after 5 minutes, so instances take a short claim and the others wait for the token
   * it stores (or fetch themselves once the claim is gone without a token). `stale` is the token
   * WeChat just refused, which waiting must not hand out again.
   */
  private async fetchShared(stale: string | undefined): Promise<Result<string, WeChatFailure>> {
    const { store } = this.options;
    if (await store.setIfAbsent(TOKEN_LOCK_KEY, '1', TOKEN_LOCK_TTL_S)) {
      try {
        return await this.fetchToken();
      } finally {
        await store.del(TOKEN_LOCK_KEY);
      }
    }
    const deadline = Date.now() + this.timeoutMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      const token = await this.cachedToken();
      if (token !== undefined && token !== stale) return ok(token);
      if ((await store.get(TOKEN_LOCK_KEY)) === undefined) break;
    }
    return this.fetchToken();
  }

  private async fetchToken(): Promise<Result<string, WeChatFailure>> {
    const { apiBase, appID, appSecret } = this.options;
    const query = new URLSearchParams({
      grant_type: 'client_credential',
      appid: appID,
      secret: appSecret,
    });
    const result = await fetchJson(
      this.options.fetch,
      `${apiBase}/cgi-bin/token?${query.toString()}`,
      { method: 'GET' },
      this.timeoutMs,
    );
    if (!result.ok) return result;
    const body = asRecord(result.value) ?? {};
    const failure = apiFailure(body);
    if (failure !== undefined) return err(failure);
    const { access_token: token, expires_in: expiresIn } = body;
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number') {
      return err({ kind: 'transport', detail: 'token: no access_token in the answer' });
    }
    const lifetimeMs = expiresIn * 1000;
    const refreshAt = this.options.now() + lifetimeMs - Math.min(TOKEN_MARGIN_MS, lifetimeMs / 10);
    await this.options.store.set(
      TOKEN_KEY,
      JSON.stringify({ token, refreshAt }),
      Math.max(1, expiresIn),
    );
    return ok(token);
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

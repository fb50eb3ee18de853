import type { Language } from '../core/i18n/index';
import { protocolLanguage } from '../core/i18n/preference';
import type { AuthPort, AuthSession } from '../core/ports/auth';
import { parseAuthSession } from '../core/ports/auth';
import { appError, err, ok } from '../core/result';
import type { AppError, Result } from '../core/result';
import type { JsonResponse } from './wx-request';
import { postJson } from './wx-request';

/** Where the login server is, and seams for tests. */
export interface WxAuthOptions {
  /** Base URL of our login server, e.g. `http://127.0.0.1:9500`. */
  loginEndpoint: string;
  timeoutMs: number;
  /** Injectable for tests; defaults to `wx.request`. */
  post?: (url: string, body: unknown, timeoutMs: number) => Promise<Result<JsonResponse>>;
  /** Injectable for tests; defaults to `wx.login`. */
  wxLogin?: () => Promise<Result<string>>;
  /** The UI language: the server starts the service flow (welcome, menus) in it. */
  language?: () => Language;
}

function wxLoginCode(timeoutMs: number): Promise<Result<string>> {
  return new Promise((resolve) => {
    wx.login({
      timeout: timeoutMs,
      success: (res) =>
        resolve(res.code ? ok(res.code) : err(appError('server-refused', 'wx.login gave no code'))),
      fail: (e) =>
        resolve(
          err(appError(/timeout/i.test(e.errMsg) ? 'timeout' : 'network', `wx.login: ${e.errMsg}`)),
        ),
    });
  });
}

/** `{error, message}` bodies of 4xx/5xx answers → an AppError. */
function httpError(res: JsonResponse, context: string): AppError {
  const body = (typeof res.data === 'object' && res.data !== null ? res.data : {}) as Record<
    string,
    unknown
  >;
  const code = typeof body.error === 'string' ? body.error : '';
  const message = `${context}: HTTP ${res.status}${code ? ` ${code}` : ''}`;
  if (res.status === 401 || code === 'session-expired')
    return appError('session-expired', message, code);
  // Busy or failing servers are worth waiting for (the session store backs off, honouring
  // Retry-After); other refusals are definitive.
  if (res.status === 429 || res.status >= 500)
    return appError('busy', message, {
      status: res.status,
      error: code,
      retryAfterMs: res.retryAfterMs,
    });
  if (res.status === 400) return appError('invalid-input', message, code);
  return appError('server-refused', message, code);
}

/**
 * `AuthPort` for the mini-program: `wx.login()` code → `POST {loginEndpoint}/api/login {code,
 * language}`;
 * renewal `POST /api/refresh {sessionToken}`. Both answer
 * `{sdkAppID, userID, userSig, expireAt, serviceAccounts, sessionToken}`; errors are `{error,
 * message}` with 4xx/5xx, and 401 `session-expired` on refresh means "log in again".
 */
export function createWxAuth(options: WxAuthOptions): AuthPort {
  const post = options.post ?? postJson;
  const code = options.wxLogin ?? (() => wxLoginCode(options.timeoutMs));
  const base = options.loginEndpoint.replace(/\/+$/, '');

  const exchange = async (path: string, body: unknown): Promise<Result<AuthSession>> => {
    const res = await post(`${base}${path}`, body, options.timeoutMs);
    if (!res.ok) return res;
    if (res.value.status < 200 || res.value.status >= 300) return err(httpError(res.value, path));
    const session = parseAuthSession(res.value.data);
    if (!session) return err(appError('server-refused', `${path}: malformed answer`));
    return ok(session);
  };

  return {
    async login() {
      const got = await code();
      if (!got.ok) return got;
      const language = protocolLanguage(options.language?.() ?? 'zh-CN');
      return exchange('/api/login', { code: got.value, language });
    },
    refresh(sessionToken) {
      return exchange('/api/refresh', { sessionToken });
    },
  };
}

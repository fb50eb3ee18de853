import { appError, err, ok } from '../core/result';
import type { AppErrorCode, Result } from '../core/result';

/** A JSON response: status and parsed body. */
export interface JsonResponse {
  status: number;
  data: unknown;
  /** The server's `Retry-After` (429, 503), in ms, when it sent one. */
  retryAfterMs?: number;
}

/** `Retry-After` as delta-seconds or an HTTP date → ms from `now`; `undefined` when absent or bad. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const text = String(value).trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  // An HTTP date (IMF-fixdate starts with the day name), never a bare number Date.parse guesses.
  if (!/^[A-Za-z]{3},/.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

function header(headers: unknown, name: string): unknown {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers as Record<string, unknown>))
    if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * `POST url` with a JSON body through `wx.request`, as a `Result`. Transport failures map to
 * `network` / `timeout`; HTTP error statuses are returned as values (the caller reads the body).
 */
export function postJson(
  url: string,
  body: unknown,
  timeoutMs: number,
): Promise<Result<JsonResponse>> {
  return new Promise((resolve) => {
    wx.request({
      url,
      method: 'POST',
      data: body as WechatMiniprogram.IAnyObject,
      header: { 'content-type': 'application/json' },
      dataType: 'json',
      timeout: timeoutMs,
      success: (res) => {
        const response: JsonResponse = { status: res.statusCode, data: res.data };
        const retryAfterMs = parseRetryAfter(header(res.header, 'Retry-After'));
        if (retryAfterMs !== undefined) response.retryAfterMs = retryAfterMs;
        resolve(ok(response));
      },
      fail: (e) => {
        const code: AppErrorCode = /timeout/i.test(e.errMsg) ? 'timeout' : 'network';
        resolve(err(appError(code, `request failed: ${e.errMsg}`)));
      },
    });
  });
}

import { appError, err, ok } from '../core/result';
import type { AppErrorCode, Result } from '../core/result';

/** A JSON response: status and parsed body. */
export interface JsonResponse {
  status: number;
  data: unknown;
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
      success: (res) => resolve(ok({ status: res.statusCode, data: res.data })),
      fail: (e) => {
        const code: AppErrorCode = /timeout/i.test(e.errMsg) ? 'timeout' : 'network';
        resolve(err(appError(code, `request failed: ${e.errMsg}`)));
      },
    });
  });
}

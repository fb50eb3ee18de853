import type { Result } from '../miniprogram/core/result';
import { err, ok } from '../miniprogram/core/result';

/** The `fetch` the server uses for outbound calls (injectable in tests). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Why an outbound call produced no usable JSON. `detail` never contains the URL or a secret. */
export interface TransportFailure {
  kind: 'transport';
  detail: string;
}

/**
 * Calls `url` and parses the body as JSON whatever the content type (WeChat answers
 * jscode2session as text/plain). Never throws: network errors, timeouts, non-2xx statuses and
 * unparseable bodies all come back as a `TransportFailure`.
 */
export async function fetchJson(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
): Promise<Result<unknown, TransportFailure>> {
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    // Duck-typed: abort reasons are DOMExceptions, which are not `instanceof Error` in every realm.
    const name = String(asRecord(error)?.name ?? 'Error');
    return err({
      kind: 'transport',
      detail:
        name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : `network error (${name})`,
    });
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    return err({ kind: 'transport', detail: `body read failed (HTTP ${response.status})` });
  }
  if (!response.ok) return err({ kind: 'transport', detail: `HTTP ${response.status}` });
  try {
    return ok(JSON.parse(text) as unknown);
  } catch {
    return err({ kind: 'transport', detail: `HTTP ${response.status} with a non-JSON body` });
  }
}

/** Narrows an unknown JSON value to a plain object. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

import { appError } from '../../core/result';
import type { AppError, AppErrorCode } from '../../core/result';

/**
 * The one place where Chat SDK and server error codes become `AppErrorCode`s (codes from
 * @tencentcloud/chat 3.6.6 and the IM server). Kept free of the SDK import so the fake transport and
 * unit tests share it.
 */
const CODE_MAP: ReadonlyArray<[number | [number, number], AppErrorCode]> = [
  [2024, 'not-logged-in'], // never logged in
  [2025, 'busy'], // a login is already in flight
  [2100, 'send-failed'],
  [2041, 'send-failed'], // upload signature failed
  [2500, 'not-found'], // conversation not found
  [2800, 'network'],
  [2801, 'timeout'],
  [2805, 'network'], // offline
  [2999, 'not-logged-in'], // SDK not ready
  [3000, 'busy'], // login in progress
  [3001, 'server-refused'], // login failed
  [3002, 'kicked'], // multiple devices
  [3003, 'kicked'], // multiple accounts
  [3004, 'usersig-expired'],
  [3005, 'not-logged-in'], // after logout
  [3006, 'kicked'], // REST API kick
  [3123, 'blocked-content'], // the SDK's local profanity filter
  [[70001, 70020], 'usersig-expired'], // UserSig expired / invalid: get a new one
  [20002, 'usersig-expired'],
  [20003, 'server-refused'], // UserID invalid or not imported
  [20007, 'send-failed'], // blocked by the peer
  [80001, 'blocked-content'], // cloud review: sensitive text
  [80002, 'invalid-input'], // message too large
  [80004, 'blocked-content'], // cloud review: risky image or other content
  [[10100, 10200], 'blocked-content'], // refused by the app's before-send callback
  [[120001, 130000], 'blocked-content'], // refused by the app's before-send callback (custom codes)
];

/** The numeric code of an SDK error (`{code}` objects and `Error`s with a `code`), or NaN. */
export function sdkErrorCode(error: unknown): number {
  if (typeof error !== 'object' || error === null) return NaN;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'number') return code;
  if (typeof code === 'string' && /^-?\d+$/.test(code)) return Number(code);
  return NaN;
}

/** Maps a numeric SDK/server code to an `AppErrorCode` (`fallback` for unknown codes). */
export function appCodeFor(code: number, fallback: AppErrorCode = 'unknown'): AppErrorCode {
  for (const [match, appCode] of CODE_MAP) {
    if (typeof match === 'number' ? match === code : code >= match[0] && code <= match[1]) {
      return appCode;
    }
  }
  return fallback;
}

/**
 * Turns anything the SDK rejected or threw with into an `AppError`. The SDK's message texts are
 * blank offline (they come from a download), so the code decides; the original goes in `cause`.
 * `fallback` is used for unknown codes (e.g. `send-failed` for sends).
 */
export function mapSdkError(
  error: unknown,
  context: string,
  fallback: AppErrorCode = 'unknown',
): AppError {
  const code = sdkErrorCode(error);
  const raw =
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { message?: unknown }).message === 'string'
      ? (error as { message: string }).message
      : String(error);
  const text = `${context}: ${Number.isNaN(code) ? '' : `[${code}] `}${raw}`.trim();
  // Only the code and message are kept: the SDK error holds the message object (and its payload).
  const cause = Number.isNaN(code) ? raw : { code, message: raw };
  if (Number.isNaN(code)) {
    // A synchronous `Params validate failed.` throw is our bug, but must not crash a page.
    if (/validate/i.test(raw)) return appError('invalid-input', text, cause);
    return appError(fallback, text, cause);
  }
  return appError(appCodeFor(code, fallback), text, cause);
}

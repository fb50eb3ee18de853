/**
 * Expected failures travel as values, never as exceptions. `throw` is for programmer errors only.
 */
export type Result<T, E = AppError> = { ok: true; value: T } | { ok: false; error: E };

/** Error codes shared by every layer; pages turn them into text through the i18n table (`error.<code>`). */
export type AppErrorCode =
  | 'not-logged-in'
  | 'network'
  | 'timeout'
  | 'usersig-expired'
  | 'kicked'
  | 'blocked-content'
  | 'send-failed'
  | 'server-refused'
  | 'invalid-input'
  | 'rating-expired'
  | 'rating-duplicate'
  | 'not-found'
  | 'file-too-large'
  | 'text-too-long'
  | 'not-allowed'
  | 'session-expired'
  | 'busy'
  | 'unknown';

export interface AppError {
  code: AppErrorCode;
  message: string;
  /** The original error (SDK code, HTTP status...), for logs only. */
  cause?: unknown;
}

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = AppError>(error: E): Result<never, E> => ({ ok: false, error });
export const appError = (code: AppErrorCode, message: string, cause?: unknown): AppError =>
  cause === undefined ? { code, message } : { code, message, cause };

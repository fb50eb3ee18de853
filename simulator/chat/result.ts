/**
 * Expected failures as values. The simulator never imports client code, so it carries its own tiny
 * Result; the error side holds a Tencent error code and text because that is what goes on the wire.
 */
export interface ChatError {
  /** A Tencent Cloud Chat server error code (70001, 80001, 20003...). */
  code: number;
  info: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ChatError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: number, info: string): Result<never> => ({
  ok: false,
  error: { code, info },
});

/**
 * Expected failures of the simulated TCCC side travel as values. The simulator keeps its own copy of this
 * tiny type on purpose: it never imports client code (it plays the other side of the protocol).
 */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });

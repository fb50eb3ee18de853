/**
 * Turns two view states into the smallest `setData` payload that moves a page from one to the other,
 * using WeChat path keys (`messages[12].status`, `session.typing`). Unchanged branches are detected
 * by reference first, so view models that reuse unchanged items cost almost nothing to diff.
 */

/** A `setData` payload: path key → new value. */
export type SetDataPayload = Record<string, unknown>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function sameLeaf(a: unknown, b: unknown): boolean {
  // NaN never appears in view models, so `===` is enough; Object.is would resend -0 vs 0.
  return a === b;
}

function diffInto(prev: unknown, next: unknown, path: string, out: SetDataPayload): void {
  if (prev === next) return;
  if (Array.isArray(prev) && Array.isArray(next)) {
    // setData cannot remove array items, so a shorter array is sent whole. A longer one is sent as
    // changed items plus each appended item on its own path: one new message costs one item.
    if (next.length < prev.length) {
      out[path] = next;
      return;
    }
    const shared = prev.length;
    for (let i = 0; i < shared; i += 1) {
      // Same reference: nothing below changed (the common case for every old message).
      if (prev[i] !== next[i]) diffInto(prev[i], next[i], `${path}[${i}]`, out);
    }
    for (let i = shared; i < next.length; i += 1) out[`${path}[${i}]`] = next[i];
    return;
  }
  if (isPlainObject(prev) && isPlainObject(next)) {
    for (const key of Object.keys(next)) {
      const child = path === '' ? key : `${path}.${key}`;
      if (!(key in prev)) out[child] = next[key];
      else diffInto(prev[key], next[key], child, out);
    }
    for (const key of Object.keys(prev)) {
      // setData has no delete; null is the closest a template can test for.
      if (!(key in next)) out[path === '' ? key : `${path}.${key}`] = null;
    }
    return;
  }
  if (!sameLeaf(prev, next)) out[path] = next === undefined ? null : next;
}

/**
 * The minimal `setData` payload from `prev` to `next` (both plain view objects).
 *
 * Guarantees: applying the payload to `prev` with `setData` semantics yields `next`; an item appended
 * to an array is one `key[i]` entry; an unchanged subtree (same reference, or equal leaves) adds
 * nothing; `undefined` values are sent as `null` (WeChat rejects `undefined`). Keys whose names
 * contain `.` or `[` are not supported (view models never use them).
 */
export function diffForSetData(
  prev: Record<string, unknown> | null | undefined,
  next: Record<string, unknown>,
): SetDataPayload {
  const out: SetDataPayload = {};
  if (!prev) {
    for (const key of Object.keys(next)) out[key] = next[key] === undefined ? null : next[key];
    return out;
  }
  diffInto(prev, next, '', out);
  return out;
}

/** Whether a payload would change nothing (skip the `setData` call). */
export function isEmptyPayload(payload: SetDataPayload): boolean {
  for (const _key in payload) return false;
  return true;
}

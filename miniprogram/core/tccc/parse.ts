/**
 * Defensive readers for untrusted message objects and the one place that runs `JSON.parse` on a
 * message's `payload.data` / `cloudCustomData`. Nothing here throws.
 */
import {
  MAX_CLOUD_CUSTOM_DATA_LENGTH,
  MAX_DATA_LENGTH,
  MAX_FIELD_LENGTH,
  MAX_ITEMS,
} from './constants';
import type { MessageMeta } from './types';

export type Dict = Readonly<Record<string, unknown>>;

/** Reads `value[key]` without throwing: non-objects give `undefined`, and so do throwing getters. */
export function prop(value: unknown, key: string): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function'))
    return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** A non-array object, or `undefined`. */
export function asDict(value: unknown): Dict | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  try {
    return Array.isArray(value) ? undefined : (value as Dict);
  } catch {
    // Array.isArray throws on a revoked Proxy.
    return undefined;
  }
}

/**
 * A copy of the array's first `max` entries, or `[]` for anything that is not an array. Copying
 * inside the `try` means a hostile array-like cannot throw later, while the caller iterates.
 */
export function asList(value: unknown, max: number = MAX_ITEMS): unknown[] {
  try {
    return Array.isArray(value) ? value.slice(0, max) : [];
  } catch {
    return [];
  }
}

/** Clips to `max` UTF-16 units without leaving half a surrogate pair at the end. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}

/**
 * A string field: strings as they are, finite numbers as their decimal text (the protocol is loose
 * about ids), anything else `undefined`. Clipped to `max`.
 */
export function readString(value: unknown, max: number = MAX_FIELD_LENGTH): string | undefined {
  if (typeof value === 'string') return clip(value, max);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** {@link readString} with `''` for anything unreadable. */
export function text(value: unknown, max: number = MAX_FIELD_LENGTH): string {
  return readString(value, max) ?? '';
}

/** A finite number from a number or a numeric string (`"1"`), else `undefined`. */
export function readNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** Loose `== n` as the kits test flags: `0`, `"0"` and `" 0 "` equal 0; `null`, `''`, `false` do not. */
export function looselyEquals(value: unknown, n: number): boolean {
  return readNumber(value) === n;
}

/**
 * Normalises a `src`: strings trimmed, finite numbers stringified. Empty or missing gives
 * `undefined`; other types (booleans, objects) give `'?'` so the message counts as a malformed
 * protocol message, not as someone else's custom message.
 */
export function normaliseSrc(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : clip(trimmed, 32);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '?';
  return '?';
}

/** Outcome of {@link parseTcccPayload}. */
export type TcccPayload =
  /** A protocol message: a JSON object with a `src`. */
  | { status: 'protocol'; src: string; flagged: boolean; body: Dict }
  /** A JSON object without `src`: someone else's custom message. */
  | { status: 'no-src'; flagged: boolean; body: Dict }
  /** Missing, not JSON, or JSON that is not an object. */
  | { status: 'invalid' }
  /** Longer than `MAX_DATA_LENGTH`; not parsed. */
  | { status: 'too-large'; length: number };

function looksLikeJsonObject(data: string): boolean {
  for (let i = 0; i < data.length; i += 1) {
    const c = data.charCodeAt(i);
    // Skip JSON whitespace: space, tab, LF, CR.
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) continue;
    return c === 0x7b; // '{'
  }
  return false;
}

/**
 * Parses a custom message's `payload.data` once. Accepts the JSON string the SDK gives, or an
 * already-parsed object. Strings over `MAX_DATA_LENGTH` and strings that cannot be a JSON object are
 * rejected before `JSON.parse` runs, so the call is bounded. Never throws.
 */
export function parseTcccPayload(data: unknown): TcccPayload {
  let body: Dict | undefined;
  let csp: unknown;
  let bot: unknown;
  let rawSrc: unknown;
  if (typeof data === 'string') {
    if (data.length > MAX_DATA_LENGTH) return { status: 'too-large', length: data.length };
    if (!looksLikeJsonObject(data)) return { status: 'invalid' };
    try {
      body = asDict(JSON.parse(data) as unknown);
    } catch {
      return { status: 'invalid' };
    }
    if (!body) return { status: 'invalid' };
    // JSON.parse made it: no getters, plain loads are safe.
    csp = body.customerServicePlugin;
    bot = body.chatbotPlugin;
    rawSrc = body.src;
  } else {
    body = asDict(data);
    if (!body) return { status: 'invalid' };
    csp = prop(body, 'customerServicePlugin');
    bot = prop(body, 'chatbotPlugin');
    rawSrc = prop(body, 'src');
  }
  const flagged = looselyEquals(csp, 0) || looselyEquals(bot, 1);
  const src = normaliseSrc(rawSrc);
  return src === undefined
    ? { status: 'no-src', flagged, body }
    : { status: 'protocol', src, flagged, body };
}

/** Limits of {@link plainCopy}: how deep, and how many values in all. */
const PLAIN_DEPTH = 8;
const PLAIN_VALUES = 1_000;

/**
 * A JSON-safe copy of `value` (strings, finite numbers, booleans, null, arrays and plain own
 * enumerable properties), or `undefined` when it holds anything else: a function, symbol, bigint, a
 * cycle, a proxy or getter that throws, more than {@link PLAIN_VALUES} values or
 * {@link PLAIN_DEPTH} levels. Never throws; what comes back survives `structuredClone`.
 */
export function plainCopy(value: unknown): unknown {
  let budget = PLAIN_VALUES;
  const seen = new Set<object>();
  const copy = (v: unknown, depth: number): unknown => {
    budget -= 1;
    if (budget < 0 || depth > PLAIN_DEPTH) throw new RangeError('too large');
    if (v === null || typeof v === 'boolean') return v;
    if (typeof v === 'string') return clip(v, MAX_CLOUD_CUSTOM_DATA_LENGTH);
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new TypeError('not finite');
      return v;
    }
    if (typeof v !== 'object') throw new TypeError('not data');
    if (seen.has(v)) throw new TypeError('cycle');
    seen.add(v);
    let out: unknown;
    if (Array.isArray(v)) {
      out = v.slice(0, MAX_ITEMS).map((item) => copy(item, depth + 1));
    } else {
      const record: Record<string, unknown> = {};
      for (const key of Object.keys(v).slice(0, MAX_ITEMS)) {
        const item = copy((v as Record<string, unknown>)[key], depth + 1);
        if (key !== '__proto__') record[key] = item;
      }
      out = record;
    }
    seen.delete(v);
    return out;
  };
  try {
    return copy(value, 0);
  } catch {
    return undefined;
  }
}

/**
 * Parses `cloudCustomData` (docs §9) into {@link MessageMeta}; `undefined` when it is empty, too
 * long, or not a JSON object. An already-parsed object is accepted as well, as a {@link plainCopy}
 * (dropped when it is not plain data), so the result never holds a reference into the message.
 */
export function parseMessageMeta(value: unknown): MessageMeta | undefined {
  let raw: Dict | undefined;
  if (typeof value === 'string') {
    if (value === '' || value.length > MAX_CLOUD_CUSTOM_DATA_LENGTH || !looksLikeJsonObject(value))
      return undefined;
    try {
      raw = asDict(JSON.parse(value) as unknown);
    } catch {
      return undefined;
    }
  } else {
    raw = asDict(plainCopy(asDict(value)));
  }
  if (!raw) return undefined;
  const meta: MessageMeta = { raw };
  const messageType = readString(prop(raw, 'messageType'));
  const role = readString(prop(raw, 'role'));
  const scene = readString(prop(raw, 'scene'));
  if (messageType !== undefined) meta.messageType = messageType;
  if (role !== undefined) meta.role = role;
  if (scene !== undefined) meta.scene = scene;
  return meta;
}

/**
 * The Chat SDK's websocket frames as observed (docs chat-wire.md): `{head, body}` JSON, answers echo
 * `servcmd` + `seq`, every body carries the `{ActionStatus, ErrorCode, ErrorInfo}` envelope, and
 * server pushes go out under `im_open_push.msg_push`. Everything arriving here is untrusted input, so
 * the readers below narrow `unknown` and never throw.
 */
import type { WireElem } from '../tccc/port';

export type Json = Record<string, unknown>;

export const PUSH_SERVCMD = 'im_open_push.msg_push';

export interface RequestFrame {
  servcmd: string;
  seq: number | string;
  head: Json;
  body: Json;
}

export const isRecord = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const str = (o: Json, key: string): string | undefined => {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
};

/** Numbers may arrive as numeric strings (`sdkappid` does); both are accepted. */
export const num = (o: Json, key: string): number | undefined => {
  const v = o[key];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};

export const arr = (o: Json, key: string): unknown[] => {
  const v = o[key];
  return Array.isArray(v) ? v : [];
};

export const rec = (o: Json, key: string): Json => {
  const v = o[key];
  return isRecord(v) ? v : {};
};

export const records = (o: Json, key: string): Json[] => arr(o, key).filter(isRecord);

/**
 * Parses one frame. Returns undefined for anything that is not `{head:{servcmd, seq}, body?}`:
 * such frames cannot be answered (no seq to echo) and are dropped by the caller.
 */
export function parseFrame(text: string): RequestFrame | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || !isRecord(parsed.head)) return undefined;
  const head = parsed.head;
  const servcmd = str(head, 'servcmd');
  const seq = head.seq;
  if (!servcmd || (typeof seq !== 'number' && typeof seq !== 'string')) return undefined;
  return { servcmd, seq, head, body: isRecord(parsed.body) ? parsed.body : {} };
}

export const envelope = (extra: Json = {}): Json => ({
  ActionStatus: 'OK',
  ErrorCode: 0,
  ErrorInfo: '',
  ...extra,
});

export const failure = (code: number, info: string, extra: Json = {}): Json => ({
  ...extra,
  ActionStatus: 'FAIL',
  ErrorCode: code,
  ErrorInfo: info,
});

export const responseFrame = (servcmd: string, seq: number | string, body: Json): Json => ({
  head: { servcmd, seq, error_code: 0 },
  body,
});

export const pushFrame = (eventItem: Json): Json => ({
  head: { servcmd: PUSH_SERVCMD, seq: 0 },
  body: { EventArray: [{ Event: 9, ...eventItem }] },
});

/** Narrows one `MsgBody` entry; unknown element types pass through untouched. */
export function toElem(v: unknown): WireElem | undefined {
  if (!isRecord(v)) return undefined;
  const type = str(v, 'MsgType');
  const content = v.MsgContent;
  if (!type || !isRecord(content)) return undefined;
  if (type === 'TIMTextElem') {
    const text = str(content, 'Text');
    return text === undefined ? undefined : { MsgType: type, MsgContent: { Text: text } };
  }
  if (type === 'TIMCustomElem') {
    const custom: { Data: string; Desc?: string; Ext?: string; Sound?: string } = {
      Data: str(content, 'Data') ?? '',
    };
    for (const key of ['Desc', 'Ext', 'Sound'] as const) {
      const value = str(content, key);
      if (value !== undefined) custom[key] = value;
    }
    return { MsgType: type, MsgContent: custom };
  }
  return { MsgType: type, MsgContent: content };
}

/** All elements of a `MsgBody`, or undefined if it is missing, empty or has a malformed entry. */
export function toElems(v: unknown): WireElem[] | undefined {
  if (!Array.isArray(v) || v.length === 0 || v.length > 20) return undefined;
  const elems: WireElem[] = [];
  for (const item of v) {
    const elem = toElem(item);
    if (!elem) return undefined;
    elems.push(elem);
  }
  return elems;
}

/** The texts of a body's text elements, for moderation. */
export const textsOf = (elems: readonly WireElem[]): string[] =>
  elems.flatMap((e) =>
    e.MsgType === 'TIMTextElem' && isRecord(e.MsgContent) && typeof e.MsgContent.Text === 'string'
      ? [e.MsgContent.Text]
      : [],
  );

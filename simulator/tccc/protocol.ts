/**
 * The TCCC side of the customer-service custom-message protocol (docs tccc-protocol.md): builders for what
 * TCCC sends, and a tolerant parser for what users send. Written independently of the client's parser.
 */
import type { WireElem } from './port';

/** `src` values this simulator sends or understands. */
export const SRC = {
  HANDSHAKE: '7',
  RATING: '9',
  RATING_SELECTED: '10',
  TYPING: '12',
  BRANCH: '15',
  NO_SEAT_ONLINE: '18',
  END: '19',
  TIMEOUT: '20',
  FORM: '21',
  PRODUCT_CARD: '22',
  RATING_SETTINGS: '23',
  USER_RATING_REQUEST: '24',
  SEAT_STATUS: '26',
  USER_END: '27',
  ORDER: '28',
  ROBOT_MSG: '29',
  RICH_TEXT: '30',
  STREAM: '31',
  TASK_BRANCH: '32',
  TASK_FORM: '33',
  TIPS: '37',
} as const;

/** Rating submission refusals (`SEND_RATING_ERROR_CODE`, tccc-protocol.md §7). */
export const RATING_ERROR = {
  EXPIRED: 10150,
  DATA_ERROR: 10151,
  DUPLICATE: 10152,
  INTERNAL: 10153,
  NO_SESSION: 10154,
} as const;
export type RatingErrorCode = (typeof RATING_ERROR)[keyof typeof RATING_ERROR];

/** `menuSendRuleFlag` bits of src 23: who may send a rating card. */
export const RATING_RULE = { AUTO: 1, AGENT: 2, CLIENT: 4 } as const;

export type Role = 'robot' | 'seat';

/** A plain text element. */
export function textElem(text: string): WireElem {
  return { MsgType: 'TIMTextElem', MsgContent: { Text: text } };
}

/**
 * A protocol custom element: `customerServicePlugin: 0` first, then `src` and the body, as the kits and the
 * official doc examples serialise it. `Desc`/`Ext` are sent empty (kits never read them).
 */
export function customElem(src: string, body: Record<string, unknown> = {}): WireElem {
  const data = JSON.stringify({ customerServicePlugin: 0, src, ...body });
  return { MsgType: 'TIMCustomElem', MsgContent: { Data: data, Desc: '', Ext: '' } };
}

/** `cloudCustomData` marking a system/robot/agent message (doc 269/119743). */
export function cloudData(
  role: Role,
  messageType?: string,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify(messageType ? { messageType, role, ...extra } : { role, ...extra });
}

/** Reads back the JSON body of a custom element this module built (for modifications). */
export function customBody(elem: WireElem): Record<string, unknown> | undefined {
  if (elem.MsgType !== 'TIMCustomElem') return undefined;
  const data = (elem.MsgContent as Record<string, unknown>).Data;
  return typeof data === 'string' ? parseObject(data) : undefined;
}

/** What a user's message means to TCCC. */
export type UserInput =
  | { kind: 'protocol'; src: string; body: Record<string, unknown> }
  | { kind: 'text'; text: string }
  | { kind: 'other'; summary: string; image?: string };

/**
 * Classifies a user's message. Never throws: anything unreadable becomes `other`.
 * A custom element counts as protocol when its Data is a JSON object with a `src` (string or number,
 * normalised to a string); the `customerServicePlugin` flag is not required because older kits omit it
 * on the handshake.
 */
export function parseUserInput(elems: unknown): UserInput {
  if (!Array.isArray(elems) || elems.length === 0) return { kind: 'other', summary: '[空消息]' };
  const texts: string[] = [];
  let summary = '';
  let image: string | undefined;
  for (const elem of elems as unknown[]) {
    if (!isRecord(elem)) continue;
    const type = elem.MsgType;
    const content = isRecord(elem.MsgContent) ? elem.MsgContent : {};
    if (type === 'TIMCustomElem') {
      const body = typeof content.Data === 'string' ? parseObject(content.Data) : undefined;
      const src = body?.src;
      if (body && (typeof src === 'string' || (typeof src === 'number' && Number.isFinite(src)))) {
        return { kind: 'protocol', src: String(src), body };
      }
      summary ||= '[自定义消息]';
    } else if (type === 'TIMTextElem' && typeof content.Text === 'string') {
      texts.push(content.Text);
    } else if (type === 'TIMImageElem') {
      summary ||= '[图片]';
      image ??= imageUrl(content);
    } else if (type === 'TIMFileElem') {
      summary ||= '[文件]';
    } else {
      summary ||= '[消息]';
    }
  }
  if (texts.length > 0) return { kind: 'text', text: texts.join('') };
  return image
    ? { kind: 'other', summary: summary || '[消息]', image }
    : { kind: 'other', summary: summary || '[消息]' };
}

/** The thumbnail's URL of an image element (`ImageInfoArray` Type 3, else the smallest given). */
function imageUrl(content: Record<string, unknown>): string | undefined {
  const infos = Array.isArray(content.ImageInfoArray)
    ? content.ImageInfoArray.filter(isRecord)
    : [];
  const byType = (t: number) =>
    infos.find((i) => Number(i.Type) === t && typeof i.URL === 'string');
  const url = (byType(3) ?? byType(2) ?? byType(1))?.URL;
  return typeof url === 'string' && /^https?:\/\//.test(url) ? url.slice(0, 2048) : undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(json: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** `triggeredContent.language` of a handshake or end request, reduced to the languages the flow has. */
/** Longest skill-group name kept (the rest of a longer one is cut). */
export const MAX_SKILL_GROUP_LENGTH = 64;

/**
 * The skill group an entry asks for in its handshake (`triggeredContent.skillGroup`), trimmed;
 * undefined without one.
 */
export function requestedSkillGroup(body: Record<string, unknown>): string | undefined {
  const triggered = body.triggeredContent;
  if (!isRecord(triggered) || typeof triggered.skillGroup !== 'string') return undefined;
  const group = triggered.skillGroup.trim().slice(0, MAX_SKILL_GROUP_LENGTH);
  return group || undefined;
}

export function requestedLanguage(body: Record<string, unknown>): 'zh' | 'en' | undefined {
  const triggered = body.triggeredContent;
  if (!isRecord(triggered) || typeof triggered.language !== 'string') return undefined;
  const language = triggered.language.toLowerCase();
  if (language.startsWith('en')) return 'en';
  if (language.startsWith('zh')) return 'zh';
  return undefined;
}

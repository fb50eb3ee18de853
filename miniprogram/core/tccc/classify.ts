/**
 * `classifyMessage`: one untrusted message in, one {@link ClassifiedMessage} out. `payload.data` is
 * parsed at most once per call, and nothing the input does (wrong types, throwing getters, huge
 * strings) can make it throw.
 */
import type { Logger } from '../ports/logger';
import { silentLogger } from '../ports/logger';
import { CUSTOM_MESSAGE_TYPE, KNOWN_SRC, MAX_TEXT_LENGTH, SRC } from './constants';
import { readImage } from './image';
import {
  readBranch,
  readForm,
  readOrderCard,
  readProductCard,
  readRatingSettings,
  readRating,
  readRichText,
  readRobotMenu,
  readSeat,
  readStream,
  readSubmittedRating,
  readTaskBranch,
  readTaskForm,
  readTipText,
} from './kinds';
import type { Dict } from './parse';
import {
  asDict,
  clip,
  parseMessageMeta,
  parseTcccPayload,
  prop,
  readNumber,
  readString,
  text,
} from './parse';
import type {
  ClassifiedMessage,
  HiddenMessage,
  MessageBase,
  MessageKind,
  PlainMessage,
  PlainMessageType,
  ProtocolFields,
  TipType,
  UnsupportedMessage,
  UnsupportedReason,
} from './types';

export interface ClassifyOptions {
  /** Receives unknown-`src` warnings and oversize-payload notices. Defaults to {@link silentLogger}. */
  logger?: Logger;
}

// A Record over MessageKind, so adding a kind without listing it here is a type error.
const KINDS: Readonly<Record<MessageKind, true>> = {
  plain: true,
  rating: true,
  branch: true,
  form: true,
  'product-card': true,
  'order-card': true,
  'robot-menu': true,
  'rich-text': true,
  stream: true,
  'task-branch': true,
  'task-form': true,
  tip: true,
  signal: true,
  hidden: true,
  revoked: true,
  unsupported: true,
};

/** Every value `kind` can take (all of them, checked by the compiler), for exhaustive checks and tests. */
export const MESSAGE_KINDS: readonly MessageKind[] = Object.keys(KINDS) as MessageKind[];

const KIND_SET: ReadonlySet<string> = new Set<string>(MESSAGE_KINDS);

const PLAIN_TYPES: Readonly<Record<string, PlainMessageType>> = {
  TIMTextElem: 'text',
  TIMImageElem: 'image',
  TIMFileElem: 'file',
  TIMSoundElem: 'sound',
  TIMVideoFileElem: 'video',
  TIMFaceElem: 'face',
  TIMLocationElem: 'location',
  TIMRelayElem: 'merger',
  TIMGroupTipElem: 'group-tip',
  TIMGroupSystemNoticeElem: 'group-system',
};

type Common = MessageBase & ProtocolFields;
type Reporter = (src: string) => void;
type Handler = (body: Dict, common: Common, logger: Logger) => ClassifiedMessage;

const TIP_TYPES: Readonly<Record<string, TipType>> = {
  [SRC.TRANSFER_TO_TASK_FLOW]: 'transfer-to-task-flow',
  [SRC.CONCURRENCY_LIMIT]: 'concurrency-limit',
  [SRC.TIMEOUT_WARNING]: 'timeout-warning',
  [SRC.TRANSFER_TO_HUMAN]: 'transfer-to-human',
};

function safeWarn(logger: Logger, message: string, detail: unknown): void {
  try {
    logger.warn(message, detail);
  } catch {
    // A broken logger must not break message rendering.
  }
}

function hidden(common: Common): HiddenMessage {
  return { kind: 'hidden', ...common, known: KNOWN_SRC.has(common.src) };
}

function tip(body: Dict, common: Common): ClassifiedMessage {
  return {
    kind: 'tip',
    ...common,
    tipType: TIP_TYPES[common.src] ?? 'transfer-to-human',
    text: readTipText(body),
  };
}

const HANDLERS: Readonly<Record<string, Handler>> = {
  [SRC.RATING]: (body, common) => ({ kind: 'rating', ...common, ...readRating(body) }),
  [SRC.RATING_SUBMISSION]: (body, common) => {
    const submittedRating = readSubmittedRating(body);
    return submittedRating ? { ...hidden(common), submittedRating } : hidden(common);
  },
  [SRC.BRANCH]: (body, common) => ({ kind: 'branch', ...common, ...readBranch(body) }),
  [SRC.FORM]: (body, common) => ({ kind: 'form', ...common, ...readForm(body) }),
  [SRC.PRODUCT_CARD]: (body, common) => ({
    kind: 'product-card',
    ...common,
    ...readProductCard(body),
  }),
  [SRC.ORDER_CARD]: (body, common) => ({ kind: 'order-card', ...common, ...readOrderCard(body) }),
  [SRC.ROBOT_MENU]: (body, common) => ({ kind: 'robot-menu', ...common, ...readRobotMenu(body) }),
  [SRC.RICH_TEXT]: (body, common) => ({ kind: 'rich-text', ...common, ...readRichText(body) }),
  [SRC.STREAM]: (body, common) => ({ kind: 'stream', ...common, ...readStream(body) }),
  [SRC.TASK_BRANCH]: (body, common) => ({
    kind: 'task-branch',
    ...common,
    ...readTaskBranch(body),
  }),
  [SRC.TASK_FORM]: (body, common) => ({ kind: 'task-form', ...common, ...readTaskForm(body) }),
  [SRC.TRANSFER_TO_TASK_FLOW]: tip,
  [SRC.CONCURRENCY_LIMIT]: tip,
  [SRC.TIMEOUT_WARNING]: tip,
  [SRC.TRANSFER_TO_HUMAN]: tip,
  [SRC.TYPING]: (_body, common) => ({ kind: 'signal', ...common, signal: 'typing' }),
  [SRC.RATING_SETTINGS]: (body, common) => ({
    kind: 'signal',
    ...common,
    signal: 'rating-settings',
    ...readRatingSettings(body),
  }),
  [SRC.SEAT_STATUS]: (body, common, logger) => {
    const inSeat = readSeat(body);
    if (inSeat !== undefined) return { kind: 'signal', ...common, signal: 'seat', inSeat };
    // A seat message we cannot read must not flip the "转人工" button either way.
    safeWarn(logger, 'tccc: unreadable seat state', { id: common.id });
    return hidden(common);
  },
  [SRC.THINKING]: (body, common) => {
    const thinkingStatus = readNumber(prop(body, 'thinkingStatus'));
    return thinkingStatus === undefined
      ? { kind: 'signal', ...common, signal: 'thinking' }
      : { kind: 'signal', ...common, signal: 'thinking', thinkingStatus };
  },
  [SRC.SESSION_END]: (_body, common) => ({ kind: 'signal', ...common, signal: 'ended' }),
  [SRC.SESSION_TIMEOUT]: (_body, common) => ({ kind: 'signal', ...common, signal: 'timeout' }),
  [SRC.NO_AGENT]: (_body, common) => ({ kind: 'signal', ...common, signal: 'no-agent' }),
};

function readBase(message: unknown): MessageBase {
  const base: MessageBase = {
    id: text(prop(message, 'ID'), 200),
    // `lastMessage` on a conversation says `fromAccount`/`lastTime` instead.
    from: text(prop(message, 'from'), 200) || text(prop(message, 'fromAccount'), 200),
    time: readNumber(prop(message, 'time')) ?? readNumber(prop(message, 'lastTime')) ?? 0,
  };
  const flow = prop(message, 'flow');
  if (flow === 'in' || flow === 'out') base.flow = flow;
  const meta = parseMessageMeta(prop(message, 'cloudCustomData'));
  if (meta) base.meta = meta;
  return base;
}

function classifyPlain(type: string, payload: unknown, base: MessageBase): PlainMessage {
  const sdkType = clip(type, 64);
  const messageType = Object.prototype.hasOwnProperty.call(PLAIN_TYPES, sdkType)
    ? PLAIN_TYPES[sdkType]
    : 'other';
  const plain: PlainMessage = { kind: 'plain', ...base, messageType, sdkType };
  if (messageType === 'text') plain.text = text(prop(payload, 'text'), MAX_TEXT_LENGTH);
  if (messageType === 'image') plain.image = readImage(payload);
  return plain;
}

function unsupported(
  base: MessageBase,
  reason: UnsupportedReason,
  payload?: unknown,
): UnsupportedMessage {
  const result: UnsupportedMessage = { kind: 'unsupported', ...base, reason };
  const description = readString(prop(payload, 'description'));
  if (description && description.trim() !== '') result.description = description;
  return result;
}

function classifyUnsafe(
  message: unknown,
  logger: Logger,
  reportUnknown: Reporter,
): ClassifiedMessage {
  if (!asDict(message)) return unsupported(readBase(undefined), 'invalid-message');
  const base = readBase(message);
  if (prop(message, 'isRevoked') === true) return { kind: 'revoked', ...base };
  const type = prop(message, 'type');
  const payload = prop(message, 'payload');
  if (typeof type !== 'string') return unsupported(base, 'invalid-message');
  if (type !== CUSTOM_MESSAGE_TYPE) return classifyPlain(type, payload, base);

  const parsed = parseTcccPayload(prop(payload, 'data'));
  switch (parsed.status) {
    case 'too-large':
      safeWarn(logger, 'tccc: custom message payload too large, not parsed', {
        id: base.id,
        length: parsed.length,
      });
      return unsupported(base, 'too-large', payload);
    case 'invalid':
      return unsupported(base, 'invalid-payload', payload);
    case 'no-src':
      return unsupported(base, 'no-src', payload);
    case 'protocol':
      break;
  }
  const common: Common = { ...base, src: parsed.src, flagged: parsed.flagged };
  const handler = Object.prototype.hasOwnProperty.call(HANDLERS, parsed.src)
    ? HANDLERS[parsed.src]
    : undefined;
  if (handler) return handler(parsed.body, common, logger);
  if (!KNOWN_SRC.has(parsed.src)) reportUnknown(parsed.src);
  return hidden(common);
}

function classifyWith(
  message: unknown,
  logger: Logger,
  reportUnknown: Reporter,
): ClassifiedMessage {
  try {
    return classifyUnsafe(message, logger, reportUnknown);
  } catch (error) {
    safeWarn(logger, 'tccc: message could not be classified', error);
    return { kind: 'unsupported', id: '', from: '', time: 0, reason: 'invalid-message' };
  }
}

/**
 * Classifies one message (an SDK `Message`, a conversation `lastMessage`, or any value at all).
 *
 * Guarantees: never throws; parses `payload.data` at most once (and `cloudCustomData` at most once);
 * `isRevoked` wins over everything; non-custom messages are `plain`; custom messages with a `src`
 * become the protocol kind for that `src` (compared as a string), `signal`, or `hidden`; custom
 * messages without a `src` (or with unreadable data) are `unsupported`, never hidden. Every unknown
 * `src` is reported to `options.logger` at `warn`.
 */
export function classifyMessage(
  message: unknown,
  options: ClassifyOptions = {},
): ClassifiedMessage {
  const logger = options.logger ?? silentLogger;
  return classifyWith(message, logger, (src) => safeWarn(logger, 'tccc: unknown src', { src }));
}

/** How many distinct unknown `src` values one classifier reports before it goes quiet. */
const MAX_REPORTED_UNKNOWN = 64;

/**
 * A {@link classifyMessage} bound to a logger that reports each unknown `src` once, so a long
 * history full of one new protocol kind logs a single line.
 */
export function createClassifier(
  options: ClassifyOptions = {},
): (message: unknown) => ClassifiedMessage {
  const logger = options.logger ?? silentLogger;
  const reported = new Set<string>();
  const reportUnknown: Reporter = (src) => {
    if (reported.has(src) || reported.size >= MAX_REPORTED_UNKNOWN) return;
    reported.add(src);
    safeWarn(logger, 'tccc: unknown src', { src });
  };
  return (message) => classifyWith(message, logger, reportUnknown);
}

/** Kinds that must never appear as list items. */
export const INVISIBLE_KINDS: ReadonlySet<MessageKind> = new Set<MessageKind>(['signal', 'hidden']);

/** True when `value` is a `classifyMessage` result rather than a raw message. */
export function isClassifiedMessage(value: unknown): value is ClassifiedMessage {
  const kind = prop(value, 'kind');
  return (
    typeof kind === 'string' &&
    KIND_SET.has(kind) &&
    prop(value, 'payload') === undefined &&
    prop(value, 'type') === undefined
  );
}

/**
 * True exactly for kinds `signal` and `hidden`. Accepts a classified message (no second parse) or a
 * raw message (classified here). Apply it only inside a service conversation: elsewhere a custom
 * message with a `src` is not ours to hide.
 */
export function isMessageInvisible(message: unknown, options?: ClassifyOptions): boolean {
  const classified = isClassifiedMessage(message) ? message : classifyMessage(message, options);
  return INVISIBLE_KINDS.has(classified.kind);
}

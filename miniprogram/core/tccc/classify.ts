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
import type { Dict, TcccPayload } from './parse';
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
  RevokedMessage,
  SignalMessage,
  SubmittedRating,
  TipMessage,
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

/**
 * Adds `kind` and the common fields to a fresh `fields` object and returns it as the message. Plain
 * assignments, not object spread: spreading two objects into a literal goes through a slow runtime
 * path, and this runs once per message.
 */
function make<M extends ClassifiedMessage>(
  kind: M['kind'],
  fields: object,
  common: MessageBase & Partial<ProtocolFields>,
): M {
  const out = fields as Record<string, unknown>;
  out.kind = kind;
  out.id = common.id;
  out.from = common.from;
  out.time = common.time;
  if (common.flow !== undefined) out.flow = common.flow;
  if (common.meta !== undefined) out.meta = common.meta;
  if (common.src !== undefined) {
    out.src = common.src;
    out.flagged = common.flagged;
  }
  return out as M;
}

function hidden(common: Common, submittedRating?: SubmittedRating): HiddenMessage {
  const fields: { known: boolean; submittedRating?: SubmittedRating } = {
    known: KNOWN_SRC.has(common.src),
  };
  if (submittedRating) fields.submittedRating = submittedRating;
  return make<HiddenMessage>('hidden', fields, common);
}

function signal(common: Common, fields: object): ClassifiedMessage {
  return make<SignalMessage>('signal', fields, common);
}

function tip(body: Dict, common: Common): ClassifiedMessage {
  return make<TipMessage>(
    'tip',
    { tipType: TIP_TYPES[common.src] ?? 'transfer-to-human', text: readTipText(body) },
    common,
  );
}

const HANDLERS: Readonly<Record<string, Handler>> = {
  [SRC.RATING]: (body, common) => make('rating', readRating(body), common),
  [SRC.RATING_SUBMISSION]: (body, common) => hidden(common, readSubmittedRating(body)),
  [SRC.BRANCH]: (body, common) => make('branch', readBranch(body), common),
  [SRC.FORM]: (body, common) => make('form', readForm(body), common),
  [SRC.PRODUCT_CARD]: (body, common) => make('product-card', readProductCard(body), common),
  [SRC.ORDER_CARD]: (body, common) => make('order-card', readOrderCard(body), common),
  [SRC.ROBOT_MENU]: (body, common) => make('robot-menu', readRobotMenu(body), common),
  [SRC.RICH_TEXT]: (body, common) => make('rich-text', readRichText(body), common),
  [SRC.STREAM]: (body, common) => make('stream', readStream(body), common),
  [SRC.TASK_BRANCH]: (body, common) => make('task-branch', readTaskBranch(body), common),
  [SRC.TASK_FORM]: (body, common) => make('task-form', readTaskForm(body), common),
  [SRC.TRANSFER_TO_TASK_FLOW]: tip,
  [SRC.CONCURRENCY_LIMIT]: tip,
  [SRC.TIMEOUT_WARNING]: tip,
  [SRC.TRANSFER_TO_HUMAN]: tip,
  [SRC.TYPING]: (_body, common) => signal(common, { signal: 'typing' }),
  [SRC.RATING_SETTINGS]: (body, common) =>
    signal(common, { signal: 'rating-settings', ...readRatingSettings(body) }),
  [SRC.SEAT_STATUS]: (body, common, logger) => {
    const inSeat = readSeat(body);
    if (inSeat !== undefined) return signal(common, { signal: 'seat', inSeat });
    // A seat message we cannot read must not flip the "转人工" button either way.
    safeWarn(logger, 'tccc: unreadable seat state', { id: common.id });
    return hidden(common);
  },
  [SRC.THINKING]: (body, common) => {
    const thinkingStatus = readNumber(prop(body, 'thinkingStatus'));
    return thinkingStatus === undefined
      ? signal(common, { signal: 'thinking' })
      : signal(common, { signal: 'thinking', thinkingStatus });
  },
  [SRC.SESSION_END]: (_body, common) => signal(common, { signal: 'ended' }),
  [SRC.SESSION_TIMEOUT]: (_body, common) => signal(common, { signal: 'timeout' }),
  [SRC.NO_AGENT]: (_body, common) => signal(common, { signal: 'no-agent' }),
};

/** The message fields classification reads, each read once. */
interface MessageFields {
  ID: unknown;
  from: unknown;
  fromAccount: unknown;
  time: unknown;
  lastTime: unknown;
  flow: unknown;
  cloudCustomData: unknown;
  isRevoked: unknown;
  type: unknown;
  payload: unknown;
}

/**
 * Reads the fields with plain property loads (fast: one inline cache per field); when any getter
 * throws, reads them again one by one, so only the throwing fields come back `undefined`.
 */
function readFields(message: Dict): MessageFields {
  const m = message as Record<string, unknown>;
  try {
    return {
      ID: m.ID,
      from: m.from,
      fromAccount: m.fromAccount,
      time: m.time,
      lastTime: m.lastTime,
      flow: m.flow,
      cloudCustomData: m.cloudCustomData,
      isRevoked: m.isRevoked,
      type: m.type,
      payload: m.payload,
    };
  } catch {
    return {
      ID: prop(m, 'ID'),
      from: prop(m, 'from'),
      fromAccount: prop(m, 'fromAccount'),
      time: prop(m, 'time'),
      lastTime: prop(m, 'lastTime'),
      flow: prop(m, 'flow'),
      cloudCustomData: prop(m, 'cloudCustomData'),
      isRevoked: prop(m, 'isRevoked'),
      type: prop(m, 'type'),
      payload: prop(m, 'payload'),
    };
  }
}

function readBase(fields: MessageFields | undefined): MessageBase {
  if (!fields) return { id: '', from: '', time: 0 };
  const base: MessageBase = {
    id: text(fields.ID, 200),
    // `lastMessage` on a conversation says `fromAccount`/`lastTime` instead.
    from: text(fields.from, 200) || text(fields.fromAccount, 200),
    time: readNumber(fields.time) ?? readNumber(fields.lastTime) ?? 0,
  };
  const flow = fields.flow;
  if (flow === 'in' || flow === 'out') base.flow = flow;
  if (fields.cloudCustomData !== undefined && fields.cloudCustomData !== '') {
    const meta = parseMessageMeta(fields.cloudCustomData);
    if (meta) base.meta = meta;
  }
  return base;
}

function classifyPlain(type: string, payload: unknown, base: MessageBase): PlainMessage {
  const sdkType = clip(type, 64);
  const messageType = Object.prototype.hasOwnProperty.call(PLAIN_TYPES, sdkType)
    ? PLAIN_TYPES[sdkType]
    : 'other';
  const plain = make<PlainMessage>('plain', { messageType, sdkType }, base);
  if (messageType === 'text') plain.text = text(prop(payload, 'text'), MAX_TEXT_LENGTH);
  if (messageType === 'image') plain.image = readImage(payload);
  return plain;
}

function unsupported(
  base: MessageBase,
  reason: UnsupportedReason,
  payload?: unknown,
): UnsupportedMessage {
  const result = make<UnsupportedMessage>('unsupported', { reason }, base);
  const description = readString(prop(payload, 'description'));
  if (description && description.trim() !== '') result.description = description;
  return result;
}

function classifyUnsafe(
  message: unknown,
  logger: Logger,
  reportUnknown: Reporter,
): ClassifiedMessage {
  const dict = asDict(message);
  if (!dict) return unsupported(readBase(undefined), 'invalid-message');
  const fields = readFields(dict);
  const base = readBase(fields);
  const { type, payload } = fields;
  if (fields.isRevoked === true) {
    // What was never shown is not "withdrawn" either: the payload's visibility comes first.
    if (type === CUSTOM_MESSAGE_TYPE) {
      const parsed = parseTcccPayload(prop(payload, 'data'));
      if (parsed.status === 'protocol') {
        const inner = classifyProtocol(parsed, { ...base }, silentLogger, () => undefined);
        if (INVISIBLE_KINDS.has(inner.kind)) return hidden(commonOf(base, parsed));
      }
    }
    return make<RevokedMessage>('revoked', {}, base);
  }
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
  return classifyProtocol(parsed, base, logger, reportUnknown);
}

type ProtocolPayload = Extract<TcccPayload, { status: 'protocol' }>;

/** `base` (not shared with anything) with the protocol fields added. */
function commonOf(base: MessageBase, parsed: ProtocolPayload): Common {
  const common = base as Common;
  common.src = parsed.src;
  common.flagged = parsed.flagged;
  return common;
}

function classifyProtocol(
  parsed: ProtocolPayload,
  base: MessageBase,
  logger: Logger,
  reportUnknown: Reporter,
): ClassifiedMessage {
  const common = commonOf(base, parsed);
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
 * `isRevoked` wins over everything except an invisible payload (a revoked protocol message whose
 * payload is a signal or hidden stays `hidden`: nothing shown, nothing acted on); non-custom messages are `plain`; custom messages with a `src`
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

/** A classified message with its visibility, from one parse. */
export interface Classification {
  message: ClassifiedMessage;
  /** False exactly for kinds `signal` and `hidden` (apply it inside service conversations only). */
  visible: boolean;
}

function withVisibility(message: ClassifiedMessage): Classification {
  return { message, visible: !INVISIBLE_KINDS.has(message.kind) };
}

/**
 * Kind and visibility of one message with one parse of `payload.data`: what a list, a preview or
 * a badge needs, without classifying twice. Same guarantees as {@link classifyMessage}.
 */
export function classifyWithVisibility(
  message: unknown,
  options: ClassifyOptions = {},
): Classification {
  return withVisibility(classifyMessage(message, options));
}

/** {@link createClassifier}, answering with {@link Classification}s. */
export function createVisibilityClassifier(
  options: ClassifyOptions = {},
): (message: unknown) => Classification {
  const classify = createClassifier(options);
  return (message) => withVisibility(classify(message));
}

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

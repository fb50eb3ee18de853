/**
 * Property test: 10,000 random and malformed messages (seeded, so a failure reproduces) must each
 * classify to a known kind with a well-formed shape, and every helper downstream must accept it.
 */
import type { ClassifiedMessage, MessageKind } from '../../../miniprogram/core/tccc';
import {
  MAX_PREVIEW_LENGTH,
  MAX_TEXT_LENGTH,
  MESSAGE_KINDS,
  buildChoiceReply,
  buildTaskFormSubmission,
  classifyMessage,
  extractQueuePosition,
  isMessageInvisible,
  isRatingExpired,
  previewText,
} from '../../../miniprogram/core/tccc';

/** mulberry32: tiny, fast, good enough to drive a fuzzer. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SEED = 20_231_124;
const CASES = 10_000;
const MEGABYTE = 'x'.repeat(1 << 20);
const KEYS = [
  'src',
  'customerServicePlugin',
  'chatbotPlugin',
  'content',
  'menuContent',
  'menu',
  'items',
  'header',
  'tail',
  'desc',
  'selected',
  'id',
  'type',
  'head',
  'sessionId',
  'expireTime',
  'chunks',
  'isFinished',
  'subtype',
  'title',
  'status',
  'optionType',
  'taskInfo',
  'taskID',
  'nodeID',
  'inputVariables',
  'name',
  'formType',
  'isRequired',
  'chooseItemList',
  'variableValue',
  'nodeStatus',
  'menuSendRuleFlag',
  'command',
  'thinkingStatus',
  'menuSelected',
  'customField',
  'value',
  'pic',
  'url',
  'answer',
  '__proto__',
  'constructor',
];
const RENDERED_SRC = [
  '9',
  '15',
  '21',
  '22',
  '23',
  '26',
  '28',
  '29',
  '30',
  '31',
  '32',
  '33',
  '35',
  '37',
];
const SDK_TYPES = [
  'TIMTextElem',
  'TIMCustomElem',
  'TIMCustomElem',
  'TIMCustomElem',
  'TIMImageElem',
  'TIMFileElem',
  'TIMSoundElem',
  'TIMGroupTipElem',
  'TIMNewElem',
  '',
];

class Fuzzer {
  private readonly random: () => number;

  constructor(seed: number) {
    this.random = prng(seed);
  }

  int(max: number): number {
    return Math.floor(this.random() * max);
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  string(): string {
    switch (this.int(8)) {
      case 0:
        return '';
      case 1:
        return '\ud83d'; // lone surrogate
      case 2:
        return '<b>粗</b> **md** [l](u) &amp; ' + '\u0000\u202e';
      case 3:
        return String(this.int(200) - 100);
      case 4:
        return ' '.repeat(this.int(5)) + 'inSeat';
      case 5:
        return '您前面还有 ' + this.int(50) + ' 人';
      default: {
        let s = '';
        const length = this.int(24);
        for (let i = 0; i < length; i += 1) s += String.fromCharCode(this.int(0xffff));
        return s;
      }
    }
  }

  number(): number {
    return this.pick([0, 1, 2, -1, 4, 7, 1.5, 1e21, -0, Number.MAX_SAFE_INTEGER, this.int(1000)]);
  }

  /** A random JSON value; objects favour protocol keys so deep code paths get exercised. */
  json(depth: number): unknown {
    const roll = this.int(depth > 4 ? 4 : 8);
    switch (roll) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.number();
      case 3:
        return this.string();
      case 4:
      case 5: {
        const list: unknown[] = [];
        const length = this.int(6);
        for (let i = 0; i < length; i += 1) list.push(this.json(depth + 1));
        return list;
      }
      default: {
        const object: Record<string, unknown> = {};
        const size = this.int(7);
        for (let i = 0; i < size; i += 1) object[this.pick(KEYS)] = this.json(depth + 1);
        return object;
      }
    }
  }

  src(index: number): unknown {
    // Walk every src from -1 to 100, in the shapes senders use; weight the codes we render.
    const code = this.chance(0.4) ? Number(this.pick(RENDERED_SRC)) : (index % 102) - 1;
    switch (this.int(6)) {
      case 0:
        return code;
      case 1:
        return ` ${code} `;
      case 2:
        return this.json(3);
      default:
        return String(code);
    }
  }

  nested(depth: number): string {
    return '{"src":"15","content":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
  }

  data(index: number): unknown {
    switch (this.int(14)) {
      case 0:
        return MEGABYTE;
      case 1:
        return JSON.stringify({ src: this.src(index), content: MEGABYTE });
      case 2:
        return JSON.stringify({
          src: '31',
          chunks: [MEGABYTE.slice(0, 200_000), 'tail'],
          isFinished: 1,
        });
      case 3:
        return this.nested(1 + this.int(50_000));
      case 4:
        return this.json(0);
      case 5:
        return JSON.stringify(this.json(0));
      case 6:
        return this.string();
      case 7:
        return JSON.stringify(this.json(0)).slice(0, this.int(40));
      default: {
        const body: Record<string, unknown> = { src: this.src(index) };
        if (this.chance(0.7)) body.customerServicePlugin = this.pick([0, '0', 1, null, '', 'x']);
        const size = this.int(6);
        for (let i = 0; i < size; i += 1) body[this.pick(KEYS)] = this.json(1);
        if (this.chance(0.5)) body.src = this.src(index);
        return this.chance(0.9) ? JSON.stringify(body) : body;
      }
    }
  }

  weird(): unknown {
    switch (this.int(7)) {
      case 0:
        return Symbol('s');
      case 1:
        return BigInt(this.int(100));
      case 2:
        return () => 'fn';
      case 3:
        return new Date(0);
      case 4:
        return NaN;
      case 5:
        return Infinity;
      default:
        return this.json(2);
    }
  }

  /** An already-parsed `cloudCustomData` that is not plain data: getters, proxies, cycles, functions. */
  unplain(): unknown {
    const object: Record<string, unknown> = { messageType: 'queuing', role: 'robot' };
    switch (this.int(6)) {
      case 0:
        Object.defineProperty(object, 'scene', { enumerable: true, get: () => 'live' });
        return object;
      case 1:
        Object.defineProperty(object, 'role', {
          enumerable: true,
          get: () => {
            throw new Error('getter');
          },
        });
        return object;
      case 2:
        return new Proxy(object, {});
      case 3:
        object.self = object;
        return object;
      case 4:
        object.callback = () => 'fn';
        object.nested = { deep: [Symbol('s'), 1n, new Proxy({}, {})] };
        return object;
      default:
        return { ...object, nested: this.json(2) };
    }
  }

  hostile(message: Record<string, unknown>): unknown {
    const key = this.pick([
      'type',
      'payload',
      'ID',
      'time',
      'flow',
      'isRevoked',
      'cloudCustomData',
    ]);
    if (this.chance(0.5)) {
      Object.defineProperty(message, key, {
        get: () => {
          throw new Error('getter');
        },
      });
      return message;
    }
    const value = this.weird();
    Object.defineProperty(message, key, { get: () => value });
    return message;
  }

  message(index: number): unknown {
    const roll = this.int(40);
    if (roll === 0) return this.pick([null, undefined, 0, 'TIMTextElem', [], true]);
    if (roll === 1) {
      return new Proxy(
        {},
        {
          get: () => {
            throw new Error('proxy');
          },
        },
      );
    }
    const message: Record<string, unknown> = {
      ID: this.chance(0.9) ? `m-${index}` : this.weird(),
      type: this.chance(0.7)
        ? 'TIMCustomElem'
        : this.chance(0.9)
          ? this.pick(SDK_TYPES)
          : this.weird(),
      flow: this.pick(['in', 'out', 'sideways', undefined]),
      from: this.pick(['@customer_service_account', 'user_1', 7, undefined]),
      time: this.pick([1_700_000_000, '1700000000', -5, undefined, NaN]),
      isRevoked: this.chance(0.03),
      cloudCustomData: this.pick([
        '',
        '{"messageType":"queuing","role":"robot"}',
        JSON.stringify(this.json(1)),
        '{"broken":',
        MEGABYTE,
        this.weird(),
        this.unplain(),
      ]),
    };
    const payloadRoll = this.int(12);
    if (payloadRoll === 0) message.payload = this.weird();
    else if (message.type === 'TIMTextElem')
      message.payload = { text: this.pick([this.string(), MEGABYTE, 5]) };
    else if (message.type === 'TIMImageElem') message.payload = { imageInfoArray: this.json(1) };
    else message.payload = { data: this.data(index), description: this.pick(['', '[卡片]', 3]) };
    return this.chance(0.05) ? this.hostile(message) : message;
  }
}

const KNOWN_KINDS: ReadonlySet<string> = new Set<string>(MESSAGE_KINDS);

function isText(value: unknown, max = MAX_TEXT_LENGTH): boolean {
  return typeof value === 'string' && value.length <= max;
}

function isTextList(value: unknown): boolean {
  return Array.isArray(value) && value.every((entry) => isText(entry));
}

function isItemList(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.every(
      (item: { content?: unknown; desc?: unknown }) =>
        isText(item.content) &&
        (item.content as string).trim() !== '' &&
        (item.desc === undefined || isText(item.desc)),
    )
  );
}

/** The shape guarantees the types promise, checked at run time. Returns the first broken field. */
function shapeProblem(m: ClassifiedMessage): string | undefined {
  if (!isText(m.id) || !isText(m.from) || !Number.isFinite(m.time)) return 'base';
  if (m.flow !== undefined && m.flow !== 'in' && m.flow !== 'out') return 'flow';
  if (m.meta !== undefined && (typeof m.meta.raw !== 'object' || m.meta.raw === null))
    return 'meta';
  if ('src' in m && (!isText(m.src, 32) || m.src === '' || typeof m.flagged !== 'boolean'))
    return 'src';
  switch (m.kind) {
    case 'plain':
      if (m.messageType === 'text' && !isText(m.text)) return 'plain.text';
      if (m.messageType === 'image' && (!m.image || !isText(m.image.url, 4096)))
        return 'plain.image';
      return undefined;
    case 'rating': {
      const ids = m.options.map((option) => option.id);
      if (ids.some((id) => !isText(id) || id === '') || new Set(ids).size !== ids.length)
        return 'rating.ids';
      if (!m.options.every((option) => isText(option.label))) return 'rating.labels';
      if (m.selectedId !== undefined && !ids.includes(m.selectedId)) return 'rating.selected';
      if (m.expireTime !== undefined && !Number.isFinite(m.expireTime)) return 'rating.expire';
      return m.style === 'star' || m.style === 'number' ? undefined : 'rating.style';
    }
    case 'branch':
    case 'form':
    case 'robot-menu':
    case 'task-branch':
      return isItemList(m.items) ? undefined : `${m.kind}.items`;
    case 'task-form':
      return m.fields.every(
        (field) => isText(field.name) && field.name !== '' && isTextList(field.choices),
      )
        ? undefined
        : 'task-form.fields';
    case 'stream':
      return isText(m.text) && typeof m.finished === 'boolean' ? undefined : 'stream';
    case 'rich-text':
      return isText(m.content) ? undefined : 'rich-text';
    case 'tip':
      return isText(m.text) ? undefined : 'tip';
    case 'signal':
      if (m.signal === 'rating-settings' && !Number.isInteger(m.sendRuleFlag)) return 'signal.flag';
      if (m.signal === 'seat' && typeof m.inSeat !== 'boolean') return 'signal.seat';
      return undefined;
    default:
      return undefined;
  }
}

describe('fuzz: 10,000 random and malformed messages', () => {
  const fuzzer = new Fuzzer(SEED);
  const kinds = new Map<MessageKind, number>();
  const srcSeen = new Set<string>();
  const failures: string[] = [];
  /** Results that are not plain data: structuredClone refuses them (getters, functions, cycles). */
  const notPlain: number[] = [];

  beforeAll(() => {
    for (let index = 0; index < CASES; index += 1) {
      const input = fuzzer.message(index);
      let result: ClassifiedMessage;
      try {
        result = classifyMessage(input);
      } catch (error) {
        failures.push(`#${index} classify threw ${String(error)}`);
        continue;
      }
      kinds.set(result.kind, (kinds.get(result.kind) ?? 0) + 1);
      if ('src' in result) srcSeen.add(result.src);
      try {
        const problem = KNOWN_KINDS.has(result.kind)
          ? shapeProblem(result)
          : `unknown kind ${result.kind}`;
        if (problem) failures.push(`#${index} ${problem}`);
        const invisible = isMessageInvisible(result);
        if (invisible !== (result.kind === 'signal' || result.kind === 'hidden'))
          failures.push(`#${index} visibility`);
        const preview = previewText(result, index % 2 === 0 ? 'zh-CN' : 'en');
        if (
          invisible
            ? preview !== undefined
            : typeof preview !== 'string' || preview.length > MAX_PREVIEW_LENGTH
        ) {
          failures.push(`#${index} preview`);
        }
        // Results go through setData, which serialises them.
        JSON.stringify(result);
        try {
          structuredClone(result);
        } catch {
          notPlain.push(index);
        }
        exerciseHelpers(result);
      } catch (error) {
        failures.push(`#${index} helper threw ${String(error)}`);
      }
    }
  });

  function exerciseHelpers(result: ClassifiedMessage): void {
    if (result.kind === 'rating') isRatingExpired(result, 1_700_000_000);
    if (result.kind === 'branch' || result.kind === 'robot-menu' || result.kind === 'task-branch') {
      if (result.items[0]) buildChoiceReply(result, result.items[0]);
    }
    if (result.kind === 'task-form') buildTaskFormSubmission(result, {});
    if (result.kind === 'plain' && result.text !== undefined) extractQueuePosition(result.text);
  }

  it('never throws and always returns a well-formed known kind', () => {
    expect(failures.slice(0, 20)).toEqual([]);
  });

  it('returns plain data only: every result survives structuredClone', () => {
    expect(notPlain.length).toBe(0);
  });

  it('reaches every kind, most of them often (the generator is not degenerate)', () => {
    for (const kind of MESSAGE_KINDS)
      expect([kind, kinds.get(kind) ?? 0]).toEqual([kind, expect.any(Number)]);
    for (const kind of MESSAGE_KINDS)
      expect(kinds.get(kind) ?? 0).toBeGreaterThan(kind === 'tip' ? 5 : 20);
    const total = [...kinds.values()].reduce((sum, n) => sum + n, 0);
    expect(total).toBe(CASES);
  });

  it('reached every src from -1 to 100', () => {
    for (let src = -1; src <= 100; src += 1) expect(srcSeen.has(String(src))).toBe(true);
  });
});

import type { Message } from '@tencentcloud/chat';
import type { Logger } from '../../../miniprogram/core/ports/logger';
import type { ClassifiedMessage, MessageKind, MessageLike } from '../../../miniprogram/core/tccc';
import {
  classifyWithVisibility,
  KNOWN_SRC,
  MAX_DATA_LENGTH,
  MAX_TEXT_LENGTH,
  SRC,
  VISIBLE_SRC,
  classifyMessage,
  createClassifier,
  isClassifiedMessage,
  isMessageInvisible,
} from '../../../miniprogram/core/tccc';
import {
  SERVICE_ACCOUNT,
  USER_ID,
  customMessage,
  fixtureMessage,
  imageMessage,
  sdkMessage,
  textMessage,
} from './sdk-message';

// Compile-time: the SDK's own Message type is accepted as a MessageLike.
const sdkMessageFits = (message: Message): MessageLike => message;
void sdkMessageFits;

function as<K extends MessageKind>(
  message: ClassifiedMessage,
  kind: K,
): Extract<ClassifiedMessage, { kind: K }> {
  expect(message.kind).toBe(kind);
  return message as Extract<ClassifiedMessage, { kind: K }>;
}

function classifyFixture(
  name: string,
  init?: Parameters<typeof fixtureMessage>[1],
): ClassifiedMessage {
  return classifyMessage(fixtureMessage(name, init));
}

function recordingLogger(): Logger & { warnings: unknown[][] } {
  const warnings: unknown[][] = [];
  const noop = (): void => undefined;
  return {
    debug: noop,
    info: noop,
    error: noop,
    warn: (...args: unknown[]) => warnings.push(args),
    warnings,
  };
}

describe('classifyMessage: base fields from the SDK message shape', () => {
  it('copies ID, flow, from and time from an incoming message', () => {
    const message = fixtureMessage('src-15-branch', { ID: 'msg-1', time: 1_700_000_123 });
    const result = classifyMessage(message);
    expect(result).toMatchObject({
      id: 'msg-1',
      flow: 'in',
      from: SERVICE_ACCOUNT,
      time: 1_700_000_123,
    });
  });

  it('marks messages the user sent as flow out', () => {
    const result = classifyMessage(textMessage('你好', { flow: 'out' }));
    expect(result).toMatchObject({ kind: 'plain', flow: 'out', from: USER_ID });
  });

  it('parses cloudCustomData into meta with messageType, role, scene and raw', () => {
    const cloudCustomData = JSON.stringify({
      messageType: 'connectedToAgent',
      role: 'seat',
      scene: 'transferSession',
      extra: 1,
    });
    const result = classifyMessage(textMessage('客服 007 为您服务', { cloudCustomData }));
    expect(result.meta).toEqual({
      messageType: 'connectedToAgent',
      role: 'seat',
      scene: 'transferSession',
      raw: { messageType: 'connectedToAgent', role: 'seat', scene: 'transferSession', extra: 1 },
    });
  });

  it('carries meta on protocol kinds too', () => {
    const result = classifyFixture('src-9-rating', {
      cloudCustomData: '{"messageType":"satisfactionRating","role":"robot"}',
    });
    expect(result.kind).toBe('rating');
    expect(result.meta).toMatchObject({ messageType: 'satisfactionRating', role: 'robot' });
  });

  it('omits meta when cloudCustomData is empty or not a JSON object', () => {
    for (const cloudCustomData of ['', 'not json', '[1,2]', '"welcome"', '{"messageType":']) {
      expect(classifyMessage(textMessage('hi', { cloudCustomData })).meta).toBeUndefined();
    }
  });

  it('ignores non-string meta tags but keeps them in raw', () => {
    const result = classifyMessage(
      textMessage('hi', { cloudCustomData: '{"messageType":{"a":1},"role":7}' }),
    );
    expect(result.meta).toEqual({ role: '7', raw: { messageType: { a: 1 }, role: 7 } });
  });

  it('reads a conversation lastMessage (fromAccount, lastTime)', () => {
    const lastMessage = {
      lastTime: 1_700_000_500,
      lastSequence: 9,
      fromAccount: SERVICE_ACCOUNT,
      type: 'TIMCustomElem',
      payload: { data: '{"customerServicePlugin":0,"src":"22","content":{"header":"商品"}}' },
      cloudCustomData: '',
      isRevoked: false,
      messageForShow: '[自定义消息]',
    };
    expect(classifyMessage(lastMessage)).toMatchObject({
      kind: 'product-card',
      from: SERVICE_ACCOUNT,
      time: 1_700_000_500,
      header: '商品',
    });
  });
});

describe('classifyMessage: plain messages', () => {
  it('classifies a text message with its text', () => {
    const result = as(classifyMessage(textMessage('您好，有什么可以帮您？')), 'plain');
    expect(result).toMatchObject({
      messageType: 'text',
      sdkType: 'TIMTextElem',
      text: '您好，有什么可以帮您？',
    });
  });

  it('tags a welcome text with its cloudCustomData meta', () => {
    const result = classifyMessage(
      textMessage('欢迎光临', { cloudCustomData: '{"messageType":"welcome","role":"robot"}' }),
    );
    expect(result).toMatchObject({
      kind: 'plain',
      meta: { messageType: 'welcome', role: 'robot' },
    });
  });

  it('extracts large, original and thumbnail URLs and the size of the shown image', () => {
    const result = as(classifyMessage(imageMessage('http://127.0.0.1:9/files/a.jpg')), 'plain');
    expect(result.messageType).toBe('image');
    expect(result.image).toEqual({
      url: 'http://127.0.0.1:9/files/a.jpg?imageView2/3/w/720/h/720',
      originalUrl: 'http://127.0.0.1:9/files/a.jpg',
      largeUrl: 'http://127.0.0.1:9/files/a.jpg?imageView2/3/w/720/h/720',
      thumbnailUrl: 'http://127.0.0.1:9/files/a.jpg?imageView2/3/w/198/h/198',
      width: 720,
      height: 540,
    });
  });

  it('falls back to the documented `type` codes and to imageUrl when sizeType and url are missing', () => {
    const message = sdkMessage({
      type: 'TIMImageElem',
      payload: {
        imageInfoArray: [
          { type: 1, imageUrl: 'https://x/t.jpg', width: 198, height: 100 },
          { type: 0, imageUrl: 'https://x/o.jpg', width: 2000, height: 1000 },
        ],
      },
    });
    const result = as(classifyMessage(message), 'plain');
    expect(result.image).toEqual({
      url: 'https://x/o.jpg',
      originalUrl: 'https://x/o.jpg',
      thumbnailUrl: 'https://x/t.jpg',
      width: 2000,
      height: 1000,
    });
  });

  it('gives an empty image (never a crash) for a broken image payload', () => {
    const message = sdkMessage({ type: 'TIMImageElem', payload: { imageInfoArray: 'nope' } });
    expect(as(classifyMessage(message), 'plain').image).toEqual({ url: '', width: 0, height: 0 });
  });

  it.each([
    ['TIMFileElem', 'file'],
    ['TIMSoundElem', 'sound'],
    ['TIMVideoFileElem', 'video'],
    ['TIMFaceElem', 'face'],
    ['TIMLocationElem', 'location'],
    ['TIMRelayElem', 'merger'],
    ['TIMGroupTipElem', 'group-tip'],
    ['SomethingNew', 'other'],
  ])('maps %s to messageType %s', (type, messageType) => {
    const result = as(classifyMessage(sdkMessage({ type, payload: {} })), 'plain');
    expect(result.messageType).toBe(messageType);
    expect(result.text).toBeUndefined();
  });

  it('never parses a text message that looks like a protocol payload', () => {
    const result = classifyMessage(textMessage('{"customerServicePlugin":0,"src":"12"}'));
    expect(result.kind).toBe('plain');
  });

  it('clips very long text', () => {
    const result = as(classifyMessage(textMessage('字'.repeat(MAX_TEXT_LENGTH + 50))), 'plain');
    expect(result.text).toHaveLength(MAX_TEXT_LENGTH);
  });
});

describe('classifyMessage: visible protocol kinds (fixtures shaped like the doc examples)', () => {
  it('src 9 rating: style, options in order, head, tail, sessionId, expireTime', () => {
    const rating = as(classifyFixture('src-9-rating'), 'rating');
    expect(rating).toMatchObject({
      src: '9',
      flagged: true,
      style: 'number',
      head: '感谢您使用我们的服务,请对此次服务进行评价!',
      tail: '感谢您对此次服务作出评价,祝您生活愉快,再见!',
      sessionId: '7a67f6bb-8fac-41e5-8bab-78c0259ae5a9',
      expireTime: 4_102_444_800,
      effectiveHour: 12,
    });
    expect(rating.options).toEqual([
      { id: '101', label: '非常不满意' },
      { id: '102', label: '不满意' },
      { id: '103', label: '一般' },
      { id: '104', label: '满意' },
      { id: '105', label: '非常满意' },
    ]);
    expect(rating.selectedId).toBeUndefined();
  });

  it('src 9 already rated: selectedId from `selected`', () => {
    expect(as(classifyFixture('src-9-rating-selected'), 'rating').selectedId).toBe('105');
  });

  it('src 9 star rating with three levels', () => {
    const rating = as(classifyFixture('src-9-rating-star-expired'), 'rating');
    expect(rating.style).toBe('star');
    expect(rating.options.map((option) => option.id)).toEqual(['201', '202', '203']);
  });

  it('src 9: `selected` naming no option is not "already rated"; duplicate ids are dropped', () => {
    const data = JSON.stringify({
      customerServicePlugin: 0,
      src: '9',
      menuContent: {
        menu: [
          { id: 1, content: 'a' },
          { id: '1', content: 'dup' },
          { content: 'no id' },
          { id: '2' },
        ],
        selected: { id: '9' },
      },
    });
    const rating = as(classifyMessage(customMessage(data)), 'rating');
    expect(rating.options).toEqual([
      { id: '1', label: 'a' },
      { id: '2', label: '' },
    ]);
    expect(rating.selectedId).toBeUndefined();
    expect(rating).toMatchObject({ sessionId: '', head: '', tail: '', style: 'number' });
    expect(rating.expireTime).toBeUndefined();
  });

  it('src 15 branch: header, items, tail', () => {
    const branch = as(classifyFixture('src-15-branch'), 'branch');
    expect(branch).toMatchObject({
      src: '15',
      header: '您好，请问有什么可以帮您？',
      tail: '点击选项即可发送',
    });
    expect(branch.items).toEqual([
      { content: '售前咨询', desc: '商品、价格、活动' },
      { content: '售后服务', desc: '退换货、维修' },
      { content: '人工' },
    ]);
    expect(branch.selected).toBeUndefined();
  });

  it('src 15 as the number 15 is the same branch', () => {
    const numeric = as(classifyFixture('src-15-branch-numeric-src'), 'branch');
    const text = as(classifyFixture('src-15-branch'), 'branch');
    expect(numeric.src).toBe('15');
    expect(numeric.items).toEqual(text.items);
  });

  it('reads the flag loosely: "0" counts as flagged', () => {
    expect(as(classifyFixture('src-15-branch-string-flag'), 'branch').flagged).toBe(true);
  });

  it('src 15 with `selected`', () => {
    const branch = as(classifyFixture('src-15-branch-selected'), 'branch');
    expect(branch.selected).toEqual({ content: '售后服务', desc: '退换货、维修' });
  });

  it('src 21 choice form and input form', () => {
    const choice = as(classifyFixture('src-21-form-choice'), 'form');
    expect(choice).toMatchObject({ mode: 'choice', header: '请选择您的问题类型' });
    expect(choice.items.map((item) => item.content)).toEqual(['物流查询', '退款进度']);
    const input = as(classifyFixture('src-21-form-input'), 'form');
    expect(input).toMatchObject({ mode: 'input', header: '请输入您的手机号码', items: [] });
  });

  it('src 22 product card', () => {
    expect(as(classifyFixture('src-22-product-card'), 'product-card')).toMatchObject({
      header: '云服务器 CVM 标准型 S5',
      desc: '2核 4GB 5Mbps ¥99/年',
      pic: 'https://example.com/cvm.png',
      url: 'https://example.com/product/cvm',
      customFields: [{ name: 'SKU', value: 'S5.MEDIUM4' }],
    });
  });

  it('src 22 sent by the user is still a product card', () => {
    const card = classifyFixture('src-22-product-card', { flow: 'out' });
    expect(card).toMatchObject({ kind: 'product-card', flow: 'out' });
  });

  it('src 28 order card', () => {
    expect(as(classifyFixture('src-28-order-card'), 'order-card')).toMatchObject({
      guide: '您是否要咨询以下订单？',
      name: '订单号 202311240001',
      desc: '云服务器 CVM ×1，实付 ¥99.00',
      pic: 'https://example.com/order.png',
      customFields: [{ name: '状态', value: '已支付' }],
    });
  });

  it('src 29 welcome and clarify menus with subtype', () => {
    const welcome = as(classifyFixture('src-29-robot-welcome'), 'robot-menu');
    expect(welcome).toMatchObject({ subtype: 'welcome_msg', title: '猜你想问' });
    expect(welcome.items).toHaveLength(6);
    const clarify = as(classifyFixture('src-29-robot-clarify'), 'robot-menu');
    expect(clarify).toMatchObject({
      subtype: 'clarify_msg',
      title: '',
      content: '您是想问以下哪个问题？',
    });
    expect(clarify.items).toEqual([
      { content: '退款多久到账？', id: 'q1', answer: '原路退回，1-3 个工作日到账。' },
      { content: '退款失败怎么办？', id: 'q2' },
    ]);
  });

  it('src 30 rich text keeps the markup for the renderer', () => {
    const rich = as(classifyFixture('src-30-rich-text'), 'rich-text');
    expect(rich.content).toContain('**原路退回**');
    expect(rich.content).toContain('<img src="https://example.com/refund.png">');
  });

  it('src 31 stream: unfinished and finished', () => {
    expect(classifyFixture('src-31-stream-unfinished')).toMatchObject({
      kind: 'stream',
      text: '您好，我是智能客服，',
      finished: false,
    });
    expect(classifyFixture('src-31-stream-finished')).toMatchObject({
      kind: 'stream',
      text: '您好，我是智能客服，很高兴为您服务。',
      finished: true,
    });
  });

  it('src 31 skips non-string chunks and accepts isFinished "1"', () => {
    const data = JSON.stringify({
      src: '31',
      chunks: ['a', null, 2, { x: 1 }, 'b'],
      isFinished: '1',
    });
    expect(classifyMessage(customMessage(data))).toMatchObject({
      kind: 'stream',
      text: 'a2b',
      finished: true,
    });
  });

  it('src 32 task branch: status, optionType, taskInfo, canSelect', () => {
    const open = as(classifyFixture('src-32-task-branch'), 'task-branch');
    expect(open).toMatchObject({
      header: '请选择要办理的业务',
      tail: '如需帮助请联系人工',
      status: 0,
      optionType: 1,
      taskInfo: { taskID: 1024, nodeID: 'node-7f3a', env: 'prod' },
      canSelect: true,
    });
    const done = as(classifyFixture('src-32-task-branch-submitted'), 'task-branch');
    expect(done).toMatchObject({ status: 2, canSelect: false, selected: { content: '开具发票' } });
  });

  it('src 33 task form: fields with formType, required, choices', () => {
    const form = as(classifyFixture('src-33-task-form'), 'task-form');
    expect(form).toMatchObject({ tip: '请填写开票信息', nodeStatus: 0, editable: true });
    expect(form.fields).toEqual([
      {
        name: '抬头',
        type: 'string',
        formType: 'input',
        placeholder: '请输入发票抬头',
        required: true,
        value: '',
        choices: [],
      },
      {
        name: '发票类型',
        type: 'string',
        formType: 'choice',
        placeholder: '',
        required: true,
        value: '',
        choices: ['普通发票', '专用发票'],
      },
      {
        name: '备注',
        type: 'string',
        formType: 'input',
        placeholder: '选填',
        required: false,
        value: '',
        choices: [],
      },
    ]);
  });

  it.each([
    ['src-34-transfer-to-task-flow', 'transfer-to-task-flow', '正在为您转接业务办理流程'],
    ['src-36-concurrency-limit', 'concurrency-limit', '当前咨询人数较多，请稍候'],
    ['src-37-timeout-warning', 'timeout-warning', '您已较长时间未回复，会话将在 2 分钟后自动结束'],
    ['src-39-transfer-to-human', 'transfer-to-human', '正在为您转接人工客服'],
  ])('%s is a tip (%s)', (name, tipType, text) => {
    expect(classifyFixture(name)).toMatchObject({ kind: 'tip', tipType, text });
  });
});

describe('classifyMessage: signals', () => {
  it.each([
    ['src-12-typing', 'typing'],
    ['src-18-no-agent', 'no-agent'],
    ['src-19-session-end', 'ended'],
    ['src-20-session-timeout', 'timeout'],
  ])('%s is signal %s', (name, signal) => {
    expect(classifyFixture(name)).toMatchObject({ kind: 'signal', signal });
  });

  it('src 23 rating settings: canUserRequest = flag & 4', () => {
    expect(classifyFixture('src-23-rating-settings')).toMatchObject({
      kind: 'signal',
      signal: 'rating-settings',
      sendRuleFlag: 7,
      canUserRequest: true,
    });
    for (const [flag, canUserRequest] of [
      [3, false],
      [4, true],
      [8, false],
      [12, true],
      ['4', true],
      [4.5, false],
      [null, false],
    ] as const) {
      const data = JSON.stringify({
        customerServicePlugin: 0,
        src: '23',
        content: { menuSendRuleFlag: flag },
      });
      expect(classifyMessage(customMessage(data))).toMatchObject({
        signal: 'rating-settings',
        canUserRequest,
      });
    }
  });

  it('src 26 seat in and out', () => {
    expect(classifyFixture('src-26-seat-in')).toMatchObject({
      kind: 'signal',
      signal: 'seat',
      inSeat: true,
    });
    expect(classifyFixture('src-26-seat-out')).toMatchObject({
      kind: 'signal',
      signal: 'seat',
      inSeat: false,
    });
  });

  it('src 26 with an unreadable state is hidden (no button flip) and logged', () => {
    const logger = recordingLogger();
    const result = classifyMessage(
      customMessage('{"customerServicePlugin":0,"src":"26","content":{}}'),
      { logger },
    );
    expect(result.kind).toBe('hidden');
    expect(logger.warnings).toHaveLength(1);
  });

  it('src 35 thinking with its status', () => {
    expect(classifyFixture('src-35-thinking')).toMatchObject({
      kind: 'signal',
      signal: 'thinking',
      thinkingStatus: 1,
    });
  });
});

describe('classifyMessage: hidden protocol messages', () => {
  it.each([
    'src-7-handshake',
    'src-7-handshake-no-flag',
    'src-7-handshake-language',
    'src-10-rating-submission',
    'src-11-client-state',
    'src-13-robot-command',
    'src-24-rating-request',
    'src-27-end-session',
  ])('%s is hidden', (name) => {
    const result = as(classifyFixture(name), 'hidden');
    expect(result.known).toBe(true);
  });

  it('the handshake without the flag is hidden but not flagged', () => {
    expect(classifyFixture('src-7-handshake-no-flag')).toMatchObject({
      kind: 'hidden',
      src: '7',
      flagged: false,
    });
  });

  it('src 10 exposes the submitted rating so a store can mark the card rated', () => {
    const result = as(classifyFixture('src-10-rating-submission', { flow: 'out' }), 'hidden');
    expect(result.submittedRating).toEqual({
      optionId: '105',
      label: '非常满意',
      sessionId: '7a67f6bb-8fac-41e5-8bab-78c0259ae5a9',
    });
  });

  it.each(['1', '2', '3', '4', '5', '6', '8', '17', '25', '38', '40', '42', '43'])(
    'known src %s without a renderer is hidden and not logged',
    (src) => {
      const logger = recordingLogger();
      const result = classifyMessage(customMessage(`{"customerServicePlugin":0,"src":"${src}"}`), {
        logger,
      });
      expect(result).toMatchObject({ kind: 'hidden', src, known: true });
      expect(logger.warnings).toEqual([]);
    },
  );

  it('an unknown src is hidden and reported through the logger', () => {
    const logger = recordingLogger();
    const result = classifyMessage(customMessage('{"customerServicePlugin":0,"src":"44"}'), {
      logger,
    });
    expect(result).toMatchObject({ kind: 'hidden', src: '44', known: false });
    expect(logger.warnings).toEqual([['tccc: unknown src', { src: '44' }]]);
  });

  it('createClassifier reports each unknown src once', () => {
    const logger = recordingLogger();
    const classify = createClassifier({ logger });
    for (let i = 0; i < 5; i += 1) classify(customMessage('{"src":"99"}'));
    classify(customMessage('{"src":"98"}'));
    expect(logger.warnings.map((args) => args[1])).toEqual([{ src: '99' }, { src: '98' }]);
  });

  it('a throwing logger does not break classification', () => {
    const logger: Logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: () => {
        throw new Error('logger down');
      },
    };
    expect(classifyMessage(customMessage('{"src":"77"}'), { logger }).kind).toBe('hidden');
  });
});

describe('classifyMessage: revoked, unsupported and malformed input', () => {
  it('isRevoked wins over the payload', () => {
    const result = classifyMessage(fixtureMessage('src-9-rating', { isRevoked: true }));
    expect(result).toMatchObject({ kind: 'revoked', from: SERVICE_ACCOUNT });
    expect(classifyMessage(textMessage('oops', { isRevoked: true })).kind).toBe('revoked');
  });

  it('a custom message without src is unsupported, with its description', () => {
    const message = sdkMessage({
      type: 'TIMCustomElem',
      payload: {
        data: '{"businessID":"order","orderId":"1"}',
        description: '[订单消息]',
        extension: '',
      },
    });
    expect(classifyMessage(message)).toMatchObject({
      kind: 'unsupported',
      reason: 'no-src',
      description: '[订单消息]',
    });
  });

  it('a flagged custom message without src is unsupported, not hidden', () => {
    expect(classifyMessage(customMessage('{"customerServicePlugin":0}'))).toMatchObject({
      kind: 'unsupported',
      reason: 'no-src',
    });
  });

  it.each([
    ['not JSON', 'hello'],
    ['broken JSON', '{"src":"15",'],
    ['a JSON array', '[{"src":"15"}]'],
    ['a JSON number', '15'],
    ['a JSON string', '"15"'],
    ['empty', ''],
  ])('data that is %s is unsupported (invalid-payload)', (_label, data) => {
    expect(classifyMessage(customMessage(data))).toMatchObject({
      kind: 'unsupported',
      reason: 'invalid-payload',
    });
  });

  it('a custom message without payload or data is unsupported', () => {
    expect(classifyMessage({ type: 'TIMCustomElem' })).toMatchObject({
      kind: 'unsupported',
      reason: 'invalid-payload',
    });
    expect(classifyMessage({ type: 'TIMCustomElem', payload: { data: 42 } }).kind).toBe(
      'unsupported',
    );
  });

  it('an already-parsed payload object is accepted', () => {
    const message = {
      type: 'TIMCustomElem',
      payload: { data: { customerServicePlugin: 0, src: '12' } },
    };
    expect(classifyMessage(message)).toMatchObject({ kind: 'signal', signal: 'typing' });
  });

  it('data over MAX_DATA_LENGTH is not parsed: unsupported too-large, and logged', () => {
    const logger = recordingLogger();
    const data = JSON.stringify({ src: '30', content: 'x'.repeat(MAX_DATA_LENGTH) });
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const result = classifyMessage(customMessage(data), { logger });
      expect(result).toMatchObject({ kind: 'unsupported', reason: 'too-large' });
      expect(parse.mock.calls.some(([text]) => text === data)).toBe(false);
    } finally {
      parse.mockRestore();
    }
    expect(logger.warnings).toHaveLength(1);
  });

  it('a 1 MB payload is never handed to JSON.parse', () => {
    const data = JSON.stringify({
      customerServicePlugin: 0,
      src: '15',
      content: { header: 'h'.repeat(1 << 20) },
    });
    const parse = jest.spyOn(JSON, 'parse');
    try {
      expect(classifyMessage(customMessage(data))).toMatchObject({
        kind: 'unsupported',
        reason: 'too-large',
      });
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('a big payload under the cap is parsed and its text clipped', () => {
    const data = JSON.stringify({ src: '30', content: 'y'.repeat(200_000) });
    const result = as(classifyMessage(customMessage(data)), 'rich-text');
    expect(result.content).toHaveLength(MAX_TEXT_LENGTH);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', 'TIMTextElem'],
    ['an array', [1, 2]],
    ['a function', () => 1],
  ])('%s is unsupported (invalid-message)', (_label, input) => {
    expect(classifyMessage(input)).toMatchObject({
      kind: 'unsupported',
      reason: 'invalid-message',
      id: '',
    });
  });

  it('survives throwing getters and weird getter types', () => {
    const hostile = {};
    Object.defineProperty(hostile, 'type', { get: () => 'TIMCustomElem', enumerable: true });
    Object.defineProperty(hostile, 'payload', {
      get: () => {
        throw new Error('boom');
      },
    });
    Object.defineProperty(hostile, 'ID', { get: () => Symbol('id') });
    Object.defineProperty(hostile, 'time', { get: () => BigInt(5) });
    expect(classifyMessage(hostile)).toMatchObject({
      kind: 'unsupported',
      reason: 'invalid-payload',
      id: '',
      time: 0,
    });
  });

  it('survives a Proxy that throws on every operation', () => {
    const trap = (): never => {
      throw new Error('trap');
    };
    const proxy = new Proxy({}, { get: trap, has: trap, ownKeys: trap, getPrototypeOf: trap });
    expect(classifyMessage(proxy).kind).toBe('unsupported');
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    expect(classifyMessage(revocable.proxy).kind).toBe('unsupported');
  });

  it('numbers in place of strings are read, objects in place of strings are ignored', () => {
    const data = JSON.stringify({
      src: 15,
      content: {
        header: 123,
        items: [{ content: 7, desc: { a: 1 } }, { content: { a: 1 } }, 'bare'],
      },
    });
    const branch = as(classifyMessage(customMessage(data)), 'branch');
    expect(branch.header).toBe('123');
    expect(branch.items).toEqual([{ content: '7' }, { content: 'bare' }]);
  });

  it('a src of the wrong type is a malformed protocol message: hidden, not shown', () => {
    for (const src of [true, { a: 1 }, [15]]) {
      const result = classifyMessage(
        customMessage(JSON.stringify({ customerServicePlugin: 0, src })),
      );
      expect(result).toMatchObject({ kind: 'hidden', src: '?', known: false });
    }
  });

  it('trims src and treats an empty src as none', () => {
    expect(classifyMessage(customMessage('{"src":" 15 ","content":{}}')).kind).toBe('branch');
    expect(classifyMessage(customMessage('{"src":"  "}'))).toMatchObject({
      kind: 'unsupported',
      reason: 'no-src',
    });
  });
});

describe('visibility', () => {
  it('isMessageInvisible is true exactly for signal and hidden', () => {
    const cases: [string, boolean][] = [
      ['src-7-handshake', true],
      ['src-12-typing', true],
      ['src-23-rating-settings', true],
      ['src-9-rating', false],
      ['src-15-branch', false],
      ['src-31-stream-unfinished', false],
      ['src-37-timeout-warning', false],
    ];
    for (const [name, invisible] of cases) {
      const message = fixtureMessage(name);
      expect(isMessageInvisible(message)).toBe(invisible);
      expect(isMessageInvisible(classifyMessage(message))).toBe(invisible);
    }
    expect(isMessageInvisible(textMessage('hi'))).toBe(false);
    expect(isMessageInvisible(customMessage('{"businessID":"x"}'))).toBe(false);
    // A revoked message the user never saw (its payload is hidden) stays hidden; a revoked
    // visible one is a visible "revoked" line.
    expect(isMessageInvisible(fixtureMessage('src-7-handshake', { isRevoked: true }))).toBe(true);
    expect(isMessageInvisible(fixtureMessage('src-15-branch', { isRevoked: true }))).toBe(false);
  });

  it('isMessageInvisible does not parse a classified message again', () => {
    const classified = classifyMessage(fixtureMessage('src-12-typing'));
    const parse = jest.spyOn(JSON, 'parse');
    try {
      expect(isMessageInvisible(classified)).toBe(true);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });

  it('isClassifiedMessage tells results from raw messages', () => {
    expect(isClassifiedMessage(classifyMessage(textMessage('a')))).toBe(true);
    expect(isClassifiedMessage(textMessage('a'))).toBe(false);
    expect(isClassifiedMessage({ kind: 'banana' })).toBe(false);
    expect(isClassifiedMessage(null)).toBe(false);
  });

  it('every visible src classifies to a visible kind and every other known src to an invisible one', () => {
    for (const src of KNOWN_SRC) {
      const invisible = isMessageInvisible(
        customMessage(`{"customerServicePlugin":0,"src":"${src}"}`),
      );
      // src 26 without a readable seat state is hidden too; every visible src must render.
      expect(invisible).toBe(!VISIBLE_SRC.has(src));
    }
    expect(VISIBLE_SRC.has(SRC.RATING)).toBe(true);
    expect(VISIBLE_SRC.has(SRC.HANDSHAKE)).toBe(false);
  });
});

describe('classifyMessage: hostile arrays inside an already-parsed payload', () => {
  it('a Proxy array that throws while iterated gives safe defaults, not a fallback', () => {
    const items = new Proxy([{ content: 'a' }], {
      get: (target, key) => {
        if (key === 'length') return 1;
        if (key === '0') throw new Error('item');
        return Reflect.get(target, key);
      },
    });
    const message = { type: 'TIMCustomElem', payload: { data: { src: '15', content: { items } } } };
    expect(classifyMessage(message)).toMatchObject({ kind: 'branch', items: [] });
  });
});

describe('classifyWithVisibility', () => {
  it('gives the same kind as classifyMessage and its visibility, parsing payload.data once', () => {
    const messages = [
      { type: 'TIMCustomElem', payload: { data: '{"src":"12","customerServicePlugin":0}' } },
      { type: 'TIMCustomElem', payload: { data: '{"src":"15","content":{"items":["a"]}}' } },
      { type: 'TIMTextElem', payload: { text: 'hi' } },
      { type: 'TIMCustomElem', payload: { data: '{"src":"999"}' } },
    ];
    const original = JSON.parse;
    let parses = 0;
    JSON.parse = ((text: string) => {
      parses += 1;
      return original(text);
    }) as typeof JSON.parse;
    let results: ReturnType<typeof classifyWithVisibility>[];
    try {
      results = messages.map((m) => classifyWithVisibility(m));
    } finally {
      JSON.parse = original;
    }
    expect(parses).toBe(3);
    expect(results.map((r) => [r.message.kind, r.visible])).toEqual([
      ['signal', false],
      ['branch', true],
      ['plain', true],
      ['hidden', false],
    ]);
    for (const [i, m] of messages.entries()) expect(results[i].message).toEqual(classifyMessage(m));
  });
});

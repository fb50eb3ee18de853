import { createTcccService } from '../../../simulator/tccc';
import type { TcccOptions, TcccService } from '../../../simulator/tccc';
import { DEFAULT_FLOW } from '../../../simulator/tccc/default-flow';
import { ACCOUNT, FakeBackend, kinds } from './support/fake-backend';
import type { Decoded } from './support/fake-backend';
import { FakeClock } from './support/fake-clock';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Rig {
  backend: FakeBackend;
  clock: FakeClock;
  service: TcccService;
  warnings: string[];
}

let rigs: Rig[] = [];

function setup(options: TcccOptions = {}): Rig {
  const clock = new FakeClock();
  const backend = new FakeBackend(() => clock.now());
  const warnings: string[] = [];
  const service = createTcccService(backend, {
    scheduler: clock,
    logger: { info: () => undefined, warn: (line) => warnings.push(line) },
    ...options,
  });
  const rig = { backend, clock, service, warnings };
  rigs.push(rig);
  return rig;
}

afterEach(() => {
  for (const rig of rigs) rig.service.close();
  rigs = [];
});

const content = (message: Decoded): Record<string, unknown> =>
  message.body.content as Record<string, unknown>;

/** Handshake, then transfer and accept: leaves `u1` in an agent session with 小王. */
function toAgent(rig: Rig, userID = 'u1'): void {
  rig.backend.handshake(userID);
  rig.backend.userText(userID, '人工');
  expect(rig.service.agent.accept(userID, '小王')).toEqual({ ok: true, value: undefined });
  rig.backend.take(userID);
}

function lastCard(rig: Rig, userID = 'u1'): Decoded {
  const cards = rig.backend.sentTo(userID).filter((message) => message.src === '9');
  expect(cards.length).toBeGreaterThan(0);
  return cards[cards.length - 1];
}

function rate(rig: Rig, sessionId: unknown, id: unknown = '105', userID = 'u1'): void {
  rig.backend.userCustom(userID, {
    src: '10',
    menuSelected: { id, content: '非常满意', sessionId },
    customerServicePlugin: 0,
  });
}

describe('handshake (src 7)', () => {
  it('answers with rating settings, a paged welcome and the branch menu', () => {
    const { backend } = setup();
    backend.handshake('u1');
    const sent = backend.take('u1');
    expect(kinds(sent)).toEqual(['23', '29', '15']);
    const [settings, welcome, menu] = sent;
    expect(settings.body.customerServicePlugin).toBe(0);
    expect(Number(content(settings).menuSendRuleFlag) & 4).toBe(4);
    expect(welcome.body.subtype).toBe('welcome_msg');
    expect((content(welcome).items as unknown[]).length).toBeGreaterThan(5);
    expect(welcome.cloud).toEqual({ messageType: 'welcome', role: 'robot' });
    expect(menu.cloud.role).toBe('robot');
    const items = content(menu).items as { content: string }[];
    expect(items.map((item) => item.content)).toEqual(
      expect.arrayContaining(['查看商品', '转人工']),
    );
  });

  it('accepts the bare legacy form and a numeric src', () => {
    const { backend } = setup();
    backend.userCustom('legacy', { src: '7' });
    backend.userCustom('numeric', { customerServicePlugin: 0, src: 7 });
    expect(kinds(backend.take('legacy'))).toEqual(['23', '29', '15']);
    expect(kinds(backend.take('numeric'))).toEqual(['23', '29', '15']);
  });

  it('answers in English when triggeredContent.language is en', () => {
    const { backend } = setup();
    backend.handshake('u1', { triggeredContent: { language: 'en' } });
    const [, welcome, menu] = backend.take('u1');
    expect(content(welcome).title).toMatch(/virtual assistant/);
    expect((content(menu).items as { content: string }[])[0].content).toBe('Products');
    backend.userText('u1', 'Products');
    expect(content(backend.take('u1')[0]).header).toBe('TCCC Smart Speaker X1');
  });

  it('can send the welcome as a text tagged messageType welcome', () => {
    const { backend } = setup({
      flow: { ...DEFAULT_FLOW, welcome: { ...DEFAULT_FLOW.welcome, style: 'text' } },
    });
    backend.handshake('u1');
    const [, welcome] = backend.take('u1');
    expect(welcome.text).toContain('猜您想问');
    expect(welcome.cloud).toEqual({ messageType: 'welcome', role: 'robot' });
  });

  it('does not restart the flow mid-session: only rating settings again', () => {
    const { backend } = setup();
    backend.handshake('u1');
    backend.take('u1');
    backend.handshake('u1');
    expect(kinds(backend.take('u1'))).toEqual(['23']);
  });

  it('re-sends seat status, not the welcome, during an agent session', () => {
    const rig = setup();
    toAgent(rig);
    rig.backend.handshake('u1');
    const sent = rig.backend.take('u1');
    expect(kinds(sent)).toEqual(['23', '26']);
    expect(content(sent[1])).toEqual({ command: 'updateSeatStatus', content: 'inSeat' });
  });

  it('starts a new service session after the previous one ended', () => {
    const rig = setup();
    toAgent(rig);
    const before = rig.service.agent.listSessions()[0].sessionId;
    rig.service.agent.end('u1');
    rig.backend.take('u1');
    rig.backend.handshake('u1');
    expect(kinds(rig.backend.take('u1'))).toEqual(['23', '29', '15']);
    const summary = rig.service.agent.listSessions()[0];
    expect(summary.state).toBe('bot');
    expect(summary.sessionId).not.toBe(before);
  });

  it('restarts a bot session that idled past the session timeout', () => {
    const { backend, clock } = setup({ sessionTimeoutMs: 60_000 });
    backend.handshake('u1');
    backend.take('u1');
    clock.advance(61_000);
    backend.handshake('u1');
    expect(kinds(backend.take('u1'))).toEqual(['23', '29', '15']);
  });
});

describe('bot branches', () => {
  it('routes menu choices to cards, rich text and tips', () => {
    const { backend } = setup();
    backend.handshake('u1');
    backend.take('u1');

    backend.userText('u1', '查看商品');
    const [product] = backend.take('u1');
    expect(product.src).toBe('22');
    expect(content(product)).toMatchObject({
      header: 'TCCC 智能音箱 X1',
      url: expect.stringMatching(/^https:/),
    });
    expect(String(content(product).pic)).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(product.cloud.role).toBe('robot');

    backend.userText('u1', ' 查询订单 ');
    const [order] = backend.take('u1');
    expect(order.src).toBe('28');
    expect(Object.keys(content(order))).toEqual(
      expect.arrayContaining(['guide', 'name', 'desc', 'pic']),
    );

    backend.userText('u1', '使用指南');
    const [rich] = backend.take('u1');
    expect(rich.src).toBe('30');
    expect(rich.body.content).toMatch(/\[[^\]]+\]\(https:\/\/[^)]+\)/);
    expect(rich.body.content).toMatch(/!\[[^\]]*\]\(data:image\/svg\+xml/);

    backend.userText('u1', '服务须知');
    const [tips] = backend.take('u1');
    expect(tips.src).toBe('37');
    expect(typeof tips.body.content).toBe('string');
  });

  it('points card pictures at the console assets when the public origin is known', () => {
    const { backend } = setup({ publicOrigin: 'http://127.0.0.1:9300/' });
    backend.userText('u1', '查看商品');
    expect(content(backend.take('u1')[0]).pic).toBe(
      'http://127.0.0.1:9300/console/assets/product.svg',
    );
  });

  it('runs the after-sales form: choice, then input, then a reply using both', () => {
    const { backend } = setup();
    backend.handshake('u1');
    backend.take('u1');
    backend.userText('u1', '售后服务');
    const [choice] = backend.take('u1');
    expect(choice.src).toBe('21');
    expect(content(choice).type).toBe(1);
    expect((content(choice).items as { content: string }[]).map((item) => item.content)).toEqual([
      '退货',
      '换货',
      '维修',
    ]);

    backend.userText('u1', '换货');
    const [input] = backend.take('u1');
    expect(input.src).toBe('21');
    expect(content(input).type).not.toBe(1);
    expect(content(input).header).toContain('订单号');

    backend.userText('u1', 'SO-778899');
    const [reply] = backend.take('u1');
    expect(reply.text).toContain('换货');
    expect(reply.text).toContain('SO-778899');
  });

  it('answers a tapped welcome question', () => {
    const { backend } = setup();
    backend.handshake('u1');
    backend.take('u1');
    backend.userText('u1', '支持哪些支付方式？');
    const [answer] = backend.take('u1');
    expect(answer.text).toContain('微信支付');
    expect(answer.cloud).toEqual({ messageType: 'faq', role: 'robot' });
  });

  it('falls back with a text and the menu again on unknown text', () => {
    const { backend } = setup();
    backend.handshake('u1');
    backend.take('u1');
    backend.userText('u1', 'asdf qwerty');
    const sent = backend.take('u1');
    expect(kinds(sent)).toEqual(['text', '15']);
    expect(sent[0].cloud).toEqual({ messageType: 'fallback', role: 'robot' });
    backend.userText('u1', '菜单');
    expect(kinds(backend.take('u1'))).toEqual(['15']);
  });

  it('grows the streaming text by modifications every interval until isFinished', () => {
    const { backend, clock } = setup();
    backend.handshake('u1');
    backend.take('u1');
    backend.userText('u1', '智能问答');
    const [stream] = backend.take('u1');
    expect(stream.src).toBe('31');
    expect(stream.body).toMatchObject({ chunks: [expect.any(String)], isFinished: 0 });
    const total = (DEFAULT_FLOW.nodes.stream as { chunks: { zh: string[] } }).chunks.zh.length;

    clock.advance(149);
    expect(backend.modifications).toHaveLength(0);
    clock.advance(1);
    expect(backend.modifications).toHaveLength(1);
    clock.advance(150 * total);

    const versions = backend.modifications.map((mod) => mod.decoded.body);
    expect(versions).toHaveLength(total - 1);
    versions.forEach((body, index) => {
      expect((body.chunks as string[]).length).toBe(index + 2);
      expect(body.isFinished).toBe(index === total - 2 ? 1 : 0);
    });
    expect(backend.modifications.every((mod) => mod.ref.seq === stream.ref.seq)).toBe(true);
    expect(backend.sentTo('u1').find((message) => message.src === '31')?.version).toBe(total - 1);
    clock.advance(10_000);
    expect(backend.modifications).toHaveLength(total - 1);
  });

  it('runs the task flow: branch 32 marked submitted, form 33 validated then filled', () => {
    const { backend } = setup();
    backend.handshake('u1');
    backend.take('u1');
    backend.userText('u1', '预约服务');
    const [branch] = backend.take('u1');
    expect(branch.src).toBe('32');
    expect(branch.body).toMatchObject({ status: 0, optionType: 1, taskInfo: { taskID: 1001 } });

    backend.userText('u1', '上门安装');
    const [form] = backend.take('u1');
    expect(form.src).toBe('33');
    expect(form.body.nodeStatus).toBe(0);
    const marked = backend.modifications[0].decoded;
    expect(marked.src).toBe('32');
    expect(marked.body.status).toBe(2);
    expect(content(marked).selected).toEqual({ content: '上门安装', desc: '' });

    const inputs = content(form).inputVariables as {
      name: string;
      formType: number;
      chooseItemList: string[];
    }[];
    expect(inputs.map((input) => input.name)).toEqual(['姓名', '预约时段', '备注']);
    backend.userCustom('u1', {
      customerServicePlugin: 0,
      src: '33',
      content: { inputVariables: [{ name: '姓名', variableValue: '张三' }] },
    });
    const [missing] = backend.take('u1');
    expect(missing.text).toContain('预约时段');

    backend.userCustom('u1', {
      customerServicePlugin: 0,
      src: '33',
      content: {
        inputVariables: [
          { name: '姓名', variableValue: '张三' },
          { name: '预约时段', variableValue: inputs[1].chooseItemList[1] },
        ],
      },
    });
    const [done] = backend.take('u1');
    expect(done.text).toBe('预约成功：上门安装，张三，下午。我们会按时为您服务。');
    const filled = backend.modifications[backend.modifications.length - 1].decoded;
    expect(filled.src).toBe('33');
    expect(filled.body.nodeStatus).toBe(2);
    expect(
      (content(filled).inputVariables as { variableValue: string }[]).map((v) => v.variableValue),
    ).toEqual(['张三', '下午', '']);
  });
});

describe('transfer to a human', () => {
  it('counts the queue down and connects when the console accepts', () => {
    const { backend, clock, service } = setup({ queueAhead: 2, queueDelayMs: 1000 });
    backend.handshake('u1');
    backend.take('u1');
    backend.userText('u1', '转人工');
    const first = backend.take('u1');
    expect(first.map((message) => message.cloud.messageType)).toEqual([
      'connectingToAgent',
      'queuing',
    ]);
    expect(first[1].text).toBe('您前面还有 2 人，请耐心等待');
    expect(service.agent.listSessions()[0]).toMatchObject({ state: 'queued', queueAhead: 2 });

    clock.advance(1000);
    expect(backend.take('u1').map((message) => message.text)).toEqual([
      '您前面还有 1 人，请耐心等待',
    ]);
    clock.advance(1000);
    const head = backend.take('u1');
    expect(head.map((message) => message.cloud.messageType)).toEqual(['queuing']);
    clock.advance(10_000);
    expect(backend.take('u1')).toEqual([]);

    expect(service.agent.accept('u1', '小王').ok).toBe(true);
    const connected = backend.take('u1');
    expect(kinds(connected)).toEqual(['text', '26']);
    expect(connected[0].text).toBe('客服 小王 为您服务');
    expect(connected[0].cloud.messageType).toBe('connectedToAgent');
    expect(content(connected[1])).toEqual({ command: 'updateSeatStatus', content: 'inSeat' });
    expect(service.agent.listSessions()[0]).toMatchObject({ state: 'active', agentName: '小王' });
  });

  it('accepts by itself in auto mode after the countdown', () => {
    const { backend, clock, service } = setup({
      queueAhead: 1,
      queueDelayMs: 500,
      autoAccept: true,
    });
    backend.userText('u1', '人工');
    clock.advance(500);
    expect(service.agent.listSessions()[0].state).toBe('queued');
    clock.advance(500);
    expect(service.agent.listSessions()[0].state).toBe('active');
    const texts = backend.take('u1').map((message) => message.text ?? message.src);
    expect(texts).toEqual([
      '正在为您转接人工客服，请稍候…',
      '您前面还有 1 人，请耐心等待',
      '您已排在第 1 位，客服马上为您服务',
      '客服 小王 为您服务',
      '26',
    ]);
  });

  it('moves the others up when someone ahead is accepted', () => {
    const { backend, service } = setup();
    backend.userText('a', '人工');
    backend.userText('b', '人工');
    backend.userText('c', '人工');
    expect(backend.take('c').map((message) => message.text)).toContain(
      '您前面还有 2 人，请耐心等待',
    );
    service.agent.accept('a');
    expect(backend.take('b').pop()?.text).toBe('您已排在第 1 位，客服马上为您服务');
    expect(backend.take('c').pop()?.text).toBe('您前面还有 1 人，请耐心等待');
    service.agent.accept('c');
    expect(backend.take('b')).toEqual([]);
    const names = service.agent.listSessions().map((summary) => summary.agentName);
    expect(new Set(names.filter(Boolean)).size).toBe(2);
  });

  it('repeats the position when a queued user asks again, and ignores other text', () => {
    const { backend } = setup();
    backend.userText('u1', '人工');
    backend.take('u1');
    backend.userText('u1', '还要等多久');
    expect(backend.take('u1')).toEqual([]);
    backend.userText('u1', '人工服务');
    expect(backend.take('u1').map((message) => message.cloud.messageType)).toEqual(['queuing']);
  });

  it('answers src 18 and a text when no agent is online', () => {
    const { backend, service } = setup({ agentsOnline: false });
    backend.userText('u1', '人工');
    const sent = backend.take('u1');
    expect(kinds(sent)).toEqual(['18', 'text']);
    expect(sent[1].cloud.messageType).toBe('failedToConnectAgent');
    expect(service.agent.listSessions()[0].state).toBe('bot');
  });

  it('gives the after-hours reply off hours', () => {
    const { backend, service } = setup({ offHours: true });
    backend.userText('u1', '转人工');
    const sent = backend.take('u1');
    expect(kinds(sent)).toEqual(['text']);
    expect(sent[0].cloud.messageType).toBe('automaticReplyAfterWorkingHours');
    expect(service.agent.listSessions()[0].state).toBe('bot');
  });
});

describe('agent session', () => {
  it('sends replies as seat texts, typing online-only, and cards as the seat', () => {
    const rig = setup();
    toAgent(rig);
    const { backend, service } = rig;
    backend.userText('u1', '你好，我的快递到哪了');
    expect(backend.take('u1')).toEqual([]);

    expect(service.agent.typing('u1').ok).toBe(true);
    expect(service.agent.reply('u1', '您好，我帮您查一下').ok).toBe(true);
    expect(service.agent.sendCard('u1', 'order').ok).toBe(true);
    const [typing, reply, card] = backend.take('u1');
    expect(typing).toMatchObject({ src: '12', onlineOnly: true });
    expect(reply).toMatchObject({
      text: '您好，我帮您查一下',
      cloud: { role: 'seat' },
      onlineOnly: false,
    });
    expect(card).toMatchObject({ src: '28', cloud: { role: 'seat' } });
    const transcript = service.agent.transcript('u1');
    expect(transcript.ok && transcript.value.map((entry) => entry.from)).toEqual(
      expect.arrayContaining(['user', 'robot', 'seat']),
    );
  });

  it('refuses agent actions that do not fit the state, as values', () => {
    const { backend, service } = setup();
    backend.handshake('u1');
    expect(service.agent.reply('u1', 'hi')).toMatchObject({
      ok: false,
      error: { code: 'bad-state' },
    });
    expect(service.agent.typing('nobody')).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect(service.agent.requestRating('u1')).toMatchObject({
      ok: false,
      error: { ratingCode: 10154 },
    });
    expect(service.agent.accept('u1').ok).toBe(true);
    expect(service.agent.accept('u1')).toMatchObject({ ok: false, error: { code: 'bad-state' } });
    expect(service.agent.reply('u1', '   ')).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
  });

  it('keeps sessions apart per service account and per user', () => {
    const { backend, service } = setup();
    backend.handshake('u1');
    backend.handshake('u1', {}, '@im_agent#online_doctor');
    backend.userText('u1', '人工', '@im_agent#online_doctor');
    const sessions = service.agent.listSessions();
    expect(sessions).toHaveLength(2);
    expect(service.agent.accept({ serviceAccount: ACCOUNT, userID: 'u1' }).ok).toBe(true);
    const doctor = sessions.find((summary) => summary.serviceAccount === '@im_agent#online_doctor');
    expect(doctor?.state).toBe('queued');
    expect(kinds(backend.take('u1', '@im_agent#online_doctor')).slice(-2)).toEqual([
      'text',
      'text',
    ]);
    expect(kinds(backend.take('u1')).slice(-2)).toEqual(['text', '26']);
  });
});

describe('end of session and rating', () => {
  it('ends by the agent: closure text, 19, outSeat, then the rating card', () => {
    const rig = setup({ ratingExpireSeconds: 3600 });
    toAgent(rig);
    expect(rig.service.agent.end('u1').ok).toBe(true);
    const sent = rig.backend.take('u1');
    expect(kinds(sent)).toEqual(['text', '19', '26', '9']);
    expect(sent[0].cloud.messageType).toBe('proactiveClosure');
    expect(content(sent[2]).content).toBe('outSeat');
    const menu = sent[3].body.menuContent as Record<string, unknown>;
    expect(sent[3].cloud).toEqual({ messageType: 'satisfactionRating', role: 'robot' });
    expect((menu.menu as { id: string }[]).map((option) => option.id)).toEqual([
      '101',
      '102',
      '103',
      '104',
      '105',
    ]);
    expect(menu).toMatchObject({
      type: 1,
      effectiveHour: 12,
      head: expect.any(String),
      tail: expect.any(String),
    });
    expect(menu.sessionId).toMatch(UUID);
    expect(menu.expireTime).toBe(Math.floor(rig.clock.now() / 1000) + 3600);
    expect(menu.selected).toBeUndefined();
    expect(rig.service.agent.listSessions()[0].state).toBe('ended');
  });

  it('uses the number style when asked', () => {
    const rig = setup({ ratingStyle: 'number' });
    toAgent(rig);
    rig.service.agent.end('u1');
    expect((lastCard(rig).body.menuContent as Record<string, unknown>).type).toBe(2);
  });

  it('accepts a valid src 10 and modifies the card to carry selected', () => {
    const rig = setup();
    toAgent(rig);
    rig.service.agent.end('u1');
    const card = lastCard(rig);
    const sessionId = (card.body.menuContent as Record<string, unknown>).sessionId;
    rig.backend.take('u1');
    rate(rig, sessionId, '104');
    expect(rig.backend.take('u1')).toEqual([]);
    const modified = rig.backend.modifications.pop()?.decoded;
    expect(modified?.ref.seq).toBe(card.ref.seq);
    expect((modified?.body.menuContent as Record<string, unknown>).selected).toEqual({
      id: '104',
      content: '满意',
    });
    expect(rig.service.agent.listSessions()[0].rating).toEqual({ id: '104', content: '满意' });
  });

  it('refuses a duplicate (10152), a wrong session or option (10151) and an expired card (10150)', () => {
    const rig = setup({ ratingExpireSeconds: 60 });
    toAgent(rig);
    rig.service.agent.end('u1');
    const sessionId = (lastCard(rig).body.menuContent as Record<string, unknown>).sessionId;
    rig.backend.take('u1');

    rate(rig, 'not-a-session');
    rate(rig, sessionId, '999');
    rate(rig, sessionId, 105);
    rate(rig, sessionId, '101');
    const refusals = rig.backend.take('u1');
    expect(refusals.map((message) => message.cloud.errorCode)).toEqual([10151, 10151, 10152]);
    expect(refusals.every((message) => message.cloud.messageType === 'satisfactionRating')).toBe(
      true,
    );
    expect(refusals[2].text).toContain('重复');
    expect(rig.backend.modifications).toHaveLength(1);

    const other = setup({ ratingExpireSeconds: 60 });
    toAgent(other);
    other.service.agent.end('u1');
    const otherId = (lastCard(other).body.menuContent as Record<string, unknown>).sessionId;
    other.backend.take('u1');
    other.clock.advance(61_000);
    rate(other, otherId);
    expect(other.backend.take('u1').map((message) => message.cloud.errorCode)).toEqual([10150]);
    expect(other.backend.modifications).toHaveLength(0);
  });

  it('refuses a rating with no card ever sent (10154)', () => {
    const { backend } = setup();
    backend.handshake('u1');
    backend.take('u1');
    backend.userCustom('u1', {
      src: '10',
      menuSelected: { id: '105', content: '非常满意', sessionId: '' },
    });
    expect(backend.take('u1').map((message) => message.cloud.errorCode)).toEqual([10154]);
  });

  it('answers src 24 with a card in or after an agent session, and refuses otherwise', () => {
    const rig = setup();
    rig.backend.handshake('u1');
    rig.backend.take('u1');
    rig.backend.userCustom('u1', { customerServicePlugin: 0, src: '24' });
    expect(rig.backend.take('u1').map((message) => message.cloud.errorCode)).toEqual([10154]);

    rig.backend.userText('u1', '人工');
    rig.service.agent.accept('u1');
    rig.backend.take('u1');
    rig.backend.userCustom('u1', { customerServicePlugin: 0, src: '24' });
    const [card] = rig.backend.take('u1');
    expect(card.src).toBe('9');
    const sessionId = (card.body.menuContent as Record<string, unknown>).sessionId;

    rig.service.agent.end('u1');
    const atEnd = rig.backend.take('u1');
    expect(kinds(atEnd)).toEqual(['text', '19', '26', '9']);
    expect((atEnd[3].body.menuContent as Record<string, unknown>).sessionId).toBe(sessionId);

    rate(rig, sessionId);
    expect(rig.backend.modifications.filter((mod) => mod.decoded.src === '9')).toHaveLength(2);
    rig.backend.userCustom('u1', { customerServicePlugin: 0, src: '24' });
    expect(rig.backend.take('u1').map((message) => message.cloud.errorCode)).toEqual([10152]);
  });

  it('ignores src 24 when the settings do not let users ask', () => {
    const flow = { ...DEFAULT_FLOW, rating: { ...DEFAULT_FLOW.rating, menuSendRuleFlag: 1 } };
    const rig = setup({ flow });
    toAgent(rig);
    rig.backend.userCustom('u1', { customerServicePlugin: 0, src: '24' });
    expect(rig.backend.take('u1')).toEqual([]);
  });

  it('ends by the user on src 27, with the rating card', () => {
    const rig = setup();
    toAgent(rig);
    rig.backend.userCustom('u1', {
      customerServicePlugin: 0,
      src: '27',
      triggeredContent: { language: 'zh' },
    });
    expect(kinds(rig.backend.take('u1'))).toEqual(['text', '19', '26', '9']);
    expect(rig.service.agent.listSessions()[0].state).toBe('ended');
  });

  it('lets a queued user leave with src 27 (no card, no seat status)', () => {
    const { backend, service } = setup();
    backend.userText('u1', '人工');
    backend.userText('u2', '人工');
    backend.take('u1');
    backend.take('u2');
    backend.userCustom('u1', { customerServicePlugin: 0, src: '27' });
    expect(kinds(backend.take('u1'))).toEqual(['text', '19']);
    expect(backend.take('u2').pop()?.text).toBe('您已排在第 1 位，客服马上为您服务');
    expect(service.agent.listSessions().find((summary) => summary.userID === 'u1')?.state).toBe(
      'ended',
    );
  });

  it('ignores src 27 outside a human session', () => {
    const { backend } = setup();
    backend.handshake('u1');
    backend.take('u1');
    backend.userCustom('u1', { customerServicePlugin: 0, src: '27' });
    expect(backend.take('u1')).toEqual([]);
  });

  it('times out an idle agent session: timeoutAutoClosure, 20, 19, outSeat, card', () => {
    const rig = setup({ sessionTimeoutMs: 60_000 });
    toAgent(rig);
    rig.clock.advance(50_000);
    rig.backend.userText('u1', '还在吗');
    rig.clock.advance(50_000);
    expect(rig.backend.take('u1')).toEqual([]);
    rig.clock.advance(10_000);
    const sent = rig.backend.take('u1');
    expect(kinds(sent)).toEqual(['text', '20', '19', '26', '9']);
    expect(sent[0].cloud.messageType).toBe('timeoutAutoClosure');
    expect(rig.service.agent.listSessions()[0].state).toBe('ended');
  });

  it('starts a bot session again when the user writes after the end', () => {
    const rig = setup();
    toAgent(rig);
    rig.service.agent.end('u1');
    rig.backend.take('u1');
    rig.backend.userText('u1', '查看商品');
    expect(kinds(rig.backend.take('u1'))).toEqual(['22']);
    expect(rig.service.agent.listSessions()[0].state).toBe('bot');
  });
});

describe('robustness', () => {
  it('never throws on malformed user messages and keeps working', () => {
    const { backend, warnings } = setup();
    const garbage: unknown[] = [
      null,
      undefined,
      42,
      'text',
      {},
      { serviceAccount: ACCOUNT },
      { serviceAccount: ACCOUNT, userID: 7, elems: [] },
      { serviceAccount: ACCOUNT, userID: 'u1', elems: null },
      { serviceAccount: ACCOUNT, userID: 'u1', elems: 'nope' },
      { serviceAccount: ACCOUNT, userID: 'u1', elems: [null, 1, 'x'] },
      { serviceAccount: ACCOUNT, userID: 'u1', elems: [{ MsgType: 'TIMCustomElem' }] },
      {
        serviceAccount: ACCOUNT,
        userID: 'u1',
        elems: [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{bad json' } }],
      },
      {
        serviceAccount: ACCOUNT,
        userID: 'u1',
        elems: [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '[1,2]' } }],
      },
      {
        serviceAccount: ACCOUNT,
        userID: 'u1',
        elems: [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{"src":{"a":1}}' } }],
      },
      {
        serviceAccount: ACCOUNT,
        userID: 'u1',
        elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 12 } }],
      },
      {
        serviceAccount: ACCOUNT,
        userID: 'u1',
        elems: [{ MsgType: 'TIMImageElem', MsgContent: {} }],
      },
    ];
    for (const message of garbage) expect(() => backend.deliver(message)).not.toThrow();
    const protocolGarbage: unknown[] = [
      { src: '10' },
      { src: '10', menuSelected: 'x' },
      { src: '10', menuSelected: { id: { nested: true }, sessionId: 5 } },
      { src: '33' },
      { src: '33', content: { inputVariables: 'nope' } },
      { src: '7', triggeredContent: 'en' },
      { src: '7', triggeredContent: { language: 5 } },
      { src: '24', customerServicePlugin: '0' },
      { src: '27', triggeredContent: null },
      { src: '22', content: null },
      { src: '99' },
      { src: 'NaN' },
    ];
    for (const body of protocolGarbage) expect(() => backend.userCustom('u1', body)).not.toThrow();
    expect(warnings).toEqual([]);
    backend.take('u1');
    backend.userText('u1', '查看商品');
    expect(kinds(backend.take('u1'))).toEqual(['22']);
  });

  it('survives a failing backend and logs it', () => {
    const { backend, service, warnings } = setup();
    backend.failSends = true;
    expect(() => backend.handshake('u1')).not.toThrow();
    expect(service.agent.reply('u1', 'hi')).toMatchObject({
      ok: false,
      error: { code: 'bad-state' },
    });
    expect(warnings.length).toBeGreaterThan(0);
    backend.failSends = false;
    backend.userText('u1', '查看商品');
    expect(kinds(backend.take('u1'))).toEqual(['22']);
  });

  it('stops timers and detaches on close', () => {
    const { backend, clock, service } = setup({ queueAhead: 3 });
    backend.userText('u1', '智能问答');
    backend.userText('u2', '人工');
    expect(clock.pending).toBeGreaterThan(0);
    service.close();
    service.close();
    expect(clock.pending).toBe(0);
    expect(backend.listenerCount).toBe(0);
    const before = backend.sentTo('u1').length;
    backend.userText('u1', '查看商品');
    clock.advance(60_000);
    expect(backend.sentTo('u1')).toHaveLength(before);
    expect(service.agent.accept('u2')).toMatchObject({ ok: false, error: { code: 'bad-state' } });
  });

  it('reports changes to subscribers', () => {
    const { backend, service } = setup();
    const seen: number[] = [];
    const unsubscribe = service.onChange(() => seen.push(service.agent.listSessions().length));
    backend.handshake('u1');
    unsubscribe();
    backend.handshake('u2');
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((count) => count === 1)).toBe(true);
  });
});

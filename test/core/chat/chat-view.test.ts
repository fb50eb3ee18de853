import { createChatViewBuilder, errorText } from '../../../miniprogram/core/chat/chat-view';
import type { ChatViewContext } from '../../../miniprogram/core/chat/chat-view';
import { diffForSetData } from '../../../miniprogram/core/view/set-data-diff';
import { flushMicrotasks } from '../../fakes/fake-clock';
import { createHarness, loggedIn, SERVICE, USER } from '../../fakes/harness';
import type { Harness } from '../../fakes/harness';
import { tccc } from '../../fakes/tccc-payloads';

let h: Harness;
const ctx = (over: Partial<ChatViewContext> = {}): ChatViewContext => ({
  now: h.clock.now(),
  language: 'zh-CN',
  self: { nick: '我', avatar: 'https://a/me.png' },
  peer: { nick: '在线客服', avatar: 'https://a/cs.png' },
  ...over,
});

beforeEach(async () => {
  h = createHarness();
  await loggedIn(h);
});

describe('chat view', () => {
  it('is flat and pre-formatted, with nick/avatar fallbacks and mine flags', async () => {
    const chat = h.chat();
    await chat.open();
    h.transport.peerSends(SERVICE, USER, { text: '您好' });
    await chat.sendText('你好');
    const view = createChatViewBuilder()(chat.getState(), ctx());
    expect(
      view.messages.map((m) => [m.kind, m.isMine, m.nick, m.avatar, m.text, m.status]),
    ).toEqual([
      ['text', false, '在线客服', 'https://a/cs.png', '您好', 'sent'],
      ['text', true, '我', 'https://a/me.png', '你好', 'sent'],
    ]);
    expect(view.messages[0]).toMatchObject({ showTime: true, timeText: '10:00' });
    expect(view.messages[1].showTime).toBe(false);
  });

  it('says who sent each message: bot name and label, agent nick, system notices as tips', async () => {
    const chat = h.chat();
    await chat.open();
    const robot = (text: string, messageType: string) =>
      h.transport.peerSends(SERVICE, USER, { text }, { cloudCustomData: tccc.meta(messageType) });
    robot('您好，我是智能助手', 'welcome');
    robot('正在为您转接人工客服', 'connectingToAgent');
    robot('您前面还有 3 人', 'queuing');
    robot('您前面还有 2 人', 'queuing');
    robot('您前面还有 1 人', 'queuing');
    h.transport.peerSends(
      SERVICE,
      USER,
      { text: '客服 小王 为您服务' },
      { cloudCustomData: tccc.meta('connectedToAgent', 'seat') },
    );
    h.transport.peerSends(
      SERVICE,
      USER,
      { text: '请问有什么可以帮您？' },
      { cloudCustomData: tccc.meta('other', 'seat'), nick: '小王' },
    );
    // Under the service account's own nick: named after the agent the prompt announced.
    h.transport.peerSends(
      SERVICE,
      USER,
      { text: '稍等' },
      { cloudCustomData: tccc.meta('other', 'seat'), nick: '在线客服' },
    );
    const build = createChatViewBuilder();
    const view = build(chat.getState(), ctx());
    expect(
      view.messages.map((m) => [m.kind, m.sender, m.nick, m.senderLabel, m.tip ?? m.text]),
    ).toEqual([
      ['text', 'bot', '智能助手', '机器人', '您好，我是智能助手'],
      ['tip', 'bot', '智能助手', '机器人', '正在为您转接人工客服'],
      // Three queue updates in a row are one live line: the newest.
      ['tip', 'bot', '智能助手', '机器人', '您前面还有 1 人'],
      ['tip', 'agent', '小王', '人工', '客服 小王 为您服务'],
      ['text', 'agent', '小王', '人工', '请问有什么可以帮您？'],
      ['text', 'agent', '小王', '人工', '稍等'],
    ]);
    // The bot is not pictured with the service account's person avatar.
    expect(view.messages[0].avatar).toBe('');
    expect(build(chat.getState(), ctx({ language: 'en' })).messages[0]).toMatchObject({
      nick: 'Assistant',
      senderLabel: 'Bot',
    });
  });

  it('shows a time separator after five minutes', async () => {
    const chat = h.chat('C2Cfriend');
    await chat.open();
    h.transport.peerSends('friend', USER, { text: 'a' });
    h.clock.advance(4 * 60_000);
    h.transport.peerSends('friend', USER, { text: 'b' });
    h.clock.advance(2 * 60_000);
    h.transport.peerSends('friend', USER, { text: 'c' });
    const view = createChatViewBuilder()(chat.getState(), ctx());
    expect(view.messages.map((m) => m.showTime)).toEqual([true, false, true]);
  });

  it('keeps unchanged items by reference, so one incoming message is one small setData key', async () => {
    const chat = h.chat();
    await chat.open();
    for (let i = 0; i < 50; i += 1) h.transport.peerSends(SERVICE, USER, { text: `m${i}` });
    const build = createChatViewBuilder();
    const before = build(chat.getState(), ctx());
    h.transport.peerSends(SERVICE, USER, { text: 'new one' });
    const after = build(chat.getState(), ctx());
    after.messages.slice(0, 50).forEach((m, i) => expect(m).toBe(before.messages[i]));
    const payload = diffForSetData(
      before as unknown as Record<string, unknown>,
      after as unknown as Record<string, unknown>,
    );
    expect(Object.keys(payload)).toEqual(['messages[50]']);
    expect(JSON.stringify(payload).length).toBeLessThan(2048);
  });

  it('a status change is one path key', async () => {
    const chat = h.chat('C2Cfriend');
    await chat.open();
    const build = createChatViewBuilder();
    h.transport.holdSends();
    const pending = chat.sendText('x');
    await flushMicrotasks();
    const before = build(chat.getState(), ctx());
    h.transport.releaseSends();
    await pending;
    const after = build(chat.getState(), ctx());
    const payload = diffForSetData(
      before as unknown as Record<string, unknown>,
      after as unknown as Record<string, unknown>,
    );
    expect(payload).toMatchObject({ 'messages[0].status': 'sent', 'messages[0].statusText': '' });
    expect(Object.keys(payload).every((k) => k.startsWith('messages[0].'))).toBe(true);
  });

  it('renders every protocol kind, hides signals and own uplinks', async () => {
    const chat = h.chat();
    await chat.open();
    const send = (data: string) => h.transport.peerSends(SERVICE, USER, { data });
    send(tccc.ratingSettings(4));
    send(tccc.productCard());
    send(tccc.richText('**重要** <script>x</script>'));
    send(tccc.tip('会话即将超时'));
    send(JSON.stringify({ hello: 'no src' }));
    send(tccc.formChoice(['A', 'B']));
    send(tccc.branch(['一', '二'], { numericSrc: true }));
    const view = createChatViewBuilder()(chat.getState(), ctx());
    expect(view.messages.map((m) => m.kind)).toEqual([
      'product-card',
      'rich-text',
      'tip',
      'unsupported',
      'form',
      'menu',
    ]);
    expect(view.messages[0].card).toMatchObject({
      header: '商品',
      pic: 'https://example.com/p.png',
    });
    expect(JSON.stringify(view.messages[1].richText)).not.toContain('script');
    expect(view.messages[2].tip).toBe('会话即将超时');
    expect(view.messages[3].unsupported).toBeTruthy();
    expect(view.messages[4].form).toMatchObject({ mode: 'choice', canSelect: true });
    expect(view.messages[5].menu?.items.map((i) => i.content)).toEqual(['一', '二']);
  });

  it('in an ordinary conversation, protocol-looking messages are never hidden', async () => {
    const chat = h.chat('C2Cfriend');
    await chat.open();
    h.transport.peerSends('friend', USER, { data: tccc.typing() });
    const view = createChatViewBuilder()(chat.getState(), ctx());
    expect(view.messages.map((m) => m.kind)).toEqual(['unsupported']);
    expect(view.session).toMatchObject({
      isService: false,
      canTransfer: false,
      canRate: false,
      canEnd: false,
      text: '',
    });
  });

  it('builds the session banner', async () => {
    const chat = h.chat();
    await chat.open();
    const build = createChatViewBuilder();
    expect(build(chat.getState(), ctx()).session).toMatchObject({
      phase: 'bot',
      text: '智能客服为您服务',
      canTransfer: true,
      canEnd: false,
      canRate: false,
    });
    h.transport.peerSends(
      SERVICE,
      USER,
      { text: '您前面还有 2 人' },
      { cloudCustomData: tccc.meta('queuing') },
    );
    expect(build(chat.getState(), ctx()).session).toMatchObject({
      phase: 'queueing',
      queuePosition: 2,
      text: '正在排队，前面还有 2 人',
      canTransfer: false,
    });
    h.transport.peerSends(
      SERVICE,
      USER,
      { text: '您好' },
      { cloudCustomData: tccc.meta('connectedToAgent', 'seat'), nick: '小王' },
    );
    h.transport.peerSends(SERVICE, USER, { data: tccc.seat(true) });
    h.transport.peerSends(SERVICE, USER, { data: tccc.ratingSettings(4) });
    h.transport.peerSends(SERVICE, USER, { data: tccc.typing() }, { onlineOnly: true });
    const agent = build(chat.getState(), ctx());
    expect(agent.session).toMatchObject({
      phase: 'agent',
      agentName: '小王',
      text: '人工客服 小王 为您服务',
      canEnd: true,
      canTransfer: false,
      canRate: true,
      typing: true,
      indicatorText: '对方正在输入…',
    });
    // A pending (unrated, unexpired) rating card: the "rate" action leads to it.
    const pending = h.transport.peerSends(SERVICE, USER, { data: tccc.rating() });
    expect(build(chat.getState(), ctx()).session).toMatchObject({
      canRate: true,
      rateTarget: chat.getState().entries.find((e) => e.message.ID === pending.ID)!.key,
    });
    const en = build(chat.getState(), ctx({ language: 'en' }));
    expect(en.session.text).toBe('Agent 小王 is serving you');

    // Rated during the live chat: the card changes, the session goes on (rating is not the end);
    // the action stays hidden (a second request would be a duplicate) until a new session.
    const card = chat.getState().entries.find((e) => e.derived.kind === 'rating')!;
    const rated = await chat.submitRating(card.message.ID, '105');
    expect(rated.ok).toBe(true);
    const after = build(chat.getState(), ctx());
    expect(after.session).toMatchObject({
      phase: 'agent',
      text: '人工客服 小王 为您服务',
      canEnd: true,
      canRate: false,
    });
    // Only the end signals end it; then "thanks for rating".
    h.transport.peerSends(SERVICE, USER, { data: tccc.ended() });
    expect(build(chat.getState(), ctx()).session).toMatchObject({
      phase: 'rated',
      canEnd: false,
      canRate: false,
    });
  });

  it('shows the network banner', async () => {
    const chat = h.chat();
    await chat.open();
    h.transport.dropNetwork();
    expect(createChatViewBuilder()(chat.getState(), ctx()).network).toEqual({
      state: 'offline',
      visible: true,
      text: '连接已断开，消息将在恢复后发送',
    });
  });

  it('maps error codes to text', () => {
    expect(errorText({ code: 'kicked', message: '' }, 'zh-CN')).toBe('您的账号已在其他设备登录');
    expect(
      errorText({ code: 'file-too-large', message: '', cause: { max: 10 * 1024 * 1024 } }, 'en'),
    ).toBe('The file is too large. Please choose one under 10 MB.');
    expect(errorText(null, 'en')).toBe('');
  });
});

describe('incremental view building', () => {
  it.each([7, 1234, 99991])(
    'gives the same result as a fresh build after any sequence of changes (seed %i)',
    async (initialSeed) => {
      const chat = h.chat();
      h.transport.seedHistory(
        USER,
        SERVICE,
        Array.from({ length: 40 }, (_, i) => ({ text: `h${i}`, time: 1_705_000_000 + i * 200 })),
      );
      await chat.open();
      const incremental = createChatViewBuilder();
      let seed = initialSeed;
      const rnd = (n: number) => {
        seed = (seed * 48271) % 2147483647;
        return seed % n;
      };
      for (let step = 0; step < 120; step += 1) {
        const op = rnd(7);
        h.clock.advance(rnd(3) === 0 ? 6 * 60_000 : 30_000);
        if (op === 0) h.transport.peerSends(SERVICE, USER, { text: `in ${step}` });
        else if (op === 1) await chat.sendText(`out ${step}`);
        else if (op === 2) await chat.loadOlder();
        else if (op === 3)
          h.transport.peerSends(SERVICE, USER, {
            data: tccc.rating({ expireTime: Math.floor(h.clock.now() / 1000) + 60 }),
          });
        else if (op === 4) {
          const rating = chat
            .getState()
            .entries.find(
              (e) => e.derived.kind === 'rating' && !chat.getState().ratings[e.message.ID],
            );
          if (rating) await chat.submitRating(rating.message.ID, '103');
        } else if (op === 5) {
          const m = chat.getState().entries[rnd(chat.getState().entries.length)];
          if (m && m.message.flow === 'in') h.transport.revoke(USER, m.message.ID);
        } else {
          h.transport.sendFailures.push(20003);
          await chat.sendText(`fails ${step}`);
        }
        const c = ctx();
        expect(incremental(chat.getState(), c)).toEqual(
          createChatViewBuilder()(chat.getState(), c),
        );
      }
    },
  );
});

import { loadMp, renderMp } from '../load';
import { SERVICE, settle, useFakeServices } from '../fake-services';
import { DEFAULT_CONFIG, mergeConfig } from '../../../miniprogram/config';
import type { AppConfig } from '../../../miniprogram/config';
import { getServices } from '../../../miniprogram/services/index';
import type { FakeTransport, ServerReceived } from '../../fakes/fake-transport';
import type { FakeClock } from '../../fakes/fake-clock';

jest.mock('@tencentcloud/chat', () => ({
  __esModule: true,
  default: { create: jest.fn(), TYPES: {}, EVENT: {} },
}));

type Wx = Record<string, unknown>;
type Page = ReturnType<typeof renderMp>;
const pageId = loadMp('pages/chat/chat');

const custom = (obj: unknown) => ({ data: JSON.stringify(obj) });
const BRANCH = custom({
  customerServicePlugin: 0,
  src: '15',
  content: {
    header: '请选择您要咨询的问题',
    items: [
      { content: '订单问题', desc: '' },
      { content: '人工', desc: '' },
    ],
  },
});

async function openChat(
  query: Record<string, string> = {},
  options: { config?: AppConfig; pagesOpen?: number; enter?: Record<string, unknown> } = {},
) {
  const fakes = useFakeServices(Date.now(), options.config);
  for (const api of [
    'redirectTo',
    'navigateTo',
    'navigateBack',
    'setNavigationBarTitle',
    'showToast',
    'setClipboardData',
    'request',
    'requestSubscribeMessage',
    'onNetworkStatusChange',
    'offNetworkStatusChange',
  ]) {
    (wx as unknown as Wx)[api] = jest.fn();
  }
  (wx as unknown as Wx).getEnterOptionsSync = () => options.enter ?? { scene: 1001, query: {} };
  if (options.pagesOpen !== undefined)
    (getCurrentPages as jest.Mock).mockReturnValue(
      Array.from({ length: options.pagesOpen }, () => ({})),
    );
  expect((await getServices().session.login()).ok).toBe(true);
  const received: ServerReceived[] = [];
  fakes.transport.onUserMessage((r) => received.push(r));
  const page = renderMp(pageId);
  const instance = page.instance as unknown as Record<string, (arg?: unknown) => unknown>;
  await instance.onLoad(query);
  await settle(fakes.clock, 50);
  return { ...fakes, page, instance, received };
}

const dataOf = (r: ServerReceived) => String((r.message.payload as { data?: string }).data ?? '');
const textOf = (r: ServerReceived) => String((r.message.payload as { text?: string }).text ?? '');
const messages = (page: Page) => page.data.chat.messages as Array<Record<string, unknown>>;
/**
 * Clears the page's scroll target: afterwards a non-empty `scrollInto` means the page scrolled
 * (each value it sets scrolls the list).
 */
const resetScroll = (page: Page) => page.setData({ scrollInto: '' });
const scrolled = (page: Page) => page.data.scrollInto !== '';

describe('chat page', () => {
  afterEach(() => {
    jest.clearAllTimers();
  });

  it('sends the handshake on open, online-only, and renders the welcome menu without protocol noise', async () => {
    const { page, instance, transport, clock, received } = await openChat();
    const handshake = received.filter((r) => dataOf(r).includes('"src":"7"'));
    expect(handshake).toHaveLength(1);
    expect(JSON.parse(dataOf(handshake[0]))).toMatchObject({ customerServicePlugin: 0, src: '7' });
    expect(handshake[0].options).toMatchObject({ onlineUserOnly: true });

    transport.peerSends(
      SERVICE,
      'user1',
      custom({ customerServicePlugin: 0, src: '23', content: { menuSendRuleFlag: 7 } }),
    );
    transport.peerSends(
      SERVICE,
      'user1',
      { text: '您好，欢迎咨询' },
      { cloudCustomData: '{"messageType":"welcome"}' },
    );
    transport.peerSends(SERVICE, 'user1', BRANCH);
    await settle(clock, 50);

    const list = messages(page);
    expect(list.map((m) => m.kind)).toEqual(['text', 'menu']);
    // New messages scroll to the end of the newest one (an anchor below it), not to its top.
    expect(page.data.scrollInto).toMatch(/^bottom-[ab]$/);
    resetScroll(page);
    transport.peerSends(SERVICE, 'user1', { text: '还有其他问题吗？' });
    await settle(clock, 50);
    expect(page.data.scrollInto).toMatch(/^bottom-[ab]$/);
    expect(page.dom!.innerHTML).toContain('请选择您要咨询的问题');
    // The bot answers: there is no agent session to rate.
    expect(page.data.chat.session.canRate).toBe(false);

    // Tapping a row sends its text as a plain message.
    await instance.onChoose({ detail: { messageId: messages(page)[1].id, content: '订单问题' } });
    await settle(clock, 50);
    expect(received.map(textOf)).toContain('订单问题');
    (instance.onUnload as () => void)();
  });

  it('follows the newest message as it grows at the bottom; scrolled up, a new message raises a pill instead of a jump', async () => {
    const { page, instance, transport, clock } = await openChat();
    const first = transport.peerSends(SERVICE, 'user1', { text: '您好，' });
    await settle(clock, 50);
    // At the bottom: the same message growing (a streamed answer) keeps its end in view.
    resetScroll(page);
    transport.modify('user1', first.ID, { payload: { text: '您好，请问有什么可以帮您？' } });
    await settle(clock, 50);
    expect(messages(page).some((m) => m.text === '您好，请问有什么可以帮您？')).toBe(true);
    expect(scrolled(page)).toBe(true);
    expect(page.data.newMessagesPill).toBe(false);

    // The user scrolls up (the list is 600 px high in this harness).
    instance.onScroll({ detail: { scrollTop: 1400, scrollHeight: 2000 } });
    instance.onScroll({ detail: { scrollTop: 300, scrollHeight: 2000 } });
    resetScroll(page);
    transport.modify('user1', first.ID, { payload: { text: '您好！请问有什么可以帮您？' } });
    transport.peerSends(SERVICE, 'user1', { text: '还在吗？' });
    await settle(clock, 50);
    expect(scrolled(page)).toBe(false);
    expect(page.data.newMessagesPill).toBe(true);
    const pill = page.querySelector('#new-messages');
    expect(pill).toBeTruthy();
    expect(page.dom!.innerHTML).toContain('有新消息');
    expect(page.data.texts.newMessagesAria).toBe('有新消息，点按回到最新消息');

    // Tapping the pill goes to the newest message, and the list follows again.
    pill!.dispatchEvent('tap');
    await settle(clock, 10);
    expect(scrolled(page)).toBe(true);
    expect(page.data.newMessagesPill).toBe(false);
    resetScroll(page);
    transport.peerSends(SERVICE, 'user1', { text: '好的' });
    await settle(clock, 50);
    expect(scrolled(page)).toBe(true);

    // Scrolled up again, then back down by hand: the pill goes.
    instance.onScroll({ detail: { scrollTop: 100, scrollHeight: 2000 } });
    transport.peerSends(SERVICE, 'user1', { text: '再见' });
    await settle(clock, 50);
    expect(page.data.newMessagesPill).toBe(true);
    instance.onScroll({ detail: { scrollTop: 1390, scrollHeight: 2000 } });
    expect(page.data.newMessagesPill).toBe(false);
    (instance.onUnload as () => void)();
  });

  it('sends typed text, keeps a failed send visible with retry, and retries the same message', async () => {
    const { page, instance, transport, clock, received } = await openChat();
    // The outbox retries twice by itself (1 s, 3 s) before it shows the failure.
    transport.sendFailures.push(2100, 2100, 2100);
    instance.onInput({ detail: { value: '  我的订单没到  ' } });
    const sending = instance.onSend();
    await settle(clock, 50);
    expect(messages(page).filter((m) => m.isMine)[0]).toMatchObject({ status: 'sending' });
    await settle(clock, 1000);
    await settle(clock, 3000);
    await sending;
    let mine = messages(page).filter((m) => m.isMine);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ text: '我的订单没到', status: 'failed', canRetry: true });
    expect(page.data.inputText).toBe('');
    expect(page.dom!.innerHTML).toContain('我的订单没到');

    await instance.onRetry({ detail: { clientId: mine[0].clientId } });
    await settle(clock, 50);
    mine = messages(page).filter((m) => m.isMine);
    expect(mine).toHaveLength(1);
    expect(mine[0].status).toBe('sent');
    expect(received.filter((r) => textOf(r) === '我的订单没到')).toHaveLength(1);
    (instance.onUnload as () => void)();
  });

  it('enables send only for real text, counts near the limit and keeps text over it', async () => {
    const { page, instance, clock, received } = await openChat();
    instance.onInput({ detail: { value: '   ' } });
    expect(page.data.composer).toMatchObject({ canSend: false, counterText: '' });
    const send = page.querySelector('.composer__send');
    expect(send!.dom!.className).not.toContain('composer__send--active');
    instance.onInput({ detail: { value: 'x'.repeat(1900) } });
    expect(page.data.composer).toMatchObject({ canSend: true, counterText: '1900/2000' });
    expect(page.querySelector('.composer__counter')!.dom!.textContent).toBe('1900/2000');
    instance.onInput({ detail: { value: 'x'.repeat(2001) } });
    await instance.onSend();
    await settle(clock, 50);
    // Refused with the reason, the text kept for editing, nothing sent.
    expect(wx.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: '消息过长，最多 2000 字' }),
    );
    expect(page.data.inputText).toHaveLength(2001);
    expect(received.filter((r) => textOf(r).startsWith('xxx'))).toHaveLength(0);
    (instance.onUnload as () => void)();
  });

  it('asks before ending the session, and sends src 27 only when confirmed', async () => {
    const { page, instance, transport, clock, received } = await openChat();
    transport.peerSends(
      SERVICE,
      'user1',
      { text: '客服 小王 为您服务' },
      { cloudCustomData: '{"messageType":"connectedToAgent","role":"seat"}' },
    );
    await settle(clock, 50);
    expect(page.data.chat.session.canEnd).toBe(true);
    const answers = [false, true];
    const modal = jest.fn((o: { success: (r: { confirm: boolean }) => void }) =>
      o.success({ confirm: answers.shift() === true }),
    );
    (wx as unknown as Wx).showModal = modal;
    const ends = () => received.filter((r) => dataOf(r).includes('"src":"27"')).length;
    instance.onEndSession();
    await settle(clock, 50);
    expect(modal).toHaveBeenCalledWith(
      expect.objectContaining({ title: '结束本次会话？', confirmText: '结束会话' }),
    );
    expect(ends()).toBe(0);
    instance.onEndSession();
    await settle(clock, 50);
    expect(ends()).toBe(1);
    (instance.onUnload as () => void)();
  });

  it('marks a message refused by moderation as blocked, with the reason and no retry', async () => {
    const { page, instance, transport, clock } = await openChat();
    transport.sensitiveWords.add('违禁词');
    instance.onInput({ detail: { value: '这里有违禁词' } });
    await instance.onSend();
    await settle(clock, 50);
    const mine = messages(page).filter((m) => m.isMine);
    expect(mine[0]).toMatchObject({ status: 'blocked', canRetry: false, canRemove: true });
    expect(String(mine[0].errorText)).toContain('敏感');
    // The user can take it away: it is gone from the list and from the outbox.
    instance.onRemove({ detail: { clientId: mine[0].clientId } });
    await settle(clock, 50);
    expect(messages(page).filter((m) => m.isMine)).toHaveLength(0);
    (instance.onUnload as () => void)();
  });

  it('routes with the extraData another mini-program opened us with', async () => {
    const { instance, received } = await openChat(
      {},
      {
        enter: {
          scene: 1037,
          query: {},
          referrerInfo: { appId: 'wx1', extraData: { group: 'vip' } },
        },
      },
    );
    // The group goes to the flow with the handshake, as the skill group.
    const handshake = received.find((r) => dataOf(r).includes('"src":"7"'));
    expect(JSON.parse(dataOf(handshake!)).triggeredContent).toEqual({
      language: 'zh',
      skillGroup: 'vip',
    });
    const share = (instance.onShareAppMessage as () => { path: string })();
    expect(share.path).toBe('/pages/chat/chat?service=%40customer_service_account&group=vip');
    (instance.onUnload as () => void)();
  });

  it('routes an entry to the right service and shares a card for the same service only', async () => {
    const { instance } = await openChat({ service: '@customer_service_account', group: 'vip' });
    const share = (instance.onShareAppMessage as () => { path: string })();
    expect(share.path).toBe('/pages/chat/chat?service=%40customer_service_account&group=vip');
    (instance.onUnload as () => void)();
  });

  it('shows the rating card disabled once expired', async () => {
    const { page, instance, transport, clock } = await openChat();
    const expired = Math.floor(clock.now() / 1000) - 60;
    transport.peerSends(
      SERVICE,
      'user1',
      custom({
        customerServicePlugin: 0,
        src: '9',
        menuContent: {
          head: '请评价',
          tail: '谢谢',
          type: 1,
          sessionId: 's1',
          expireTime: expired,
          menu: [
            { id: '1', content: '差' },
            { id: '2', content: '好' },
          ],
        },
      }),
    );
    await settle(clock, 50);
    const rating = messages(page).find((m) => m.kind === 'rating') as {
      rating: Record<string, unknown>;
    };
    expect(rating.rating).toMatchObject({ expired: true, disabled: true });
    expect(page.dom!.innerHTML).toContain('评价已过期');
    (instance.onUnload as () => void)();
  });

  it('turns a live rating card expired when its time runs out, with no tap and no new message', async () => {
    const { page, instance, transport, clock } = await openChat();
    const expireTime = Math.floor(clock.now() / 1000) + 30;
    transport.peerSends(
      SERVICE,
      'user1',
      custom({
        customerServicePlugin: 0,
        src: '9',
        menuContent: {
          head: '请评价',
          tail: '谢谢',
          type: 2,
          sessionId: 's1',
          expireTime,
          menu: [
            { id: '1', content: '非常不满意' },
            { id: '2', content: '一般' },
            { id: '3', content: '非常满意' },
          ],
        },
      }),
    );
    await settle(clock, 50);
    const rating = () =>
      (messages(page).find((m) => m.kind === 'rating') as { rating: Record<string, unknown> })
        .rating;
    expect(rating()).toMatchObject({
      expired: false,
      disabled: false,
      scaleLow: '非常不满意',
      scaleHigh: '非常满意',
    });
    await settle(clock, 31_000);
    expect(rating()).toMatchObject({ expired: true, disabled: true, expiredText: '评价已过期' });
    (instance.onUnload as () => void)();
  });
});

describe('entry product card', () => {
  it('offers the product from a share card, sends it on request, once per conversation', async () => {
    const product = encodeURIComponent(
      JSON.stringify({ id: 'p1', header: '保温杯', url: 'https://shop.example.com/p/1' }),
    );
    const first = await openChat({ product });
    await settle(first.clock, 50);
    const cards = () => first.received.filter((r) => dataOf(r).includes('"src":"22"'));
    // Offered, not sent without asking.
    expect(cards()).toHaveLength(0);
    expect(first.page.data.chat.productOffer).toMatchObject({
      visible: true,
      header: '保温杯',
      sendText: '发送给客服',
    });
    expect(first.page.querySelector('#product-offer')).toBeTruthy();
    await first.instance.onSendProduct();
    await settle(first.clock, 50);
    expect(cards()).toHaveLength(1);
    expect(JSON.parse(dataOf(cards()[0])).content).toMatchObject({
      header: '保温杯',
      url: 'https://shop.example.com/p/1',
    });
    expect(first.page.data.chat.productOffer.visible).toBe(false);
    (first.instance.onUnload as () => void)();

    // Same storage, page opened again from the same card: nothing offered, nothing sent.
    const again = renderMp(pageId);
    const instance = again.instance as unknown as Record<string, (arg?: unknown) => unknown>;
    await instance.onLoad({ product });
    await settle(first.clock, 50);
    expect(again.data.chat.productOffer.visible).toBe(false);
    expect(cards()).toHaveLength(1);
    (instance.onUnload as () => void)();
  });

  it('closing the offer sends nothing', async () => {
    const product = encodeURIComponent(JSON.stringify({ id: 'p2', header: '水壶' }));
    const { page, instance, clock, received } = await openChat({ product });
    await settle(clock, 50);
    instance.onDismissProduct();
    await settle(clock, 50);
    expect(page.data.chat.productOffer.visible).toBe(false);
    expect(received.filter((r) => dataOf(r).includes('"src":"22"'))).toHaveLength(0);
    (instance.onUnload as () => void)();
  });
});

describe('render window', () => {
  it('renders at most 200 messages in a long session, and shows older loaded ones on "load older"', async () => {
    const { page, instance, transport, clock } = await openChat();
    for (let i = 0; i < 201; i += 1) transport.peerSends(SERVICE, 'user1', { text: `第 ${i} 条` });
    await settle(clock, 50);
    // Cut back to the newest 100 once past 200, the rest stays loaded.
    expect(messages(page)).toHaveLength(100);
    expect(page.data.chat.history).toMatchObject({ canLoadOlder: true });
    const hidden = page.data.chat.history.hidden as number;
    expect(hidden).toBeGreaterThan(100);
    transport.peerSends(SERVICE, 'user1', { text: '最新' });
    await settle(clock, 50);
    expect(messages(page)).toHaveLength(101);

    const list = jest.spyOn(transport, 'getMessageList');
    await instance.onLoadOlder();
    expect(list).not.toHaveBeenCalled();
    expect(messages(page)).toHaveLength(141);
    expect(page.data.chat.history.hidden).toBe(hidden - 40);
    (instance.onUnload as () => void)();
  });
});

describe('contact fallback', () => {
  it('offers WeChat customer service after 20 s unreachable, not without a device network, and hides it once back', async () => {
    const { page, instance, transport, clock } = await openChat();
    const fallbackShown = () => page.querySelector('#chat-fallback') !== undefined;
    transport.dropNetwork();
    await settle(clock, 10_000);
    instance.syncFallback();
    expect(page.data.showFallback).toBe(false);

    await settle(clock, 10_000);
    instance.syncFallback();
    expect(page.data.showFallback).toBe(true);
    expect(fallbackShown()).toBe(true);
    expect(page.data.fallbackContext).toMatchObject({
      serviceAccount: SERVICE,
      reason: 'im-unreachable',
    });

    // No network on the device: WeChat's customer service could not help either.
    const onNetwork = ((wx as unknown as Wx).onNetworkStatusChange as jest.Mock).mock
      .calls[0][0] as (res: { isConnected: boolean }) => void;
    onNetwork({ isConnected: false });
    expect(page.data.showFallback).toBe(false);
    onNetwork({ isConnected: true });
    expect(page.data.showFallback).toBe(true);

    transport.restoreNetwork();
    await settle(clock, 50);
    expect(page.data.showFallback).toBe(false);
    expect(fallbackShown()).toBe(false);
    (instance.onUnload as () => void)();
    expect((wx as unknown as Wx).offNetworkStatusChange).toHaveBeenCalledWith(onNetwork);
  });
});

describe('reply notifications', () => {
  async function openWithTemplates(pagesOpen = 2) {
    const opened = await openChat(
      {},
      { config: mergeConfig(DEFAULT_CONFIG, { subscribeTemplateIds: ['tpl_reply_1'] }), pagesOpen },
    );
    const mocks = wx as unknown as Record<string, jest.Mock>;
    return { ...opened, ask: mocks.requestSubscribeMessage, back: mocks.navigateBack };
  }

  /** The service puts the user in the queue: a session is open, a reply will come later. */
  async function queue(transport: FakeTransport, clock: FakeClock) {
    transport.peerSends(
      SERVICE,
      'user1',
      { text: '正在为您转接人工客服，您前面还有 2 人' },
      { cloudCustomData: JSON.stringify({ messageType: 'queuing', role: 'robot' }) },
    );
    await settle(clock, 50);
  }

  afterEach(() => {
    (getCurrentPages as jest.Mock).mockReturnValue([]);
  });

  it('offers "notify me" when the service says it is off hours, and asks WeChat from the tap', async () => {
    const { clock, transport, page, instance, ask } = await openWithTemplates();
    expect(page.data.subscribePrompt).toBe('');

    transport.peerSends(
      SERVICE,
      'user1',
      { text: '当前为非工作时间，我们将在上班后回复您' },
      {
        cloudCustomData: JSON.stringify({
          messageType: 'automaticReplyAfterWorkingHours',
          role: 'robot',
        }),
      },
    );
    await settle(clock, 50);
    expect(page.data.subscribePrompt).not.toBe('');

    instance.onSubscribe();
    expect(ask).toHaveBeenCalledTimes(1);
    expect((ask.mock.calls[0][0] as { tmplIds: string[] }).tmplIds).toEqual(['tpl_reply_1']);
    expect(page.data.subscribePrompt).toBe('');
    (instance.onUnload as () => void)();
  });

  it('takes the queue offer away when the user leaves the queue', async () => {
    const { clock, transport, page, instance } = await openWithTemplates();
    await queue(transport, clock);
    expect(page.data.subscribePrompt).not.toBe('');
    transport.peerSends(
      SERVICE,
      'user1',
      { text: '您已退出排队。' },
      { cloudCustomData: JSON.stringify({ messageType: 'other', role: 'robot' }) },
    );
    transport.peerSends(SERVICE, 'user1', {
      data: JSON.stringify({ customerServicePlugin: 0, src: '19' }),
    });
    await settle(clock, 50);
    expect(page.data.subscribePrompt).toBe('');
    (instance.onUnload as () => void)();
  });

  it('asks again in a new service session after a refusal in the last one', async () => {
    const { clock, transport, page, instance, ask } = await openWithTemplates();
    await queue(transport, clock);
    expect(page.data.subscribePrompt).not.toBe('');
    instance.onSubscribe();
    const { success } = ask.mock.calls[0][0] as { success(res: unknown): void };
    success({ errMsg: 'requestSubscribeMessage:ok', tpl_reply_1: 'reject' });
    await settle(clock, 0);
    // Refused: the rest of this session stays quiet.
    await settle(clock, 61_000);
    await queue(transport, clock);
    expect(page.data.subscribePrompt).toBe('');

    const robot = (messageType: string, text: string) =>
      transport.peerSends(
        SERVICE,
        'user1',
        { text },
        { cloudCustomData: JSON.stringify({ messageType, role: 'robot' }) },
      );
    robot('proactiveClosure', '客服已结束本次会话');
    await settle(clock, 50);
    expect(page.data.chat.session.phase).toBe('ended');
    await settle(clock, 61_000);
    await queue(transport, clock);
    expect(page.data.subscribePrompt).not.toBe('');
    (instance.onUnload as () => void)();
  });

  it('keeps the queue prompt on screen while queue updates keep coming', async () => {
    const { clock, transport, page, instance } = await openWithTemplates();
    await queue(transport, clock);
    const prompt = page.data.subscribePrompt;
    expect(prompt).toContain('排队');
    await queue(transport, clock);
    await settle(clock, 5_000);
    await queue(transport, clock);
    expect(page.data.subscribePrompt).toBe(prompt);
    (instance.onUnload as () => void)();
  });

  it('catches the back gesture only while a session is open, asks once, and leaves when WeChat answers', async () => {
    const { clock, transport, page, instance, ask, back } = await openWithTemplates();
    // The bot answers: nothing to be notified about yet, back leaves as usual.
    expect(page.data.guardBack).toBe(false);

    await queue(transport, clock);
    expect(page.data.chat.session.phase).toBe('queueing');
    expect(page.data.guardBack).toBe(true);

    // The page-container closed instead of the page.
    instance.onBackIntercepted();
    expect(page.data.guardBack).toBe(false);
    expect(page.data.leavePrompt).toContain('通知');
    expect(back).not.toHaveBeenCalled();

    instance.onLeaveNotify();
    // Asked inside the tap's turn, nothing awaited before it.
    expect(ask).toHaveBeenCalledTimes(1);
    expect(page.data.leavePrompt).toBe('');
    expect(back).not.toHaveBeenCalled();
    const { success } = ask.mock.calls[0][0] as { success(res: unknown): void };
    success({ errMsg: 'requestSubscribeMessage:ok', tpl_reply_1: 'accept' });
    await settle(clock, 0);
    // Leaves on WeChat's answer, without waiting for the report to reach our server.
    expect(back).toHaveBeenCalledTimes(1);
    await settle(clock, 20_000);
    expect(back).toHaveBeenCalledTimes(1);
    (instance.onUnload as () => void)();
  });

  it('"leave" leaves at once and does not ask again in this session; "keep waiting" stays', async () => {
    const first = await openWithTemplates();
    await queue(first.transport, first.clock);
    first.instance.onBackIntercepted();
    first.instance.onStay();
    expect(first.page.data.leavePrompt).toBe('');
    expect(first.back).not.toHaveBeenCalled();
    // Asked once per visit: the next back press is not caught.
    expect(first.page.data.guardBack).toBe(false);
    (first.instance.onUnload as () => void)();

    const second = await openWithTemplates();
    await queue(second.transport, second.clock);
    expect(second.page.data.guardBack).toBe(true);
    second.instance.onBackIntercepted();
    second.instance.onLeaveAnyway();
    expect(second.back).toHaveBeenCalledTimes(1);
    expect(second.ask).not.toHaveBeenCalled();
    (second.instance.onUnload as () => void)();
  });

  it('does not catch back on the first page (back would leave WeChat) or without templates', async () => {
    const { clock, transport, page, instance } = await openWithTemplates(1);
    await queue(transport, clock);
    expect(page.data.chat.session.phase).toBe('queueing');
    expect(page.data.guardBack).toBe(false);
    (instance.onUnload as () => void)();

    const plain = await openChat();
    (getCurrentPages as jest.Mock).mockReturnValue([{}, {}]);
    await queue(plain.transport, plain.clock);
    expect(plain.page.data.chat.session.phase).toBe('queueing');
    expect(plain.page.data.guardBack).toBe(false);
    (plain.instance.onUnload as () => void)();
  });
});

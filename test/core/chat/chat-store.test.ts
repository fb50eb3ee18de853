import { createChatViewBuilder } from '../../../miniprogram/core/chat/chat-view';
import type { ChatState } from '../../../miniprogram/core/chat/chat-store';
import { flushMicrotasks } from '../../fakes/fake-clock';
import { createHarness, loggedIn, SERVICE, USER } from '../../fakes/harness';
import type { Harness } from '../../fakes/harness';
import { parseData, tccc } from '../../fakes/tccc-payloads';

const CTX = {
  now: Date.now(),
  language: 'zh-CN' as const,
  self: { nick: 'me', avatar: '' },
  peer: { nick: 'CS', avatar: '' },
};
const visible = (state: ChatState) => createChatViewBuilder()(state, CTX).messages;
const texts = (state: ChatState) =>
  state.entries.filter((e) => e.derived.kind === 'plain').map((e) => e.message.payload.text);
const sentBy = (h: Harness) => h.transport.received.map((r) => r.message);
const sentData = (h: Harness): Array<Record<string, unknown>> =>
  h.transport.received
    .filter((r) => r.message.type === 'TIMCustomElem')
    .map((r) => ({
      ...parseData(r.message.payload.data),
      onlineUserOnly: r.options.onlineUserOnly === true,
    }));

let h: Harness;
beforeEach(async () => {
  h = createHarness();
  await loggedIn(h);
});

describe('open', () => {
  it('loads the newest page, marks read and sends the handshake with onlineUserOnly', async () => {
    h.transport.seedHistory(
      USER,
      SERVICE,
      Array.from({ length: 20 }, (_, i) => ({ text: `m${i}`, time: 1_700_000_000 + i })),
    );
    const chat = h.chat();
    const res = await chat.open();
    expect(res.ok).toBe(true);
    expect(texts(chat.getState())).toEqual(Array.from({ length: 15 }, (_, i) => `m${i + 5}`));
    expect(chat.getState().history).toMatchObject({ loaded: true, completed: false });
    expect(sentData(h)).toEqual([
      {
        customerServicePlugin: 0,
        src: '7',
        triggeredContent: { language: 'zh' },
        onlineUserOnly: true,
      },
    ]);
    // The handshake is online-only: not stored, so not in history.
    expect(h.transport.serverMessages(USER, SERVICE)).toHaveLength(20);
    await h.clock.tick(1000);
    expect(h.transport.calls.filter((c) => c.method === 'setMessageRead')).toHaveLength(1);
  });

  it('reads the first page again when the SDK answered empty before it knew the conversation', async () => {
    h.transport.seedHistory(USER, SERVICE, [
      { text: '客服 小王 为您服务', time: 1_700_000_000 },
      { text: '订单已加急', time: 1_700_000_001 },
    ]);
    // Observed right after login: an empty, complete page for a conversation with history.
    const real = h.transport.getMessageList.bind(h.transport);
    const spy = jest
      .spyOn(h.transport, 'getMessageList')
      .mockResolvedValueOnce({
        ok: true,
        value: { messages: [], nextReqMessageID: '', isCompleted: true },
      })
      .mockImplementation(real);
    const chat = h.chat();
    expect((await chat.open()).ok).toBe(true);
    expect(texts(chat.getState())).toEqual([]);
    // The conversation list arrives with this conversation's last message: read again.
    h.transport.peerSends(SERVICE, USER, { text: '还在吗？' });
    await h.clock.tick(2000);
    expect(texts(chat.getState())).toEqual(['客服 小王 为您服务', '订单已加急', '还在吗？']);
    const reads = spy.mock.calls.length;
    expect(reads).toBeGreaterThanOrEqual(2);
    // Only once: later list updates do not re-read (the list's own unread recount stopped, so
    // every read counted is the chat's).
    h.conversations.dispose();
    const chatReads = spy.mock.calls.length;
    h.transport.peerSends(SERVICE, USER, { text: '好的' });
    await h.clock.tick(2000);
    expect(spy).toHaveBeenCalledTimes(chatReads);
    // One handshake, not one per read.
    expect(sentData(h).filter((d) => d.src === '7')).toHaveLength(1);
  });

  it('sends the handshake on every open, not once', async () => {
    const chat = h.chat();
    await chat.open();
    chat.close();
    await chat.open();
    chat.close();
    const again = h.chat();
    await again.open();
    expect(sentData(h).filter((d) => d.src === '7')).toHaveLength(3);
  });

  it('does not send a handshake in an ordinary conversation', async () => {
    const chat = h.chat('C2Cfriend');
    await chat.open();
    expect(sentData(h)).toHaveLength(0);
    expect(chat.getState().isService).toBe(false);
  });

  it('waits for the SDK to be ready before loading and handshaking', async () => {
    const fresh = createHarness();
    fresh.transport.seedHistory(USER, SERVICE, [{ text: 'old' }]);
    const chat = fresh.chat();
    await chat.open();
    expect(chat.getState().history.loading).toBe(true);
    expect(fresh.transport.received).toHaveLength(0);
    await loggedIn(fresh);
    await flushMicrotasks();
    expect(texts(chat.getState())).toEqual(['old']);
    expect(fresh.transport.received.map((r) => parseData(r.message.payload.data).src)).toEqual([
      '7',
    ]);
  });
});

describe('loadOlder', () => {
  it('pages back 15 at a time, without duplicates, and stops at isCompleted', async () => {
    h.transport.seedHistory(
      USER,
      SERVICE,
      Array.from({ length: 40 }, (_, i) => ({ text: `m${i}`, time: 1_700_000_000 + i })),
    );
    const chat = h.chat();
    await chat.open();
    await chat.loadOlder();
    expect(texts(chat.getState())).toHaveLength(30);
    await chat.loadOlder();
    expect(texts(chat.getState())).toEqual(Array.from({ length: 40 }, (_, i) => `m${i}`));
    expect(chat.getState().history.completed).toBe(true);
    const calls = h.transport.calls.filter((c) => c.method === 'getMessageList').length;
    await chat.loadOlder();
    expect(h.transport.calls.filter((c) => c.method === 'getMessageList').length).toBe(calls);
  });

  it('keeps messages of the same second in server order across pages', async () => {
    h.transport.seedHistory(
      USER,
      SERVICE,
      Array.from({ length: 30 }, (_, i) => ({ text: `m${i}`, time: 1_700_000_000 })),
    );
    const chat = h.chat();
    await chat.open();
    await chat.loadOlder();
    expect(texts(chat.getState())).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`));
  });
});

describe('sendText', () => {
  it('shows the message at once as sending, then sent, with one server copy', async () => {
    const chat = h.chat('C2Cfriend');
    await chat.open();
    h.transport.holdSends();
    const pending = chat.sendText('hello');
    await flushMicrotasks();
    const [optimistic] = chat.getState().entries;
    expect(optimistic.message).toMatchObject({
      status: 'sending',
      flow: 'out',
      payload: { text: 'hello' },
    });
    h.transport.releaseSends();
    expect((await pending).ok).toBe(true);
    const entries = chat.getState().entries;
    expect(entries).toHaveLength(1);
    expect(entries[0].key).toBe(optimistic.key);
    expect(entries[0].message.status).toBe('sent');
    expect(h.transport.serverMessages(USER, 'friend')).toHaveLength(1);
  });

  it('is not echoed back as received and not duplicated by history', async () => {
    const chat = h.chat('C2Cfriend');
    await chat.open();
    await chat.sendText('one');
    await chat.sendText('two');
    chat.close();
    await chat.open();
    expect(texts(chat.getState())).toEqual(['one', 'two']);
  });

  it('refuses empty text', async () => {
    const chat = h.chat();
    await chat.open();
    const res = await chat.sendText('   ');
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('invalid-input');
    expect(chat.getState().entries).toHaveLength(0);
  });

  it('marks a refused send failed and retry keeps the same message', async () => {
    const chat = h.chat('C2Cfriend');
    await chat.open();
    // Refused three times: the first two are retried by the outbox, then it is failed.
    h.transport.sendFailures.push(20007, 20007, 20007);
    const pending = chat.sendText('hi');
    await h.clock.tick(5_000);
    const res = await pending;
    expect(res.ok).toBe(false);
    const failed = chat.getState().entries[0];
    expect(failed.message.status).toBe('failed');
    expect(visible(chat.getState())[0]).toMatchObject({
      status: 'failed',
      canRetry: true,
      errorText: '发送失败，点击重试',
    });
    const retried = await chat.retry(failed.key);
    expect(retried.ok).toBe(true);
    expect(chat.getState().entries).toHaveLength(1);
    expect(chat.getState().entries[0]).toMatchObject({
      key: failed.key,
      message: { status: 'sent', ID: failed.message.ID },
    });
    expect(h.transport.serverMessages(USER, 'friend')).toHaveLength(1);
  });

  it('marks moderation refusals blocked with the reason and never retries them', async () => {
    const chat = h.chat('C2Cfriend');
    await chat.open();
    h.transport.sensitiveWords.add('违禁');
    const res = await chat.sendText('这是违禁词');
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('blocked-content');
    const [entry] = chat.getState().entries;
    expect(entry.message.status).toBe('blocked');
    expect(visible(chat.getState())[0]).toMatchObject({
      status: 'blocked',
      canRetry: false,
      errorText: '消息包含敏感内容，未能发送',
    });
    const retry = await chat.retry(entry.key);
    expect(retry.ok).toBe(false);
    if (!retry.ok) expect(retry.error.code).toBe('blocked-content');
    // A reconnect flush does not send it either.
    h.transport.dropNetwork();
    h.transport.restoreNetwork();
    await flushMicrotasks();
    expect(h.transport.received).toHaveLength(0);
  });

  it('queues while offline and sends once, in order, on reconnect', async () => {
    const chat = h.chat('C2Cfriend');
    await chat.open();
    h.transport.dropNetwork();
    expect(chat.getState().network).toBe('offline');
    const a = await chat.sendText('a');
    const b = await chat.sendText('b');
    expect(a.ok || b.ok).toBe(false);
    if (!a.ok) expect(a.error.code).toBe('network');
    expect(chat.getState().entries.map((e) => e.message.status)).toEqual(['sending', 'sending']);
    expect(visible(chat.getState()).map((v) => v.statusText)).toEqual([
      '等待网络恢复后发送',
      '等待网络恢复后发送',
    ]);
    h.transport.restoreNetwork();
    await flushMicrotasks();
    expect(sentBy(h).map((m) => m.payload.text)).toEqual(['a', 'b']);
    expect(chat.getState().entries.map((e) => e.message.status)).toEqual(['sent', 'sent']);
    expect(chat.getState().network).toBe('online');
  });
});

describe('sendImage', () => {
  it('refuses files over the limit with a clear error', async () => {
    const chat = h.chat('C2Cfriend', { imageMaxBytes: 1000 });
    await chat.open();
    const res = await chat.sendImage({ tempFilePath: 'wxfile://tmp/a.png', size: 5000 });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('file-too-large');
    expect(chat.getState().lastError?.code).toBe('file-too-large');
    expect(
      createChatViewBuilder()(chat.getState(), {
        now: 0,
        language: 'zh-CN',
        self: { nick: '', avatar: '' },
        peer: { nick: '', avatar: '' },
      }).errorText,
    ).toBe('文件过大，请选择小于 1 KB 的文件');
    expect(h.transport.received).toHaveLength(0);
  });

  it('sends an image under the limit, shown from the temp file first', async () => {
    const chat = h.chat('C2Cfriend');
    await chat.open();
    h.transport.holdSends();
    const pending = chat.sendImage({
      tempFilePath: 'wxfile://tmp/a.png',
      size: 5000,
      width: 800,
      height: 400,
    });
    await flushMicrotasks();
    expect(visible(chat.getState())[0]).toMatchObject({
      kind: 'image',
      image: {
        url: 'wxfile://tmp/a.png',
        width: 800,
        height: 400,
        displayWidth: 180,
        displayHeight: 90,
      },
    });
    h.transport.releaseSends();
    expect((await pending).ok).toBe(true);
  });
});

describe('incoming messages', () => {
  it('appends pushes in order, marks read while open, and ignores other conversations', async () => {
    const chat = h.chat();
    await chat.open();
    await h.clock.tick(1000);
    const reads = () => h.transport.calls.filter((c) => c.method === 'setMessageRead').length;
    const before = reads();
    h.transport.peerSends(SERVICE, USER, { text: 'hello' });
    h.transport.peerSends('friend', USER, { text: 'other' });
    h.transport.peerSends(SERVICE, USER, { text: 'again' });
    expect(texts(chat.getState())).toEqual(['hello', 'again']);
    await h.clock.tick(1000);
    expect(reads()).toBe(before + 1);
    chat.close();
    h.transport.peerSends(SERVICE, USER, { text: 'while closed' });
    await h.clock.tick(1000);
    expect(reads()).toBe(before + 1);
  });

  it('applies modifications in place (streaming) and ignores stale versions', async () => {
    const chat = h.chat();
    await chat.open();
    const m = h.transport.peerSends(SERVICE, USER, { data: tccc.stream(['你好'], false) });
    h.transport.modify(USER, m.ID, { payload: { data: tccc.stream(['你好', '，世界'], false) } });
    h.transport.modify(USER, m.ID, {
      payload: { data: tccc.stream(['你好', '，世界', '！'], true) },
    });
    let view = visible(chat.getState());
    expect(view).toHaveLength(1);
    expect(view[0].stream).toEqual({ text: '你好，世界！', finished: true, showCursor: false });
    // A late history page with version 0 must not roll it back.
    await chat.open();
    chat.close();
    await chat.open();
    view = visible(chat.getState());
    expect(view[0].stream?.text).toBe('你好，世界！');
  });

  it('shows revokes in place', async () => {
    const chat = h.chat();
    await chat.open();
    const m = h.transport.peerSends(SERVICE, USER, { text: 'oops' });
    h.transport.revoke(USER, m.ID);
    const view = visible(chat.getState());
    expect(view).toHaveLength(1);
    expect(view[0]).toMatchObject({ kind: 'revoked', revokedText: '对方撤回了一条消息' });
  });

  it('hides protocol signals in the service conversation', async () => {
    const chat = h.chat();
    await chat.open();
    h.transport.peerSends(SERVICE, USER, { data: tccc.ratingSettings(7) });
    h.transport.peerSends(SERVICE, USER, { data: tccc.typing() }, { onlineOnly: true });
    h.transport.peerSends(SERVICE, USER, { text: 'visible' });
    expect(chat.getState().entries).toHaveLength(3);
    expect(visible(chat.getState()).map((v) => v.kind)).toEqual(['text']);
  });
});

describe('reconnect', () => {
  it('delivers what was missed while offline, once', async () => {
    const chat = h.chat();
    await chat.open();
    h.transport.dropNetwork();
    h.transport.peerSends(SERVICE, USER, { text: 'missed 1' });
    h.transport.peerSends(SERVICE, USER, { text: 'missed 2' });
    expect(texts(chat.getState())).toEqual([]);
    h.transport.restoreNetwork();
    await flushMicrotasks();
    expect(texts(chat.getState())).toEqual(['missed 1', 'missed 2']);
  });

  it('gap-fills from history after a re-login (where the SDK delivers nothing)', async () => {
    const chat = h.chat();
    await chat.open();
    h.transport.expireUserSig('sig-1');
    // While logged out, the service writes; the SDK's fresh login only primes its cache.
    for (let i = 0; i < 20; i += 1) h.transport.peerSends(SERVICE, USER, { text: `gap ${i}` });
    await h.clock.tick(100);
    expect(h.session.getState().status).toBe('ready');
    await flushMicrotasks();
    expect(texts(chat.getState())).toEqual(Array.from({ length: 20 }, (_, i) => `gap ${i}`));
  });
});

describe('mark read', () => {
  it('marks read on close when messages came within the debounce', async () => {
    const chat = h.chat();
    await chat.open();
    await h.clock.tick(1000);
    const marks = jest.spyOn(h.transport, 'setMessageRead');
    h.transport.peerSends(SERVICE, USER, { text: '刚到的消息' });
    chat.close();
    await flushMicrotasks();
    expect(marks).toHaveBeenCalledTimes(1);
    await h.clock.tick(1000);
    expect(marks).toHaveBeenCalledTimes(1);
  });
});

describe('session truth across reconnects and reopens', () => {
  const agentJoins = () =>
    h.transport.peerSends(
      SERVICE,
      USER,
      { text: '客服 小王 为您服务' },
      { cloudCustomData: tccc.meta('connectedToAgent', 'seat') },
    );

  it('says hello again on reconnect; a desk that lost the session welcomes, and it is bot', async () => {
    const chat = h.chat();
    await chat.open();
    agentJoins();
    expect(chat.getState().session).toMatchObject({ phase: 'agent', agentName: '小王' });
    h.transport.dropNetwork();
    h.transport.restoreNetwork();
    await flushMicrotasks();
    await h.clock.tick(10);
    expect(sentData(h).filter((d) => d.src === '7')).toHaveLength(2);
    // The restarted desk starts the flow over.
    h.transport.peerSends(
      SERVICE,
      USER,
      { text: '您好，我是智能助手' },
      { cloudCustomData: tccc.meta('welcome') },
    );
    expect(chat.getState().session).toMatchObject({ phase: 'bot', agentName: '' });
  });

  it('on reopen the state is folded from history, not kept from before', async () => {
    const first = h.chat();
    await first.open();
    agentJoins();
    first.close();
    // While closed: the session ends and the bot answers again.
    h.transport.peerSends(SERVICE, USER, { data: tccc.ended() });
    h.transport.peerSends(
      SERVICE,
      USER,
      { text: '请问还有什么可以帮您？' },
      { cloudCustomData: tccc.meta('fallback') },
    );
    await first.open();
    expect(first.getState().session).toMatchObject({ phase: 'bot', agentName: '' });
    const fresh = h.chat();
    await fresh.open();
    expect(fresh.getState().session).toMatchObject({ phase: 'bot', agentName: '' });
  });
});

describe('ratings', () => {
  const openWithRating = async (payload: string) => {
    const chat = h.chat();
    await chat.open();
    const m = h.transport.peerSends(SERVICE, USER, { data: payload });
    return { chat, id: m.ID };
  };

  it('submits once: optimistic rated + tail, src 10 with onlineUserOnly', async () => {
    const { chat, id } = await openWithRating(tccc.rating({ type: 1 }));
    h.transport.holdSends();
    const first = chat.submitRating(id, '105');
    await flushMicrotasks();
    const during = visible(chat.getState()).find((v) => v.kind === 'rating')!;
    expect(during.rating).toMatchObject({
      selectedId: '105',
      showTail: true,
      disabled: true,
      submitting: true,
    });
    const second = await chat.submitRating(id, '101');
    expect(second.ok).toBe(false);
    h.transport.releaseSends();
    expect((await first).ok).toBe(true);
    const third = await chat.submitRating(id, '101');
    expect(third.ok).toBe(false);
    if (!third.ok) expect(third.error.code).toBe('rating-duplicate');
    const submissions = sentData(h).filter((d) => d.src === '10');
    expect(submissions).toEqual([
      {
        src: '10',
        customerServicePlugin: 0,
        menuSelected: {
          id: '105',
          content: '非常满意',
          sessionId: '7a67f6bb-8fac-41e5-8bab-78c0259ae5a9',
        },
        onlineUserOnly: true,
      },
    ]);
    const after = visible(chat.getState()).find((v) => v.kind === 'rating')!;
    expect(after.rating?.options.map((o) => o.lit)).toEqual([true, true, true, true, true]);
    // No agent session here: a rating is recorded, the phase is not changed by it.
    expect(chat.getState().session.phase).toBe('bot');
  });

  it('refuses an expired rating and shows it disabled', async () => {
    const nowSec = Math.floor(h.clock.now() / 1000);
    const { chat, id } = await openWithRating(tccc.rating({ expireTime: nowSec - 1 }));
    const res = await chat.submitRating(id, '103');
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('rating-expired');
    expect(visible(chat.getState())[0].rating).toMatchObject({
      expired: true,
      disabled: true,
      expiredText: '评价已过期',
    });
    expect(sentData(h).filter((d) => d.src === '10')).toHaveLength(0);
  });

  it('treats a card already rated on the server as rated', async () => {
    const { chat, id } = await openWithRating(tccc.rating({ selected: '103', type: 2 }));
    const res = await chat.submitRating(id, '105');
    expect(res.ok).toBe(false);
    const view = visible(chat.getState())[0].rating!;
    expect(view.options.map((o) => [o.text, o.lit])).toEqual([
      ['1', false],
      ['2', false],
      ['3', true],
      ['4', false],
      ['5', false],
    ]);
    expect(view.label).toBe('一般');
  });

  it('rolls back when the submission fails, so the user can try again', async () => {
    const { chat, id } = await openWithRating(tccc.rating());
    h.transport.sendFailures.push(2800);
    const res = await chat.submitRating(id, '104');
    expect(res.ok).toBe(false);
    expect(chat.getState().ratings[id]).toBeUndefined();
    expect((await chat.submitRating(id, '104')).ok).toBe(true);
  });

  it('takes the server-side selected modification', async () => {
    const { chat, id } = await openWithRating(tccc.rating());
    h.transport.modify(USER, id, { payload: { data: tccc.rating({ selected: '102' }) } });
    expect(visible(chat.getState())[0].rating?.selectedId).toBe('102');
  });
});

describe('menus and forms', () => {
  it('chooseItem sends the row text; a src 32 fixed option adds BranchOptionInfo', async () => {
    const chat = h.chat();
    await chat.open();
    const branch = h.transport.peerSends(SERVICE, USER, { data: tccc.branch(['查订单', '人工']) });
    expect((await chat.chooseItem(branch.ID, { content: '查订单' })).ok).toBe(true);
    const task = h.transport.peerSends(SERVICE, USER, {
      data: tccc.taskBranch(['退货', '换货'], { optionType: 1 }),
    });
    expect((await chat.chooseItem(task.ID, '换货')).ok).toBe(true);
    const texts = h.transport.received
      .filter((r) => r.message.type === 'TIMTextElem')
      .map((r) => [r.message.payload.text, r.message.cloudCustomData]);
    expect(texts).toEqual([
      ['查订单', ''],
      [
        '换货',
        JSON.stringify({ BranchOptionInfo: { taskID: 1001, env: 'prod', nodeID: 'node-7' } }),
      ],
    ]);
    const view = visible(chat.getState());
    expect(view.find((v) => v.kind === 'task-branch')?.taskBranch).toMatchObject({
      selected: '换货',
      canSelect: false,
    });
    const again = await chat.chooseItem(task.ID, '退货');
    expect(again.ok).toBe(false);
    expect((await chat.chooseItem(branch.ID, '不存在')).ok).toBe(false);
  });

  it('pages a welcome menu five at a time ("换一换")', async () => {
    const chat = h.chat();
    await chat.open();
    const items = Array.from({ length: 12 }, (_, i) => `问题${i + 1}`);
    const m = h.transport.peerSends(SERVICE, USER, { data: tccc.robotWelcome(items) });
    const page = () => visible(chat.getState())[0].menu!;
    expect(page()).toMatchObject({ paged: true, page: 0, pageCount: 3, refreshText: '换一换' });
    expect(page().items.map((i) => i.content)).toEqual(items.slice(0, 5));
    chat.nextMenuPage(m.ID);
    chat.nextMenuPage(m.ID);
    expect(page().items.map((i) => i.content)).toEqual(items.slice(10));
    chat.nextMenuPage(m.ID);
    expect(page().page).toBe(0);
  });

  it('sendText refuses blank text and text over the limit, sending nothing', async () => {
    const chat = h.chat();
    await chat.open();
    const before = h.transport.received.length;
    expect(await chat.sendText('  \n ')).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    const long = await chat.sendText('字'.repeat(2001));
    expect(long).toMatchObject({ ok: false, error: { code: 'text-too-long' } });
    expect(createChatViewBuilder()(chat.getState(), CTX).errorText).toBe('消息过长，最多 2000 字');
    expect(h.transport.received.length).toBe(before);
    expect((await chat.sendText('字'.repeat(2000))).ok).toBe(true);
  });

  it('submitFormInput sends the text once and refuses empty input', async () => {
    const chat = h.chat();
    await chat.open();
    const form = h.transport.peerSends(SERVICE, USER, { data: tccc.formInput() });
    const empty = await chat.submitFormInput(form.ID, '  ');
    expect(empty.ok).toBe(false);
    expect((await chat.submitFormInput(form.ID, '13800000000')).ok).toBe(true);
    expect((await chat.submitFormInput(form.ID, 'again')).ok).toBe(false);
    expect(
      h.transport.received
        .filter((r) => r.message.type === 'TIMTextElem')
        .map((r) => r.message.payload.text),
    ).toEqual(['13800000000']);
    expect(visible(chat.getState()).find((v) => v.kind === 'form')?.form).toMatchObject({
      mode: 'input',
      submitted: true,
    });
  });

  it('submitTaskForm validates required fields, then sends src 33 once', async () => {
    const chat = h.chat();
    await chat.open();
    const form = h.transport.peerSends(SERVICE, USER, {
      data: tccc.taskForm([
        { name: '姓名', required: true },
        { name: '类型', choices: ['A', 'B'] },
      ]),
    });
    const invalid = await chat.submitTaskForm(form.ID, {});
    expect(invalid.ok).toBe(false);
    const fields = () =>
      visible(chat.getState()).find((v) => v.kind === 'task-form')!.taskForm!.fields;
    expect(fields()[0].error).toBe('请填写姓名');
    chat.setTaskFormValue(form.ID, '姓名', '张三');
    expect(fields()[0]).toMatchObject({ value: '张三', error: '' });
    // A value that is not one of the choices says so, not "required".
    expect((await chat.submitTaskForm(form.ID, { 类型: 'C' })).ok).toBe(false);
    expect(fields()[1].error).toBe('类型请从选项中选择');
    expect((await chat.submitTaskForm(form.ID, { 类型: 'B' })).ok).toBe(true);
    expect((await chat.submitTaskForm(form.ID)).ok).toBe(false);
    const submitted = sentData(h).filter((d) => d.src === '33');
    expect(submitted).toHaveLength(1);
    const vars = (
      submitted[0].content as { inputVariables: Array<{ name: string; variableValue: string }> }
    ).inputVariables;
    expect(vars.map((v) => [v.name, v.variableValue])).toEqual([
      ['姓名', '张三'],
      ['类型', 'B'],
    ]);
    // Our own src 33 is stored in history but never shown as a second form.
    chat.close();
    await chat.open();
    expect(visible(chat.getState()).filter((v) => v.kind === 'task-form')).toHaveLength(1);
  });
});

describe('session actions', () => {
  it('requestRating sends src 24 only when the settings allow it', async () => {
    const chat = h.chat();
    await chat.open();
    expect((await chat.requestRating()).ok).toBe(false);
    h.transport.peerSends(SERVICE, USER, { data: tccc.ratingSettings(4) });
    expect((await chat.requestRating()).ok).toBe(true);
    expect(sentData(h).filter((d) => d.src === '24')).toEqual([
      { customerServicePlugin: 0, src: '24', onlineUserOnly: true },
    ]);
  });

  it('leaveQueue sends src 27 only while queueing', async () => {
    const chat = h.chat();
    await chat.open();
    expect((await chat.leaveQueue()).ok).toBe(false);
    h.transport.peerSends(
      SERVICE,
      USER,
      { text: '您前面还有 2 人' },
      { cloudCustomData: tccc.meta('queuing') },
    );
    const view = createChatViewBuilder()(chat.getState(), CTX).session;
    expect(view).toMatchObject({ canLeaveQueue: true, leaveQueueText: '退出排队', canEnd: false });
    expect((await chat.leaveQueue()).ok).toBe(true);
    expect(sentData(h).filter((d) => d.src === '27')).toHaveLength(1);
    expect((await chat.endSession()).ok).toBe(false);
  });

  it('endSession sends src 27 only with an agent', async () => {
    const chat = h.chat();
    await chat.open();
    expect((await chat.endSession()).ok).toBe(false);
    h.transport.peerSends(
      SERVICE,
      USER,
      { text: '客服小王为您服务' },
      { cloudCustomData: tccc.meta('connectedToAgent', 'seat'), nick: '小王' },
    );
    expect(chat.getState().session).toMatchObject({ phase: 'agent', agentName: '小王' });
    expect((await chat.endSession()).ok).toBe(true);
    expect(sentData(h).filter((d) => d.src === '27')).toEqual([
      {
        customerServicePlugin: 0,
        src: '27',
        triggeredContent: { language: 'zh' },
        onlineUserOnly: true,
      },
    ]);
  });

  it('transferToHuman sends the configured text as a visible message', async () => {
    const chat = h.chat();
    await chat.open();
    expect((await chat.transferToHuman()).ok).toBe(true);
    expect(
      h.transport.received
        .filter((r) => r.message.type === 'TIMTextElem')
        .map((r) => r.message.payload.text),
    ).toEqual(['人工服务']);
    expect(visible(chat.getState()).map((v) => v.text)).toEqual(['人工服务']);
  });

  it('typing shows and clears itself', async () => {
    const chat = h.chat();
    await chat.open();
    h.transport.peerSends(SERVICE, USER, { data: tccc.typing() }, { onlineOnly: true });
    expect(chat.getState().session.typingUntil).toBeGreaterThan(h.clock.now());
    await h.clock.tick(11_000);
    expect(chat.getState().session.typingUntil).toBe(0);
  });
});

describe('close', () => {
  it('unsubscribes from the transport and the outbox', async () => {
    const before = h.transport.listenerCount();
    const chat = h.chat();
    await chat.open();
    expect(h.transport.listenerCount()).toBe(before + 1);
    chat.close();
    expect(h.transport.listenerCount()).toBe(before);
    const entries = chat.getState().entries;
    h.transport.peerSends(SERVICE, USER, { text: 'after close' });
    expect(chat.getState().entries).toBe(entries);
  });
});

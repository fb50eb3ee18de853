/**
 * End to end: the core stores over the real Chat SDK (our adapter) against the simulator.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createChatViewBuilder } from '../../../miniprogram/core/chat/chat-view';
import type { ChatState } from '../../../miniprogram/core/chat/chat-store';
import { tccc } from '../../fakes/tccc-payloads';
import { createWorld, dataOf, SERVICE, SERVICE_CONV, textOf, waitUntil } from './world';
import type { World } from './world';

jest.setTimeout(60_000);

let world: World;
afterEach(async () => {
  await world?.close();
});

const view = (state: ChatState) =>
  createChatViewBuilder()(state, {
    now: Date.now(),
    language: 'zh-CN',
    self: { nick: '我', avatar: '' },
    peer: { nick: '客服', avatar: '' },
  });
const texts = (state: ChatState) => view(state).messages.map((m) => m.text ?? m.kind);

async function ready(): Promise<void> {
  const res = await world.session.login();
  if (!res.ok) throw new Error(`login failed: ${res.error.message}`);
}

describe('with the real SDK', () => {
  it('logs in, opens the service chat, sends the handshake online-only, gets and answers a menu', async () => {
    world = await createWorld();
    await ready();
    world.sim.backend.onUserMessage((m) => {
      if (dataOf(m).src === '7') {
        world.serviceSends(
          { text: '您好，请问有什么可以帮您？' },
          { cloudCustomData: tccc.meta('welcome') },
        );
        world.serviceSends({ data: tccc.branch(['查订单', '人工']) });
      }
    });
    const chat = world.chat();
    expect((await chat.open()).ok).toBe(true);
    await waitUntil(() => view(chat.getState()).messages.length === 2, 10_000, 'welcome + menu');
    const handshake = world.inbound.find((m) => dataOf(m).src === '7');
    expect(handshake).toMatchObject({ onlineOnly: true, serviceAccount: SERVICE });
    expect(dataOf(handshake!)).toEqual({
      customerServicePlugin: 0,
      src: '7',
      triggeredContent: { language: 'zh' },
    });
    const menu = view(chat.getState()).messages[1];
    expect(menu.kind).toBe('menu');
    expect((await chat.chooseItem(menu.id, '查订单')).ok).toBe(true);
    await waitUntil(() => world.inbound.some((m) => textOf(m) === '查订单'), 5_000, 'menu answer');
    expect(texts(chat.getState())).toEqual(['您好，请问有什么可以帮您？', 'menu', '查订单']);
    // Marked read: the conversation list shows no unread for the service account.
    await waitUntil(
      () =>
        world.conversations
          .getState()
          .items.some((i) => i.isService && !i.isPlaceholder && i.unreadCount === 0),
      5_000,
      'read',
    );
    expect(world.conversations.getState().items[0]).toMatchObject({
      conversationID: SERVICE_CONV,
      preview: '查订单',
    });
  });

  it("shares the user's nickname through updateMyProfile, keeps the local picture on the device", async () => {
    world = await createWorld();
    await ready();
    const saved = await world.profile.save({ nick: ' 小明 ', avatarTempPath: 'http://tmp/me.jpg' });
    expect(saved.ok).toBe(true);
    await waitUntil(
      () => world.sim.backend.userProfile(world.userID)?.nick === '小明',
      10_000,
      'the nickname on the server',
    );
    // A phone's file path means nothing to an agent: it stays on the device.
    expect(world.sim.backend.userProfile(world.userID)?.avatar).toBe('');
    const again = await world.restartApp();
    world = again;
    // The app's launch: the stored session comes back, and with it the user's profile.
    expect(world.profile.getState().nick).toBe('');
    await world.session.restore();
    expect(world.profile.getState()).toMatchObject({ nick: '小明' });
    expect(world.profile.getState().avatar).toMatch(/^wxfile:/);
  });

  it('pages history 15 at a time with no duplicates and stops at isCompleted', async () => {
    world = await createWorld();
    for (let i = 0; i < 40; i += 1) world.serviceSends({ text: `h${i}` });
    await ready();
    const chat = world.chat();
    await chat.open();
    expect(texts(chat.getState())).toEqual(Array.from({ length: 15 }, (_, i) => `h${i + 25}`));
    await chat.loadOlder();
    await chat.loadOlder();
    expect(chat.getState().history.completed).toBe(true);
    expect(texts(chat.getState())).toEqual(Array.from({ length: 40 }, (_, i) => `h${i}`));
    // Reopening merges the newest page again without duplicates.
    chat.close();
    await chat.open();
    expect(texts(chat.getState())).toHaveLength(40);
  });

  it('sends text once (no echo), keeps it once across a reopen, and blocks sensitive content', async () => {
    world = await createWorld();
    await ready();
    const chat = world.chat();
    await chat.open();
    expect((await chat.sendText('你好')).ok).toBe(true);
    const blocked = await chat.sendText('这里有违禁词');
    expect(!blocked.ok && blocked.error.code).toBe('blocked-content');
    const v = view(chat.getState()).messages;
    expect(v.map((m) => [m.text, m.status])).toEqual([
      ['你好', 'sent'],
      ['这里有违禁词', 'blocked'],
    ]);
    expect(v[1].errorText).toBe('消息包含敏感内容，未能发送');
    expect(world.inbound.filter((m) => textOf(m) === '你好')).toHaveLength(1);
    expect(world.inbound.some((m) => textOf(m).includes('违禁'))).toBe(false);
    chat.close();
    await chat.open();
    expect(view(chat.getState()).messages.filter((m) => m.text === '你好')).toHaveLength(1);
  });

  it('sends an image through the upload plugin and shows the uploaded rendition', async () => {
    world = await createWorld();
    await ready();
    const chat = world.chat();
    await chat.open();
    // A 2x1 PNG on disk: wx.chooseMedia would hand us such a temp file path.
    const file = join(mkdtempSync(join(tmpdir(), 'cs-img-')), 'pic.png');
    writeFileSync(
      file,
      Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAAEUlEQVR4nGP4z8DwHwyBDAYALPwF+1c4s1kAAAAASUVORK5CYII=',
        'base64',
      ),
    );
    const tooBig = await chat.sendImage({ tempFilePath: file, size: 20 * 1024 * 1024 });
    expect(!tooBig.ok && tooBig.error.code).toBe('file-too-large');
    const res = await chat.sendImage({ tempFilePath: file, size: 70 });
    expect(res.ok).toBe(true);
    const image = view(chat.getState()).messages.find((m) => m.kind === 'image');
    expect(image?.status).toBe('sent');
    expect(image?.image?.url).toBeTruthy();
    // The SDK keeps showing the local file in this session; a fresh start reads the uploaded one.
    world = await world.restartApp();
    expect(await world.session.restore()).toEqual({ ok: true, value: true });
    const again = world.chat();
    await again.open();
    const fromHistory = view(again.getState()).messages.filter((m) => m.kind === 'image');
    expect(fromHistory).toHaveLength(1);
    expect(fromHistory[0].image?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\//);
    expect(fromHistory[0].image).toMatchObject({ width: 2, height: 1 });
  });

  it('rates once (src 10 online-only), refuses a second tap, and shows the server-side selected', async () => {
    world = await createWorld();
    await ready();
    const chat = world.chat();
    await chat.open();
    const ref = world.serviceSends({ data: tccc.rating({ type: 1 }) });
    await waitUntil(
      () => view(chat.getState()).messages.some((m) => m.kind === 'rating'),
      5_000,
      'rating card',
    );
    const card = view(chat.getState()).messages.find((m) => m.kind === 'rating')!;
    const [first, second] = await Promise.all([
      chat.submitRating(card.id, '104'),
      chat.submitRating(card.id, '105'),
    ]);
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(false);
    await waitUntil(() => world.inbound.some((m) => dataOf(m).src === '10'), 5_000, 'submission');
    const submissions = world.inbound.filter((m) => dataOf(m).src === '10');
    expect(submissions).toHaveLength(1);
    expect(submissions[0].onlineOnly).toBe(true);
    expect(dataOf(submissions[0]).menuSelected).toEqual({
      id: '104',
      content: '满意',
      sessionId: '7a67f6bb-8fac-41e5-8bab-78c0259ae5a9',
    });
    world.serviceModifies(ref, { data: tccc.rating({ type: 1, selected: '104' }) });
    await waitUntil(
      () =>
        chat
          .getState()
          .entries.some((e) => e.derived.kind === 'rating' && e.derived.selectedId === '104'),
      5_000,
      'selected modification',
    );
    expect(view(chat.getState()).messages.find((m) => m.kind === 'rating')?.rating).toMatchObject({
      selectedId: '104',
      showTail: true,
      disabled: true,
    });
  });

  it('streams text through modifications and shows revokes in place', async () => {
    world = await createWorld();
    await ready();
    const chat = world.chat();
    await chat.open();
    const ref = world.serviceSends({ data: tccc.stream(['你'], false) });
    await waitUntil(() => view(chat.getState()).messages.length === 1, 5_000, 'stream');
    world.serviceModifies(ref, { data: tccc.stream(['你', '好'], false) });
    world.serviceModifies(ref, { data: tccc.stream(['你', '好', '！'], true) });
    await waitUntil(
      () => view(chat.getState()).messages[0].stream?.finished === true,
      5_000,
      'stream end',
    );
    expect(view(chat.getState()).messages[0].stream).toEqual({
      text: '你好！',
      finished: true,
      showCursor: false,
    });
    const text = world.serviceSends({ text: '撤回我' });
    await waitUntil(() => view(chat.getState()).messages.length === 2, 5_000, 'text');
    world.sim.backend.revoke(text);
    await waitUntil(() => view(chat.getState()).messages[1].kind === 'revoked', 5_000, 'revoke');
    expect(view(chat.getState()).messages).toHaveLength(2);
  });

  it('a kick by another device is told once and not retried', async () => {
    world = await createWorld();
    await ready();
    // Let the SDK finish its login-time sync first: requests in flight at the kick are refused.
    await waitUntil(() => world.conversations.getState().loaded, 5_000, 'first list');
    await new Promise((r) => setTimeout(r, 1200));
    world.sim.kick(world.userID, 2);
    await waitUntil(() => world.session.getState().status === 'kicked', 5_000, 'kicked');
    expect(world.session.takeNotice()?.code).toBe('kicked');
    expect(world.session.takeNotice()).toBeNull();
    await new Promise((r) => setTimeout(r, 1500));
    expect(world.session.getState().status).toBe('kicked');
    expect(world.sim.backend.isUserOnline(world.userID)).toBe(false);
  });

  it('renews an expired UserSig through the auth port and keeps the outbox', async () => {
    world = await createWorld();
    await ready();
    const chat = world.chat();
    await chat.open();
    world.sim.expireUserSig(world.userID);
    await waitUntil(() => world.auth.refreshes === 1, 20_000, 'renewal');
    await waitUntil(() => world.session.getState().status === 'ready', 10_000, 'ready again');
    expect((await chat.sendText('after renewal')).ok).toBe(true);
    expect(world.inbound.filter((m) => textOf(m) === 'after renewal')).toHaveLength(1);
  });

  it('delivers queued messages once after an app restart', async () => {
    world = await createWorld();
    await ready();
    // A message waits in the persisted outbox (as if the app died offline).
    world.storage.set(`cs.outbox.${world.userID}`, [
      {
        clientId: 'persisted-1',
        message: {
          clientId: 'persisted-1',
          conversationID: SERVICE_CONV,
          to: SERVICE,
          content: { kind: 'text', text: '重启前写的' },
          cloudCustomData: '',
        },
        createdAt: Date.now(),
        messageID: '',
        status: 'queued',
        uncertain: false,
      },
    ]);
    world = await world.restartApp();
    const restored = await world.session.restore();
    expect(restored).toEqual({ ok: true, value: true });
    await waitUntil(
      () => world.inbound.some((m) => textOf(m) === '重启前写的'),
      10_000,
      'delivery',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(world.inbound.filter((m) => textOf(m) === '重启前写的')).toHaveLength(1);
    const chat = world.chat();
    await chat.open();
    expect(view(chat.getState()).messages.filter((m) => m.text === '重启前写的')).toHaveLength(1);
  });

  // After a reconnect the SDK logs in again with its A2 alone and may send queued requests before
  // that login is answered; such a refused send is retried by the outbox, not shown as failed.
  it('survives a simulator restart mid-conversation: nothing lost, nothing duplicated', async () => {
    world = await createWorld();
    await ready();
    const chat = world.chat();
    await chat.open();
    world.serviceSends({ text: 'before restart' });
    expect((await chat.sendText('mine before')).ok).toBe(true);
    await waitUntil(() => texts(chat.getState()).length === 2, 5_000, 'first exchange');

    await world.restartSimulator(300);
    // Typed while the server is down: queued (or held by the SDK), never lost.
    const offline = chat.sendText('mine while down');
    world.serviceSends({ text: 'after restart' });
    await offline;
    await waitUntil(
      () => ['mine while down', 'after restart'].every((t) => texts(chat.getState()).includes(t)),
      45_000,
      'reconnect and delivery',
    );
    await waitUntil(() => world.outbox.getState().entries.length === 0, 10_000, 'outbox empty');
    await new Promise((r) => setTimeout(r, 1500));
    const shown = texts(chat.getState());
    expect([...shown].sort()).toEqual(
      ['after restart', 'before restart', 'mine before', 'mine while down'].sort(),
    );
    expect(shown.indexOf('before restart')).toBeLessThan(shown.indexOf('after restart'));
    expect(world.inbound.filter((m) => textOf(m) === 'mine while down')).toHaveLength(1);
    expect(view(chat.getState()).messages.every((m) => m.status === 'sent')).toBe(true);
    // History after the restart holds each message once, too.
    chat.close();
    const again = world.chat();
    await again.open();
    expect([...texts(again.getState())].sort()).toEqual([...shown].sort());
  });

  it('survives a dropped connection: missed messages arrive once, queued ones are sent once', async () => {
    world = await createWorld();
    await ready();
    const chat = world.chat();
    await chat.open();
    world.serviceSends({ text: 'before drop' });
    await waitUntil(() => texts(chat.getState()).length === 1, 5_000, 'first');
    world.wx.closeAll();
    world.serviceSends({ text: 'while dropped' });
    await chat.sendText('mine while dropped');
    await waitUntil(
      () =>
        ['while dropped', 'mine while dropped'].every((t) => texts(chat.getState()).includes(t)),
      45_000,
      'reconnect',
    );
    await waitUntil(() => world.outbox.getState().entries.length === 0, 10_000, 'outbox empty');
    await new Promise((r) => setTimeout(r, 1500));
    expect([...texts(chat.getState())].sort()).toEqual(
      ['before drop', 'mine while dropped', 'while dropped'].sort(),
    );
    expect(world.inbound.filter((m) => textOf(m) === 'mine while dropped')).toHaveLength(1);
  });
});

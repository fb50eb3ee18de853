import { createConversationViewBuilder } from '../../../miniprogram/core/conversations/conversation-view';
import type { ConversationViewContext } from '../../../miniprogram/core/conversations/conversation-view';
import { createHarness, loggedIn, SERVICE, SERVICE_CONV, USER } from '../../fakes/harness';
import type { Harness } from '../../fakes/harness';
import { tccc } from '../../fakes/tccc-payloads';

let h: Harness;
const ctx = (): ConversationViewContext => ({
  now: h.clock.now(),
  language: 'zh-CN',
  serviceDisplay: () => ({ nick: '官方客服', avatar: 'https://a/cs.png' }),
});

beforeEach(async () => {
  h = createHarness();
  await loggedIn(h);
});

describe('conversation store', () => {
  it('shows the service account first, even before any message', async () => {
    await h.clock.tick(1000);
    const view = createConversationViewBuilder()(h.conversations.getState(), ctx());
    expect(view.items).toHaveLength(1);
    expect(view.items[0]).toMatchObject({
      conversationID: SERVICE_CONV,
      name: '官方客服',
      avatar: 'https://a/cs.png',
      isPinned: true,
      canDelete: false,
      preview: '',
    });
  });

  it('orders service first, then pinned, then newest; counts unread', async () => {
    h.transport.peerSends('old', USER, { text: 'old' });
    h.clock.advance(60_000);
    h.transport.peerSends(SERVICE, USER, { text: 'cs' });
    h.clock.advance(60_000);
    h.transport.peerSends('new', USER, { text: 'new 1' });
    h.transport.peerSends('new', USER, { text: 'new 2' });
    await h.clock.tick(2000);
    const state = h.conversations.getState();
    expect(state.items.map((i) => i.peerID)).toEqual([SERVICE, 'new', 'old']);
    expect(state.totalUnread).toBe(4);
    const view = createConversationViewBuilder()(state, ctx());
    expect(view.items.map((i) => [i.preview, i.unreadText])).toEqual([
      ['cs', '1'],
      ['new 2', '2'],
      ['old', '1'],
    ]);
    expect(view.totalUnreadText).toBe('4');
  });

  it('does not count hidden protocol messages in the service badge', async () => {
    // The handshake's answer: a hidden settings signal, then what the user sees.
    h.transport.peerSends(SERVICE, USER, { data: tccc.ratingSettings(7) });
    await h.clock.tick(2000);
    expect(h.conversations.getState().items[0].unreadCount).toBe(0);
    h.transport.peerSends(SERVICE, USER, { text: '您好，欢迎咨询' });
    h.transport.peerSends(SERVICE, USER, { data: tccc.rating() });
    await h.clock.tick(2000);
    expect(h.conversations.getState().items[0].unreadCount).toBe(2);
    expect(h.conversations.getState().totalUnread).toBe(2);
    // A hidden signal arriving last does not raise the badge either.
    h.transport.peerSends(SERVICE, USER, { data: tccc.ratingSettings(4) });
    await h.clock.tick(2000);
    expect(h.conversations.getState().items[0].unreadCount).toBe(2);
    // Outside service conversations every message counts, as the SDK says.
    h.transport.peerSends('friend', USER, { data: tccc.ratingSettings(4) });
    await h.clock.tick(2000);
    const friend = h.conversations.getState().items.find((i) => i.peerID === 'friend');
    expect(friend?.unreadCount).toBe(1);
  });

  it('previews protocol messages in words and skips invisible ones (never [自定义消息])', async () => {
    h.transport.peerSends(SERVICE, USER, { data: tccc.rating() });
    await h.clock.tick(2000);
    expect(h.conversations.getState().items[0].preview).toBe('[服务评价]');
    h.transport.peerSends(SERVICE, USER, { data: tccc.ratingSettings(4) });
    await h.clock.tick(2000);
    expect(h.conversations.getState().items[0].preview).toBe('[服务评价]');
    expect(
      JSON.stringify(createConversationViewBuilder()(h.conversations.getState(), ctx())),
    ).not.toContain('自定义消息');
  });

  it('a hidden newest message does not lend the row its time, and a fresh start finds the last visible one', async () => {
    const t0 = Math.floor(h.clock.now() / 1000);
    h.transport.peerSends(SERVICE, USER, { text: '您好，请问有什么可以帮您？' }, { time: t0 });
    h.transport.peerSends(SERVICE, USER, { data: tccc.ratingSettings(4) }, { time: t0 + 600 });
    await h.clock.tick(2000);
    const item = () => h.conversations.getState().items[0];
    expect(item()).toMatchObject({ preview: '您好，请问有什么可以帮您？', lastTime: t0 * 1000 });

    // A new app start: the list's newest message is the hidden one, nothing is remembered.
    const next = h.restart();
    await loggedIn(next);
    await next.clock.tick(2000);
    expect(next.conversations.getState().items[0]).toMatchObject({
      preview: '您好，请问有什么可以帮您？',
      lastTime: t0 * 1000,
    });
  });

  it('finds visible messages the list skipped when a hidden one came right after them', async () => {
    const t0 = Math.floor(h.clock.now() / 1000);
    h.transport.peerSends(SERVICE, USER, { text: '会话已结束' }, { time: t0 });
    await h.clock.tick(2000);
    expect(h.conversations.getState().items[0].preview).toBe('会话已结束');
    // A burst: the (throttled) list update only carries its last, hidden message.
    h.transport.peerSends(SERVICE, USER, { text: '欢迎回来' }, { time: t0 + 60 });
    h.transport.peerSends(SERVICE, USER, { data: tccc.ratingSettings(4) }, { time: t0 + 61 });
    await h.clock.tick(2000);
    expect(h.conversations.getState().items[0]).toMatchObject({
      preview: '欢迎回来',
      lastTime: (t0 + 60) * 1000,
    });
  });

  it('updates unread to 0 after the chat marks read', async () => {
    h.transport.peerSends(SERVICE, USER, { text: 'a' });
    await h.clock.tick(2000);
    expect(h.conversations.getState().totalUnread).toBe(1);
    const chat = h.chat();
    await chat.open();
    await h.clock.tick(2000);
    expect(h.conversations.getState().totalUnread).toBe(0);
  });

  it('refuses to delete a service conversation and deletes others', async () => {
    h.transport.peerSends('friend', USER, { text: 'x' });
    await h.clock.tick(2000);
    const refused = await h.conversations.delete(SERVICE_CONV);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('not-allowed');
    expect((await h.conversations.delete('C2Cfriend')).ok).toBe(true);
    expect(h.conversations.getState().items.map((i) => i.peerID)).toEqual([SERVICE]);
    const missing = await h.conversations.delete('C2Cnobody');
    expect(missing.ok).toBe(false);
  });

  it('pins existing service conversations on the server', async () => {
    h.transport.peerSends(SERVICE, USER, { text: 'x' });
    await h.clock.tick(2000);
    expect((await h.conversations.pinServiceAccounts()).ok).toBe(true);
    expect(h.transport.calls.filter((c) => c.method === 'pinConversation')).toEqual([
      { method: 'pinConversation', args: [SERVICE_CONV, true] },
    ]);
    await h.clock.tick(2000);
    await h.conversations.pinServiceAccounts();
    expect(h.transport.calls.filter((c) => c.method === 'pinConversation')).toHaveLength(1);
  });

  it('keeps unchanged items by reference in the view', async () => {
    h.transport.peerSends('a', USER, { text: 'x' });
    h.transport.peerSends('b', USER, { text: 'y' });
    await h.clock.tick(2000);
    const build = createConversationViewBuilder();
    const first = build(h.conversations.getState(), ctx());
    h.transport.peerSends('b', USER, { text: 'z' });
    await h.clock.tick(2000);
    const second = build(h.conversations.getState(), ctx());
    const a1 = first.items.find((i) => i.conversationID === 'C2Ca');
    const a2 = second.items.find((i) => i.conversationID === 'C2Ca');
    expect(a2).toBe(a1);
  });

  it('clears the list on logout', async () => {
    h.transport.peerSends('friend', USER, { text: 'x' });
    await h.clock.tick(2000);
    await h.session.logout();
    expect(h.conversations.getState().items.map((i) => i.peerID)).toEqual([SERVICE]);
  });
});

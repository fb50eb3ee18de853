jest.mock('@tencentcloud/chat', () => ({ __esModule: true, default: { TYPES: {}, EVENT: {} } }));
jest.mock('tim-upload-plugin', () => ({ __esModule: true, default: class {} }));
import { createChatViewBuilder } from '../../miniprogram/core/chat/chat-view';
import { getServices, setServicesForTest } from '../../miniprogram/services/index';
import { FakeAuth } from '../fakes/fake-auth';
import { FakeClock, flushMicrotasks } from '../fakes/fake-clock';
import { FakeTransport } from '../fakes/fake-transport';
import { RecordingLogger, SERVICE, SERVICE_CONV, USER } from '../fakes/harness';
import { MemoryStorage } from '../fakes/memory-storage';

afterEach(() => setServicesForTest(null));

function fakes() {
  const clock = new FakeClock();
  const transport = new FakeTransport(clock);
  const storage = new MemoryStorage();
  const auth = new FakeAuth(USER, () => clock.now());
  setServicesForTest({ clock, transport, storage, auth, logger: new RecordingLogger() });
  return { clock, transport, storage, auth };
}

describe('services', () => {
  it('names an unconfigured service account in the user’s language, a configured one as set', async () => {
    const { DEFAULT_CONFIG, mergeConfig } = await import('../../miniprogram/config');
    const { getLanguage, setLanguage } = await import('../../miniprogram/core/i18n/index');
    const before = getLanguage();
    const clock = new FakeClock();
    setServicesForTest({
      config: mergeConfig(DEFAULT_CONFIG, {
        serviceDisplay: { '@brand': { nick: '小腾客服', avatar: '' } },
      }),
      clock,
      transport: new FakeTransport(clock),
      storage: new MemoryStorage(),
      auth: new FakeAuth(USER, () => clock.now()),
      logger: new RecordingLogger(),
    });
    const s = getServices();
    try {
      setLanguage('en');
      expect(s.serviceDisplay(SERVICE).nick).toBe('Customer Service');
      expect(s.serviceDisplay('@brand').nick).toBe('小腾客服');
      setLanguage('zh-CN');
      expect(s.serviceDisplay(SERVICE).nick).toBe('在线客服');
    } finally {
      setLanguage(before);
    }
  });

  it('builds once and wires session, outbox and conversations over the given fakes', async () => {
    const { transport, clock } = fakes();
    const s = getServices();
    expect(getServices()).toBe(s);
    expect((await s.session.login()).ok).toBe(true);
    await flushMicrotasks();
    await clock.tick(1000);
    expect(s.outbox.getState().userID).toBe(USER);
    expect(s.conversations.getState().items[0].conversationID).toBe(SERVICE_CONV);
    transport.peerSends(SERVICE, USER, { text: 'hi' });
    await clock.tick(2000);
    // Pinned on the server once the first list arrived.
    expect(transport.calls.some((c) => c.method === 'pinConversation')).toBe(true);
  });

  it('pins service conversations only once Chat is ready', async () => {
    const { transport, clock } = fakes();
    transport.peerSends(SERVICE, USER, { text: 'while logged out' });
    const s = getServices();
    await s.conversations.refresh();
    await clock.tick(2000);
    expect(transport.calls.some((c) => c.method === 'pinConversation')).toBe(false);
    expect((await s.session.login()).ok).toBe(true);
    await clock.tick(2000);
    expect(transport.calls.filter((c) => c.method === 'pinConversation')).toHaveLength(1);
  });

  it('gives chat stores and view contexts with the service display fallback', async () => {
    fakes();
    const s = getServices();
    await s.session.login();
    const chat = s.createChat(SERVICE_CONV);
    await chat.open();
    await chat.sendText('你好');
    const view = createChatViewBuilder()(chat.getState(), s.chatViewContext(SERVICE_CONV));
    expect(view.messages.map((m) => m.text)).toEqual(['你好']);
    expect(s.chatViewContext(SERVICE_CONV).peer.nick).toBe('在线客服');
    expect(s.serviceAccounts()).toEqual([SERVICE]);
    chat.close();
  });

  it('flushes the outbox when the network comes back', async () => {
    const { transport } = fakes();
    const s = getServices();
    await s.session.login();
    transport.dropNetwork();
    const chat = s.createChat('C2Cfriend');
    await chat.open();
    await chat.sendText('later');
    expect(transport.received).toHaveLength(0);
    transport.restoreNetwork();
    await flushMicrotasks();
    expect(transport.received.map((r) => r.message.payload.text)).toEqual(['later']);
  });
});

import { createSdkTransport } from '../../miniprogram/adapters/chat/sdk-transport';
import type {
  SdkConstants,
  SdkEvent,
  SdkLike,
} from '../../miniprogram/adapters/chat/sdk-transport';
import type { OutgoingMessage } from '../../miniprogram/core/model/message';
import type { TransportEvent } from '../../miniprogram/core/ports/chat-transport';
import { FakeClock } from '../fakes/fake-clock';
import { RecordingLogger } from '../fakes/harness';

/** The runtime values of the SDK's TYPES/EVENT (chat-sdk.md §1). */
const CONSTANTS: SdkConstants = {
  TYPES: {
    CONV_C2C: 'C2C',
    NET_STATE_CONNECTED: 'connected',
    NET_STATE_CONNECTING: 'connecting',
    NET_STATE_DISCONNECTED: 'disconnected',
    KICKED_OUT_MULT_ACCOUNT: 'multipleAccount',
    KICKED_OUT_MULT_DEVICE: 'multipleDevice',
    KICKED_OUT_USERSIG_EXPIRED: 'userSigExpired',
    KICKED_OUT_REST_API: 'REST_API_Kick',
  },
  EVENT: {
    SDK_READY: 'sdkStateReady',
    SDK_NOT_READY: 'sdkStateNotReady',
    MESSAGE_RECEIVED: 'onMessageReceived',
    MESSAGE_MODIFIED: 'onMessageModified',
    MESSAGE_REVOKED: 'onMessageRevoked',
    MESSAGE_READ_BY_PEER: 'onMessageReadByPeer',
    CONVERSATION_LIST_UPDATED: 'onConversationListUpdated',
    TOTAL_UNREAD_MESSAGE_COUNT_UPDATED: 'onTotalUnreadMessageCountUpdated',
    NET_STATE_CHANGE: 'netStateChange',
    KICKED_OUT: 'kickedOut',
    ERROR: 'error',
  },
};

type Handler = (e: SdkEvent) => void;

/** A stand-in for the SDK instance that behaves like chat-sdk.md §2 says, without a network. */
class StubSdk implements SdkLike {
  handlers = new Map<string, Set<Handler>>();
  user = '';
  ready = false;
  loginBehaviour: 'ok' | 'hang' | { code: number } = 'ok';
  sendBehaviour: Array<'ok' | { code: number }> = [];
  calls: Array<[string, unknown]> = [];
  seq = 0;

  fire(name: string, data?: unknown): void {
    for (const h of this.handlers.get(name) ?? []) h({ name, data });
  }
  on(event: string, handler: Handler): void {
    if (!this.handlers.has(event)) this.handlers.set(event, new Set());
    this.handlers.get(event)!.add(handler);
  }
  off(event: string, handler: Handler): void {
    this.handlers.get(event)?.delete(handler);
  }
  isReady(): boolean {
    return this.ready;
  }
  getLoginUser(): string {
    return this.user;
  }
  async login(o: { userID: string; userSig: string }): Promise<unknown> {
    this.calls.push(['login', o.userID]);
    if (this.loginBehaviour === 'hang') return new Promise(() => undefined);
    if (typeof this.loginBehaviour === 'object')
      throw { code: this.loginBehaviour.code, message: '' };
    if (this.user) return { code: 0, data: { repeatLogin: true } };
    this.user = o.userID;
    setTimeout(() => {
      this.ready = true;
      this.fire('sdkStateReady');
    }, 5);
    return { code: 0, data: {} };
  }
  async logout(): Promise<unknown> {
    this.calls.push(['logout', this.user]);
    if (!this.user) throw { code: 2024, message: '' };
    this.user = '';
    this.ready = false;
    this.fire('sdkStateNotReady');
    return { code: 0, data: {} };
  }
  private gate<T>(run: () => T): T | Promise<never> {
    if (!this.ready) return Promise.reject({ code: 2999, message: '' });
    return run();
  }
  private make(type: string, o: Record<string, unknown>) {
    this.seq += 1;
    return {
      ID: `tiny-${this.seq}`,
      type,
      to: o.to,
      from: this.user,
      flow: 'out',
      status: 'unSend',
      time: 1,
      payload: o.payload,
      cloudCustomData: o.cloudCustomData ?? '',
      conversationID: `C2C${String(o.to)}`,
    };
  }
  createTextMessage(o: Record<string, unknown>): unknown {
    if (!o.to) throw new Error('Params validate failed.');
    return this.gate(() => this.make('TIMTextElem', o));
  }
  createCustomMessage(o: Record<string, unknown>): unknown {
    return this.gate(() => this.make('TIMCustomElem', o));
  }
  createImageMessage(o: Record<string, unknown>): unknown {
    return this.gate(() => this.make('TIMImageElem', o));
  }
  async sendMessage(m: unknown, options?: Record<string, unknown>): Promise<unknown> {
    this.calls.push(['sendMessage', options]);
    return this.settle(m);
  }
  async resendMessage(m: unknown): Promise<unknown> {
    this.calls.push(['resendMessage', (m as { ID: string }).ID]);
    return this.settle(m);
  }
  private settle(m: unknown): unknown {
    const message = m as { status: string; time: number; hasRiskContent?: boolean };
    const next = this.sendBehaviour.shift() ?? 'ok';
    if (next === 'ok') {
      message.status = 'success';
      message.time = 1700000000;
      return { code: 0, data: { message } };
    }
    message.status = 'fail';
    if (next.code === 80001) message.hasRiskContent = true;
    throw Object.assign(new Error(''), { code: next.code, data: { message } });
  }
  async getConversationList(): Promise<unknown> {
    return this.gate(() => ({
      code: 0,
      data: {
        conversationList: [{ conversationID: 'C2Cx', type: 'C2C', unreadCount: 2 }],
        isSyncCompleted: true,
      },
    }));
  }
  async getMessageList(o: { conversationID: string; nextReqMessageID?: string }): Promise<unknown> {
    this.calls.push(['getMessageList', o]);
    return this.gate(() => ({
      code: 0,
      data: {
        messageList: [
          {
            ID: 'a',
            type: 'TIMTextElem',
            payload: { text: 'hi' },
            flow: 'in',
            status: 'success',
            time: 5,
          },
        ],
        nextReqMessageID: '',
        isCompleted: true,
      },
    }));
  }
  async setMessageRead(): Promise<unknown> {
    return this.gate(() => ({ code: 0, data: {} }));
  }
  async pinConversation(o: { conversationID: string }): Promise<unknown> {
    return this.gate(() => ({ code: 0, data: { conversationID: o.conversationID } }));
  }
  async deleteConversation(id: string): Promise<unknown> {
    if (id === 'C2Cnobody') throw { code: 2500, message: '' };
    return this.gate(() => ({ code: 0, data: { conversationID: id } }));
  }
  profile: { nick?: string; avatar?: string } = {};
  async updateMyProfile(options: { nick?: string; avatar?: string }): Promise<unknown> {
    if ((options.nick ?? '').length > 64) throw { code: 2700, message: 'nick too long' };
    return this.gate(() => {
      this.profile = { ...this.profile, ...options };
      return { code: 0, data: this.profile };
    });
  }
}

const out = (clientId: string, text = 'hi'): OutgoingMessage => ({
  clientId,
  conversationID: 'C2Cpeer',
  to: 'peer',
  content: { kind: 'text', text },
  cloudCustomData: '',
});

function setup() {
  const stub = new StubSdk();
  const clock = new FakeClock();
  const made: Array<number | undefined> = [];
  const transport = createSdkTransport(
    (id) => {
      made.push(id);
      return stub;
    },
    CONSTANTS,
    { loginTimeoutMs: 15_000, clock, logger: new RecordingLogger() },
  );
  const events: TransportEvent[] = [];
  transport.onEvent((e) => events.push(e));
  return { stub, clock, transport, events, made };
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('sdk transport', () => {
  it('does not create the SDK (which dials out) before the first login', async () => {
    const { transport, made } = setup();
    const res = await transport.getConversationList();
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('not-logged-in');
    expect(transport.createMessage(out('a')).ok).toBe(false);
    expect(made).toEqual([]);
  });

  it('login resolves only once the SDK is ready, with the server SDKAppID', async () => {
    const { transport, stub, made } = setup();
    const res = await transport.login({ userID: 'u1', userSig: 's', sdkAppID: 1400000001 });
    expect(res.ok).toBe(true);
    expect(stub.ready).toBe(true);
    expect(transport.isReady()).toBe(true);
    expect(made).toEqual([1400000001]);
  });

  it('gives up with timeout when the SDK never answers', async () => {
    const { transport, stub, clock } = setup();
    stub.loginBehaviour = 'hang';
    const pending = transport.login({ userID: 'u1', userSig: 's' });
    await clock.tick(15_000);
    const res = await pending;
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.error.code).toBe('timeout');
  });

  it('maps a refused login', async () => {
    const { transport, stub } = setup();
    stub.loginBehaviour = { code: 70001 };
    const res = await transport.login({ userID: 'u1', userSig: 's' });
    expect(!res.ok && res.error.code).toBe('usersig-expired');
  });

  it('logs out before switching user', async () => {
    const { transport, stub } = setup();
    await transport.login({ userID: 'u1', userSig: 's' });
    await transport.login({ userID: 'u2', userSig: 's' });
    expect(stub.calls.filter((c) => c[0] !== 'getMessageList')).toEqual([
      ['login', 'u1'],
      ['logout', 'u1'],
      ['login', 'u2'],
    ]);
    expect(transport.getLoginUser()).toBe('u2');
  });

  it('maps events to typed core events', async () => {
    const { transport, stub, events } = setup();
    await transport.login({ userID: 'u1', userSig: 's' });
    stub.fire('onMessageReceived', [
      {
        ID: 'm',
        type: 'TIMTextElem',
        payload: { text: 'x' },
        flow: 'in',
        status: 'success',
        conversationID: 'C2Cpeer',
      },
    ]);
    stub.fire('netStateChange', { state: 'disconnected' });
    stub.fire('kickedOut', { type: 'userSigExpired' });
    stub.fire('kickedOut', { type: 'multipleDevice' });
    stub.fire('onTotalUnreadMessageCountUpdated', 4);
    stub.fire('onConversationListUpdated', [{ conversationID: 'C2Cpeer', type: 'C2C' }]);
    stub.fire('error', { code: 2999 });
    expect(events.map((e) => e.type)).toEqual([
      'ready',
      'message-received',
      'net-state',
      'kicked',
      'kicked',
      'total-unread-updated',
      'conversation-list-updated',
    ]);
    expect(events[1]).toMatchObject({ messages: [{ ID: 'm', payload: { text: 'x' } }] });
    expect(events[2]).toEqual({ type: 'net-state', state: 'disconnected' });
    expect(events[3]).toEqual({ type: 'kicked', reason: 'usersig-expired' });
    expect(events[4]).toEqual({ type: 'kicked', reason: 'multiple-device' });
  });

  it('refuses to create while not ready (the SDK returns a rejected promise) without an unhandled rejection', async () => {
    const { transport, stub } = setup();
    await transport.login({ userID: 'u1', userSig: 's' });
    stub.ready = false;
    const res = transport.createMessage(out('a'));
    expect(!res.ok && res.error.code).toBe('not-logged-in');
    await wait(5);
  });

  it('sends with onlineUserOnly, and resends a failed message with the same ID', async () => {
    const { transport, stub } = setup();
    await transport.login({ userID: 'u1', userSig: 's' });
    const created = transport.createMessage(out('c1'));
    expect(created.ok && created.value.status).toBe('sending');
    stub.sendBehaviour.push({ code: 2800 });
    const failed = await transport.sendMessage(out('c1'), { onlineUserOnly: true });
    expect(!failed.ok && failed.error.code).toBe('network');
    const sent = await transport.sendMessage(out('c1'));
    expect(sent.ok && sent.value).toMatchObject({
      ID: created.ok ? created.value.ID : '',
      status: 'sent',
      clientId: 'c1',
      time: 1700000000,
    });
    expect(stub.calls.filter((c) => c[0] === 'sendMessage' || c[0] === 'resendMessage')).toEqual([
      ['sendMessage', { onlineUserOnly: true }],
      ['resendMessage', created.ok ? created.value.ID : ''],
    ]);
  });

  it('reports moderation as blocked-content', async () => {
    const { transport, stub } = setup();
    await transport.login({ userID: 'u1', userSig: 's' });
    stub.sendBehaviour.push({ code: 80001 });
    const res = await transport.sendMessage(out('c1', 'bad'));
    expect(!res.ok && res.error.code).toBe('blocked-content');
  });

  it('turns synchronous validation throws into values', async () => {
    const { transport } = setup();
    await transport.login({ userID: 'u1', userSig: 's' });
    const res = transport.createMessage({ ...out('c1'), to: '' });
    expect(!res.ok && res.error.code).toBe('invalid-input');
  });

  it('reads pages, conversations and maps call errors', async () => {
    const { transport } = setup();
    await transport.login({ userID: 'u1', userSig: 's' });
    const page = await transport.getMessageList('C2Cpeer');
    expect(page.ok && page.value).toEqual({
      messages: [expect.objectContaining({ ID: 'a' })],
      nextReqMessageID: '',
      isCompleted: true,
    });
    const list = await transport.getConversationList();
    expect(list.ok && list.value[0]).toMatchObject({ conversationID: 'C2Cx', unreadCount: 2 });
    const del = await transport.deleteConversation('C2Cnobody');
    expect(!del.ok && del.error.code).toBe('not-found');
    expect((await transport.setMessageRead('C2Cpeer')).ok).toBe(true);
    expect((await transport.pinConversation('C2Cpeer', true)).ok).toBe(true);
  });

  it('updates the own profile, and maps a refusal to an error value', async () => {
    const { transport, stub } = setup();
    expect((await transport.updateMyProfile({ nick: '小明' })).ok).toBe(false);
    await transport.login({ userID: 'u1', userSig: 's' });
    expect((await transport.updateMyProfile({ nick: '小明' })).ok).toBe(true);
    expect(stub.profile).toEqual({ nick: '小明' });
    const refused = await transport.updateMyProfile({ nick: 'x'.repeat(65) });
    expect(refused.ok).toBe(false);
    expect(stub.profile).toEqual({ nick: '小明' });
  });

  it('dispose detaches every SDK handler', async () => {
    const { transport, stub } = setup();
    await transport.login({ userID: 'u1', userSig: 's' });
    transport.dispose();
    const count = [...stub.handlers.values()].reduce((n, s) => n + s.size, 0);
    expect(count).toBe(0);
  });
});

/**
 * The real @tencentcloud/chat SDK against the simulator's Chat backend (no TCCC flow, so nothing
 * answers on its own): conversations, send and push, history paging, read state, pin, delete,
 * modification, revoke, profiles, online-only messages and moderation.
 *
 * CONVERSATION_LIST_UPDATED and TOTAL_UNREAD_MESSAGE_COUNT_UPDATED are throttled by the SDK (1 s,
 * trailing), so state checks wait for an event carrying the expected state instead of sleeping.
 */
import { type RunningSimulator, startSimulator } from '../../simulator';
import type { InboundMessage, SentRef } from '../../simulator/tccc/port';
import {
  type SdkClient,
  type SdkConversation,
  type SdkMessage,
  createSdkClient,
  sleep,
} from '../support/real-sdk';
import { activateServiceConversation, callRest } from '../support/rest-client';

jest.setTimeout(30_000);

const SERVICE = '@customer_service_account';
let sim: RunningSimulator;
let clients: SdkClient[] = [];
let counter = 0;
/** A fresh user ID per test keeps the shared simulator's state from leaking between tests. */
const uid = (name: string): string => `${name}-${++counter}`;

const client = (userID: string): SdkClient => {
  const c = createSdkClient({ simulator: sim, userID });
  clients.push(c);
  return c;
};
const online = async (userID: string, nick?: string): Promise<SdkClient> => {
  if (nick) sim.backend.store.ensureUser(userID, { nick });
  const c = client(userID);
  await c.login();
  return c;
};

const EV = {
  received: 'onMessageReceived',
  modified: 'onMessageModified',
  revoked: 'onMessageRevoked',
  readByPeer: 'onMessageReadByPeer',
  list: 'onConversationListUpdated',
  total: 'onTotalUnreadMessageCountUpdated',
  profile: 'onProfileUpdated',
} as const;
const C2C = 'C2C';

const conv = (list: SdkConversation[], peer: string): SdkConversation | undefined =>
  list.find((c) => c.conversationID === `C2C${peer}`);

const sendText = async (from: SdkClient, to: string, text: string): Promise<SdkMessage> => {
  const msg = from.chat.createTextMessage({
    to,
    conversationType: C2C as never,
    payload: { text },
  });
  const res = await from.chat.sendMessage(msg);
  return res.data.message as unknown as SdkMessage;
};

const serviceSend = (userID: string, text: string): SentRef =>
  sim.backend.send({
    serviceAccount: SERVICE,
    userID,
    elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  });

beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true, service: false, env: false });
});
afterEach(async () => {
  for (const c of clients) await c.destroy();
  clients = [];
});
afterAll(() => sim.close());

describe('conversation list', () => {
  it('shows the service account after the admin REST activation, and TCCC hears the user', async () => {
    const user = uid('activated');
    const inbound: InboundMessage[] = [];
    const off = sim.backend.onUserMessage((m) => inbound.push(m));
    await activateServiceConversation(sim, user, SERVICE, '你好');
    off();
    expect(inbound).toEqual([
      expect.objectContaining({ serviceAccount: SERVICE, userID: user, onlineOnly: false }),
    ]);
    expect(inbound[0].elems).toEqual([{ MsgType: 'TIMTextElem', MsgContent: { Text: '你好' } }]);

    const c = await online(user);
    const list = await c.waitFor<SdkConversation[]>(EV.list, (l) => conv(l, SERVICE) !== undefined);
    const service = conv(list, SERVICE) as SdkConversation;
    expect(service.userProfile.nick).toBe('在线客服');
    expect(service.userProfile.avatar).toBe(`${sim.httpUrl}/assets/service-avatar.svg`);
    expect(service.lastMessage.messageForShow).toBe('你好');
    expect(service.lastMessage.fromAccount).toBe(user);
    expect(service.unreadCount).toBe(0);
  });

  it('activation while the user is online adds the conversation live (SyncOtherMachine 1)', async () => {
    const user = uid('live');
    const c = await online(user);
    const since = c.mark();
    await activateServiceConversation(sim, user, SERVICE, 'hello from the login server');
    const list = await c.waitFor<SdkConversation[]>(
      EV.list,
      (l) => conv(l, SERVICE) !== undefined,
      5000,
      since,
    );
    expect(conv(list, SERVICE)?.lastMessage.messageForShow).toBe('hello from the login server');
  });

  it('REST sendmsg checks the admin UserSig and the accounts, with Tencent codes', async () => {
    const body = {
      From_Account: 'nobody-imported',
      To_Account: SERVICE,
      MsgRandom: 1,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }],
    };
    expect((await callRest(sim, 'openim/sendmsg', body)).body).toMatchObject({
      ActionStatus: 'FAIL',
      ErrorCode: 20003,
    });
    const notAdmin = await callRest(sim, 'openim/sendmsg', body, { identifier: 'alice' });
    expect(notAdmin.body.ErrorCode).toBe(60010);
    const badSig = await callRest(sim, 'openim/sendmsg', body, { userSig: 'bogus' });
    expect(badSig.body.ErrorCode).toBe(70003);
    expect(badSig.status).toBe(200);
  });
});

describe('send and receive', () => {
  it('delivers text and custom messages with payloads, cloudCustomData, nick and stable IDs', async () => {
    const aliceID = uid('alice');
    const bobID = uid('bob');
    const alice = await online(aliceID, 'Alice');
    const bob = await online(bobID, 'Bob');

    const text = alice.chat.createTextMessage({
      to: bobID,
      conversationType: C2C as never,
      payload: { text: 'hello bob' },
      cloudCustomData: '{"k":1}',
    });
    const sent = (await alice.chat.sendMessage(text)).data.message as unknown as SdkMessage;
    expect(sent.status).toBe('success');
    expect(sent.time).toBe(sim.backend.store.lastVisible(aliceID, bobID)?.time);

    const custom = alice.chat.createCustomMessage({
      to: bobID,
      conversationType: C2C as never,
      payload: { data: '{"src":"22"}', description: 'card', extension: 'ext' },
    });
    const sentCustom = (await alice.chat.sendMessage(custom)).data.message as unknown as SdkMessage;

    const got = await bob.waitFor<SdkMessage[]>(EV.received, (ms) =>
      ms.some((m) => m.ID === sent.ID),
    );
    const inText = got.find((m) => m.ID === sent.ID) as SdkMessage;
    expect(inText).toMatchObject({
      flow: 'in',
      from: aliceID,
      type: 'TIMTextElem',
      nick: 'Alice',
      cloudCustomData: '{"k":1}',
      payload: { text: 'hello bob' },
    });
    const gotCustom = await bob.waitFor<SdkMessage[]>(EV.received, (ms) =>
      ms.some((m) => m.ID === sentCustom.ID),
    );
    expect(gotCustom.find((m) => m.ID === sentCustom.ID)?.payload).toEqual({
      data: '{"src":"22"}',
      description: 'card',
      extension: 'ext',
    });

    // History reproduces the same IDs as the live push (no duplicates after a refetch).
    const history = await bob.chat.getMessageList({ conversationID: `C2C${aliceID}` });
    const ids = (history.data.messageList as unknown as SdkMessage[]).map((m) => m.ID);
    expect(ids).toEqual([sent.ID, sentCustom.ID]);
  });

  it('pushes a service message: MESSAGE_RECEIVED with the service nick, unread and total unread', async () => {
    const user = uid('pushed');
    const c = await online(user);
    serviceSend(user, 'welcome!');
    const got = await c.waitFor<SdkMessage[]>(EV.received);
    expect(got[0]).toMatchObject({
      from: SERVICE,
      nick: '在线客服',
      payload: { text: 'welcome!' },
      isRead: false,
    });
    await c.waitFor<SdkConversation[]>(EV.list, (l) => conv(l, SERVICE)?.unreadCount === 1);
    await c.waitFor<number>(EV.total, (n) => n === 1);
    expect(c.chat.getTotalUnreadMessageCount()).toBe(1);
  });

  it('refuses a text with a moderated word (80001, hasRiskContent) and stores nothing', async () => {
    const aliceID = uid('alice');
    const bobID = uid('bob');
    const alice = await online(aliceID);
    const bob = await online(bobID);
    const msg = alice.chat.createTextMessage({
      to: bobID,
      conversationType: C2C as never,
      payload: { text: '这里有违禁词' },
    });
    const error = await alice.chat.sendMessage(msg).then(
      () => undefined,
      (e: { code: number }) => e,
    );
    expect(error?.code).toBe(80001);
    const failed = msg as unknown as SdkMessage;
    expect(failed.status).toBe('fail');
    expect(failed.hasRiskContent).toBe(true);
    await sleep(200);
    expect(bob.events.some((e) => e.name === EV.received)).toBe(false);
    expect(sim.backend.store.visibleMessages(aliceID, bobID)).toHaveLength(0);
  });

  it('delivers onlineUserOnly messages without storing them or creating a conversation', async () => {
    const aliceID = uid('alice');
    const bobID = uid('bob');
    const alice = await online(aliceID);
    const bob = await online(bobID);
    const inbound: InboundMessage[] = [];
    const off = sim.backend.onUserMessage((m) => inbound.push(m));

    const typing = alice.chat.createCustomMessage({
      to: bobID,
      conversationType: C2C as never,
      payload: { data: '{"typing":1}', description: '', extension: '' },
    });
    await alice.chat.sendMessage(typing, { onlineUserOnly: true });
    const got = await bob.waitFor<SdkMessage[]>(EV.received);
    expect(got[0].payload.data).toBe('{"typing":1}');

    const handshake = alice.chat.createCustomMessage({
      to: SERVICE,
      conversationType: C2C as never,
      payload: { data: '{"customerServicePlugin":0,"src":"7"}', description: '', extension: '' },
    });
    await alice.chat.sendMessage(handshake, { onlineUserOnly: true });
    off();
    expect(inbound).toEqual([expect.objectContaining({ userID: aliceID, onlineOnly: true })]);

    expect(sim.backend.store.visibleMessages(aliceID, bobID)).toHaveLength(0);
    expect(sim.backend.store.visibleMessages(aliceID, SERVICE)).toHaveLength(0);
    await sleep(1200);
    const list = (await bob.chat.getConversationList()).data
      .conversationList as unknown as SdkConversation[];
    expect(conv(list, aliceID)).toBeUndefined();
  });
});

describe('history', () => {
  it('pages 40 stored messages as 15 + 15 + 10, oldest first, with isCompleted', async () => {
    const user = uid('reader');
    sim.backend.store.ensureUser(user);
    for (let i = 1; i <= 40; i++) serviceSend(user, `m${i}`);
    const c = await online(user);
    const conversationID = `C2C${SERVICE}`;
    const texts: string[] = [];
    const pages: number[] = [];
    let next: string | undefined;
    let completed = false;
    while (!completed && pages.length < 5) {
      const res = await c.chat.getMessageList(
        next ? { conversationID, nextReqMessageID: next } : { conversationID },
      );
      const list = res.data.messageList as unknown as SdkMessage[];
      pages.push(list.length);
      texts.unshift(...list.map((m) => String(m.payload.text)));
      next = res.data.nextReqMessageID;
      completed = res.data.isCompleted;
    }
    expect(pages).toEqual([15, 15, 10]);
    expect(texts).toEqual(Array.from({ length: 40 }, (_, i) => `m${i + 1}`));
    expect(next).toBe('');
  });
});

describe('read state', () => {
  it('counts unread per conversation, clears it on setMessageRead and tells the sender', async () => {
    const aliceID = uid('alice');
    const bobID = uid('bob');
    const alice = await online(aliceID);
    const bob = await online(bobID);
    const sent: SdkMessage[] = [];
    for (const t of ['one', 'two', 'three']) sent.push(await sendText(bob, aliceID, t));

    await alice.waitFor<SdkConversation[]>(EV.list, (l) => conv(l, bobID)?.unreadCount === 3);
    await alice.waitFor<number>(EV.total, (n) => n === 3);
    expect(sim.backend.store.unreadCount(aliceID, bobID)).toBe(3);

    const since = alice.mark();
    await alice.chat.setMessageRead({ conversationID: `C2C${bobID}` });
    await alice.waitFor<SdkConversation[]>(
      EV.list,
      (l) => conv(l, bobID)?.unreadCount === 0,
      5000,
      since,
    );
    await alice.waitFor<number>(EV.total, (n) => n === 0, 5000, since);
    expect(sim.backend.store.unreadCount(aliceID, bobID)).toBe(0);

    const read = await bob.waitFor<SdkMessage[]>(EV.readByPeer);
    expect(read.map((m) => m.ID).sort()).toEqual(sent.map((m) => m.ID).sort());
    expect(read.every((m) => m.isPeerRead)).toBe(true);

    // The read position survives a new login.
    await alice.destroy();
    const again = await online(aliceID);
    const list = await again.waitFor<SdkConversation[]>(
      EV.list,
      (l) => conv(l, bobID) !== undefined,
    );
    expect(conv(list, bobID)?.unreadCount).toBe(0);
  });
});

describe('pin and delete', () => {
  it('pins a conversation: sorted first, and still pinned after a new login', async () => {
    const user = uid('pinner');
    const friend = uid('friend');
    sim.backend.store.ensureUser(user);
    serviceSend(user, 'older');
    await sleep(1100); // distinct seconds, so the friend's conversation is newer
    sim.backend.store.ensureUser(friend);
    const friendClient = await online(friend);
    await sendText(friendClient, user, 'newer');

    const c = await online(user);
    let list = await c.waitFor<SdkConversation[]>(EV.list, (l) => l.length === 2);
    expect(list.map((x) => x.conversationID)).toEqual([`C2C${friend}`, `C2C${SERVICE}`]);

    const since = c.mark();
    await c.chat.pinConversation({ conversationID: `C2C${SERVICE}`, isPinned: true });
    list = await c.waitFor<SdkConversation[]>(
      EV.list,
      (l) => conv(l, SERVICE)?.isPinned === true,
      5000,
      since,
    );
    expect(list[0].conversationID).toBe(`C2C${SERVICE}`);

    await c.destroy();
    const again = await online(user);
    list = await again.waitFor<SdkConversation[]>(EV.list, (l) => l.length === 2);
    expect(list[0]).toMatchObject({ conversationID: `C2C${SERVICE}`, isPinned: true });
  });

  it('deletes a conversation with its history; a new message brings it back alone', async () => {
    const user = uid('deleter');
    sim.backend.store.ensureUser(user);
    serviceSend(user, 'before delete');
    const c = await online(user);
    await c.waitFor<SdkConversation[]>(EV.list, (l) => conv(l, SERVICE) !== undefined);
    const since = c.mark();
    const res = await c.chat.deleteConversation(`C2C${SERVICE}`);
    expect(res.data.conversationID).toBe(`C2C${SERVICE}`);
    await c.waitFor<SdkConversation[]>(EV.list, (l) => conv(l, SERVICE) === undefined, 5000, since);

    await c.destroy();
    const again = await online(user);
    await sleep(1200);
    const listed = (await again.chat.getConversationList()).data
      .conversationList as unknown as SdkConversation[];
    expect(conv(listed, SERVICE)).toBeUndefined();

    serviceSend(user, 'after delete');
    await again.waitFor<SdkConversation[]>(EV.list, (l) => conv(l, SERVICE) !== undefined);
    const history = await again.chat.getMessageList({ conversationID: `C2C${SERVICE}` });
    const texts = (history.data.messageList as unknown as SdkMessage[]).map((m) => m.payload.text);
    expect(texts).toEqual(['after delete']);
  });
});

describe('modify and revoke', () => {
  it('a service-side modification fires MESSAGE_MODIFIED with each new version and is kept in history', async () => {
    const user = uid('streamed');
    const c = await online(user);
    const chunk = (chunks: string[], isFinished: 0 | 1) => [
      {
        MsgType: 'TIMCustomElem',
        MsgContent: {
          Data: JSON.stringify({ customerServicePlugin: 0, src: '31', chunks, isFinished }),
        },
      },
    ];
    const ref = sim.backend.send({
      serviceAccount: SERVICE,
      userID: user,
      elems: chunk(['Hel'], 0),
    });
    const [original] = await c.waitFor<SdkMessage[]>(EV.received);

    expect(sim.backend.modify(ref, chunk(['Hel', 'lo'], 0))).toBe(true);
    const v1 = await c.waitFor<SdkMessage[]>(EV.modified, (ms) => ms[0].version === 1);
    expect(v1[0]).toMatchObject({ ID: original.ID, isModified: true });
    expect(JSON.parse(String(v1[0].payload.data)).chunks).toEqual(['Hel', 'lo']);

    sim.backend.modify(ref, chunk(['Hel', 'lo', '!'], 1), '{"messageType":"aiReply"}');
    const v2 = await c.waitFor<SdkMessage[]>(EV.modified, (ms) => ms[0].version === 2);
    expect(JSON.parse(String(v2[0].payload.data)).isFinished).toBe(1);
    expect(v2[0].cloudCustomData).toBe('{"messageType":"aiReply"}');

    expect(sim.backend.modify({ ...ref, seq: ref.seq + 1000 }, chunk([], 1))).toBe(false);

    await c.destroy();
    const again = await online(user);
    const history = await again.chat.getMessageList({ conversationID: `C2C${SERVICE}` });
    const [stored] = history.data.messageList as unknown as SdkMessage[];
    expect(stored).toMatchObject({ ID: original.ID, version: 2, isModified: true });
    expect(JSON.parse(String(stored.payload.data)).chunks).toEqual(['Hel', 'lo', '!']);
  });

  it('a client modifyMessage resolves and reaches the peer as MESSAGE_MODIFIED', async () => {
    const aliceID = uid('alice');
    const bobID = uid('bob');
    const alice = await online(aliceID);
    const bob = await online(bobID);
    const msg = await sendText(alice, bobID, 'draft');
    await bob.waitFor(EV.received);
    msg.payload.text = 'final';
    const res = await alice.chat.modifyMessage(msg as never);
    expect((res.data.message as unknown as SdkMessage).version).toBe(1);
    const mod = await bob.waitFor<SdkMessage[]>(EV.modified);
    expect(mod[0]).toMatchObject({ ID: msg.ID, payload: { text: 'final' }, version: 1 });
  });

  it('revokes: the sender resolves, the peer gets MESSAGE_REVOKED, history keeps it revoked', async () => {
    const aliceID = uid('alice');
    const bobID = uid('bob');
    const alice = await online(aliceID);
    const bob = await online(bobID);
    const msg = await sendText(alice, bobID, 'oops');
    await bob.waitFor(EV.received);
    await alice.chat.revokeMessage(msg as never);
    expect(msg.isRevoked).toBe(true);
    const revoked = await bob.waitFor<SdkMessage[]>(EV.revoked);
    expect(revoked[0]).toMatchObject({ ID: msg.ID, isRevoked: true });

    const ref = serviceSend(aliceID, 'retracted by the service');
    const [fromService] = await alice.waitFor<SdkMessage[]>(
      EV.received,
      (ms) => ms[0].from === SERVICE,
    );
    expect(sim.backend.revoke(ref)).toBe(true);
    const gone = await alice.waitFor<SdkMessage[]>(EV.revoked);
    expect(gone[0].ID).toBe(fromService.ID);

    await bob.destroy();
    const again = await online(bobID);
    const history = await again.chat.getMessageList({ conversationID: `C2C${aliceID}` });
    expect((history.data.messageList as unknown as SdkMessage[])[0]).toMatchObject({
      ID: msg.ID,
      isRevoked: true,
    });
  });
});

describe('profiles', () => {
  it('serves the service profile and stores profile updates', async () => {
    const aliceID = uid('alice');
    const bobID = uid('bob');
    const alice = await online(aliceID);
    const bob = await online(bobID);
    const service = await alice.chat.getUserProfile({ userIDList: [SERVICE] });
    expect(service.data[0]).toMatchObject({ userID: SERVICE, nick: '在线客服' });

    await alice.chat.updateMyProfile({ nick: 'Alice Liddell', avatar: 'http://127.0.0.1/a.png' });
    expect(sim.backend.store.getUser(aliceID)).toMatchObject({
      nick: 'Alice Liddell',
      avatar: 'http://127.0.0.1/a.png',
    });
    const seen = await bob.chat.getUserProfile({ userIDList: [aliceID] });
    expect(seen.data[0]).toMatchObject({ nick: 'Alice Liddell', avatar: 'http://127.0.0.1/a.png' });

    // Messages sent afterwards carry the new nick.
    await sendText(alice, bobID, 'hi');
    const got = await bob.waitFor<SdkMessage[]>(EV.received);
    expect(got[0].nick).toBe('Alice Liddell');
  });
});

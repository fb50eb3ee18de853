/**
 * The backend's wire answers, driven by a raw websocket client: the shapes the real SDK needs
 * (chat-wire.md §7 loop traps), error codes, dedupe, cursors, sync cookies and login replacement.
 */
import { type RunningSimulator, startSimulator } from '../../../simulator';
import { type Json, type WireClient, connectWire, pushedMessage } from '../../support/wire-client';

let sim: RunningSimulator;
const open: WireClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true, service: false, env: false });
});
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});
afterAll(() => sim.close());

let n = 0;
async function loggedIn(
  userID = `w${++n}`,
  instanceId?: string,
): Promise<{ c: WireClient; userID: string }> {
  const c = await connectWire(sim.wsUrl, { instanceId });
  open.push(c);
  const r = await c.login(userID, sim.genUserSig(userID), sim.sdkAppID);
  expect(r.ErrorCode).toBe(0);
  return { c, userID };
}

const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
const send = (c: WireClient, to: string, t: string, extra: Json = {}) =>
  c.request('openim.sendmsg', {
    To_Account: to,
    MsgSeq: Math.floor(Math.random() * 1e9),
    MsgRandom: Math.floor(Math.random() * 1e9),
    MsgClientTime: Math.floor(Date.now() / 1000),
    MsgBody: text(t),
    CloudCustomData: '',
    ...extra,
  });

describe('login answer', () => {
  it('carries a non-zero InstId, a numeric TinyId, A2Key and HelloInterval', async () => {
    const c = await connectWire(sim.wsUrl);
    open.push(c);
    const r = await c.login('shape', sim.genUserSig('shape'), sim.sdkAppID);
    expect(r).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0, HelloInterval: 120 });
    expect(r.TinyId).toMatch(/^\d+$/);
    expect(typeof r.A2Key).toBe('string');
    expect(r.InstId).not.toBe(0);
  });

  it('answers heartbeats before login, refuses other commands until then', async () => {
    const c = await connectWire(sim.wsUrl);
    open.push(c);
    expect(await c.request('heartbeat.alive')).toMatchObject({ ErrorCode: 0 });
    expect(await c.request('recentcontact.page_get')).toMatchObject({
      ActionStatus: 'FAIL',
      ErrorCode: 10008,
    });
  });
});

describe('silent re-login with the A2 ticket', () => {
  const relogin = async (head: Json) => {
    const c = await connectWire(sim.wsUrl);
    open.push(c);
    return c.request(
      'im_open_status.wslogin',
      { State: 'Online' },
      { sdkappid: sim.sdkAppID, ...head },
    );
  };

  it('accepts the ticket and tinyid from the previous login (no identifier, no UserSig)', async () => {
    const c = await connectWire(sim.wsUrl);
    open.push(c);
    const first = await c.login('ticket-user', sim.genUserSig('ticket-user'), sim.sdkAppID);
    await c.close();
    const again = await relogin({ a2: first.A2Key, tinyid: first.TinyId });
    expect(again).toMatchObject({ ErrorCode: 0, TinyId: first.TinyId });
    expect(sim.backend.isUserOnline('ticket-user')).toBe(true);
  });

  it('answers requests carrying a valid ticket before the re-login (resent after a reconnect)', async () => {
    const c = await connectWire(sim.wsUrl);
    open.push(c);
    const first = await c.login('ticket-three', sim.genUserSig('ticket-three'), sim.sdkAppID);
    const fresh = await connectWire(sim.wsUrl);
    open.push(fresh);
    const head = { a2: first.A2Key, tinyid: first.TinyId };
    expect(await fresh.request('recentcontact.page_get', {}, head)).toMatchObject({
      ErrorCode: 0,
      CompleteFlag: 1,
    });
    expect(
      (await fresh.request('recentcontact.page_get', {}, { a2: 'x.y', tinyid: first.TinyId }))
        .ErrorCode,
    ).toBe(10008);
    // Answering is not binding: pushes still go to the logged-in socket.
    expect(sim.backend.isUserOnline('ticket-three')).toBe(true);
  });

  it('refuses forged, mismatched and expired tickets with 70001', async () => {
    const c = await connectWire(sim.wsUrl);
    open.push(c);
    const first = await c.login('ticket-two', sim.genUserSig('ticket-two'), sim.sdkAppID);
    const a2 = String(first.A2Key);
    const forged = `${a2.split('.')[0]}.${Buffer.from('nope').toString('base64url')}`;
    expect((await relogin({ a2: forged, tinyid: first.TinyId })).ErrorCode).toBe(70001);
    expect((await relogin({ a2, tinyid: '1' })).ErrorCode).toBe(70001);
    expect((await relogin({ a2: 'garbage', tinyid: first.TinyId })).ErrorCode).toBe(70001);
    sim.expireUserSig('ticket-two');
    expect((await relogin({ a2, tinyid: first.TinyId })).ErrorCode).toBe(70001);
  });
});

describe('answers the SDK loops on', () => {
  it('page_get has CompleteFlag 1, black_list_get StartIndex 0, friend_get CompleteFlag 1', async () => {
    const { c } = await loggedIn();
    expect(await c.request('recentcontact.page_get', {})).toMatchObject({
      CompleteFlag: 1,
      SessionItem: [],
    });
    expect(await c.request('sns.black_list_get', {})).toMatchObject({
      StartIndex: 0,
      BlackListItem: [],
    });
    expect(await c.request('sns.friend_get', {})).toMatchObject({ CompleteFlag: 1, InfoItem: [] });
    expect(await c.request('openim.getmsg', { Cookie: '' })).toMatchObject({
      SyncFlag: 2,
      MsgList: [],
    });
  });

  it('answers the mute query per peer and batch_delete with ResultItem', async () => {
    const { c } = await loggedIn();
    expect(
      await c.request('openim.get_c2c_peer_mute_notifications', { Peer_Account: ['a', 'b'] }),
    ).toMatchObject({
      MuteNotificationsList: [
        { Peer_Account: 'a', MuteNotifications: 0 },
        { Peer_Account: 'b', MuteNotifications: 0 },
      ],
    });
    expect(
      await c.request('recentcontact.batch_delete', {
        ContactItem: [{ To_Account: 'a', Type: 1 }],
        ClearRamble: 1,
      }),
    ).toMatchObject({ ResultItem: [{ ResultCode: 0, To_Account: 'a', Type: 1 }] });
  });

  it('answers an empty simple_sig with an error code (a malformed answer makes the SDK retry forever)', async () => {
    const { c } = await loggedIn();
    expect((await c.request('im_cos_msg.simple_sig', {})).ErrorCode).not.toBe(0);
    const ok = await c.request('im_cos_msg.simple_sig', {
      rpt_upload_object: [{ uint32_file_id: 1, uint32_file_type: 1, str_file_name: 'a.png' }],
    });
    expect(ok).toMatchObject({
      ErrorCode: 0,
      rpt_pre_sig: [{ uint32_file_id: 1, uint32_exist_flag: 0 }],
    });
  });
});

describe('sendmsg', () => {
  it('answers MsgTime/MsgSeq/MsgKey and pushes the message with TinyId and MsgClientTime', async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    const r = await send(a.c, b.userID, 'hi', {
      MsgSeq: 77,
      MsgRandom: 88,
      MsgClientTime: 1_700_000_000,
    });
    expect(r).toMatchObject({ ErrorCode: 0, MsgSeq: 77 });
    expect(r.MsgKey).toBe(`77_88_${String(r.MsgTime)}`);
    const push = await b.c.waitPush((p) => pushedMessage(p) !== undefined);
    expect(pushedMessage(push)).toMatchObject({
      From_Account: a.userID,
      MsgSeq: 77,
      MsgRandom: 88,
      MsgClientTime: 1_700_000_000,
      MsgTimeStamp: r.MsgTime,
      TinyId: sim.backend.store.getUser(a.userID)?.tinyId,
      MsgBody: text('hi'),
    });
  });

  it('stores a resent message once (same seq and random)', async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    const body = { MsgSeq: 5, MsgRandom: 6 };
    const first = await send(a.c, b.userID, 'once', body);
    const second = await send(a.c, b.userID, 'once', body);
    expect(second.MsgKey).toBe(first.MsgKey);
    expect(sim.backend.store.visibleMessages(a.userID, b.userID)).toHaveLength(1);
  });

  it('refuses unknown recipients (20003), bad bodies (90001) and bodies over 12 KB (80002)', async () => {
    const { c } = await loggedIn();
    const b = await loggedIn();
    expect((await send(c, 'never-seen-user', 'x')).ErrorCode).toBe(20003);
    expect(
      (await c.request('openim.sendmsg', { To_Account: b.userID, MsgBody: 'nope' })).ErrorCode,
    ).toBe(90001);
    expect((await send(c, b.userID, 'x'.repeat(13_000))).ErrorCode).toBe(80002);
  });

  it('moderates case-insensitively inside longer texts', async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    expect(await send(a.c, b.userID, 'this has a FORBIDDEN-WORD inside')).toMatchObject({
      ActionStatus: 'FAIL',
      ErrorCode: 80001,
    });
    expect((await send(a.c, b.userID, 'forbidden words are fine')).ErrorCode).toBe(0);
  });
});

describe('history cursor', () => {
  it('pages back with the previous answer’s LastMsgTime + MsgKey, oldest first in each page', async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    for (let i = 1; i <= 20; i++) await send(a.c, b.userID, `m${i}`);
    const page = (LastMsgTime: unknown, MsgKey: unknown) =>
      b.c.request('openim.getroammsg', { Peer_Account: a.userID, MaxCnt: 15, LastMsgTime, MsgKey });
    const p1 = await page(0, '');
    const texts = (r: Json) =>
      (r.MsgList as { MsgBody: { MsgContent: { Text: string } }[] }[]).map(
        (m) => m.MsgBody[0].MsgContent.Text,
      );
    expect(p1).toMatchObject({ Complete: 0, MsgCnt: 15 });
    expect(texts(p1)[0]).toBe('m6');
    expect(texts(p1)[14]).toBe('m20');
    const p2 = await page(p1.LastMsgTime, p1.MsgKey);
    expect(p2).toMatchObject({ Complete: 1, MsgCnt: 5 });
    expect(texts(p2)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });
});

describe('sync cookie', () => {
  it('returns the messages stored since the cookie after a reconnect', async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    const first = await b.c.request('openim.getmsg', { Cookie: '' });
    await send(a.c, b.userID, 'while away');
    const again = await b.c.request('openim.getmsg', { Cookie: first.Cookie });
    expect((again.MsgList as Json[]).map((m) => m.MsgBody)).toEqual([text('while away')]);
    expect(again.C2CPairUnreadCount).toEqual([{ From_Account: a.userID, UnreadCount: 1 }]);
    const third = await b.c.request('openim.getmsg', { Cookie: again.Cookie });
    expect(third.MsgList).toEqual([]);
  });
});

describe('modify and revoke', () => {
  it('refuses a stale MsgVersion with 20027 and the current body', async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    const r = await send(a.c, b.userID, 'v0', { MsgSeq: 10, MsgRandom: 11 });
    const modify = (version: number, t: string) =>
      a.c.request('openim.modify_c2c_msg', {
        From_Account: a.userID,
        To_Account: b.userID,
        MsgSeq: 10,
        MsgRandom: 11,
        MsgTime: r.MsgTime,
        MsgVersion: version,
        MsgBody: text(t),
        CloudCustomData: '',
      });
    expect(await modify(0, 'v1')).toMatchObject({
      ErrorCode: 0,
      MsgVersion: 1,
      MsgBody: text('v1'),
    });
    expect(await modify(0, 'stale')).toMatchObject({
      ErrorCode: 20027,
      MsgVersion: 1,
      MsgBody: text('v1'),
    });
    const push = await b.c.waitPush((p) => JSON.stringify(p).includes('C2cMsgModNotifys'));
    expect(JSON.stringify(push)).toContain('"MsgVersion":1');
  });

  it('lets only the sender revoke, within the revoke window', async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    const r = await send(a.c, b.userID, 'x', { MsgSeq: 20, MsgRandom: 21 });
    const info = {
      From_Account: a.userID,
      To_Account: b.userID,
      MsgSeq: 20,
      MsgRandom: 21,
      MsgTimeStamp: r.MsgTime,
    };
    expect((await b.c.request('openim.msgwithdraw', { MsgInfo: info })).ErrorCode).toBe(20022);
    const stored = sim.backend.store.find({ from: a.userID, to: b.userID, seq: 20, random: 21 });
    if (!stored) throw new Error('not stored');
    stored.time -= 600; // pretend it was sent ten minutes ago
    const late = await a.c.request('openim.msgwithdraw', {
      MsgInfo: { ...info, MsgTimeStamp: stored.time },
    });
    expect(late.ErrorCode).toBe(20016);
    stored.time += 600;
    expect((await a.c.request('openim.msgwithdraw', { MsgInfo: info })).ErrorCode).toBe(0);
    await b.c.waitPush((p) => JSON.stringify(p).includes('WithdrawC2cMsgNotify'));
    expect(stored.revoked).toEqual({ by: a.userID, reason: '' });
  });
});

describe('one login per user', () => {
  it('kicks the older socket of another instance with KickType 2', async () => {
    const first = await loggedIn('twice');
    await loggedIn('twice');
    const push = await first.c.waitPush((p) => JSON.stringify(p).includes('KickoutMsgNotify'));
    expect(push).toEqual({
      EventArray: [{ Event: 7, C2cNotifyMsgArray: [{ KickoutMsgNotify: { KickType: 2 } }] }],
    });
    // Requests already under way on the kicked socket still get answers (the SDK's login-time
    // sync races the kick); new messages are pushed to the new login only.
    expect((await first.c.request('recentcontact.page_get')).CompleteFlag).toBe(1);
    const second = open[open.length - 1];
    const sender = await loggedIn();
    const pushesBefore = first.c.pushes.length;
    await send(sender.c, 'twice', 'for the new login');
    await second.waitPush((p) => pushedMessage(p) !== undefined);
    expect(first.c.pushes.length).toBe(pushesBefore);
  });

  it('replaces the socket silently when the same SDK instance reconnects', async () => {
    const first = await loggedIn('reconnecting', 'same-instance');
    await loggedIn('reconnecting', 'same-instance');
    await new Promise((r) => setTimeout(r, 100));
    expect(first.c.pushes).toEqual([]);
    expect(sim.backend.isUserOnline('reconnecting')).toBe(true);
  });
});

describe('service side', () => {
  it('never throws from send(): a refused service message is logged and matches nothing', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ref = sim.backend.send({
      serviceAccount: '@customer_service_account',
      userID: 'big-reader',
      elems: text('x'.repeat(20_000)),
    });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('80002'));
    warn.mockRestore();
    expect(ref.seq).toBe(0);
    expect(sim.backend.modify(ref, text('y'))).toBe(false);
    expect(sim.backend.store.visibleMessages('big-reader', '@customer_service_account')).toEqual(
      [],
    );
  });

  it('reports online state and the service profile through the port', async () => {
    expect(sim.backend.serviceProfile('@customer_service_account')).toEqual({
      nick: '在线客服',
      avatar: `${sim.httpUrl}/assets/service-avatar.svg`,
    });
    expect(sim.backend.serviceProfile('not-a-service')).toBeUndefined();
    const { userID } = await loggedIn();
    expect(sim.backend.isUserOnline(userID)).toBe(true);
    expect(sim.backend.isUserOnline('offline-user')).toBe(false);
  });
});

/** The Tencent-shaped admin REST API: auth, accounts, sendmsg variants and error envelopes. */
import { request } from 'node:http';

import { type RunningSimulator, startSimulator } from '../../../simulator';
import type { InboundMessage } from '../../../simulator/tccc/port';
import { callRest } from '../../support/rest-client';
import { connectWire, pushedMessage } from '../../support/wire-client';

const SERVICE = '@customer_service_account';
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true, service: false, env: false });
});
afterAll(() => sim.close());

const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

describe('authorisation', () => {
  it('requires the admin identity with a valid UserSig for this app', async () => {
    const body = { UserID: 'x' };
    expect(
      (await callRest(sim, 'im_open_login_svc/account_import', body, { sdkAppID: 1 })).body
        .ErrorCode,
    ).toBe(60006);
    expect(
      (await callRest(sim, 'im_open_login_svc/account_import', body, { identifier: 'bob' })).body
        .ErrorCode,
    ).toBe(60010);
    const wrongUser = await callRest(sim, 'im_open_login_svc/account_import', body, {
      userSig: sim.genUserSig('bob'),
    });
    expect(wrongUser.body.ErrorCode).toBe(70013);
  });

  it('reports a missing sdkappid (60012), an unknown API (60009) and a bad body (60003)', async () => {
    const noApp = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = request(`${sim.httpUrl}/v4/openim/sendmsg`, { method: 'POST' }, (res) => {
        let s = '';
        res.on('data', (c: Buffer) => (s += c.toString()));
        res.on('end', () => resolve(JSON.parse(s) as Record<string, unknown>));
      });
      req.on('error', reject);
      req.end('{}');
    });
    expect(noApp.ErrorCode).toBe(60012);
    expect((await callRest(sim, 'openim/not_a_thing', {})).body.ErrorCode).toBe(60009);
    expect((await callRest(sim, 'constructor', {})).body.ErrorCode).toBe(60009);
    const bad = await callRest(sim, 'im_open_login_svc/account_import', '{not json');
    expect(bad).toEqual({
      status: 200,
      body: expect.objectContaining({ ActionStatus: 'FAIL', ErrorCode: 60003 }),
    });
  });
});

describe('accounts', () => {
  it('imports idempotently with profile, and account_check reports it', async () => {
    const r1 = await callRest(sim, 'im_open_login_svc/account_import', {
      UserID: 'imp',
      Nick: 'Imp',
      FaceUrl: 'http://x/y.png',
    });
    expect(r1.body).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    await callRest(sim, 'im_open_login_svc/account_import', { UserID: 'imp' });
    expect(sim.backend.store.getUser('imp')).toMatchObject({
      nick: 'Imp',
      avatar: 'http://x/y.png',
    });
    const check = await callRest(sim, 'im_open_login_svc/account_check', {
      CheckItem: [{ UserID: 'imp' }, { UserID: 'nope' }],
    });
    expect(check.body.ResultItem).toEqual([
      expect.objectContaining({ UserID: 'imp', AccountStatus: 'Imported' }),
      expect.objectContaining({ UserID: 'nope', AccountStatus: 'NotImported' }),
    ]);
    expect(
      (await callRest(sim, 'im_open_login_svc/account_import', { UserID: '' })).body.ErrorCode,
    ).toBe(70402);
    expect(
      (await callRest(sim, 'im_open_login_svc/account_import', { UserID: 'x'.repeat(33) })).body
        .ErrorCode,
    ).toBe(70402);
  });
});

describe('sendmsg', () => {
  it('stores a user→service message in the user’s conversation and feeds the TCCC listeners', async () => {
    await callRest(sim, 'im_open_login_svc/account_import', { UserID: 'rest-user' });
    const heard: InboundMessage[] = [];
    const off = sim.backend.onUserMessage((m) => heard.push(m));
    const r = await callRest(sim, 'openim/sendmsg', {
      SyncOtherMachine: 1,
      From_Account: 'rest-user',
      To_Account: SERVICE,
      MsgRandom: 42,
      MsgBody: text('hi'),
      CloudCustomData: '{"from":"login-server"}',
    });
    off();
    expect(r.body).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
    expect(r.body.MsgKey).toMatch(/^\d+_42_\d+$/);
    expect(typeof r.body.MsgTime).toBe('number');
    expect(sim.backend.store.listedPeers('rest-user')).toEqual([SERVICE]);
    expect(heard).toEqual([
      {
        serviceAccount: SERVICE,
        userID: 'rest-user',
        elems: text('hi'),
        cloudCustomData: '{"from":"login-server"}',
        onlineOnly: false,
        time: r.body.MsgTime,
      },
    ]);
  });

  it('keeps SyncOtherMachine 2 messages out of the sender’s list, and MsgLifeTime 0 out of storage', async () => {
    await callRest(sim, 'im_open_login_svc/account_import', { UserID: 'quiet-user' });
    await callRest(sim, 'openim/sendmsg', {
      SyncOtherMachine: 2,
      From_Account: 'quiet-user',
      To_Account: SERVICE,
      MsgRandom: 1,
      MsgBody: text('a'),
    });
    expect(sim.backend.store.listedPeers('quiet-user')).toEqual([]);
    expect(sim.backend.store.listedPeers(SERVICE)).toContain('quiet-user');
    await callRest(sim, 'im_open_login_svc/account_import', { UserID: 'ephemeral' });
    await callRest(sim, 'openim/sendmsg', {
      From_Account: SERVICE,
      To_Account: 'ephemeral',
      MsgLifeTime: 0,
      MsgRandom: 2,
      MsgBody: text('b'),
    });
    expect(sim.backend.store.visibleMessages('ephemeral', SERVICE)).toEqual([]);
  });

  it('sends as the admin when From_Account is omitted and pushes to an online user', async () => {
    const c = await connectWire(sim.wsUrl);
    await c.login('pushed-user', sim.genUserSig('pushed-user'), sim.sdkAppID);
    await callRest(sim, 'openim/sendmsg', {
      To_Account: 'pushed-user',
      MsgRandom: 3,
      MsgBody: text('from admin'),
      SendMsgControl: ['NoUnread'],
    });
    const push = await c.waitPush((p) => pushedMessage(p) !== undefined);
    expect(pushedMessage(push)).toMatchObject({
      From_Account: sim.adminUserID,
      MsgBody: text('from admin'),
    });
    expect(sim.backend.store.unreadCount('pushed-user', sim.adminUserID)).toBe(0);
    await c.close();
  });

  it('validates: 20003 unknown accounts, 90002 bad body or no MsgRandom, 80001 moderation', async () => {
    const send = (body: Record<string, unknown>) =>
      callRest(sim, 'openim/sendmsg', {
        From_Account: SERVICE,
        To_Account: 'rest-user',
        MsgRandom: 9,
        MsgBody: text('ok'),
        ...body,
      });
    expect((await send({ To_Account: 'ghost' })).body.ErrorCode).toBe(20003);
    expect((await send({ MsgBody: [] })).body.ErrorCode).toBe(90002);
    expect((await send({ MsgRandom: undefined })).body.ErrorCode).toBe(90002);
    expect((await send({ MsgBody: text('违禁词') })).body.ErrorCode).toBe(80001);
  });

  it('kicks a user through the REST kick API (KickType 3)', async () => {
    const c = await connectWire(sim.wsUrl);
    await c.login('kick-me', sim.genUserSig('kick-me'), sim.sdkAppID);
    await callRest(sim, 'im_open_login_svc/kick', { UserID: 'kick-me' });
    const push = await c.waitPush((p) => JSON.stringify(p).includes('KickType'));
    expect(JSON.stringify(push)).toContain('"KickType":3');
    await c.close();
  });
});

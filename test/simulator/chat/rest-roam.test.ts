/** `openim/admin_getroammsg`: Tencent's request and answer shapes, time window, paging, views. */
import { type RunningSimulator, startSimulator } from '../../../simulator';
import { callRest } from '../../support/rest-client';

const SERVICE = '@customer_service_account';
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true, service: false, env: false });
});
afterAll(() => sim.close());

const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

async function send(from: string, to: string, t: string, random: number, extra = {}) {
  const r = await callRest(sim, 'openim/sendmsg', {
    From_Account: from,
    To_Account: to,
    MsgRandom: random,
    MsgBody: text(t),
    ...extra,
  });
  expect(r.body.ErrorCode).toBe(0);
  return r.body as { MsgKey: string; MsgTime: number };
}

const roam = (body: Record<string, unknown>) => callRest(sim, 'openim/admin_getroammsg', body);

describe('admin_getroammsg', () => {
  it('answers the pair’s messages in the window, newest first, in Tencent’s shape', async () => {
    await callRest(sim, 'im_open_login_svc/account_import', { UserID: 'roam-user' });
    const first = await send('roam-user', SERVICE, '你好', 11);
    const reply = await send(SERVICE, 'roam-user', '您好，请问有什么可以帮您', 12, {
      CloudCustomData: 'ccd',
    });
    const now = reply.MsgTime;
    const answer = await roam({
      Operator_Account: 'roam-user',
      Peer_Account: SERVICE,
      MaxCnt: 100,
      MinTime: now - 60,
      MaxTime: now + 60,
    });
    const [seq, random, time] = reply.MsgKey.split('_').map(Number);
    expect(answer).toEqual({
      status: 200,
      body: {
        ActionStatus: 'OK',
        ErrorCode: 0,
        ErrorInfo: '',
        Complete: 1,
        MsgCnt: 2,
        LastMsgTime: first.MsgTime,
        LastMsgKey: first.MsgKey,
        MsgList: [
          {
            From_Account: SERVICE,
            To_Account: 'roam-user',
            MsgSeq: seq,
            MsgRandom: random,
            MsgTimeStamp: time,
            MsgFlagBits: 0,
            IsPeerRead: 0,
            MsgKey: reply.MsgKey,
            MsgBody: text('您好，请问有什么可以帮您'),
            CloudCustomData: 'ccd',
          },
          expect.objectContaining({ MsgKey: first.MsgKey, From_Account: 'roam-user' }),
        ],
      },
    });
    // Either side can be the operator: the same pair, the same messages.
    const fromService = await roam({
      Operator_Account: SERVICE,
      Peer_Account: 'roam-user',
      MaxCnt: 100,
      MinTime: now - 60,
      MaxTime: now + 60,
    });
    expect(fromService.body.MsgCnt).toBe(2);
    // Outside the window: nothing.
    const before = await roam({
      Operator_Account: 'roam-user',
      Peer_Account: SERVICE,
      MaxCnt: 100,
      MinTime: now - 600,
      MaxTime: first.MsgTime - 1,
    });
    expect(before.body).toMatchObject({ Complete: 1, MsgCnt: 0, MsgList: [] });
  });

  it('pages with MaxCnt and LastMsgKey until Complete', async () => {
    await callRest(sim, 'im_open_login_svc/account_import', { UserID: 'roam-pager' });
    const keys: string[] = [];
    for (let i = 0; i < 5; i++)
      keys.push((await send(SERVICE, 'roam-pager', `m${i}`, 100 + i)).MsgKey);
    const window = { MinTime: 0, MaxTime: Math.floor(Date.now() / 1000) + 60 };
    const seen: string[] = [];
    let last: string | undefined;
    for (let page = 0; page < 5; page++) {
      const r = await roam({
        Operator_Account: 'roam-pager',
        Peer_Account: SERVICE,
        MaxCnt: 2,
        ...window,
        ...(last ? { LastMsgKey: last } : {}),
      });
      const list = r.body.MsgList as { MsgKey: string }[];
      seen.push(...list.map((m) => m.MsgKey));
      if (r.body.Complete === 1) break;
      last = String(r.body.LastMsgKey);
    }
    expect(seen).toEqual([...keys].reverse());
  });

  it('leaves out what the operator cannot see and marks revoked messages', async () => {
    await callRest(sim, 'im_open_login_svc/account_import', { UserID: 'roam-quiet' });
    await send('roam-quiet', SERVICE, 'hidden from me', 201, { SyncOtherMachine: 2 });
    const shown = await send(SERVICE, 'roam-quiet', 'to be revoked', 202);
    const [seq, random, time] = shown.MsgKey.split('_').map(Number);
    const stored = sim.backend.store.find({ from: SERVICE, to: 'roam-quiet', seq, random, time });
    if (!stored) throw new Error('message not stored');
    sim.backend.applyRevoke(stored, SERVICE, '');
    const r = await roam({
      Operator_Account: 'roam-quiet',
      Peer_Account: SERVICE,
      MaxCnt: 10,
      MinTime: 0,
      MaxTime: time + 10,
    });
    expect(r.body.MsgList).toEqual([
      expect.objectContaining({ MsgKey: shown.MsgKey, MsgFlagBits: 8 }),
    ]);
  });

  it('refuses bad requests with an error envelope', async () => {
    const bad = [
      {},
      { Operator_Account: 'nobody-here', Peer_Account: SERVICE, MaxCnt: 1, MinTime: 0, MaxTime: 1 },
      { Operator_Account: SERVICE, Peer_Account: SERVICE, MaxCnt: 1, MinTime: 5, MaxTime: 1 },
      { Operator_Account: SERVICE, Peer_Account: SERVICE, MaxCnt: 0, MinTime: 0, MaxTime: 1 },
    ];
    const codes = [];
    for (const body of bad) {
      const r = await roam(body);
      expect(r.status).toBe(200);
      expect(r.body.ActionStatus).toBe('FAIL');
      codes.push(r.body.ErrorCode);
    }
    expect(codes).toEqual([90001, 20003, 90001, 90001]);
  });
});

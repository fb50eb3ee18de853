import { createHash } from 'node:crypto';
import { formatChinaTime, previewOf } from '../../server/notifications';
import type { Harness, LoginBody } from './support/harness';
import {
  CALLBACK_TOKEN,
  SERVICE_ACCOUNTS,
  TEMPLATE_ID,
  login,
  startHarness,
} from './support/harness';

const AGENT = SERVICE_ACCOUNTS[0] as string;
const AWAY_MS = 91_000;
const text = (value: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: value } }];
const custom = (data: object) => [
  { MsgType: 'TIMCustomElem', MsgContent: { Data: JSON.stringify(data), Desc: '', Ext: '' } },
];

function callbackUrl(h: Harness, overrides: Record<string, string> = {}): string {
  const requestTime = String(Math.floor(h.clock.now() / 1000));
  const query = new URLSearchParams({
    SdkAppid: String(h.im.sdkAppID),
    CallbackCommand: 'C2C.CallbackAfterSendMsg',
    contenttype: 'json',
    ClientIP: '127.0.0.1',
    OptPlatform: 'RESTAPI',
    RequestTime: requestTime,
    Sign: createHash('sha256')
      .update(CALLBACK_TOKEN + requestTime)
      .digest('hex'),
    ...overrides,
  });
  return `/im/callback?${query.toString()}`;
}

/**
 * The message is stored at the fake Chat REST API (as Tencent would have it) and its callback is
 * posted; with `stored: false` only the callback exists (a forgery).
 */
async function afterSend(
  h: Harness,
  from: string,
  to: string,
  msgBody: unknown,
  extra: Record<string, unknown> = {},
  stored = true,
) {
  const message = {
    From_Account: from,
    To_Account: to,
    MsgBody: msgBody,
    MsgTimeStamp: 1735787040, // 2025-01-02 11:04 in China
  };
  const { MsgSeq, MsgRandom, MsgKey } = stored
    ? h.im.addMessage(message)
    : { MsgSeq: 9, MsgRandom: 9, MsgKey: '9_9_1735787040' };
  const response = await h.app.inject({
    method: 'POST',
    url: callbackUrl(h),
    payload: {
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      From_Account: from,
      To_Account: to,
      MsgSeq,
      MsgRandom,
      MsgTime: message.MsgTimeStamp,
      MsgKey,
      OnlineOnlyFlag: 0,
      SendMsgResult: 0,
      ErrorInfo: 'send msg succeed',
      UnreadMsgNum: 1,
      MsgBody: msgBody,
      ...extra,
    },
  });
  expect(response.statusCode).toBe(200);
  expect(response.json()).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
  await h.app.backgroundIdle();
}

async function subscribe(h: Harness, user: LoginBody, accepted: Record<string, string>) {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/subscriptions',
    payload: { sessionToken: user.sessionToken, accepted },
  });
  return response;
}

async function quota(h: Harness, user: LoginBody): Promise<number> {
  const response = await subscribe(h, user, {});
  return response.json<{ quota: Record<string, number> }>().quota[TEMPLATE_ID] ?? -1;
}

describe('reply notifications', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('sends one subscribe message deep-linking to the chat and spends the quota', async () => {
    const user = await login(h, 'nora');
    const recorded = await subscribe(h, user, { [TEMPLATE_ID]: 'accept', other_tmpl: 'accept' });
    expect(recorded.statusCode).toBe(200);
    expect(recorded.json()).toEqual({ quota: { [TEMPLATE_ID]: 1 }, ignored: ['other_tmpl'] });

    h.clock.advance(AWAY_MS);
    await afterSend(h, AGENT, user.userID, text('您好，您的订单已经发货了，请注意查收快递信息'));
    expect(h.wechat.sent).toEqual([
      {
        touser: h.wechat.openidFor('nora'),
        template_id: TEMPLATE_ID,
        page: `pages/chat/chat?account=${encodeURIComponent(AGENT)}&from=subscribe`,
        data: {
          thing1: { value: '您好，您的订单已经发货了，请注意查收快…' },
          time2: { value: '2025年1月2日 11:04' },
        },
        miniprogram_state: 'formal',
        lang: 'zh_CN',
        receivedAt: expect.any(Number),
      },
    ]);
    expect(Array.from(h.wechat.sent[0]?.data.thing1?.value ?? '')).toHaveLength(20);
    expect(await quota(h, user)).toBe(0);

    await afterSend(h, AGENT, user.userID, text('还在吗？'));
    expect(h.wechat.sent).toHaveLength(1);
  });

  it('does not send when the quota is 0', async () => {
    const user = await login(h, 'olga');
    await subscribe(h, user, { [TEMPLATE_ID]: 'reject' });
    h.clock.advance(AWAY_MS);
    await afterSend(h, AGENT, user.userID, text('hello'));
    expect(h.wechat.sent).toHaveLength(0);
    expect(h.wechat.calls.send).toBe(0);
  });

  it('does not send while the user is present (login, heartbeat or own message)', async () => {
    const user = await login(h, 'pete');
    await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    await afterSend(h, AGENT, user.userID, text('right after login'));
    expect(h.wechat.sent).toHaveLength(0);

    h.clock.advance(60_000);
    const beat = await h.app.inject({
      method: 'POST',
      url: '/api/presence',
      payload: { sessionToken: user.sessionToken },
    });
    expect(beat.json()).toEqual({ ok: true, awayAfterSeconds: 90 });
    h.clock.advance(60_000);
    await afterSend(h, AGENT, user.userID, text('after a heartbeat'));
    expect(h.wechat.sent).toHaveLength(0);

    h.clock.advance(60_000);
    await afterSend(h, user.userID, AGENT, text('my own question'));
    h.clock.advance(60_000);
    await afterSend(h, AGENT, user.userID, text('answer'));
    expect(h.wechat.sent).toHaveLength(0);
    expect(await quota(h, user)).toBe(1);

    h.clock.advance(AWAY_MS);
    await afterSend(h, AGENT, user.userID, text('now away'));
    expect(h.wechat.sent).toHaveLength(1);
  });

  it('treats an explicit away heartbeat as away at once', async () => {
    const user = await login(h, 'quin');
    await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    await h.app.inject({
      method: 'POST',
      url: '/api/presence',
      payload: { sessionToken: user.sessionToken, state: 'away' },
    });
    await afterSend(h, AGENT, user.userID, text('hi'));
    expect(h.wechat.sent).toHaveLength(1);
  });

  it('notifies once per absence, again after the user came back', async () => {
    const user = await login(h, 'rita');
    await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    expect(await quota(h, user)).toBe(3);
    h.clock.advance(AWAY_MS);
    await afterSend(h, AGENT, user.userID, text('one'));
    await afterSend(h, AGENT, user.userID, text('two'));
    expect(h.wechat.sent).toHaveLength(1);
    expect(await quota(h, user)).toBe(2);

    await h.app.inject({
      method: 'POST',
      url: '/api/presence',
      payload: { sessionToken: user.sessionToken },
    });
    h.clock.advance(AWAY_MS);
    await afterSend(h, AGENT, user.userID, text('three'));
    expect(h.wechat.sent).toHaveLength(2);
    expect(await quota(h, user)).toBe(1);
  });

  it('ignores hidden protocol messages, online-only and failed sends', async () => {
    const user = await login(h, 'sam');
    await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    h.clock.advance(AWAY_MS);
    await afterSend(h, AGENT, user.userID, custom({ customerServicePlugin: 0, src: '12' }));
    await afterSend(
      h,
      AGENT,
      user.userID,
      custom({ customerServicePlugin: 0, src: '23', content: { menuSendRuleFlag: 4 } }),
    );
    await afterSend(h, AGENT, user.userID, text('typing'), { OnlineOnlyFlag: 1 });
    await afterSend(h, AGENT, user.userID, text('failed'), { SendMsgResult: 20003 });
    await afterSend(h, AGENT, SERVICE_ACCOUNTS[1] as string, text('between agents'));
    expect(h.wechat.sent).toHaveLength(0);
    await afterSend(
      h,
      AGENT,
      user.userID,
      custom({
        customerServicePlugin: 0,
        src: '15',
        content: { header: '请选择问题类型', items: [] },
      }),
    );
    expect(h.wechat.sent.map((m) => m.data.thing1?.value)).toEqual(['请选择问题类型']);
  });

  it('trusts WeChat when it says the user has no subscription left (43101)', async () => {
    const user = await login(h, 'tina');
    await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    h.clock.advance(AWAY_MS);
    h.wechat.failNext('send', 43101);
    await afterSend(h, AGENT, user.userID, text('hello'));
    expect(h.wechat.sent).toHaveLength(0);
    expect(await quota(h, user)).toBe(0);
  });

  it('gives the quota back and retries on the next reply when WeChat fails', async () => {
    const user = await login(h, 'uma');
    await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    h.clock.advance(AWAY_MS);
    h.wechat.failNext('send', -1);
    await afterSend(h, AGENT, user.userID, text('first'));
    expect(h.wechat.sent).toHaveLength(0);
    expect(await quota(h, user)).toBe(1);
    expect(h.logs.join('\n')).toContain('reply notification failed');
    await afterSend(h, AGENT, user.userID, text('second'));
    expect(h.wechat.sent.map((m) => m.data.thing1?.value)).toEqual(['second']);
  });

  it('caches the access token and refreshes it when WeChat calls it invalid', async () => {
    const users = [await login(h, 'v1'), await login(h, 'v2'), await login(h, 'v3')];
    for (const user of users) await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    h.clock.advance(AWAY_MS);
    await afterSend(h, AGENT, users[0]!.userID, text('a'));
    await afterSend(h, AGENT, users[1]!.userID, text('b'));
    expect(h.wechat.sent).toHaveLength(2);
    expect(h.wechat.calls.token).toBe(1);
    h.wechat.expireTokens();
    await afterSend(h, AGENT, users[2]!.userID, text('c'));
    expect(h.wechat.sent).toHaveLength(3);
    expect(h.wechat.calls.token).toBe(2);
    expect(h.wechat.calls.send).toBe(4);
  });

  it('refreshes the access token before it expires', async () => {
    const users = [await login(h, 'w1'), await login(h, 'w2')];
    for (const user of users) await subscribe(h, user, { [TEMPLATE_ID]: 'accept' });
    h.clock.advance(AWAY_MS);
    await afterSend(h, AGENT, users[0]!.userID, text('a'));
    h.clock.advance(7200_000 - 4 * 60_000); // inside the 5-minute margin
    await afterSend(h, AGENT, users[1]!.userID, text('b'));
    expect(h.wechat.calls.token).toBe(2);
    expect(h.wechat.sent).toHaveLength(2);
  });
});

describe('POST /api/subscriptions', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('counts acceptances, ignores rejections and caps the quota', async () => {
    const user = await login(h, 'yuri');
    expect((await subscribe(h, user, { [TEMPLATE_ID]: 'reject' })).json()).toEqual({
      quota: { [TEMPLATE_ID]: 0 },
      ignored: [],
    });
    for (let i = 0; i < 60; i += 1) {
      if (i % 20 === 0) h.clock.advance(60_000); // stay under the per-user rate limit
      expect((await subscribe(h, user, { [TEMPLATE_ID]: 'accept' })).statusCode).toBe(200);
    }
    expect(await quota(h, user)).toBe(50);
    await subscribe(h, user, { [TEMPLATE_ID]: 'ban' });
    expect(await quota(h, user)).toBe(50);
  });

  it.each([
    ['an unknown decision', { accepted: { [TEMPLATE_ID]: 'maybe' } }, 400, 'invalid-request'],
    ['a non-object accepted', { accepted: 'accept' }, 400, 'invalid-request'],
    [
      'too many templates',
      { accepted: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`t${i}`, 'accept'])) },
      400,
      'invalid-request',
    ],
    ['a bad template id', { accepted: { 'bad id!': 'accept' } }, 400, 'invalid-request'],
    ['a missing accepted', {}, 400, 'invalid-request'],
  ])('rejects %s', async (_label, body, status, error) => {
    const user = await login(h, 'zed');
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      payload: { sessionToken: user.sessionToken, ...body },
    });
    expect(response.statusCode).toBe(status);
    expect(response.json().error).toBe(error);
  });

  it('requires a valid session', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/subscriptions',
      payload: { sessionToken: 'v1.x.y', accepted: {} },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('session-expired');
  });
});

describe('POST /im/callback authentication', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const body = {
    CallbackCommand: 'C2C.CallbackAfterSendMsg',
    From_Account: 'a',
    To_Account: 'b',
    MsgBody: [],
  };

  it.each([
    ['another SdkAppid', { SdkAppid: '1400999999' }],
    ['a wrong Sign', { Sign: 'f'.repeat(64) }],
    ['a missing Sign', { Sign: '' }],
    [
      'a stale RequestTime',
      {
        RequestTime: '1000000000',
        Sign: createHash('sha256').update(`${CALLBACK_TOKEN}1000000000`).digest('hex'),
      },
    ],
    [
      'a non-numeric RequestTime',
      {
        RequestTime: 'abc',
        Sign: createHash('sha256').update(`${CALLBACK_TOKEN}abc`).digest('hex'),
      },
    ],
  ])('answers 403 for %s', async (_label, overrides) => {
    const response = await h.app.inject({
      method: 'POST',
      url: callbackUrl(h, overrides),
      payload: body,
    });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ error: 'forbidden', message: expect.any(String) });
  });

  it('acknowledges other callback commands without acting', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: callbackUrl(h, { CallbackCommand: 'State.StateChange' }),
      payload: { CallbackCommand: 'State.StateChange', Info: { Action: 'Login', To_Account: 'x' } },
    });
    expect(response.json()).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
  });

  it('answers 400 when the accounts are missing', async () => {
    const response = await h.app.inject({
      method: 'POST',
      url: callbackUrl(h),
      payload: { CallbackCommand: 'C2C.CallbackAfterSendMsg' },
    });
    expect(response.statusCode).toBe(400);
  });

  it('needs no Sign with IM_CALLBACK_UNSIGNED=allow and no token', async () => {
    const open = await startHarness({ IM_CALLBACK_TOKEN: '', IM_CALLBACK_UNSIGNED: 'allow' });
    try {
      const response = await open.app.inject({
        method: 'POST',
        url: `/im/callback?SdkAppid=${open.im.sdkAppID}&CallbackCommand=C2C.CallbackAfterSendMsg`,
        payload: body,
      });
      expect(response.statusCode).toBe(200);
    } finally {
      await open.close();
    }
  });

  it('records nothing when notifications are not configured', async () => {
    const off = await startHarness({ SUBSCRIBE_TEMPLATE_ID: '' });
    try {
      const user = await login(off, 'off');
      const response = await subscribe(off, user, { [TEMPLATE_ID]: 'accept' });
      expect(response.json()).toEqual({ quota: {}, ignored: [TEMPLATE_ID] });
      off.clock.advance(AWAY_MS);
      await afterSend(off, AGENT, user.userID, text('hi'));
      expect(off.wechat.sent).toHaveLength(0);
    } finally {
      await off.close();
    }
  });
});

describe('previewOf', () => {
  it.each([
    [text('hi'), 'hi'],
    [[{ MsgType: 'TIMImageElem', MsgContent: {} }], '[图片]'],
    [custom({ customerServicePlugin: 0, src: '9', menuContent: {} }), '请对本次服务进行评价'],
    [custom({ customerServicePlugin: 0, src: '30', content: '**Bold** <b>text</b>' }), 'Bold text'],
    [
      custom({ customerServicePlugin: 0, src: '31', chunks: ['Hel', 'lo'], isFinished: 1 }),
      'Hello',
    ],
    [custom({ customerServicePlugin: 0, src: '22', content: { header: '商品A' } }), '商品A'],
    [custom({ some: 'app data' }), '您有一条新的客服消息'],
    [
      custom({ customerServicePlugin: 0, src: '26', content: { command: 'updateSeatStatus' } }),
      undefined,
    ],
    [[], undefined],
    ['not an array', undefined],
    [[{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{bad json' } }], '您有一条新的客服消息'],
  ])('previews %j as %j', (body, expected) => {
    expect(previewOf(body)).toBe(expected);
  });

  it('formats China time', () => {
    expect(formatChinaTime(Date.UTC(2024, 11, 31, 16, 5))).toBe('2025年1月1日 00:05');
  });
});

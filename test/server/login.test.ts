import { HANDSHAKE_DATA } from '../../server/activation';
import { verifyUserSig } from '../../server/usersig';
import type { Harness, LoginBody } from './support/harness';
import { SERVICE_ACCOUNTS, login, startHarness } from './support/harness';

const sendCalls = (h: Harness, userID?: string) =>
  h.im.calls.filter(
    (call) =>
      call.command === 'sendmsg' && (userID === undefined || call.body.From_Account === userID),
  );

describe('POST /api/login', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('exchanges a code for a UserSig the IM backend accepts', async () => {
    const before = Date.now();
    const body = await login(h, 'alice');
    expect(body.sdkAppID).toBe(h.im.sdkAppID);
    expect(body.userID).toMatch(/^wx[0-9a-f]{30}$/);
    expect(body.serviceAccounts).toEqual(SERVICE_ACCOUNTS);
    expect(typeof body.sessionToken).toBe('string');
    const check = verifyUserSig(body.userSig, h.im.sdkAppID, h.im.secretKey);
    expect(check.ok && check.claims.identifier).toBe(body.userID);
    expect(check.ok && check.claims.expire).toBe(7 * 24 * 3600);
    // expireAt is epoch ms, seven days out.
    expect(body.expireAt).toBeGreaterThanOrEqual(before + 7 * 24 * 3600 * 1000 - 1000);
    expect(body.expireAt).toBeLessThanOrEqual(Date.now() + 7 * 24 * 3600 * 1000);
    expect(h.im.imported.has(body.userID)).toBe(true);
    for (const account of SERVICE_ACCOUNTS) expect(h.im.imported.has(account)).toBe(true);
  });

  it('maps one WeChat user to one stable userID that does not reveal the openid', async () => {
    const first = await login(h, 'bob');
    const second = await login(h, 'bob');
    const other = await login(h, 'carol');
    expect(second.userID).toBe(first.userID);
    expect(other.userID).not.toBe(first.userID);
    expect(first.userID).not.toContain(h.wechat.openidFor('bob'));
    expect(first.sessionToken).not.toContain(h.wechat.openidFor('bob'));
  });

  it('activates each service account once with the hidden src 7 handshake', async () => {
    const { userID } = await login(h, 'dave');
    const calls = sendCalls(h, userID);
    expect(calls.map((call) => call.body.To_Account)).toEqual(SERVICE_ACCOUNTS);
    for (const call of calls) {
      expect(call.body.SyncOtherMachine).toBe(1);
      expect(call.body).not.toHaveProperty('MsgLifeTime');
      expect(JSON.stringify(call.body)).not.toContain('NoLastMsg');
      expect(call.body.MsgBody).toEqual([
        { MsgType: 'TIMCustomElem', MsgContent: { Data: HANDSHAKE_DATA, Desc: '', Ext: '' } },
      ]);
      expect(JSON.parse(HANDSHAKE_DATA)).toEqual({ customerServicePlugin: 0, src: '7' });
      expect(Number.isInteger(call.body.MsgRandom)).toBe(true);
    }
    await login(h, 'dave');
    expect(sendCalls(h, userID)).toHaveLength(SERVICE_ACCOUNTS.length);
  });

  it('starts the flow in the user’s language, and refuses a language it does not know', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { code: h.code('frank'), language: 'en' },
    });
    expect(res.statusCode).toBe(200);
    const calls = sendCalls(h, res.json<LoginBody>().userID);
    expect(calls).toHaveLength(SERVICE_ACCOUNTS.length);
    for (const call of calls) {
      const data = (call.body.MsgBody as Array<{ MsgContent: { Data: string } }>)[0].MsgContent
        .Data;
      expect(JSON.parse(data)).toEqual({
        customerServicePlugin: 0,
        src: '7',
        triggeredContent: { language: 'en' },
      });
    }
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { code: h.code('gina'), language: 'fr' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('sends the activation once under 5 concurrent logins', async () => {
    h.im.sendDelayMs = 50;
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        h.app.inject({ method: 'POST', url: '/api/login', payload: { code: h.code('erin') } }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const userIDs = new Set(responses.map((r) => r.json<LoginBody>().userID));
    expect(userIDs.size).toBe(1);
    const [userID] = [...userIDs];
    expect(sendCalls(h, userID)).toHaveLength(SERVICE_ACCOUNTS.length);
  });

  it('retries a failed activation on the next login without failing the login', async () => {
    h.im.failNext('sendmsg', 90001);
    const first = await login(h, 'frank');
    expect(first.userSig).not.toBe('');
    expect(sendCalls(h, first.userID)).toHaveLength(1);
    expect(h.logs.join('\n')).toContain('service activation failed');

    await login(h, 'frank');
    const calls = sendCalls(h, first.userID);
    expect(calls.map((call) => call.body.To_Account)).toEqual([
      SERVICE_ACCOUNTS[0],
      SERVICE_ACCOUNTS[0],
      SERVICE_ACCOUNTS[1],
    ]);
    // The retry is the same message to the IM backend's de-duplication.
    expect(calls[1]?.body.MsgRandom).toBe(calls[0]?.body.MsgRandom);

    await login(h, 'frank');
    expect(sendCalls(h, first.userID)).toHaveLength(3);
  });

  it('retries after the second service account fails, without resending to the first', async () => {
    // The first account's send succeeds; the connection drops on the second's.
    h.im.failNext('sendmsg', 0, 1, 1);
    const first = await login(h, 'gina');
    expect(sendCalls(h, first.userID)).toHaveLength(2);
    await login(h, 'gina');
    expect(sendCalls(h, first.userID).map((c) => c.body.To_Account)).toEqual([
      SERVICE_ACCOUNTS[0],
      SERVICE_ACCOUNTS[1],
      SERVICE_ACCOUNTS[1],
    ]);
  });

  it('answers within the activation wait when the IM backend is slow, and finishes later', async () => {
    h.im.sendDelayMs = 4500;
    const started = Date.now();
    const body = await login(h, 'slow');
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(2900);
    expect(elapsed).toBeLessThan(4400);
    expect(body.userSig).not.toBe('');
    h.im.sendDelayMs = 0;
    await h.app.close(); // waits for the running activation
    expect(sendCalls(h, body.userID)).toHaveLength(SERVICE_ACCOUNTS.length);
  }, 15_000);

  it('fails the login with 502 when the user cannot be imported', async () => {
    h.im.failNext('account_import', 0);
    const dropped = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { code: h.code('hank') },
    });
    expect(dropped.statusCode).toBe(502);
    expect(dropped.json()).toEqual({ error: 'im-unavailable', message: expect.any(String) });

    h.im.failNext('account_import', 70169);
    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/login',
      payload: { code: h.code('hank') },
    });
    expect(refused.statusCode).toBe(502);
    expect(refused.json().error).toBe('im-error');
    expect(h.logs.join('\n')).toContain('account_import failed');

    const ok = await login(h, 'hank');
    expect(sendCalls(h, ok.userID)).toHaveLength(SERVICE_ACCOUNTS.length);
  });

  it('retries importing the service accounts after a failure', async () => {
    // Call 1 imports the user, call 2 the first service account.
    h.im.failNext('account_import', 90001, 1, 1);
    const first = await login(h, 'iris');
    expect(sendCalls(h, first.userID)).toHaveLength(0);
    expect(h.logs.join('\n')).toContain('service account import failed');
    await login(h, 'iris');
    expect(sendCalls(h, first.userID)).toHaveLength(SERVICE_ACCOUNTS.length);
  });
});

describe('activation in text mode', () => {
  it('sends the configured text instead of the handshake', async () => {
    const h = await startHarness({ ACTIVATION_MODE: 'text', ACTIVATION_TEXT: '你好，我需要帮助' });
    try {
      const { userID } = await login(h, 'ivan');
      const calls = sendCalls(h, userID);
      expect(calls).toHaveLength(SERVICE_ACCOUNTS.length);
      expect(calls[0]?.body.MsgBody).toEqual([
        { MsgType: 'TIMTextElem', MsgContent: { Text: '你好，我需要帮助' } },
      ]);
    } finally {
      await h.close();
    }
  });
});

describe('POST /api/refresh', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ SESSION_TTL_SECONDS: '3600' });
  });
  afterEach(async () => {
    await h.close();
  });

  it('issues a new UserSig for a valid session', async () => {
    const first = await login(h, 'judy');
    // UserSigs are stamped with the wall clock (tls-sig-api-v2): move it 5 s on.
    const realNow = Date.now.bind(Date);
    const later = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 5000);
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/refresh',
      payload: { sessionToken: first.sessionToken },
    });
    later.mockRestore();
    expect(response.statusCode).toBe(200);
    const body = response.json<LoginBody>();
    expect(body.userID).toBe(first.userID);
    expect(body.userSig).not.toBe(first.userSig);
    expect(body.expireAt).toBeGreaterThan(first.expireAt);
    expect(body.sessionToken).toBe(first.sessionToken);
    expect(
      verifyUserSig(body.userSig, h.im.sdkAppID, h.im.secretKey, Math.floor(h.clock.now() / 1000))
        .ok,
    ).toBe(true);
    // Refresh never talks to WeChat or re-activates.
    expect(h.wechat.calls.jscode2session).toBe(1);
  });

  it.each([
    ['an expired session', (token: string) => token, 3601 * 1000],
    ['a tampered token', (token: string) => `${token.slice(0, -2)}AA`, 0],
    [
      'a token with a forged payload',
      (token: string) => token.replace(/^v1\.[^.]+/, 'v1.eyJ1IjoieCJ9'),
      0,
    ],
    ['garbage', () => 'not-a-token', 0],
  ])('answers 401 session-expired for %s', async (_label, mutate, advanceMs) => {
    const first = await login(h, 'kate');
    h.clock.advance(advanceMs);
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/refresh',
      payload: { sessionToken: mutate(first.sessionToken) },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toEqual({ error: 'session-expired', message: expect.any(String) });
  });
});

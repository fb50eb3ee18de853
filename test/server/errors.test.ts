import type { Harness } from './support/harness';
import { CALLBACK_TOKEN, login, startHarness } from './support/harness';
import { fetchJson } from '../../server/http-json';

const post = (
  h: Harness,
  url: string,
  payload: string | object,
  contentType = 'application/json',
) =>
  h.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': contentType },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

function expectError(
  response: { statusCode: number; json(): unknown; headers: Record<string, unknown> },
  status: number,
  error: string,
) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.json()).toEqual({ error, message: expect.any(String) });
}

describe('error answers', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('answers GET /healthz', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it.each([
    ['truncated JSON', '{"code":'],
    ['not JSON at all', 'code=demo-a'],
    ['an empty body', ''],
    ['a prototype-poisoning body', '{"code":"demo-x","__proto__":{"admin":true}}'],
  ])('answers 400 bad-json for %s', async (_label, body) => {
    expectError(await post(h, '/api/login', body), 400, 'bad-json');
  });

  it.each([
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
  ])('answers 415 for content type %s', async (type) => {
    expectError(
      await post(h, '/api/login', '{"code":"demo-a"}', type),
      415,
      'unsupported-media-type',
    );
  });

  it('answers 413 for a huge body', async () => {
    expectError(
      await post(h, '/api/login', { code: 'demo-a', pad: 'x'.repeat(20_000) }),
      413,
      'body-too-large',
    );
  });

  it.each([
    ['a missing code', {}],
    ['a numeric code', { code: 123 }],
    ['an empty code', { code: '' }],
    ['a code with spaces', { code: 'demo a' }],
    ['a very long code', { code: `demo-${'a'.repeat(200)}` }],
    ['an array body', [1, 2]],
    ['a null code', { code: null }],
  ])('answers 400 invalid-request for %s', async (_label, body) => {
    expectError(await post(h, '/api/login', body), 400, 'invalid-request');
    expect(h.wechat.calls.jscode2session).toBe(0);
  });

  it('answers 400 invalid-code for a code WeChat does not know', async () => {
    expectError(await post(h, '/api/login', { code: 'not-a-demo-code' }), 400, 'invalid-code');
  });

  it('answers 400 code-used for a reused code', async () => {
    const code = h.code('reuse');
    expect((await post(h, '/api/login', { code })).statusCode).toBe(200);
    expectError(await post(h, '/api/login', { code }), 400, 'code-used');
  });

  it('answers 429 with Retry-After when WeChat rate-limits (45011)', async () => {
    h.wechat.failNext('jscode2session', 45011);
    const response = await post(h, '/api/login', { code: h.code('busy') });
    expectError(response, 429, 'wechat-rate-limited');
    expect(response.headers['retry-after']).toBe('60');
  });

  it('answers 503 when WeChat is busy (-1) and 403 for a high-risk user (40226)', async () => {
    h.wechat.failNext('jscode2session', -1);
    expectError(await post(h, '/api/login', { code: h.code('x') }), 503, 'wechat-busy');
    h.wechat.failNext('jscode2session', 40226);
    expectError(await post(h, '/api/login', { code: h.code('x') }), 403, 'user-blocked');
  });

  it('answers 502 and logs an error when the AppSecret is wrong (40125)', async () => {
    h.wechat.failNext('jscode2session', 40125);
    expectError(await post(h, '/api/login', { code: h.code('x') }), 502, 'wechat-error');
    expect(
      h.logs.some((line) => line.includes('"level":50') && line.includes('jscode2session failed')),
    ).toBe(true);
  });

  it('answers 404 not-found as JSON for unknown routes and methods', async () => {
    expectError(await h.app.inject({ method: 'GET', url: '/nope' }), 404, 'not-found');
    expectError(await h.app.inject({ method: 'GET', url: '/api/login' }), 404, 'not-found');
    expectError(await h.app.inject({ method: 'DELETE', url: '/healthz' }), 404, 'not-found');
  });

  it('answers CORS preflights for listed origins only', async () => {
    const allowed = await h.app.inject({
      method: 'OPTIONS',
      url: '/api/login',
      headers: { origin: 'http://127.0.0.1:9400', 'access-control-request-method': 'POST' },
    });
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://127.0.0.1:9400');
    expect(allowed.headers['access-control-allow-methods']).toContain('POST');
    expect(allowed.headers['access-control-allow-headers']).toBe('content-type');

    const denied = await h.app.inject({
      method: 'OPTIONS',
      url: '/api/login',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expectError(denied, 403, 'forbidden');
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();

    const simple = await h.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'http://127.0.0.1:9400' },
    });
    expect(simple.headers['access-control-allow-origin']).toBe('http://127.0.0.1:9400');
    expect(simple.headers.vary).toContain('Origin');
    const other = await h.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { origin: 'http://evil.example' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('keeps secrets, codes, UserSigs and session tokens out of the logs', async () => {
    const code = h.code('secretive');
    const response = await post(h, '/api/login', { code });
    const body = response.json<{ userSig: string; sessionToken: string; userID: string }>();
    await post(h, '/api/refresh', { sessionToken: body.sessionToken });
    await post(h, '/api/login', { code }); // reused: logged as a failure
    const requestTime = String(Math.floor(Date.now() / 1000));
    const { createHash } = await import('node:crypto');
    const sign = createHash('sha256')
      .update(CALLBACK_TOKEN + requestTime)
      .digest('hex');
    await post(
      h,
      `/im/callback?SdkAppid=${h.im.sdkAppID}&CallbackCommand=C2C.CallbackAfterSendMsg&contenttype=json&Sign=${sign}&RequestTime=${requestTime}`,
      {
        CallbackCommand: 'C2C.CallbackAfterSendMsg',
        From_Account: body.userID,
        To_Account: 'x',
        MsgBody: [],
      },
    );
    await h.app.backgroundIdle();
    const logs = h.logs.join('\n');
    expect(logs).toContain(body.userID); // the logs are there, and useful
    for (const secret of [
      h.im.secretKey,
      'demo-app-secret-0001',
      code,
      body.userSig,
      body.sessionToken,
      CALLBACK_TOKEN,
      sign,
      h.wechat.openidFor('secretive'),
    ]) {
      expect(logs).not.toContain(secret);
    }
  });
});

describe('upstream failures', () => {
  it('answers 502 wechat-unavailable when WeChat cannot be reached', async () => {
    const h = await startHarness(
      {},
      {
        fetch: (input, init) =>
          input.includes('/sns/')
            ? Promise.reject(new TypeError('fetch failed'))
            : fetch(input, init),
      },
    );
    try {
      expectError(await post(h, '/api/login', { code: h.code('x') }), 502, 'wechat-unavailable');
    } finally {
      await h.close();
    }
  });

  it('fetchJson turns timeouts, HTTP errors and non-JSON into values', async () => {
    const never = (_input: string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    expect(await fetchJson(never, 'http://x', {}, 20)).toEqual({
      ok: false,
      error: { kind: 'transport', detail: 'timed out after 20 ms' },
    });
    const status = async () => new Response('{}', { status: 500 });
    expect(await fetchJson(status, 'http://x', {}, 1000)).toEqual({
      ok: false,
      error: { kind: 'transport', detail: 'HTTP 500' },
    });
    const html = async () => new Response('<html>', { status: 200 });
    expect((await fetchJson(html, 'http://x', {}, 1000)).ok).toBe(false);
    const good = async () =>
      new Response('{"a":1}', { status: 200, headers: { 'content-type': 'text/plain' } });
    expect(await fetchJson(good, 'http://x', {}, 1000)).toEqual({ ok: true, value: { a: 1 } });
  });
});

describe('rate limits', () => {
  it('limits requests per IP with a JSON 429, sparing /healthz and the IM callback', async () => {
    const h = await startHarness({ RATE_LIMIT_IP_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        statuses.push((await post(h, '/api/refresh', { sessionToken: 'x' })).statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429]);
      const limited = await post(h, '/api/login', { code: h.code('x') });
      expectError(limited, 429, 'rate-limited');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // Another client address has its own budget.
      const other = await h.app.inject({
        method: 'POST',
        url: '/api/refresh',
        remoteAddress: '10.0.0.2',
        payload: { sessionToken: 'x' },
      });
      expect(other.statusCode).toBe(401);
      expect((await h.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const callback = await post(h, `/im/callback?SdkAppid=1&CallbackCommand=x`, {
        CallbackCommand: 'x',
      });
      expect(callback.statusCode).toBe(403);
      expectError(await h.app.inject({ method: 'GET', url: '/nope' }), 429, 'rate-limited');
    } finally {
      await h.close();
    }
  });

  it('limits requests per user across addresses, per minute window', async () => {
    const h = await startHarness({
      RATE_LIMIT_USER_PER_MINUTE: '2',
      RATE_LIMIT_IP_PER_MINUTE: '1000',
    });
    try {
      // Start at a window boundary so the test cannot straddle two windows.
      h.clock.advance(60_000 - (h.clock.now() % 60_000) + 1);
      const alice = await login(h, 'alice');
      const bob = await login(h, 'bob');
      const refresh = (token: string, ip: string) =>
        h.app.inject({
          method: 'POST',
          url: '/api/refresh',
          remoteAddress: ip,
          payload: { sessionToken: token },
        });
      expect((await refresh(alice.sessionToken, '10.0.0.1')).statusCode).toBe(200);
      expect((await refresh(alice.sessionToken, '10.0.0.2')).statusCode).toBe(200);
      const third = await refresh(alice.sessionToken, '10.0.0.3');
      expectError(third, 429, 'rate-limited');
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      expect((await refresh(bob.sessionToken, '10.0.0.1')).statusCode).toBe(200);
      // Logins count per user too (alice logged in once already this window).
      await login(h, 'alice');
      expectError(await post(h, '/api/login', { code: h.code('alice') }), 429, 'rate-limited');
      h.clock.advance(60_000);
      expect((await refresh(alice.sessionToken, '10.0.0.1')).statusCode).toBe(200);
    } finally {
      await h.close();
    }
  });
});

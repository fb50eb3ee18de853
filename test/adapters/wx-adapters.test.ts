import { createConsoleLogger, redact } from '../../miniprogram/adapters/console-logger';
import { createWxAuth } from '../../miniprogram/adapters/wx-auth';
import type { JsonResponse } from '../../miniprogram/adapters/wx-request';
import { postJson } from '../../miniprogram/adapters/wx-request';
import { createWxStorage } from '../../miniprogram/adapters/wx-storage';
import { ok, err, appError } from '../../miniprogram/core/result';
import type { Result } from '../../miniprogram/core/result';

type Dict = Record<string, unknown>;
const g = globalThis as unknown as { wx?: Dict };

afterEach(() => {
  delete g.wx;
});

describe('wx storage', () => {
  it('reads missing keys as undefined and round-trips values', () => {
    const data = new Map<string, unknown>();
    g.wx = {
      getStorageSync: (k: string) => (data.has(k) ? data.get(k) : ''),
      setStorageSync: (k: string, v: unknown) => data.set(k, v),
      removeStorageSync: (k: string) => data.delete(k),
    };
    const storage = createWxStorage('p.');
    expect(storage.get('a')).toBeUndefined();
    expect(storage.set('a', { x: 1 }).ok).toBe(true);
    expect(data.get('p.a')).toEqual({ x: 1 });
    expect(storage.get('a')).toEqual({ x: 1 });
    storage.remove('a');
    expect(storage.get('a')).toBeUndefined();
  });

  it('turns a full storage into a failed Result', () => {
    g.wx = {
      getStorageSync: () => {
        throw new Error('broken');
      },
      setStorageSync: () => {
        throw new Error('setStorageSync:fail exceed storage max size 10Mb');
      },
      removeStorageSync: () => undefined,
    };
    const storage = createWxStorage();
    const res = storage.set('a', 1);
    expect(res.ok).toBe(false);
    expect(storage.get('a')).toBeUndefined();
  });
});

describe('postJson', () => {
  it('maps success, timeouts and network failures', async () => {
    const requests: Dict[] = [];
    let mode: 'ok' | 'timeout' | 'down' = 'ok';
    g.wx = {
      request: (o: Dict & { success: (r: Dict) => void; fail: (e: Dict) => void }) => {
        requests.push(o);
        if (mode === 'ok') o.success({ statusCode: 401, data: { error: 'session-expired' } });
        else o.fail({ errMsg: mode === 'timeout' ? 'request:fail timeout' : 'request:fail' });
      },
    };
    expect(
      await postJson('http://127.0.0.1:9500/api/refresh', { sessionToken: 't' }, 1000),
    ).toEqual(ok({ status: 401, data: { error: 'session-expired' } }));
    expect(requests[0]).toMatchObject({
      method: 'POST',
      data: { sessionToken: 't' },
      timeout: 1000,
    });
    mode = 'timeout';
    const timeout = await postJson('http://x', {}, 1);
    expect(!timeout.ok && timeout.error.code).toBe('timeout');
    mode = 'down';
    const down = await postJson('http://x', {}, 1);
    expect(!down.ok && down.error.code).toBe('network');
  });
});

describe('wx auth', () => {
  const session = {
    sdkAppID: 1400000000,
    userID: 'wx_u1',
    userSig: 'sig',
    expireAt: 1_900_000_000,
    serviceAccounts: ['@cs'],
    sessionToken: 'tok',
  };
  const make = (
    answer: (url: string, body: unknown) => Result<JsonResponse>,
    language?: () => 'zh-CN' | 'en',
  ) => {
    const calls: Array<[string, unknown]> = [];
    const auth = createWxAuth({
      loginEndpoint: 'http://127.0.0.1:9500/',
      timeoutMs: 1000,
      language,
      wxLogin: async () => ok('code-123'),
      post: async (url, body) => {
        calls.push([url, body]);
        return answer(url, body);
      },
    });
    return { auth, calls };
  };

  it('exchanges the wx.login code and normalises expireAt to ms', async () => {
    const { auth, calls } = make(() => ok({ status: 200, data: session }));
    const res = await auth.login();
    expect(calls).toEqual([
      ['http://127.0.0.1:9500/api/login', { code: 'code-123', language: 'zh' }],
    ]);
    expect(res.ok && res.value).toEqual({ ...session, expireAt: 1_900_000_000_000 });
  });

  it('tells the server the UI language, so the service flow starts in it', async () => {
    const english = make(
      () => ok({ status: 200, data: session }),
      () => 'en',
    );
    await english.auth.login();
    expect(english.calls[0][1]).toEqual({ code: 'code-123', language: 'en' });
  });

  it('maps 401 session-expired on refresh and other HTTP errors', async () => {
    const { auth } = make((url) =>
      url.endsWith('/api/refresh')
        ? ok({ status: 401, data: { error: 'session-expired', message: 'gone' } })
        : ok({ status: 500, data: { error: 'internal' } }),
    );
    const refresh = await auth.refresh('tok');
    expect(!refresh.ok && refresh.error.code).toBe('session-expired');
    // A failing server is transient (the session store backs off); a 403 is a refusal.
    const login = await auth.login();
    expect(!login.ok && login.error.code).toBe('busy');
    const forbidden = make(() => ok({ status: 403, data: { error: 'forbidden' } }));
    const refused = await forbidden.auth.refresh('tok');
    expect(!refused.ok && refused.error.code).toBe('server-refused');
  });

  it('refuses malformed answers and passes transport errors through', async () => {
    expect((await make(() => ok({ status: 200, data: { userID: 'x' } })).auth.login()).ok).toBe(
      false,
    );
    const down = await make(() => err(appError('network', 'down'))).auth.refresh('t');
    expect(!down.ok && down.error.code).toBe('network');
  });

  it('uses wx.login by default', async () => {
    g.wx = { login: (o: { success: (r: Dict) => void }) => o.success({ code: 'abc' }) };
    const auth = createWxAuth({
      loginEndpoint: 'http://h',
      timeoutMs: 1,
      post: async (_u, body) => ok({ status: 200, data: { ...session, echoed: body } }),
    });
    expect((await auth.login()).ok).toBe(true);
  });
});

describe('console logger', () => {
  it('never prints UserSigs or tokens', () => {
    const spy = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    createConsoleLogger().warn('x', {
      userSig: 'SECRET1',
      nested: { sessionToken: 'SECRET2' },
      code: 'network',
    });
    expect(JSON.stringify(spy.mock.calls)).not.toMatch(/SECRET/);
    expect(JSON.stringify(spy.mock.calls)).toContain('network');
    spy.mockRestore();
    expect(redact({ list: [{ token: 't' }] })).toEqual({ list: [{ token: '[redacted]' }] });
  });
});

import { BackgroundTasks } from '../../server/background';
import { loadConfig } from '../../server/config';
import { deriveKeys, userIdForOpenid } from '../../server/keys';
import { signSessionToken, verifySessionToken } from '../../server/session-token';
import { MemoryStore } from '../../server/store';
import { takeUserToken } from '../../server/user-rate-limit';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BackgroundTasks', () => {
  it('runs tasks with one key in order and different keys concurrently', async () => {
    const tasks = new BackgroundTasks();
    const events: string[] = [];
    const job = (name: string, ms: number) => async () => {
      events.push(`${name}+`);
      await sleep(ms);
      events.push(`${name}-`);
    };
    tasks.run('u1', job('a', 30), () => undefined);
    tasks.run('u1', job('b', 1), () => undefined);
    tasks.run('u2', job('c', 1), () => undefined);
    await tasks.idle();
    expect(events.indexOf('a-')).toBeLessThan(events.indexOf('b+'));
    expect(events.indexOf('c-')).toBeLessThan(events.indexOf('a-'));
  });

  it('reports failures and keeps going', async () => {
    const tasks = new BackgroundTasks();
    const errors: unknown[] = [];
    let ran = false;
    tasks.run(
      'k',
      async () => Promise.reject(new Error('boom')),
      (e) => errors.push(e),
    );
    tasks.run(
      'k',
      async () => {
        ran = true;
      },
      (e) => errors.push(e),
    );
    await tasks.idle();
    expect(errors).toHaveLength(1);
    expect(ran).toBe(true);
  });

  it('waits for tasks queued while waiting', async () => {
    const tasks = new BackgroundTasks();
    let late = false;
    tasks.run(
      'k',
      async () => {
        await sleep(5);
        tasks.run(
          'other',
          async () => {
            await sleep(5);
            late = true;
          },
          () => undefined,
        );
      },
      () => undefined,
    );
    await tasks.idle();
    expect(late).toBe(true);
  });
});

describe('MemoryStore', () => {
  let now = 1_000_000;
  let store: MemoryStore;
  beforeEach(() => {
    now = 1_000_000;
    store = new MemoryStore(() => now);
  });
  afterEach(async () => {
    await store.close();
  });

  it('expires keys after their TTL', async () => {
    await store.set('a', '1', 10);
    await store.set('b', '2');
    now += 9_999;
    expect(await store.get('a')).toBe('1');
    now += 1;
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBe('2');
    expect(store.size).toBe(1);
  });

  it('setIfAbsent claims once until the key expires', async () => {
    expect(await store.setIfAbsent('lock', 'x', 1)).toBe(true);
    expect(await store.setIfAbsent('lock', 'y', 1)).toBe(false);
    now += 1000;
    expect(await store.setIfAbsent('lock', 'z', 1)).toBe(true);
    expect(await store.get('lock')).toBe('z');
  });

  it('incrBy keeps the first TTL (fixed windows)', async () => {
    expect(await store.incrBy('n', 1, 10)).toBe(1);
    now += 5000;
    expect(await store.incrBy('n', 2, 10)).toBe(3);
    now += 5000;
    expect(await store.get('n')).toBeUndefined();
    expect(await store.incrBy('n', 1)).toBe(1);
  });

  it('decrIfPositive never goes below zero', async () => {
    expect(await store.decrIfPositive('q')).toBeUndefined();
    await store.set('q', '2');
    expect(await store.decrIfPositive('q')).toBe(1);
    expect(await store.decrIfPositive('q')).toBe(0);
    expect(await store.decrIfPositive('q')).toBeUndefined();
    expect(await store.get('q')).toBe('0');
    await store.del('q');
    expect(await store.get('q')).toBeUndefined();
  });
});

describe('session tokens', () => {
  const key = Buffer.alloc(32, 7);

  it('round-trips and expires', () => {
    const token = signSessionToken(key, 'wxabc', 1000, 60);
    expect(verifySessionToken(key, token, 1059)).toEqual({
      userID: 'wxabc',
      issuedAt: 1000,
      expiresAt: 1060,
    });
    expect(verifySessionToken(key, token, 1060)).toBeUndefined();
    expect(verifySessionToken(Buffer.alloc(32, 8), token, 1000)).toBeUndefined();
  });

  it('rejects every single-character change', () => {
    const token = signSessionToken(key, 'wxabc', 1000, 60);
    for (let i = 0; i < token.length; i += 1) {
      const replacement = token[i] === 'A' ? 'B' : 'A';
      const changed = `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`;
      expect(verifySessionToken(key, changed, 1000)).toBeUndefined();
    }
    expect(verifySessionToken(key, `${token}A`, 1000)).toBeUndefined();
    expect(verifySessionToken(key, 42, 1000)).toBeUndefined();
    expect(verifySessionToken(key, 'v1..', 1000)).toBeUndefined();
  });
});

describe('keys', () => {
  const env = {
    IM_SDKAPPID: '1400000001',
    IM_SECRET_KEY: 'k1',
    WECHAT_APPID: 'wx1',
    WECHAT_APP_SECRET: 's1',
    SERVICE_ACCOUNTS: 'a',
    IM_CALLBACK_TOKEN: 'callback-token',
  };
  const configOf = (overrides: Record<string, string>) => {
    const result = loadConfig({ ...env, ...overrides });
    if (!result.ok) throw new Error(result.errors.join());
    return result.config;
  };

  it('keeps userIDs stable across IM key rotation when USER_ID_KEY is set', () => {
    const before = deriveKeys(configOf({ USER_ID_KEY: 'stable-user-id-key-01' }));
    const after = deriveKeys(
      configOf({ USER_ID_KEY: 'stable-user-id-key-01', IM_SECRET_KEY: 'k2' }),
    );
    expect(userIdForOpenid(after.userId, 'o1')).toBe(userIdForOpenid(before.userId, 'o1'));
    expect(after.session.equals(before.session)).toBe(false);
  });

  it('derives distinct keys per purpose and 32-character userIDs', () => {
    const keys = deriveKeys(configOf({}));
    expect(keys.userId.equals(keys.session)).toBe(false);
    const id = userIdForOpenid(keys.userId, 'oAbc');
    expect(id).toMatch(/^wx[0-9a-f]{30}$/);
    expect(userIdForOpenid(keys.userId, 'oAbd')).not.toBe(id);
  });
});

describe('takeUserToken', () => {
  it('allows the limit per minute window and reports the wait', async () => {
    const store = new MemoryStore(() => 0);
    const start = 120_000;
    const results = [];
    for (let i = 0; i < 3; i += 1)
      results.push(await takeUserToken(store, start + 15_000, 's', 'u', 2));
    expect(results).toEqual([
      { allowed: true },
      { allowed: true },
      { allowed: false, retryAfter: 45 },
    ]);
    expect(await takeUserToken(store, start + 15_000, 's', 'other', 2)).toEqual({ allowed: true });
    expect(await takeUserToken(store, start + 60_000, 's', 'u', 2)).toEqual({ allowed: true });
    await store.close();
  });
});

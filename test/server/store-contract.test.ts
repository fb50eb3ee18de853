/**
 * The `Store` port's contract, run against the in-memory store and the Redis adapter (a real
 * `redis-server` on a free port): values, TTLs, claims, counters and decrement-if-positive, and
 * their atomicity under concurrent calls.
 */
import { RedisStore } from '../../server/redis-store';
import type { Store } from '../../server/store';
import { MemoryStore } from '../../server/store';
import type { RedisServer } from './support/redis-server';
import { startRedisServer } from './support/redis-server';

let redis: RedisServer;
const opened: Store[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
}, 20_000);
afterAll(async () => {
  for (const store of opened) await store.close();
  await redis.stop();
});

let prefix = 0;
const factories: [string, () => Promise<Store>][] = [
  ['MemoryStore', async () => new MemoryStore()],
  [
    'RedisStore',
    async () => {
      prefix += 1;
      const store = new RedisStore(redis.url, { keyPrefix: `contract${prefix}:` });
      await store.ready();
      return store;
    },
  ],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(factories)('%s', (_name, create) => {
  let store: Store;
  beforeEach(async () => {
    store = await create();
    opened.push(store);
  });

  it('gets, sets, overwrites and deletes', async () => {
    expect(await store.get('k')).toBeUndefined();
    await store.set('k', 'v1');
    await store.set('k', 'v2');
    expect(await store.get('k')).toBe('v2');
    await store.del('k');
    await store.del('k');
    expect(await store.get('k')).toBeUndefined();
  });

  it('expires keys after their TTL; keys without one stay', async () => {
    await store.set('short', '1', 1);
    await store.set('long', '2');
    expect(await store.get('short')).toBe('1');
    await sleep(1100);
    expect(await store.get('short')).toBeUndefined();
    expect(await store.get('long')).toBe('2');
  });

  it('setIfAbsent claims once, until the claim expires', async () => {
    expect(await store.setIfAbsent('lock', 'a', 1)).toBe(true);
    expect(await store.setIfAbsent('lock', 'b', 1)).toBe(false);
    expect(await store.get('lock')).toBe('a');
    await sleep(1100);
    expect(await store.setIfAbsent('lock', 'c')).toBe(true);
    expect(await store.get('lock')).toBe('c');
  });

  it('incrBy counts from 0 and keeps the TTL of the call that created the key', async () => {
    expect(await store.incrBy('n', 1, 1)).toBe(1);
    expect(await store.incrBy('n', 5, 100)).toBe(6);
    await sleep(1100);
    expect(await store.get('n')).toBeUndefined();
    expect(await store.incrBy('m', -2)).toBe(-2);
    expect(await store.get('m')).toBe('-2');
  });

  it('decrIfPositive never goes below zero and keeps the TTL', async () => {
    expect(await store.decrIfPositive('q')).toBeUndefined();
    expect(await store.get('q')).toBeUndefined();
    await store.set('q', '2', 1);
    expect(await store.decrIfPositive('q')).toBe(1);
    expect(await store.decrIfPositive('q')).toBe(0);
    expect(await store.decrIfPositive('q')).toBeUndefined();
    expect(await store.get('q')).toBe('0');
    await sleep(1100);
    expect(await store.get('q')).toBeUndefined();
    await store.set('text', 'abc');
    expect(await store.decrIfPositive('text')).toBeUndefined();
    expect(await store.get('text')).toBe('abc');
  });

  it('is atomic under concurrent calls', async () => {
    await store.set('quota', '10');
    const spent = await Promise.all(
      Array.from({ length: 50 }, () => store.decrIfPositive('quota')),
    );
    expect(spent.filter((v) => v !== undefined)).toHaveLength(10);
    expect(new Set(spent.filter((v) => v !== undefined))).toEqual(
      new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
    );
    expect(await store.get('quota')).toBe('0');

    const claims = await Promise.all(
      Array.from({ length: 50 }, (_, i) => store.setIfAbsent('claim', String(i), 30)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);

    const counts = await Promise.all(Array.from({ length: 100 }, () => store.incrBy('c', 1, 30)));
    expect([...counts].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  });
});

describe('RedisStore without Redis', () => {
  it('fails commands fast and reports not ready, instead of hanging', async () => {
    const gone = await startRedisServer();
    const store = new RedisStore(gone.url, { connectTimeoutMs: 500 });
    await store.ready();
    expect(await store.ping()).toBe(true);
    await gone.stop();
    const started = Date.now();
    await expect(store.get('x')).rejects.toThrow();
    expect(await store.ping()).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
    await store.close();
  }, 20_000);
});

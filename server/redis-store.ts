import { Redis } from 'ioredis';
import type { Store } from './store';

/**
 * Decrements a positive integer; answers the new value, or nil (changing nothing) when the key is
 * missing or not positive. The key's TTL is kept.
 */
const DECR_IF_POSITIVE = `
local v = tonumber(redis.call('GET', KEYS[1]))
if v == nil or v <= 0 then return false end
return redis.call('DECR', KEYS[1])
`;

/**
 * Adds ARGV[1]; with ARGV[2] > 0 the key gets that TTL only when this call created it (INCRBY +
 * EXPIRE in one step, so a crash between the two cannot leave a counter that never expires).
 */
const INCR_BY_WITH_TTL = `
local existed = redis.call('EXISTS', KEYS[1])
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if existed == 0 and tonumber(ARGV[2]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return n
`;

type ScriptedRedis = Redis & {
  decrIfPositive(key: string): Promise<number | null>;
  incrByWithTtl(key: string, delta: number, ttlSeconds: number): Promise<number>;
};

export interface RedisStoreOptions {
  /** Prefix for every key, so several deployments can share one database. Default `cs:`. */
  keyPrefix?: string;
  /** Milliseconds a command waits for a connection before failing (default 2000). */
  connectTimeoutMs?: number;
}

/**
 * The `Store` port over Redis (ioredis), for several instances sharing state. Each operation is
 * one atomic command: GET, SET EX, SET NX EX, a Lua INCRBY + first-time EXPIRE, a Lua
 * decrement-if-positive, DEL. Commands fail fast while Redis is unreachable (no offline queue), so
 * a request gets an error instead of hanging; the client reconnects by itself.
 */
export class RedisStore implements Store {
  private readonly redis: ScriptedRedis;

  constructor(url: string, options: RedisStoreOptions = {}) {
    const redis = new Redis(url, {
      keyPrefix: options.keyPrefix ?? 'cs:',
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: options.connectTimeoutMs ?? 2000,
      lazyConnect: false,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    // Connection errors are reported through commands and `ping()`; don't crash on the event.
    redis.on('error', () => undefined);
    redis.defineCommand('decrIfPositive', { numberOfKeys: 1, lua: DECR_IF_POSITIVE });
    redis.defineCommand('incrByWithTtl', { numberOfKeys: 1, lua: INCR_BY_WITH_TTL });
    this.redis = redis as ScriptedRedis;
  }

  /** Resolves once connected (startup waits for it so the first request does not fail). */
  async ready(timeoutMs = 5000): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
      }, timeoutMs);
      const onReady = () => {
        cleanup();
        resolve();
      };
      const cleanup = () => {
        clearTimeout(timer);
        this.redis.off('ready', onReady);
      };
      this.redis.on('ready', onReady);
    });
  }

  /** Whether Redis answers a PING now (the readiness probe). */
  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(key)) ?? undefined;
  }

  async set(key: string, value: string, ttlSeconds?: number): Promise<void> {
    if (ttlSeconds === undefined) await this.redis.set(key, value);
    else await this.redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async setIfAbsent(key: string, value: string, ttlSeconds?: number): Promise<boolean> {
    const answer =
      ttlSeconds === undefined
        ? await this.redis.set(key, value, 'NX')
        : await this.redis.set(key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)), 'NX');
    return answer === 'OK';
  }

  async incrBy(key: string, delta: number, ttlSeconds?: number): Promise<number> {
    const ttl = ttlSeconds === undefined ? 0 : Math.max(1, Math.ceil(ttlSeconds));
    return Number(await this.redis.incrByWithTtl(key, delta, ttl));
  }

  async decrIfPositive(key: string): Promise<number | undefined> {
    const answer = await this.redis.decrIfPositive(key);
    return answer === null ? undefined : Number(answer);
  }

  async del(key: string): Promise<void> {
    await this.redis.del(key);
  }

  async close(): Promise<void> {
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }
}

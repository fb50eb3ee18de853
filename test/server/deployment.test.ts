/**
 * What a deployment relies on: readiness (`/readyz`, the store reachable) apart from liveness
 * (`/healthz`), a graceful stop on SIGTERM that finishes the request under way, and logs that never
 * carry a secret.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { buildServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { FakeWeChat } from '../../simulator/wechat/index';
import { startFakeWeChat } from '../../simulator/wechat/index';
import { CALLBACK_TOKEN, baseEnv } from './support/harness';
import type { FakeImRest } from './support/fake-im-rest';
import { startFakeImRest } from './support/fake-im-rest';
import type { RedisServer } from './support/redis-server';
import { startRedisServer } from './support/redis-server';

const ROOT = path.resolve(__dirname, '../..');
let wechat: FakeWeChat;
let im: FakeImRest;
let redis: RedisServer;

beforeAll(async () => {
  wechat = await startFakeWeChat({ port: 0, latencyMs: 800 });
  im = await startFakeImRest();
  redis = await startRedisServer();
}, 20_000);
afterAll(async () => {
  await wechat.close();
  await im.close();
  await redis.stop();
});

it('is live while Redis is down, but not ready', async () => {
  const loaded = loadConfig(baseEnv(wechat, im, { REDIS_URL: redis.url, LOG_LEVEL: 'silent' }));
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const app = buildServer(loaded.config);
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  try {
    const probe = async (route: string) => (await fetch(`${url}${route}`)).status;
    const deadline = Date.now() + 5000;
    while ((await probe('/readyz')) !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await probe('/readyz')).toBe(200);
    await redis.stop();
    expect(await probe('/healthz')).toBe(200);
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ error: 'not-ready', message: expect.any(String) });
  } finally {
    await app.close();
    redis = await startRedisServer();
  }
}, 20_000);

it('stops on SIGTERM after answering the login under way, with no secret in its logs', async () => {
  const env = baseEnv(wechat, im, { PORT: '0', LOG_LEVEL: 'trace', REDIS_URL: redis.url });
  // tsx as a loader, not its CLI: a signal then reaches the server itself, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...env, PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
  try {
    const deadline = Date.now() + 15_000;
    while (!/Server listening at/.test(output) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const url = /Server listening at (http:\/\/[\d.:]+)/.exec(output)?.[1] ?? '';
    const code = 'demo-graceful.1';
    // WeChat answers after 800 ms: SIGTERM arrives while the login waits for it.
    const login = fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGTERM');
    const answer = await login;
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as Record<string, string>;
    expect(await exited).toBe(0);
    expect(output).toContain('shutting down');
    for (const secret of [
      im.secretKey,
      'demo-app-secret-0001',
      CALLBACK_TOKEN,
      code,
      body.userSig,
      body.sessionToken,
      wechat.openidFor('graceful'),
    ]) {
      expect(output).not.toContain(secret);
    }
  } finally {
    clearTimeout(kill);
    child.kill('SIGKILL');
  }
}, 30_000);

/**
 * Two login-server instances on one Redis (a real `redis-server`): concurrent first logins of one
 * user spread over both activate once per service account; each acceptance is spent once; one
 * WeChat access-token fetch serves both; an instance killed mid-activation leaves nothing the
 * other cannot finish.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { FakeWeChat } from '../../simulator/wechat/index';
import { startFakeWeChat } from '../../simulator/wechat/index';
import { CALLBACK_TOKEN, SERVICE_ACCOUNTS, TEMPLATE_ID, baseEnv } from './support/harness';
import type { FakeImRest } from './support/fake-im-rest';
import { startFakeImRest } from './support/fake-im-rest';
import type { RedisServer } from './support/redis-server';
import { startRedisServer } from './support/redis-server';
import { createHash } from 'node:crypto';

const ROOT = path.resolve(__dirname, '../..');
const AGENT = SERVICE_ACCOUNTS[0] as string;

let redis: RedisServer;
let wechat: FakeWeChat;
let im: FakeImRest;
let env: NodeJS.ProcessEnv;
const apps: FastifyInstance[] = [];
const urls: string[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  wechat = await startFakeWeChat({ port: 0 });
  im = await startFakeImRest();
  env = baseEnv(wechat, im, {
    REDIS_URL: redis.url,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_IP_PER_MINUTE: '10000',
    RATE_LIMIT_USER_PER_MINUTE: '1000',
  });
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  for (let i = 0; i < 2; i++) {
    const app = buildServer(loaded.config);
    urls.push((await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1'));
    apps.push(app);
  }
}, 20_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await wechat.close();
  await im.close();
  await redis.stop();
});

async function post(base: string, route: string, body: unknown) {
  const response = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** Distinct activation messages per service account for `userID` (the IM dedupes by MsgRandom). */
function activations(userID: string): Record<string, number> {
  const seen = new Map<string, Set<string>>();
  for (const call of im.calls) {
    if (call.command !== 'sendmsg' || call.body.From_Account !== userID) continue;
    const to = String(call.body.To_Account);
    seen.set(to, (seen.get(to) ?? new Set()).add(String(call.body.MsgRandom)));
  }
  return Object.fromEntries([...seen].map(([to, randoms]) => [to, randoms.size]));
}

function sendCalls(userID: string): number {
  return im.calls.filter((c) => c.command === 'sendmsg' && c.body.From_Account === userID).length;
}

function callbackUrl(base: string): string {
  const time = String(Math.floor(Date.now() / 1000));
  const query = new URLSearchParams({
    SdkAppid: String(im.sdkAppID),
    CallbackCommand: 'C2C.CallbackAfterSendMsg',
    RequestTime: time,
    Sign: createHash('sha256')
      .update(CALLBACK_TOKEN + time)
      .digest('hex'),
  });
  return `${base}/im/callback?${query.toString()}`;
}

/** An agent reply stored at the IM backend, its callback posted to `base`. */
async function reply(base: string, userID: string, text: string): Promise<void> {
  const m = im.addMessage({
    From_Account: AGENT,
    To_Account: userID,
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  });
  const response = await fetch(callbackUrl(base), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      From_Account: AGENT,
      To_Account: userID,
      MsgSeq: m.MsgSeq,
      MsgRandom: m.MsgRandom,
      MsgTime: m.MsgTimeStamp,
      MsgKey: m.MsgKey,
      SendMsgResult: 0,
      OnlineOnlyFlag: 0,
    }),
  });
  expect(response.status).toBe(200);
}

const idle = async () => {
  for (const app of apps) await app.backgroundIdle();
};

it('50 concurrent first logins over two instances activate once per service account', async () => {
  im.sendDelayMs = 150;
  const logins = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      post(urls[i % 2] as string, '/api/login', { code: `demo-twin.c${i}` }),
    ),
  );
  im.sendDelayMs = 0;
  expect(logins.map((l) => l.status)).toEqual(Array(50).fill(200));
  const userID = String(logins[0]?.body.userID);
  expect(new Set(logins.map((l) => l.body.userID))).toEqual(new Set([userID]));
  await until(() => sendCalls(userID) >= SERVICE_ACCOUNTS.length, 10_000, 'the activation');
  await sleep(300); // a second activation would be under way by now
  expect(sendCalls(userID)).toBe(SERVICE_ACCOUNTS.length);
  expect(activations(userID)).toEqual(Object.fromEntries(SERVICE_ACCOUNTS.map((a) => [a, 1])));
}, 30_000);

it('spends each acceptance once and fetches one access token for both instances', async () => {
  const users = [];
  for (const [i, name] of ['ann', 'ben'].entries()) {
    const login = await post(urls[i] as string, '/api/login', { code: `demo-${name}.q1` });
    const sessionToken = login.body.sessionToken;
    for (const base of urls) {
      await post(base, '/api/subscriptions', {
        sessionToken,
        accepted: { [TEMPLATE_ID]: 'accept' },
      });
    }
    await post(urls[1 - i] as string, '/api/presence', { sessionToken, state: 'away' });
    users.push({ userID: String(login.body.userID), sessionToken });
  }
  await idle();
  // 20 replies per user at once, half through each instance.
  await Promise.all(
    users.flatMap((user) =>
      Array.from({ length: 20 }, (_, i) => reply(urls[i % 2] as string, user.userID, `回复${i}`)),
    ),
  );
  await idle();
  expect(wechat.sent.map((m) => m.touser).sort()).toEqual(
    [wechat.openidFor('ann'), wechat.openidFor('ben')].sort(),
  );
  for (const user of users) {
    const quota = await post(urls[0] as string, '/api/subscriptions', {
      sessionToken: user.sessionToken,
      accepted: {},
    });
    expect(quota.body.quota).toEqual({ [TEMPLATE_ID]: 1 });
  }
  expect(wechat.calls.token).toBe(1);
}, 30_000);

it('an instance killed mid-activation leaves it to the other', async () => {
  // tsx as a loader, not its CLI: a signal then reaches the server itself, not a wrapper.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: '0', LOG_LEVEL: 'info', PATH: process.env.PATH ?? '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await until(() => /Server listening at (http:\/\/[\d.:]+)/.test(output), 15_000, 'listening');
    const url = /Server listening at (http:\/\/[\d.:]+)/.exec(output)?.[1] ?? '';
    im.sendDelayMs = 5000;
    const mark = im.calls.length;
    const doomed = post(url, '/api/login', { code: 'demo-victim.k1' }).catch(() => undefined);
    const sent = () => im.calls.slice(mark).find((c) => c.command === 'sendmsg');
    await until(() => sent() !== undefined, 5000, 'the activation send');
    const userID = String(sent()?.body.From_Account);
    child.kill('SIGKILL');
    await exited;
    await doomed;
    im.sendDelayMs = 0;
    // The dead instance's claim runs out; then a login on the survivor finishes the activation.
    const deadline = Date.now() + 15_000;
    while (Object.keys(activations(userID)).length < SERVICE_ACCOUNTS.length) {
      if (Date.now() > deadline) throw new Error('the survivor never finished the activation');
      const login = await post(urls[0] as string, '/api/login', {
        code: `demo-victim.k${Date.now()}`,
      });
      expect(login.status).toBe(200);
      await sleep(500);
    }
    expect(activations(userID)).toEqual(Object.fromEntries(SERVICE_ACCOUNTS.map((a) => [a, 1])));
  } finally {
    im.sendDelayMs = 0;
    child.kill('SIGKILL');
  }
}, 40_000);

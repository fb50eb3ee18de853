/**
 * Login server load test on loopback (~10 s). Two processes, so the figures are the server's:
 * this one runs only the login server; a forked child runs the fake WeChat API, a fake IM REST
 * API and autocannon. Every login uses a fresh `wx.login` code (codes are one-shot), so each one
 * includes the jscode2session round trip, UserSig signing, the store and logging (serialised as in
 * production, then dropped). Phases:
 *   0. (unmeasured) USERS users log in once, which also warms both processes up;
 *   1. first logins: every request is a new user (adds account import + activation to the IM fake);
 *   2. returning logins: the USERS known users log in again and again (the common case);
 *   3. refreshes with one session token.
 * Prints requests/s and latency percentiles per phase, once with the in-memory store and once with
 * the Redis store on a local `redis-server` (started here on a free port; skipped when missing).
 *
 * Run: npx tsx bench/server.bench.ts
 */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { buildServer } from '../server/app';
import { loadConfig } from '../server/config';
import { startFakeWeChat } from '../simulator/wechat/index';
import { startFakeImRest } from '../test/server/support/fake-im-rest';
import type { RedisServer } from '../test/server/support/redis-server';
import { startRedisServer } from '../test/server/support/redis-server';

const USERS = 200;
const CONNECTIONS = 16;
const PHASE_SECONDS = { first: 2, returning: 5, refresh: 2 };

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: AutocannonRequest[];
}) => Promise<AutocannonResult>;

interface FakesReady {
  wechatUrl: string;
  imUrl: string;
  sdkAppID: number;
  secretKey: string;
  adminUserID: string;
}

/** Child: fakes + load generator. Talks to the parent over the fork IPC channel. */
async function runLoad(): Promise<void> {
  // autocannon ships no types; load it through require and type the one call used here.
  const autocannon = createRequire(__filename)('autocannon') as Autocannon;
  const wechat = await startFakeWeChat({ port: 0 });
  const im = await startFakeImRest();
  const serverUrl = await new Promise<string>((resolve) => {
    process.once('message', (message) => resolve(String(message)));
    const ready: FakesReady = {
      wechatUrl: wechat.url,
      imUrl: im.url,
      sdkAppID: im.sdkAppID,
      secretKey: im.secretKey,
      adminUserID: im.adminUserID,
    };
    process.send?.(ready);
  });

  let failed = false;
  const report = (label: string, result: AutocannonResult) => {
    failed ||= result.non2xx > 0 || result.errors > 0 || result.timeouts > 0;
    console.info(
      `${label.padEnd(24)} ${(result.requests.total / result.duration).toFixed(0).padStart(5)}/s ` +
        `(${result.requests.total} in ${result.duration.toFixed(1)} s, ${CONNECTIONS} connections) ` +
        `latency ms p50 ${result.latency.p50} p90 ${result.latency.p90} p99 ${result.latency.p99} ` +
        `max ${result.latency.max}; non-2xx ${result.non2xx}, errors ${result.errors}`,
    );
  };
  const loginPhase = (seconds: number, codeFor: (n: number) => string) => {
    let counter = 0;
    return autocannon({
      url: serverUrl,
      connections: CONNECTIONS,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/api/login',
          headers: { 'content-type': 'application/json' },
          setupRequest: (request) => {
            counter += 1;
            return { ...request, body: JSON.stringify({ code: codeFor(counter) }) };
          },
        },
      ],
    });
  };

  console.info(`login server on ${serverUrl}; fake WeChat + fake IM REST + autocannon in a child`);
  // Create USERS returning users first (this also warms both processes up), unmeasured.
  for (let i = 0; i < USERS; i += 1) {
    await fetch(`${serverUrl}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: `demo-u${i}.warm` }),
    });
  }
  const before = im.calls.filter((call) => call.command === 'sendmsg').length;
  const first = await loginPhase(PHASE_SECONDS.first, (n) => `demo-new${n}.1`);
  report('first logins', first);
  const sendmsg = im.calls.filter((call) => call.command === 'sendmsg').length - before;
  console.info(`${''.padEnd(24)} activations sent: ${sendmsg} (one per new user)`);

  report(
    'returning logins',
    await loginPhase(PHASE_SECONDS.returning, (n) => `demo-u${n % USERS}.${n}`),
  );

  const session = await fetch(`${serverUrl}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 'demo-refresher.1' }),
  });
  const { sessionToken } = (await session.json()) as { sessionToken: string };
  const refresh = await autocannon({
    url: serverUrl,
    connections: CONNECTIONS,
    duration: PHASE_SECONDS.refresh,
    requests: [
      {
        method: 'POST',
        path: '/api/refresh',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionToken }),
      },
    ],
  });
  report('refreshes', refresh);
  await wechat.close();
  await im.close();
  process.exitCode = failed ? 1 : 0;
  process.disconnect?.();
}

/** Parent: the login server alone in its process, on the store `env` selects. */
async function runServer(label: string, env: NodeJS.ProcessEnv): Promise<number> {
  console.info(`\n== ${label}`);
  const child = fork(__filename, ['--load'], { stdio: ['inherit', 'inherit', 'inherit', 'ipc'] });
  const fakes = await new Promise<FakesReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as FakesReady));
    child.once('exit', (code) => reject(new Error(`load process exited early (${code})`)));
  });
  const loaded = loadConfig({
    IM_SDKAPPID: String(fakes.sdkAppID),
    IM_SECRET_KEY: fakes.secretKey,
    IM_ADMIN_USERID: fakes.adminUserID,
    IM_REST_BASE: fakes.imUrl,
    WECHAT_APPID: 'wx00000000demo0001',
    WECHAT_APP_SECRET: 'demo-app-secret-0001',
    WECHAT_API_BASE: fakes.wechatUrl,
    SERVICE_ACCOUNTS: '@customer_service_account',
    USER_ID_KEY: 'bench-user-id-key-0001',
    IM_CALLBACK_TOKEN: 'bench-callback-token',
    // One client address hammering a few hundred users: lift the limits, measure the work.
    RATE_LIMIT_IP_PER_MINUTE: '10000000',
    RATE_LIMIT_USER_PER_MINUTE: '10000000',
    LOG_LEVEL: 'info',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const app = buildServer(loaded.config, { logDestination: { write: () => undefined } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const code = await new Promise<number | null>((resolve) => {
    child.once('exit', resolve);
    child.send(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}`);
  });
  await app.close();
  return code ?? 1;
}

async function runBoth(): Promise<void> {
  let status = await runServer('in-memory store (one instance)', {});
  let redis: RedisServer | undefined;
  try {
    redis = await startRedisServer();
  } catch (error) {
    console.info(`\n== Redis store skipped: ${error instanceof Error ? error.message : error}`);
  }
  if (redis !== undefined) {
    try {
      status ||= await runServer(`Redis store (redis-server on ${redis.url})`, {
        REDIS_URL: redis.url,
      });
    } finally {
      await redis.stop();
    }
  }
  process.exitCode = status;
}

(process.argv.includes('--load') ? runLoad() : runBoth()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

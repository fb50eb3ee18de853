/**
 * The login server started for real on a free port against the simulator (Chat REST API and its
 * signed `C2C.CallbackAfterSendMsg`) and the fake WeChat API, as `npm start` wires them. Log lines
 * are collected, and the server's in-memory store is exposed so tests can count its keys.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../server/app';
import { loadConfig } from '../../../server/config';
import { MemoryStore } from '../../../server/store';
import type { RunningSimulator } from '../../../simulator/index';
import { startSimulator } from '../../../simulator/index';
import type { FakeWeChat } from '../../../simulator/wechat/index';
import { startFakeWeChat } from '../../../simulator/wechat/index';

export const TEMPLATE_ID = 'tmpl_security_01';
export const CALLBACK_TOKEN = 'security-callback-token';

export interface LiveServer {
  sim: RunningSimulator;
  wechat: FakeWeChat;
  app: FastifyInstance;
  store: MemoryStore;
  url: string;
  service: string;
  logs: string[];
  /** POSTs JSON to the server; resolves status and parsed body. */
  post(route: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Logs `name` in, accepts one subscription and says the chat page was hidden. */
  awaySubscribedUser(name: string): Promise<{ userID: string; sessionToken: string }>;
  /** A callback URL signed like Tencent's (`Sign = sha256(token + RequestTime)`). */
  signedCallbackUrl(requestTime?: number): string;
  /** Waits (bounded) until every callback reached the server and the server handled it. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Resolves once `check()` holds, or rejects after `timeoutMs`. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startLiveServer(env: NodeJS.ProcessEnv = {}): Promise<LiveServer> {
  // No TCCC flow: its welcome messages would count as replies.
  const sim = await startSimulator({ port: 0, quiet: true, env: false, service: false });
  const wechat = await startFakeWeChat({ port: 0 });
  const service = sim.serviceAccounts[0]?.userID ?? '';
  const loaded = loadConfig({
    PORT: '0',
    IM_SDKAPPID: String(sim.sdkAppID),
    IM_SECRET_KEY: sim.secretKey,
    IM_ADMIN_USERID: sim.adminUserID,
    IM_REST_BASE: sim.httpUrl,
    WECHAT_APPID: 'wx00000000demo0001',
    WECHAT_APP_SECRET: 'demo-app-secret-0001',
    WECHAT_API_BASE: wechat.url,
    SERVICE_ACCOUNTS: service,
    SUBSCRIBE_TEMPLATE_ID: TEMPLATE_ID,
    IM_CALLBACK_TOKEN: CALLBACK_TOKEN,
    USER_ID_KEY: 'security-user-id-key-0001',
    LOG_LEVEL: 'info',
    ...env,
  });
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const logs: string[] = [];
  const store = new MemoryStore();
  const app = buildServer(loaded.config, {
    store,
    logDestination: { write: (line) => void logs.push(line) },
  });
  const url = (await app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  const token = loaded.config.imCallbackToken;
  sim.setCallback({ url: `${url}/im/callback`, ...(token === undefined ? {} : { token }) });

  const post: LiveServer['post'] = async (route, body) => {
    const response = await fetch(`${url}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  const settle = async () => {
    const idle = (async () => {
      await sim.backend.callbacks.idle();
      await app.backgroundIdle();
    })();
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error('callbacks did not settle within 10 s')), 10_000);
    });
    await Promise.race([idle, limit]).finally(() => clearTimeout(timer));
  };
  let codes = 0;
  return {
    sim,
    wechat,
    app,
    store,
    url,
    service,
    logs,
    post,
    settle,
    awaySubscribedUser: async (name) => {
      codes += 1;
      const login = await post('/api/login', { code: `demo-${name}.s${codes}` });
      if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
      const sessionToken = String(login.body.sessionToken);
      await settle(); // the activation's own callback counts as the user's activity
      await post('/api/subscriptions', { sessionToken, accepted: { [TEMPLATE_ID]: 'accept' } });
      await post('/api/presence', { sessionToken, state: 'away' });
      return { userID: String(login.body.userID), sessionToken };
    },
    signedCallbackUrl: (requestTime = Math.floor(Date.now() / 1000)) => {
      const time = String(requestTime);
      const query = new URLSearchParams({
        SdkAppid: String(sim.sdkAppID),
        CallbackCommand: 'C2C.CallbackAfterSendMsg',
        contenttype: 'json',
        ClientIP: '127.0.0.1',
        OptPlatform: 'RESTAPI',
        RequestTime: time,
        Sign: createHash('sha256')
          .update((token ?? '') + time)
          .digest('hex'),
      });
      return `${url}/im/callback?${query.toString()}`;
    },
    close: async () => {
      sim.setCallback(undefined);
      await app.close();
      await sim.close();
      await wechat.close();
      await store.close();
    },
  };
}

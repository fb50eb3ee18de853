/**
 * Reply notifications end to end, as `npm start` runs them: the simulator posts its signed
 * `C2C.CallbackAfterSendMsg` to the real login server, which sends the WeChat subscribe message
 * through the fake WeChat API when an agent answers a user who is away. Then the same through
 * `scripts/preview/stack.ts`, which wires the callback for `npm start`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';
import { DEMO_TEMPLATE_ID, startStack } from '../../scripts/preview/stack';
import type { RunningStack } from '../../scripts/preview/stack';
import { buildServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { RunningSimulator } from '../../simulator/index';
import { startSimulator } from '../../simulator/index';
import type { FakeWeChat } from '../../simulator/wechat/index';
import { startFakeWeChat } from '../../simulator/wechat/index';
import { baseEnv } from './support/harness'; // also inject's cookie shim
import type { LoginBody } from './support/harness';

const TEMPLATE_ID = 'tmpl_sim_callback_01';
const TOKEN = 'simulator-callback-token';

describe('simulator → login server IM callback', () => {
  let sim: RunningSimulator;
  let wechat: FakeWeChat;
  let app: FastifyInstance;
  let service: string;

  beforeAll(async () => {
    // No TCCC flow: its welcome messages would count as replies and make the test racy.
    sim = await startSimulator({ port: 0, quiet: true, env: false, service: false });
    wechat = await startFakeWeChat({ port: 0 });
    service = sim.serviceAccounts[0]?.userID ?? '';
    const loaded = loadConfig(
      baseEnv(
        wechat,
        {
          url: sim.httpUrl,
          sdkAppID: sim.sdkAppID,
          secretKey: sim.secretKey,
          adminUserID: sim.adminUserID,
        },
        {
          SERVICE_ACCOUNTS: service,
          SUBSCRIBE_TEMPLATE_ID: TEMPLATE_ID,
          IM_CALLBACK_TOKEN: TOKEN,
          USER_ID_KEY: 'simulator-callback-key',
          LOG_LEVEL: 'silent',
        },
      ),
    );
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    app = buildServer(loaded.config);
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    sim.setCallback({ url: `${address}/im/callback`, token: TOKEN });
  });

  afterAll(async () => {
    await sim.close();
    await app.close();
    await wechat.close();
  });

  /** Lets every callback reach the server and the server finish handling them. */
  const settle = async (): Promise<void> => {
    await app.backgroundIdle();
    await sim.backend.callbacks.idle();
    await app.backgroundIdle();
  };

  const post = async (url: string, payload: Record<string, unknown>) => {
    const response = await app.inject({ method: 'POST', url, payload });
    expect(response.statusCode).toBe(200);
    return response.json<Record<string, unknown>>();
  };

  it("notifies an away user of the agent's reply, and not while the user is present", async () => {
    const user = (await post('/api/login', { code: 'demo-callback.1' })) as unknown as LoginBody;
    await settle();
    expect(
      await post('/api/subscriptions', {
        sessionToken: user.sessionToken,
        accepted: { [TEMPLATE_ID]: 'accept' },
      }),
    ).toEqual({ quota: { [TEMPLATE_ID]: 1 }, ignored: [] });

    // Present (just logged in): a reply notifies nobody.
    sim.backend.send({
      serviceAccount: service,
      userID: user.userID,
      elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '马上为您查询' } }],
    });
    await settle();
    expect(wechat.sent).toEqual([]);

    await post('/api/presence', { sessionToken: user.sessionToken, state: 'away' });
    sim.backend.send({
      serviceAccount: service,
      userID: user.userID,
      elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '您的包裹已发出' } }],
    });
    await settle();
    expect(wechat.sent).toEqual([
      expect.objectContaining({
        touser: wechat.openidFor('callback'),
        template_id: TEMPLATE_ID,
        data: expect.objectContaining({ thing1: { value: '您的包裹已发出' } }),
      }),
    ]);
  });
});

describe('npm start stack: simulator callback wiring', () => {
  let stack: RunningStack;
  let dir: string;
  const STACK_TOKEN = 'stack-callback-token';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-callback-'));
    const started = await startStack({
      ports: { simulator: 0, wechat: 0, server: 0, preview: 0 },
      previewDir: dir, // nothing is served from it here
      quiet: true,
      simulatorOptions: { service: false },
      serverEnv: { IM_CALLBACK_TOKEN: STACK_TOKEN },
    });
    if (!started.ok) throw new Error(`${started.error.component}: ${started.error.message}`);
    stack = started.value;
  });

  afterAll(async () => {
    await stack.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const backendOf = (s: RunningStack) => (s.simulator as unknown as RunningSimulator).backend;

  const api = async (route: string, body: Record<string, unknown>) => {
    const response = await fetch(`${stack.urls.server}${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };

  it('points the simulator (also after a restart) at the login server, with its token', async () => {
    const expected = { url: `${stack.urls.server}/im/callback`, token: STACK_TOKEN };
    expect(backendOf(stack).callbacks.current).toEqual(expected);
    await stack.stopSimulator();
    await stack.startSimulator();
    expect(backendOf(stack).callbacks.current).toEqual(expected);

    // The whole path works: the reply to an away user spends the subscription quota.
    const user = await api('/api/login', { code: 'demo-stack-callback.1' });
    const token = user.sessionToken;
    const accepted = { [DEMO_TEMPLATE_ID]: 'accept' };
    expect(await api('/api/subscriptions', { sessionToken: token, accepted })).toMatchObject({
      quota: { [DEMO_TEMPLATE_ID]: 1 },
    });
    await backendOf(stack).callbacks.idle(); // the activation's callback marks the user present
    await api('/api/presence', { sessionToken: token, state: 'away' });
    backendOf(stack).send({
      serviceAccount: stack.simulator.serviceAccounts[0]?.userID ?? '',
      userID: String(user.userID),
      elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '您的包裹已发出' } }],
    });
    await backendOf(stack).callbacks.idle();
    let quota = 1;
    for (let i = 0; i < 50 && quota !== 0; i++) {
      const answer = await api('/api/subscriptions', { sessionToken: token, accepted: {} });
      quota = (answer.quota as Record<string, number>)[DEMO_TEMPLATE_ID] ?? -1;
      if (quota !== 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(quota).toBe(0);
  });
});

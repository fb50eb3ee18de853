/**
 * The login server against the project's simulator (its admin REST API and its websocket): the
 * UserSig it issues logs in over the SDK wire protocol, and activation puts the service
 * conversation, ending with the hidden handshake, into the user's own conversation list.
 */
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { HANDSHAKE_DATA } from '../../server/activation';
import { buildServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { RunningSimulator } from '../../simulator/index';
import { startSimulator } from '../../simulator/index';
import type { FakeWeChat } from '../../simulator/wechat/index';
import { startFakeWeChat } from '../../simulator/wechat/index';
import type { LoginBody } from './support/harness';
import './support/harness'; // inject's cookie shim

type Frame = { head: Record<string, unknown>; body: Record<string, unknown> };

/** Minimal SDK-side socket: binary JSON frames, answers matched by seq (chat-wire.md §1). */
async function openSocket(sim: RunningSimulator) {
  const socket = new WebSocket(`${sim.wsUrl}/binfo?sdkappid=${sim.sdkAppID}&platform=8`);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let seq = 0;
  const request = (head: Record<string, unknown>, body: Record<string, unknown>) =>
    new Promise<Frame>((resolve, reject) => {
      seq += 1;
      const mine = seq;
      const timer = setTimeout(
        () => reject(new Error(`no answer to ${String(head.servcmd)}`)),
        5000,
      );
      const onMessage = (data: WebSocket.RawData) => {
        const frame = JSON.parse(data.toString()) as Frame;
        if (frame.head.seq !== mine) return;
        clearTimeout(timer);
        socket.off('message', onMessage);
        resolve(frame);
      };
      socket.on('message', onMessage);
      socket.send(
        Buffer.from(JSON.stringify({ head: { ...head, seq: mine, sdkappid: sim.sdkAppID }, body })),
      );
    });
  return { request, close: () => socket.close() };
}

describe('login server + simulator', () => {
  let sim: RunningSimulator;
  let wechat: FakeWeChat;
  let app: FastifyInstance;
  let accounts: string[];

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, quiet: true, env: false });
    wechat = await startFakeWeChat({ port: 0 });
    accounts = sim.serviceAccounts.map((account) => account.userID);
    const loaded = loadConfig({
      IM_SDKAPPID: String(sim.sdkAppID),
      IM_SECRET_KEY: sim.secretKey,
      IM_ADMIN_USERID: sim.adminUserID,
      IM_REST_BASE: sim.httpUrl,
      WECHAT_APPID: 'wx00000000demo0001',
      WECHAT_APP_SECRET: 'demo-app-secret-0001',
      WECHAT_API_BASE: wechat.url,
      SERVICE_ACCOUNTS: accounts.join(','),
      IM_CALLBACK_TOKEN: 'callback-token',
      USER_ID_KEY: 'simulator-integration-key',
      LOG_LEVEL: 'silent',
    });
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    app = buildServer(loaded.config);
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await wechat.close();
    await sim.close();
  });

  const login = async (code: string) => {
    const response = await app.inject({ method: 'POST', url: '/api/login', payload: { code } });
    expect(response.statusCode).toBe(200);
    return response.json<LoginBody>();
  };

  it('issues a UserSig the simulator accepts and opens the service conversation once', async () => {
    const body = await login('demo-integration.1');
    expect(body.serviceAccounts).toEqual(accounts);

    const socket = await openSocket(sim);
    try {
      const answer = await socket.request(
        { servcmd: 'im_open_status.wslogin', identifier: body.userID, usersig: body.userSig },
        { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' },
      );
      expect(answer.body).toMatchObject({ ActionStatus: 'OK', ErrorCode: 0 });
      const session = { a2: answer.body.A2Key, tinyid: answer.body.TinyId };

      const list = await socket.request({ servcmd: 'recentcontact.page_get', ...session }, {});
      const items = list.body.SessionItem as Array<Record<string, unknown>>;
      expect(items.map((item) => item.To_Account).sort()).toEqual([...accounts].sort());
      // The activation is the user's hidden handshake, stored once; the TCCC flow answers it, so
      // the conversation's last message may already be the service's welcome.
      for (const account of accounts) {
        const handshakes = sim.backend.store
          .visibleMessages(body.userID, account)
          .filter((m) => m.from === body.userID)
          .map((m) => m.elems);
        expect(handshakes).toEqual([
          [
            {
              MsgType: 'TIMCustomElem',
              MsgContent: expect.objectContaining({ Data: HANDSHAKE_DATA }),
            },
          ],
        ]);
      }
    } finally {
      socket.close();
    }

    const before = sim.backend.store.visibleMessages(body.userID, accounts[0] as string).length;
    await login('demo-integration.2');
    expect(sim.backend.store.visibleMessages(body.userID, accounts[0] as string)).toHaveLength(
      before,
    );
  });

  it('refuses a UserSig signed with another key', async () => {
    const body = await login('demo-integration-b.1');
    const socket = await openSocket(sim);
    try {
      const answer = await socket.request(
        { servcmd: 'im_open_status.wslogin', identifier: 'someone-else', usersig: body.userSig },
        { State: 'Online' },
      );
      expect(answer.body.ActionStatus).toBe('FAIL');
    } finally {
      socket.close();
    }
  });
});

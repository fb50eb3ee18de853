/**
 * Issue: the simulator answered any `Host` (DNS rebinding) and any `Origin`, and `/files/%zz`
 * answered 500. Foreign hosts now get 403, agent-API changes from a foreign page 403 with no
 * effect, and a malformed escape 400.
 */
import { WebSocket } from 'ws';

import { type RunningSimulator, startSimulator } from '../../simulator';
import { rawRequest } from '../simulator/support/http';

let sim: RunningSimulator;
const USER = 'host-origin-user';
const SA = '@customer_service_account';

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    quiet: true,
    env: { SIMULATOR_ALLOWED_HOSTS: 'sim.test, other.test:8080' },
    tccc: { autoAccept: false },
  });
});
afterAll(() => sim.close());

function upgradeStatus(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${sim.wsUrl}/binfo`, { headers: { host }, handshakeTimeout: 5000 });
    ws.on('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', reject);
  });
}

it('answers loopback and configured host names, on any port, and 403 to any other', async () => {
  for (const host of [
    `127.0.0.1:${sim.port}`,
    'localhost',
    `localhost:${sim.port}`,
    '[::1]:1234',
    'LOCALHOST:9',
    'sim.test',
    'other.test:1',
  ]) {
    expect([
      host,
      (await rawRequest(sim.port, { path: '/healthz', headers: { host } })).status,
    ]).toEqual([host, 200]);
  }
  for (const host of [
    'evil.test',
    'evil.test:9300',
    '127.0.0.1.evil.test',
    'localhost.evil.test',
    '10.0.0.1',
    '',
  ]) {
    const res = await rawRequest(sim.port, { path: '/healthz', headers: { host } });
    expect([host, res.status]).toEqual([host, 403]);
    expect(res.body).not.toContain('sdkAppID');
  }
  for (const path of [
    '/console',
    '/api/agent/sessions',
    '/files/x.png',
    '/v4/im_open_login_svc/account_import',
  ]) {
    expect((await rawRequest(sim.port, { path, headers: { host: 'rebound.test' } })).status).toBe(
      403,
    );
  }
});

it('refuses the SDK websocket under a foreign Host', async () => {
  expect(await upgradeStatus('evil.test')).toBe(403);
  expect(await upgradeStatus(`127.0.0.1:${sim.port}`)).toBe(101);
});

async function queueUser(): Promise<void> {
  sim.backend.store.ensureUser(USER);
  const sent = sim.backend.sendMessage({
    from: USER,
    to: SA,
    elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '人工' } }],
  });
  if (!sent.ok) throw new Error(sent.error.info);
  sim.backend.notifyService(sent.value.message, false);
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const s = sim.tccc?.agent.listSessions().find((x) => x.userID === USER);
    if (s?.state === 'queued') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the user never reached the queue');
}

it('refuses agent-API changes from a foreign Origin with 403 and no effect; the console origin works', async () => {
  await queueUser();
  const accept = (origin: string | undefined) =>
    rawRequest(sim.port, {
      method: 'POST',
      path: '/api/agent/accept',
      headers: {
        host: `127.0.0.1:${sim.port}`,
        'content-type': 'application/json',
        ...(origin === undefined ? {} : { origin }),
      },
      body: JSON.stringify({ userID: USER, serviceAccount: SA, agentName: 'evil' }),
    });
  for (const origin of [
    'http://evil.test',
    `http://127.0.0.1:${sim.port + 1}`,
    `http://localhost:${sim.port}`,
    'null',
    `https://127.0.0.1:${sim.port}`,
  ]) {
    const res = await accept(origin);
    expect([origin, res.status]).toEqual([origin, 403]);
  }
  expect(sim.tccc?.agent.listSessions().find((x) => x.userID === USER)?.state).toBe('queued');
  const own = await accept(`http://127.0.0.1:${sim.port}`);
  expect(own.status).toBe(200);
  expect(sim.tccc?.agent.listSessions().find((x) => x.userID === USER)?.state).toBe('active');
  // Reads stay open to any origin-less tool; a page elsewhere cannot read them (no CORS headers).
  const read = await rawRequest(sim.port, {
    path: '/api/agent/sessions',
    headers: { origin: 'http://evil.test' },
  });
  expect(read.status).toBe(200);
  expect(read.headers['access-control-allow-origin']).toBeUndefined();
});

it('answers a malformed percent-escape with 400, not 500', async () => {
  for (const path of ['/files/%zz', '/upload/%e0%a4?sign=x', '/console/%', '/api/agent/%zz']) {
    expect([path, (await rawRequest(sim.port, { path })).status]).toEqual([path, 400]);
  }
  expect((await rawRequest(sim.port, { path: '/healthz' })).status).toBe(200);
});

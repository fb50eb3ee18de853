/**
 * Hostile or broken clients never take the simulator down: malformed and oversized frames, frames
 * of the wrong type, abrupt disconnects mid-request, unknown commands. After each, a fresh client
 * still logs in and /healthz still answers.
 */
import { get } from 'node:http';

import { type RunningSimulator, startSimulator } from '../../../simulator';
import { type WireClient, connectWire } from '../../support/wire-client';

let sim: RunningSimulator;
const open: WireClient[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true, service: false, env: false });
});
afterEach(async () => {
  for (const c of open.splice(0)) await c.close();
});
afterAll(() => sim.close());

const client = async (path: '/binfo' | '/info' = '/binfo'): Promise<WireClient> => {
  const c = await connectWire(sim.wsUrl, { path });
  open.push(c);
  return c;
};

const health = (): Promise<Record<string, unknown>> =>
  new Promise((resolve, reject) => {
    get(`${sim.httpUrl}/healthz`, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
    }).on('error', reject);
  });

async function stillServing(): Promise<void> {
  const c = await client();
  const r = await c.login('healthy', sim.genUserSig('healthy'), sim.sdkAppID);
  expect(r.ErrorCode).toBe(0);
  expect((await health()).ok).toBe(true);
}

it('drops malformed frames without answering and keeps the socket usable', async () => {
  const c = await client();
  const before = sim.backend.counters.malformed;
  for (const junk of [
    'not json',
    '[]',
    'null',
    '{"head":1}',
    '{"head":{"seq":1}}',
    '{"body":{}}',
    '\u0000\u0001',
  ]) {
    c.sendRaw(junk);
  }
  c.sendRaw(Buffer.from([0xff, 0xfe, 0x00, 0x80]));
  expect(await c.request('heartbeat.alive')).toMatchObject({ ErrorCode: 0 });
  expect(sim.backend.counters.malformed - before).toBe(8);
  await stillServing();
});

it('answers wrongly shaped bodies with an error or an empty answer, never a crash', async () => {
  const c = await client();
  await c.login('shapes', sim.genUserSig('shapes'), sim.sdkAppID);
  const weird = [
    null,
    5,
    'x',
    [],
    { To_Account: 5 },
    { MsgBody: [{}] },
    { UserItem: 'x' },
    { C2CMsgReaded: [] },
  ];
  for (const servcmd of [
    'openim.sendmsg',
    'openim.getroammsg',
    'openim.msgreaded',
    'openim.modify_c2c_msg',
    'openim.msgwithdraw',
    'profile.portrait_get_all',
    'profile.portrait_set',
    'recentcontact.top',
    'recentcontact.batch_delete',
    'openim.get_peer_read_time',
    'im_cos_msg.pre_sig',
    'im_cos_msg.get_imageinfo',
  ]) {
    for (const body of weird) {
      const answer = await c.request(servcmd, body as never);
      expect(typeof answer.ErrorCode).toBe('number');
    }
  }
  await stillServing();
});

it('closes only the offending socket on an oversized frame', async () => {
  const big = await client();
  const closed = new Promise<number>((resolve) => big.ws.once('close', (code) => resolve(code)));
  big.sendRaw(Buffer.alloc(2 * 1024 * 1024, 0x61));
  expect(await closed).toBe(1009);
  await stillServing();
});

it('survives sockets that vanish mid-request', async () => {
  for (let i = 0; i < 20; i++) {
    const c = await connectWire(sim.wsUrl);
    c.sendRaw(
      JSON.stringify({
        head: {
          servcmd: 'im_open_status.wslogin',
          seq: 1,
          identifier: `gone${i}`,
          usersig: sim.genUserSig(`gone${i}`),
          sdkappid: sim.sdkAppID,
        },
        body: {},
      }),
    );
    c.sendRaw(JSON.stringify({ head: { servcmd: 'recentcontact.page_get', seq: 2 }, body: {} }));
    c.ws.terminate();
  }
  await new Promise((r) => setTimeout(r, 100));
  await stillServing();
  expect(sim.backend.isUserOnline('gone0')).toBe(false);
});

it('answers unknown servcmds with the envelope, logged in or not', async () => {
  const c = await client();
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    expect(await c.request(name, {})).toEqual({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
  }
  await c.login('curious', sim.genUserSig('curious'), sim.sdkAppID);
  expect(await c.request('mystery.command', {})).toEqual({
    ActionStatus: 'OK',
    ErrorCode: 0,
    ErrorInfo: '',
  });
  expect(await c.request('mystery.command', {})).toMatchObject({ ErrorCode: 0 });
});

it('speaks text frames on /info and binary frames on /binfo', async () => {
  for (const [path, binary] of [
    ['/info', false],
    ['/binfo', true],
  ] as const) {
    const c = await client(path);
    const kinds: boolean[] = [];
    c.ws.on('message', (_d, isBinary) => kinds.push(isBinary));
    await c.request('heartbeat.alive');
    expect(kinds).toEqual([binary]);
  }
});

it('answers broken http paths with an error status instead of crashing', async () => {
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  const status = (path: string): Promise<number> =>
    new Promise((resolve, reject) => {
      get(`${sim.httpUrl}${path}`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject);
    });
  expect(await status('/files/%zz')).toBe(400);
  expect(await status('/files/../../etc/passwd')).toBe(404);
  warn.mockRestore();
  await stillServing();
});

/**
 * Issue: the simulator acknowledged a message before it was on disk (writes debounced 300 ms);
 * killed right after a burst of 50 acknowledged sends, it came back with none of them. Every
 * change is now journaled synchronously before the acknowledgement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DEFAULT_SDK_APP_ID, DEV_SECRET_KEY } from '../../simulator/config';
import { genUserSig } from '../../simulator/chat/usersig';
import { type ChildSimulator, spawnSimulator } from '../simulator/support/child';
import { type Json, type WireClient, connectWire } from '../support/wire-client';

jest.setTimeout(60_000);

let tmp: string;
const running: ChildSimulator[] = [];
const sockets: WireClient[] = [];

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sim-durability-'));
});
afterAll(async () => {
  for (const c of sockets) await c.close();
  for (const s of running)
    if (s.child.exitCode === null && s.child.signalCode === null) await s.kill();
  rmSync(tmp, { recursive: true, force: true });
});

async function login(sim: ChildSimulator, userID: string): Promise<WireClient> {
  const c = await connectWire(sim.wsUrl);
  sockets.push(c);
  const sig = genUserSig(DEFAULT_SDK_APP_ID, DEV_SECRET_KEY, userID, 3600);
  const r = await c.login(userID, sig, DEFAULT_SDK_APP_ID);
  expect(r.ErrorCode).toBe(0);
  return c;
}

/** All texts of the conversation with `peer`, paging back through the roaming history. */
async function history(c: WireClient, peer: string): Promise<string[]> {
  const texts: string[] = [];
  let LastMsgTime: unknown = 0;
  let MsgKey: unknown = '';
  for (let page = 0; page < 20; page++) {
    const r = await c.request('openim.getroammsg', {
      Peer_Account: peer,
      MaxCnt: 100,
      LastMsgTime,
      MsgKey,
    });
    const list = (r.MsgList ?? []) as { MsgBody: { MsgContent: { Text?: string } }[] }[];
    texts.unshift(...list.map((m) => m.MsgBody[0]?.MsgContent.Text ?? ''));
    if (r.Complete === 1 || list.length === 0) break;
    LastMsgTime = r.LastMsgTime;
    MsgKey = r.MsgKey;
  }
  return texts;
}

it('loses none of 50 acknowledged messages when SIGKILLed right after the burst', async () => {
  const env = { SIMULATOR_DATA: join(tmp, 'chat.json') };
  const first = await spawnSimulator(env);
  running.push(first);
  const bob = await login(first, 'bob');
  const alice = await login(first, 'alice');
  const acks: Json[] = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      alice.request('openim.sendmsg', {
        To_Account: 'bob',
        MsgSeq: i + 1,
        MsgRandom: 1000 + i,
        MsgClientTime: Math.floor(Date.now() / 1000),
        MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `burst ${i}` } }],
        CloudCustomData: '',
      }),
    ),
  );
  expect(acks.every((a) => a.ErrorCode === 0)).toBe(true);
  await first.kill();
  await bob.close();
  await alice.close();

  const second = await spawnSimulator(env);
  running.push(second);
  const reader = await login(second, 'bob');
  const texts = await history(reader, 'alice');
  const lost = Array.from({ length: 50 }, (_, i) => `burst ${i}`).filter((t) => !texts.includes(t));
  expect(lost).toEqual([]);
  expect(texts).toHaveLength(50);
  await second.stop();
});

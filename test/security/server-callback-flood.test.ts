/**
 * Issue: the callback route was exempt from rate limits; 20,000 forged callbacks grew the server
 * from 148 to 181 MB and gave every fabricated user keys living 60 days. Now callbacks have their
 * own limit, and write nothing for users who never logged in here.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { LiveServer } from './support/live-server';
import { startLiveServer } from './support/live-server';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const FLOOD = 5000;
const CONCURRENCY = 32;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

async function postCallback(live: LiveServer, i: number): Promise<number> {
  const now = Math.floor(Date.now() / 1000);
  const fabricated = `fake_user_${i}_${'x'.repeat(12)}`;
  // Half pretend to come from the user, half to be agent replies to them.
  const [from, to] = i % 2 === 0 ? [fabricated, live.service] : [live.service, fabricated];
  const response = await fetch(live.signedCallbackUrl(), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      From_Account: from,
      To_Account: to,
      MsgSeq: i,
      MsgRandom: i,
      MsgTime: now,
      MsgKey: `${i}_${i}_${now}`,
      SendMsgResult: 0,
      OnlineOnlyFlag: 0,
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `spam ${i} ${'y'.repeat(200)}` } }],
    }),
    signal: AbortSignal.timeout(10_000),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Posts callbacks `from` … `to - 1`, CONCURRENCY at a time; resolves the count per status. */
async function flood(live: LiveServer, from: number, to: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>();
  let next = from;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < to) {
        const status = await postCallback(live, next++);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  return statuses;
}

describe('callback flood', () => {
  let live: LiveServer;
  afterEach(() => live.close());

  it('5,000 signed callbacks for fabricated users: no store key for them, heap growth ≤ 15 MB', async () => {
    // Request logs are kept in this process by the test's collector: keep them out of the figure.
    live = await startLiveServer({ LOG_LEVEL: 'warn' });
    // Warm up (JIT, sockets, lazily built fastify structures) before the baseline.
    await flood(live, -800, 0); // 5,800 in all: still under the default 6,000 a minute
    await live.settle();
    const keysBefore = live.store.size;
    const heapBefore = heapAfterGc();
    const statuses = await flood(live, 0, FLOOD);
    await live.settle();
    const growth = heapAfterGc() - heapBefore;
    console.log(
      `flood: ${FLOOD} callbacks, heap +${(growth / 1048576).toFixed(1)} MB, store keys ${keysBefore} → ${live.store.size}`,
    );
    expect(Object.fromEntries(statuses)).toEqual({ 200: FLOOD }); // under the generous default
    expect(live.store.size).toBe(keysBefore);
    expect(growth).toBeLessThanOrEqual(15 * 1024 * 1024);
    expect(live.wechat.sent).toEqual([]);
  }, 60_000);

  it('has its own per-IP limit (RATE_LIMIT_CALLBACK_PER_MINUTE), apart from the API limit', async () => {
    live = await startLiveServer({
      RATE_LIMIT_CALLBACK_PER_MINUTE: '50',
      RATE_LIMIT_IP_PER_MINUTE: '5',
    });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push(await postCallback(live, i));
    expect(statuses.slice(0, 50).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(50).every((s) => s === 429)).toBe(true);
    // The API keeps its own budget: the callbacks did not spend it.
    const login = await live.post('/api/login', { code: 'demo-flood.1' });
    expect(login.status).toBe(200);
  }, 30_000);
});

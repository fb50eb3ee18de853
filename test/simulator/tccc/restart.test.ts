/**
 * TCCC state persists with `SIMULATOR_DATA` like Chat data: after a restart mid-agent-session the
 * real SDK's user is still with the same agent in the same session (the console shows it), the
 * queue keeps its order, and a pending rating card can still be rated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type RunningSimulator, startSimulator } from '../../../simulator';
import { type SdkClient, type SdkMessage, createSdkClient } from '../../support/real-sdk';

jest.setTimeout(40_000);

const SA = '@customer_service_account';
const dir = mkdtempSync(join(tmpdir(), 'sim-tccc-restart-'));
const file = join(dir, 'state.json');
const sims: RunningSimulator[] = [];
const clients: SdkClient[] = [];

const start = async (): Promise<RunningSimulator> => {
  const sim = await startSimulator({
    port: 0,
    quiet: true,
    env: false,
    persistFile: file,
    tccc: { queueDelayMs: 50, autoAccept: false },
  });
  sims.push(sim);
  return sim;
};
const restart = async (sim: RunningSimulator): Promise<RunningSimulator> => {
  await sim.close();
  return start();
};

afterAll(async () => {
  for (const c of clients) await c.destroy();
  for (const s of sims) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const session = (sim: RunningSimulator, userID: string) =>
  sim.tccc?.agent.listSessions().find((s) => s.userID === userID && s.serviceAccount === SA);

async function user(sim: RunningSimulator, userID: string): Promise<SdkClient> {
  const client = createSdkClient({ simulator: sim, userID });
  clients.push(client);
  await client.login();
  return client;
}

const received = (c: SdkClient): SdkMessage[] =>
  c.events.filter((e) => e.name === 'onMessageReceived').flatMap((e) => e.data as SdkMessage[]);
const custom = (m: SdkMessage): Record<string, unknown> | undefined => {
  if (m.type !== 'TIMCustomElem') return undefined;
  try {
    return JSON.parse(String(m.payload.data)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
};
const sendText = (c: SdkClient, text: string) =>
  c.chat.sendMessage(
    c.chat.createTextMessage({ to: SA, conversationType: 'C2C' as never, payload: { text } }),
  );
const sendCustom = (c: SdkClient, data: Record<string, unknown>, onlineUserOnly = false) =>
  c.chat.sendMessage(
    c.chat.createCustomMessage({
      to: SA,
      conversationType: 'C2C' as never,
      payload: {
        data: JSON.stringify({ customerServicePlugin: 0, ...data }),
        description: '',
        extension: '',
      },
    }),
    { onlineUserOnly },
  );

/** A user who only asks for a human through the backend (no SDK needed to stand in the queue). */
function queueByBackend(sim: RunningSimulator, userID: string): void {
  sim.backend.store.ensureUser(userID);
  const sent = sim.backend.sendMessage({
    from: userID,
    to: SA,
    elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '人工' } }],
  });
  if (!sent.ok) throw new Error(sent.error.info);
  sim.backend.notifyService(sent.value.message, false);
}

it('keeps the agent session, the queue and a pending rating across restarts', async () => {
  let sim = await start();
  let alice = await user(sim, 'r-alice');
  await sendCustom(alice, { src: '7' }, true);
  await sendText(alice, '人工');
  await until('alice queued', () =>
    session(sim, 'r-alice')?.state === 'queued' ? true : undefined,
  );
  queueByBackend(sim, 'r-bob');
  queueByBackend(sim, 'r-carol');
  expect(sim.tccc?.agent.accept({ userID: 'r-alice', serviceAccount: SA }, '小李').ok).toBe(true);
  expect(
    sim.tccc?.agent.reply({ userID: 'r-alice', serviceAccount: SA }, 'before the restart').ok,
  ).toBe(true);
  await alice.waitFor('onMessageReceived', () =>
    received(alice).some((m) => m.payload.text === 'before the restart'),
  );
  // The profile the user sets through the SDK is what the console shows.
  await alice.chat.updateMyProfile({ nick: '爱丽丝' });
  await until('the nick', () =>
    sim.backend.userProfile('r-alice')?.nick === '爱丽丝' ? true : undefined,
  );
  const before = session(sim, 'r-alice');
  expect(before).toMatchObject({ state: 'active', agentName: '小李' });
  await alice.destroy();

  sim = await restart(sim);
  // The agent console's view of it, over HTTP.
  const listed = (await (await fetch(`${sim.httpUrl}/api/agent/sessions`)).json()) as {
    sessions: {
      userID: string;
      state: string;
      agentName?: string;
      sessionId: string;
      queueAhead?: number;
    }[];
  };
  expect(listed.sessions.find((s) => s.userID === 'r-alice')).toMatchObject({
    state: 'active',
    agentName: '小李',
    userNick: '爱丽丝',
    sessionId: before?.sessionId,
  });
  expect(
    listed.sessions
      .filter((s) => s.state === 'queued')
      .map((s) => [s.userID, s.queueAhead])
      .sort(),
  ).toEqual([
    ['r-bob', 0],
    ['r-carol', 1],
  ]);
  const transcript = sim.tccc?.agent.transcript({ userID: 'r-alice', serviceAccount: SA });
  expect(transcript?.ok && transcript.value.map((t) => t.text)).toEqual(
    expect.arrayContaining(['before the restart']),
  );

  // The user, back on the new simulator, is still with the agent: a handshake says inSeat, a
  // text goes to the agent (no robot answer), the agent's reply arrives as a seat message.
  alice = await user(sim, 'r-alice');
  const mark = received(alice).length;
  await sendCustom(alice, { src: '7' }, true);
  await alice.waitFor('onMessageReceived', () =>
    received(alice)
      .slice(mark)
      .some((m) => {
        const d = custom(m);
        return d?.src === '26' && JSON.stringify(d).includes('inSeat');
      }),
  );
  await sendText(alice, 'after the restart');
  await until('the agent sees it', () => {
    const t = sim.tccc?.agent.transcript({ userID: 'r-alice', serviceAccount: SA });
    return t?.ok && t.value.some((e) => e.from === 'user' && e.text === 'after the restart')
      ? true
      : undefined;
  });
  expect(sim.tccc?.agent.reply({ userID: 'r-alice', serviceAccount: SA }, 'welcome back').ok).toBe(
    true,
  );
  await alice.waitFor('onMessageReceived', () =>
    received(alice).some((m) => m.payload.text === 'welcome back'),
  );
  const seat = received(alice).find((m) => m.payload.text === 'welcome back');
  expect(JSON.parse(String(seat?.cloudCustomData))).toMatchObject({ role: 'seat' });
  expect(
    received(alice)
      .slice(mark)
      .filter((m) => m.from === SA && m.payload.text && m.payload.text !== 'welcome back'),
  ).toEqual([]);
  // The queue goes on where it was: bob is still first.
  expect(sim.tccc?.agent.accept({ userID: 'r-bob', serviceAccount: SA }).ok).toBe(true);
  expect(session(sim, 'r-carol')?.queueAhead).toBe(0);

  // Ended: the rating card arrives; rated after one more restart, it is still valid.
  expect(sim.tccc?.agent.end({ userID: 'r-alice', serviceAccount: SA }).ok).toBe(true);
  await alice.waitFor('onMessageReceived', () =>
    received(alice).some((m) => custom(m)?.src === '9'),
  );
  const card = custom(received(alice).find((m) => custom(m)?.src === '9') as SdkMessage) as {
    menuContent: { sessionId: string; menu: { id: string; content: string }[] };
  };
  await alice.destroy();
  sim = await restart(sim);
  alice = await user(sim, 'r-alice');
  const option = card.menuContent.menu[0];
  await sendCustom(alice, {
    src: '10',
    menuSelected: { id: option.id, content: option.content, sessionId: card.menuContent.sessionId },
  });
  const rated = await until('the rating', () => session(sim, 'r-alice')?.rating);
  expect(rated).toEqual({ id: option.id, content: option.content });
  expect(session(sim, 'r-alice')?.sessionId).toBe(before?.sessionId);
});

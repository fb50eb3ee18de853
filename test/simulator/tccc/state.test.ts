/** The TCCC state file: timers re-armed after a restart (fake clock), a corrupt file set aside. */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createTcccService } from '../../../simulator/tccc';
import { DEFAULT_FLOW } from '../../../simulator/tccc/default-flow';
import type { TcccOptions, TcccService } from '../../../simulator/tccc';
import { FakeBackend, kinds } from './support/fake-backend';
import { FakeClock } from './support/fake-clock';

let dir: string;
const services: TcccService[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tccc-state-'));
});
afterEach(() => {
  for (const s of services.splice(0)) s.close();
  rmSync(dir, { recursive: true, force: true });
});

function open(clock: FakeClock, backend: FakeBackend, options: TcccOptions = {}): TcccService {
  const service = createTcccService(backend, {
    scheduler: clock,
    stateFile: join(dir, 'tccc.json'),
    logger: { info: () => undefined, warn: () => undefined },
    ...options,
  });
  services.push(service);
  return service;
}

it('re-arms the agent session timeout after a restart: it still ends the session', () => {
  const clock = new FakeClock();
  const backend = new FakeBackend(() => clock.now());
  const first = open(clock, backend, { sessionTimeoutMs: 60_000 });
  backend.handshake('u1');
  backend.userText('u1', '人工');
  expect(first.agent.accept('u1', '小王').ok).toBe(true);
  first.close();
  backend.take('u1');

  const second = open(clock, backend, { sessionTimeoutMs: 60_000 });
  expect(second.agent.listSessions()[0]).toMatchObject({ state: 'active', agentName: '小王' });
  clock.advance(60_001);
  expect(kinds(backend.take('u1'))).toEqual(expect.arrayContaining(['20', '19', '26']));
  expect(second.agent.listSessions()[0].state).toBe('ended');
});

it('re-arms the queue after a restart, in the saved order', () => {
  const clock = new FakeClock();
  const backend = new FakeBackend(() => clock.now());
  const first = open(clock, backend, { queueDelayMs: 1000 });
  for (const u of ['u1', 'u2']) {
    backend.handshake(u);
    backend.userText(u, '人工');
  }
  first.close();
  const second = open(clock, backend, { queueDelayMs: 1000, autoAccept: true });
  clock.advance(1001);
  // Both were waiting one step; the saved order decides who gets the first agent of the rotation.
  const byUser = Object.fromEntries(
    second.agent.listSessions().map((s) => [s.userID, [s.state, s.agentName]]),
  );
  expect(byUser).toEqual({
    u1: ['active', DEFAULT_FLOW.agents[0]],
    u2: ['active', DEFAULT_FLOW.agents[1]],
  });
});

it('sets a corrupt state file aside and starts without sessions', () => {
  writeFileSync(join(dir, 'tccc.json'), '{"version":1,');
  const clock = new FakeClock();
  const service = open(clock, new FakeBackend(() => clock.now()));
  expect(service.agent.listSessions()).toEqual([]);
  expect(readdirSync(dir).some((f) => f.startsWith('tccc.json.corrupt-'))).toBe(true);
  service.close();
  expect(existsSync(join(dir, 'tccc.json'))).toBe(true);
});

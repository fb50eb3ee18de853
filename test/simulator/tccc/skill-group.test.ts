/**
 * Skill groups: an entry's handshake carries `triggeredContent.skillGroup`; the group is remembered
 * for the session and routes the transfer (its own queue, its agents), and the console shows it.
 */
import { createTcccService, mergeFlow } from '../../../simulator/tccc';
import type { TcccOptions, TcccService } from '../../../simulator/tccc';
import { DEFAULT_FLOW } from '../../../simulator/tccc/default-flow';
import { FakeBackend } from './support/fake-backend';
import { FakeClock } from './support/fake-clock';

const services: TcccService[] = [];
afterEach(() => {
  for (const s of services.splice(0)) s.close();
});

function rig(options: TcccOptions = {}) {
  const clock = new FakeClock();
  const backend = new FakeBackend(() => clock.now());
  const service = createTcccService(backend, {
    scheduler: clock,
    logger: { info: () => undefined, warn: () => undefined },
    ...options,
  });
  services.push(service);
  return { clock, backend, service };
}

/** The client's handshake, exactly as it sends it with a skill group. */
const handshake = (backend: FakeBackend, userID: string, skillGroup?: string) =>
  backend.handshake(userID, {
    triggeredContent:
      skillGroup === undefined ? { language: 'zh' } : { language: 'zh', skillGroup },
  });

const summary = (service: TcccService, userID: string) =>
  service.agent.listSessions().find((s) => s.userID === userID);

it('queues each group on its own and shows the group', () => {
  const { backend, service } = rig();
  for (const [user, group] of [
    ['u1', 'billing'],
    ['u2', 'tech'],
    ['u3', 'billing'],
    ['u4', undefined],
  ] as const) {
    handshake(backend, user, group);
    backend.userText(user, '人工');
  }
  expect(
    ['u1', 'u2', 'u3', 'u4'].map((u) => [
      summary(service, u)?.skillGroup,
      summary(service, u)?.queueAhead,
    ]),
  ).toEqual([
    ['billing', 0],
    ['tech', 0],
    ['billing', 1],
    [undefined, 0],
  ]);
  // The last queuing text the user got counts only their group.
  const texts = backend.sentTo('u3').filter((m) => m.cloud.messageType === 'queuing');
  expect(texts[texts.length - 1].text).toMatch(/1/);
  // u1 leaves: u3 moves up, u2 (another group) is not told anything.
  const before = backend.sentTo('u2').length;
  expect(service.agent.end('u1').ok).toBe(true);
  expect(summary(service, 'u3')?.queueAhead).toBe(0);
  expect(backend.sentTo('u2')).toHaveLength(before);
});

it("serves a group with its own agents, others with the flow's default names", () => {
  const flow = mergeFlow(DEFAULT_FLOW, { skillGroups: { billing: { agents: ['账务小张'] } } });
  if (!flow.ok) throw new Error(flow.error.join('; '));
  const { backend, service } = rig({ flow: flow.value });
  handshake(backend, 'u1', 'billing');
  backend.userText('u1', '人工');
  handshake(backend, 'u2', 'tech');
  backend.userText('u2', '人工');
  expect(service.agent.accept('u1').ok).toBe(true);
  expect(service.agent.accept('u2').ok).toBe(true);
  expect(summary(service, 'u1')?.agentName).toBe('账务小张');
  expect(DEFAULT_FLOW.agents).toContain(summary(service, 'u2')?.agentName);
});

it('remembers the group for the session: a later handshake without one keeps it', () => {
  const { backend, service } = rig();
  handshake(backend, 'u1', 'billing');
  handshake(backend, 'u1');
  backend.userText('u1', '人工');
  expect(summary(service, 'u1')).toMatchObject({ state: 'queued', skillGroup: 'billing' });
  // Once queued, another entry's handshake does not move the user to another group's queue.
  handshake(backend, 'u1', 'tech');
  expect(summary(service, 'u1')?.skillGroup).toBe('billing');
});

it('refuses a malformed skillGroups flow and ignores a non-string group', () => {
  expect(mergeFlow(DEFAULT_FLOW, { skillGroups: { billing: { agents: [] } } }).ok).toBe(false);
  const { backend, service } = rig();
  backend.handshake('u1', { triggeredContent: { language: 'zh', skillGroup: { evil: true } } });
  backend.handshake('u2', { triggeredContent: { skillGroup: ` ${'g'.repeat(100)} ` } });
  expect(summary(service, 'u1')?.skillGroup).toBeUndefined();
  expect(summary(service, 'u2')?.skillGroup).toBe('g'.repeat(64));
});

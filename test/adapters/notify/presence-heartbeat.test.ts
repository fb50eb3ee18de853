import {
  DEFAULT_PRESENCE_INTERVAL_MS,
  createPresenceHeartbeat,
} from '../../../miniprogram/adapters/notify/index';
import type { PresenceOptions } from '../../../miniprogram/adapters/notify/index';
import type { JsonResponse } from '../../../miniprogram/adapters/wx-request';
import { appError, err, ok } from '../../../miniprogram/core/result';
import type { Result } from '../../../miniprogram/core/result';
import { FakeClock, flushMicrotasks } from '../../fakes/fake-clock';

function setup(overrides: Partial<PresenceOptions> = {}) {
  const clock = new FakeClock();
  const sent: { url: string; state: unknown; at: number }[] = [];
  let status = 200;
  let failure: Result<JsonResponse> | null = null;
  const onSessionExpired = jest.fn();
  const heartbeat = createPresenceHeartbeat({
    loginEndpoint: 'http://127.0.0.1:9500',
    timeoutMs: 5000,
    getSessionToken: () => 'tok',
    clock,
    onSessionExpired,
    post: async (url, body) => {
      sent.push({ url, state: (body as { state: unknown }).state, at: clock.now() });
      return failure ?? ok({ status, data: { ok: true, awayAfterSeconds: 90 } });
    },
    ...overrides,
  });
  return {
    clock,
    sent,
    heartbeat,
    onSessionExpired,
    states: () => sent.map((s) => s.state),
    respond(next: number) {
      status = next;
    },
    fail(next: Result<JsonResponse> | null) {
      failure = next;
    },
  };
}

describe('presence heartbeat', () => {
  it('says active at once and every interval while the chat is visible', async () => {
    const s = setup();
    s.heartbeat.start();
    await flushMicrotasks();
    expect(s.sent).toEqual([
      { url: 'http://127.0.0.1:9500/api/presence', state: 'active', at: s.clock.now() },
    ]);
    await s.clock.tick(DEFAULT_PRESENCE_INTERVAL_MS * 3);
    expect(s.states()).toEqual(['active', 'active', 'active', 'active']);
    const gaps = s.sent.slice(1).map((x, i) => x.at - s.sent[i].at);
    expect(gaps.every((g) => g >= 30_000 && g <= 60_000)).toBe(true);
  });

  it('says away after the grace period on hide, and stops beating', async () => {
    const s = setup();
    s.heartbeat.start();
    await flushMicrotasks();
    s.heartbeat.stop();
    expect(s.heartbeat.isActive()).toBe(false);
    await s.clock.tick(1_000);
    expect(s.states()).toEqual(['active']);
    await s.clock.tick(1_000);
    expect(s.states()).toEqual(['active', 'away']);
    await s.clock.tick(DEFAULT_PRESENCE_INTERVAL_MS * 4);
    expect(s.states()).toEqual(['active', 'away']);
    expect(s.clock.pending()).toBe(0);
  });

  it('does not say away when another chat page takes over within the grace period', async () => {
    const s = setup();
    s.heartbeat.start();
    await flushMicrotasks();
    s.heartbeat.stop();
    await s.clock.tick(500);
    s.heartbeat.start();
    await s.clock.tick(5_000);
    // No away, and no extra active either: the last one is recent.
    expect(s.states()).toEqual(['active']);
    await s.clock.tick(DEFAULT_PRESENCE_INTERVAL_MS);
    expect(s.states()).toEqual(['active', 'active']);
  });

  it('says away at once when the app goes to the background', async () => {
    const s = setup();
    s.heartbeat.start();
    await flushMicrotasks();
    s.heartbeat.stop(); // page onHide
    s.heartbeat.stop({ immediate: true }); // App.onHide
    await flushMicrotasks();
    expect(s.states()).toEqual(['active', 'away']);
    await s.clock.tick(10_000);
    expect(s.states()).toEqual(['active', 'away']);
  });

  it('is idempotent: a second start sends nothing extra, stop without start sends nothing', async () => {
    const s = setup();
    s.heartbeat.stop();
    s.heartbeat.start();
    s.heartbeat.start();
    await s.clock.tick(1_000);
    expect(s.states()).toEqual(['active']);
  });

  it('stops and reports when the server no longer knows the session', async () => {
    const s = setup();
    s.respond(401);
    s.heartbeat.start();
    await flushMicrotasks();
    expect(s.onSessionExpired).toHaveBeenCalledTimes(1);
    expect(s.heartbeat.isActive()).toBe(false);
    await s.clock.tick(DEFAULT_PRESENCE_INTERVAL_MS * 2);
    expect(s.states()).toEqual(['active']);
  });

  it('backs off once when rate-limited and keeps going on network errors', async () => {
    const s = setup();
    s.respond(429);
    s.heartbeat.start();
    await flushMicrotasks();
    s.respond(200);
    await s.clock.tick(DEFAULT_PRESENCE_INTERVAL_MS);
    expect(s.states()).toEqual(['active']);
    await s.clock.tick(DEFAULT_PRESENCE_INTERVAL_MS);
    expect(s.states()).toEqual(['active', 'active']);
    s.fail(err(appError('network', 'offline')));
    await s.clock.tick(DEFAULT_PRESENCE_INTERVAL_MS);
    s.fail(null);
    await s.clock.tick(DEFAULT_PRESENCE_INTERVAL_MS);
    expect(s.states()).toEqual(['active', 'active', 'active', 'active']);
    expect(s.heartbeat.isActive()).toBe(true);
  });

  it('skips beats while logged out, and keeps the interval within 30–60 s', async () => {
    let token: string | undefined = undefined;
    const s = setup({ getSessionToken: () => token, intervalMs: 5_000 });
    s.heartbeat.start();
    await s.clock.tick(29_000);
    expect(s.sent).toEqual([]);
    token = 'tok';
    await s.clock.tick(1_000);
    expect(s.states()).toEqual(['active']);
    s.heartbeat.dispose();
    expect(s.clock.pending()).toBe(0);
  });
});

import type { OutgoingMessage } from '../../../miniprogram/core/model/message';
import { createSessionStore } from '../../../miniprogram/core/session/session-store';
import type { SessionStatus } from '../../../miniprogram/core/session/session-store';
import { FakeAuth } from '../../fakes/fake-auth';
import { flushMicrotasks } from '../../fakes/fake-clock';
import { createHarness, loggedIn, USER } from '../../fakes/harness';

const statuses = (h: ReturnType<typeof createHarness>): SessionStatus[] => {
  const seen: SessionStatus[] = [];
  h.session.subscribe((s, p) => {
    if (s.status !== p.status) seen.push(s.status);
  });
  return seen;
};

const text = (clientId: string, t: string): OutgoingMessage => ({
  clientId,
  conversationID: 'C2Cfriend',
  to: 'friend',
  content: { kind: 'text', text: t },
  cloudCustomData: '',
});

describe('login', () => {
  it('goes logging-in → ready and persists the session', async () => {
    const h = createHarness();
    const seen = statuses(h);
    const res = await h.session.login();
    expect(res.ok).toBe(true);
    expect(seen).toEqual(['logging-in', 'ready']);
    expect(h.session.getState()).toMatchObject({ status: 'ready', userID: USER, error: null });
    expect(h.storage.get('cs.session')).toMatchObject({
      userID: USER,
      userSig: 'sig-1',
      sessionToken: 'token-1',
    });
    expect(h.transport.getLoginUser()).toBe(USER);
  });

  it('is single-flight: two taps make one login', async () => {
    const h = createHarness();
    const [a, b] = await Promise.all([h.session.login(), h.session.login()]);
    expect(a.ok && b.ok).toBe(true);
    expect(h.auth.loginCalls).toBe(1);
    expect(h.transport.calls.filter((c) => c.method === 'login')).toHaveLength(1);
  });

  it('reports auth failures and stays logged out', async () => {
    const h = createHarness();
    h.auth.failures.push('network');
    const res = await h.session.login();
    expect(res.ok).toBe(false);
    expect(h.session.getState()).toMatchObject({
      status: 'logged-out',
      error: { code: 'network' },
    });
    expect(h.storage.get('cs.session')).toBeUndefined();
  });

  it('logs the previous user out before logging another one in', async () => {
    const h = createHarness();
    await loggedIn(h);
    const other = new FakeAuth('user2', () => h.clock.now());
    const session2 = createSessionStore({
      transport: h.transport,
      auth: other,
      storage: h.storage,
      clock: h.clock,
      logger: h.logger,
    });
    expect((await session2.login()).ok).toBe(true);
    expect(h.transport.calls.map((c) => c.method)).toContain('logout');
    expect(h.transport.getLoginUser()).toBe('user2');
  });
});

describe('restore', () => {
  it('says false when nothing is stored', async () => {
    const h = createHarness();
    expect(await h.session.restore()).toEqual({ ok: true, value: false });
    expect(h.session.getState().status).toBe('logged-out');
  });

  it('logs in with the stored UserSig without asking the auth server', async () => {
    const h = createHarness();
    await loggedIn(h);
    const h2 = h.restart();
    expect(await h2.session.restore()).toEqual({ ok: true, value: true });
    expect(h2.session.getState().status).toBe('ready');
    expect(h.auth.loginCalls).toBe(1);
    expect(h.auth.refreshCalls).toBe(0);
  });

  it('refreshes an expired stored session first', async () => {
    const h = createHarness();
    await loggedIn(h);
    const h2 = h.restart();
    h.clock.advance(8 * 24 * 3600_000);
    expect(await h2.session.restore()).toEqual({ ok: true, value: true });
    expect(h.auth.refreshCalls).toBe(1);
    expect(h.storage.get('cs.session')).toMatchObject({ userSig: 'sig-2' });
  });

  it('refreshes when the server says the stored UserSig expired', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.transport.expiredSigs.add('sig-1');
    const h2 = h.restart();
    expect(await h2.session.restore()).toEqual({ ok: true, value: true });
    expect(h.auth.refreshCalls).toBe(1);
    expect(h2.session.getState().status).toBe('ready');
  });

  it('drops a session the server no longer knows and asks for a login', async () => {
    const h = createHarness();
    await loggedIn(h);
    const h2 = h.restart();
    h.clock.advance(8 * 24 * 3600_000);
    h.auth.validTokens.clear();
    expect(await h2.session.restore()).toEqual({ ok: true, value: false });
    expect(h.storage.get('cs.session')).toBeUndefined();
  });

  it('ignores corrupt stored data', async () => {
    const h = createHarness();
    h.storage.set('cs.session', { userID: 42 });
    expect(await h.session.restore()).toEqual({ ok: true, value: false });
  });
});

describe('UserSig expiry while online', () => {
  it('renews through the auth port and logs in again without losing the outbox', async () => {
    const h = createHarness();
    await loggedIn(h);
    const seen = statuses(h);
    h.transport.expireUserSig('sig-1');
    // A message typed while the login is being renewed waits in the outbox.
    const sending = h.outbox.send(text('x', 'during renewal'));
    await flushMicrotasks();
    expect(h.session.getState().status).toBe('ready');
    expect(seen).toEqual(['reconnecting', 'ready']);
    expect(h.auth.refreshCalls).toBe(1);
    expect(h.transport.calls.filter((c) => c.method === 'login')).toHaveLength(2);
    await sending;
    await h.outbox.flush();
    expect(h.transport.serverMessages(USER, 'friend').map((m) => m.payload.text)).toEqual([
      'during renewal',
    ]);
  });

  it('retries renewal after network errors, then succeeds', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.auth.failures.push('network', 'network');
    h.transport.expireUserSig('sig-1');
    await flushMicrotasks();
    expect(h.session.getState().status).toBe('reconnecting');
    await h.clock.tick(2_000);
    await h.clock.tick(5_000);
    expect(h.session.getState().status).toBe('ready');
    expect(h.auth.refreshCalls).toBe(3);
  });

  it('ends in expired, told once, when the session token is refused', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.auth.validTokens.clear();
    h.transport.expireUserSig('sig-1');
    await flushMicrotasks();
    expect(h.session.getState().status).toBe('expired');
    expect(h.session.takeNotice()?.code).toBe('usersig-expired');
    expect(h.session.takeNotice()).toBeNull();
    expect(h.storage.get('cs.session')).toBeUndefined();
  });

  it('renews ahead of expiry on a timer', async () => {
    const h = createHarness();
    await loggedIn(h);
    await h.clock.tick(7 * 24 * 3600_000 - 4 * 60_000);
    expect(h.auth.refreshCalls).toBe(1);
    expect(h.storage.get('cs.session')).toMatchObject({ userSig: 'sig-2' });
    expect(h.session.getState().status).toBe('ready');
  });
});

describe('kicked', () => {
  it('is told once and not retried', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.transport.kick('multiple-device');
    await h.clock.tick(60_000);
    expect(h.session.getState().status).toBe('kicked');
    expect(h.session.takeNotice()).toMatchObject({ code: 'kicked' });
    expect(h.session.takeNotice()).toBeNull();
    expect(h.transport.calls.filter((c) => c.method === 'login')).toHaveLength(1);
    expect(h.auth.refreshCalls).toBe(0);
    // A restart does not silently take the login back from the other device.
    expect(await h.restart().session.restore()).toEqual({ ok: true, value: false });
  });
});

describe('network', () => {
  it('goes reconnecting on a drop and ready when back', async () => {
    const h = createHarness();
    await loggedIn(h);
    const seen = statuses(h);
    h.transport.dropNetwork();
    h.transport.restoreNetwork();
    expect(seen).toEqual(['reconnecting', 'ready']);
  });
});

describe('unexplained not-ready', () => {
  it('logs in again once after a short wait', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.transport.dropLogin();
    expect(h.session.getState().status).toBe('reconnecting');
    await h.clock.tick(2_000);
    expect(h.session.getState().status).toBe('ready');
    expect(h.transport.calls.filter((c) => c.method === 'login')).toHaveLength(2);
    expect(h.auth.loginCalls).toBe(1);
  });
});

describe('logout', () => {
  it('logs out of Chat, forgets the session and ignores the SDK not-ready', async () => {
    const h = createHarness();
    await loggedIn(h);
    const res = await h.session.logout();
    expect(res.ok).toBe(true);
    expect(h.session.getState()).toMatchObject({ status: 'logged-out', userID: '' });
    expect(h.storage.get('cs.session')).toBeUndefined();
    expect(h.transport.getLoginUser()).toBe('');
    await h.clock.tick(60_000);
    expect(h.session.getState().status).toBe('logged-out');
  });

  it('dispose stops listening and cancels the refresh timer', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.session.dispose();
    h.transport.kick('multiple-device');
    expect(h.session.getState().status).toBe('ready');
    await h.clock.tick(8 * 24 * 3600_000);
    expect(h.auth.refreshCalls).toBe(0);
  });
});

describe('renewal spacing and back-off', () => {
  it('schedules a renewal no earlier than half the UserSig lifetime', async () => {
    const h = createHarness();
    await loggedIn(h);
    // 7-day UserSig: the 5-minute margin is later than half the lifetime, so it applies.
    await h.clock.tick(3.5 * 24 * 3600_000);
    expect(h.auth.refreshCalls).toBe(0);
    await h.clock.tick(3.5 * 24 * 3600_000 - 4 * 60_000);
    expect(h.auth.refreshCalls).toBe(1);
  });

  it('keeps the session through many transient failures', async () => {
    const h = createHarness();
    await loggedIn(h);
    h.auth.failures.push('busy', 'network', 'timeout', 'busy', 'network', 'busy');
    h.transport.expireUserSig('sig-1');
    await h.clock.tick(10 * 60_000);
    expect(h.session.getState().status).toBe('ready');
    expect(h.auth.refreshCalls).toBe(7);
  });
});

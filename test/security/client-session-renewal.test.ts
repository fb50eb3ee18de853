/**
 * UserSig renewal cannot storm, and a struggling login server does not log anyone out: renewal
 * waits at least half the UserSig's lifetime (and 20 s after the last one); 429, 5xx and network
 * errors back off, honouring Retry-After, while the user stays logged in; only a definitive refusal
 * (401 session-expired, 403) logs out, with a visible, translated reason.
 */
import { t } from '../../miniprogram/core/i18n/index';
import type { MessageKey } from '../../miniprogram/core/i18n/index';
import type { AuthPort } from '../../miniprogram/core/ports/auth';
import { appError, err } from '../../miniprogram/core/result';
import type { AppError } from '../../miniprogram/core/result';
import { FakeAuth } from '../fakes/fake-auth';
import { FakeClock } from '../fakes/fake-clock';
import { createHarness, loggedIn, USER } from '../fakes/harness';

/** A login server whose refresh answers are scripted first, then those of a FakeAuth. */
class ScriptedAuth implements AuthPort {
  readonly refreshAt: number[] = [];
  readonly script: AppError[] = [];

  constructor(
    readonly inner: FakeAuth,
    private readonly clock: FakeClock,
  ) {}

  login(): ReturnType<AuthPort['login']> {
    return this.inner.login();
  }

  async refresh(token: string): ReturnType<AuthPort['refresh']> {
    this.refreshAt.push(this.clock.now());
    const next = this.script.shift();
    return next ? err(next) : this.inner.refresh(token);
  }
}

function setup(lifetimeMs: number): {
  h: ReturnType<typeof createHarness>;
  auth: ScriptedAuth;
  clock: FakeClock;
} {
  const clock = new FakeClock();
  const auth = new ScriptedAuth(new FakeAuth(USER, () => clock.now(), lifetimeMs), clock);
  const h = createHarness({ clock, auth: auth as unknown as FakeAuth });
  return { h, auth, clock };
}

describe('client session: renewal without storms', () => {
  it('a 2-second UserSig renews at most 3 times a minute', async () => {
    const { h, auth, clock } = setup(2_000);
    const start = clock.now();
    await loggedIn(h);
    await clock.tick(60_000);
    expect(auth.refreshAt.length).toBeGreaterThan(0);
    expect(auth.refreshAt.length).toBeLessThanOrEqual(3);
    // The first renewal waits half the lifetime, not the 5-minute refresh-ahead margin.
    expect(auth.refreshAt[0] - start).toBeGreaterThanOrEqual(1_000);
    expect(h.session.getState().status).toBe('ready');
  });

  it('a SDK that keeps saying "expired" does not make renewals storm either', async () => {
    const { h, auth, clock } = setup(2_000);
    await loggedIn(h);
    for (let second = 0; second < 60; second += 1) {
      const sig = h.session.getSession()?.userSig;
      if (sig && h.session.getState().status === 'ready') h.transport.expireUserSig(sig);
      await clock.tick(1_000);
    }
    expect(auth.refreshAt.length).toBeLessThanOrEqual(4);
  });

  it.each([
    ['429 with Retry-After', appError('busy', 'HTTP 429', { status: 429, retryAfterMs: 30_000 })],
    ['503', appError('busy', 'HTTP 503', { status: 503 })],
    ['a network error', appError('network', 'down')],
  ])('%s during renewal backs off and keeps the user logged in', async (_name, failure) => {
    const { h, auth, clock } = setup(7 * 24 * 3600_000);
    await loggedIn(h);
    auth.script.push(failure, failure, failure, failure);
    h.transport.expireUserSig('sig-1');
    await clock.tick(3 * 60_000);
    // Never logged out, session kept, and renewed once the server answers again.
    expect(h.session.getState().status).toBe('ready');
    expect(h.storage.get('cs.session')).toMatchObject({ userSig: 'sig-2' });
    expect(h.session.takeNotice()).toBeNull();
    const gaps = auth.refreshAt.slice(1).map((at, i) => at - auth.refreshAt[i]);
    expect(gaps.length).toBe(4);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(2_000);
    const retryAfter = (failure.cause as { retryAfterMs?: number } | undefined)?.retryAfterMs;
    if (retryAfter) for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(retryAfter);
  });

  it.each([
    ['401 session-expired', appError('session-expired', 'HTTP 401'), 'error.usersig-expired'],
    ['403', appError('server-refused', 'HTTP 403', 'forbidden'), 'error.session-expired'],
  ])('%s logs out, with a visible reason', async (_name, refusal, key) => {
    const { h, auth, clock } = setup(7 * 24 * 3600_000);
    await loggedIn(h);
    auth.script.push(refusal);
    h.transport.expireUserSig('sig-1');
    await clock.tick(1_000);
    expect(h.session.getState().status).toBe('expired');
    expect(h.storage.get('cs.session')).toBeUndefined();
    const notice = h.session.takeNotice();
    expect(notice && `error.${notice.code}`).toBe(key);
    expect(t(key as MessageKey, undefined, 'en')).not.toBe(key);
    expect(auth.refreshAt.length).toBe(1);
  });
});

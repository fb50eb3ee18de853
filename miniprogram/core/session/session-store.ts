import type { AuthPort, AuthSession } from '../ports/auth';
import { parseAuthSession } from '../ports/auth';
import type { ChatTransport, KickReason, TransportEvent } from '../ports/chat-transport';
import type { Clock, TimerHandle } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { KeyValueStorage } from '../ports/storage';
import { appError, err, ok } from '../result';
import type { AppError, Result } from '../result';
import { createStore } from '../store/store';
import type { ReadableStore } from '../store/store';

/**
 * `logged-out → logging-in → ready ⇄ reconnecting`, ending in `expired` (credentials can no longer be
 * renewed: log in again) or `kicked` (another device or the server took the login: not retried).
 */
export type SessionStatus =
  'logged-out' | 'logging-in' | 'ready' | 'reconnecting' | 'expired' | 'kicked';

/** The login session state. */
export interface SessionState {
  status: SessionStatus;
  /** The logged-in (or last) user, `''` when none. */
  userID: string;
  /** Service accounts the server assigned to this user (config applies when empty). */
  serviceAccounts: readonly string[];
  /** Why the last login or renewal failed, if it did. */
  error: AppError | null;
  /** Something the user must be told exactly once (kicked, expired); see `takeNotice`. */
  notice: AppError | null;
}

/** What the session store runs on. */
export interface SessionDeps {
  transport: ChatTransport;
  auth: AuthPort;
  storage: KeyValueStorage;
  clock: Clock;
  logger: Logger;
  storageKey?: string;
  /** Renew the UserSig this long before it expires (ms). */
  refreshAheadMs?: number;
  /** Wait after an unexplained SDK not-ready before logging in again (ms). */
  reloginDelayMs?: number;
  /**
   * Delays between renewal attempts that fail for transient reasons (network, timeout, 429, 5xx),
   * the last one repeating; a `Retry-After` the server sent wins when it is longer (ms).
   */
  retryDelaysMs?: readonly number[];
  /** Least time from one successful renewal to the start of the next (ms). */
  minRenewalGapMs?: number;
}

/** Login, restore, renewal and logout; every action resolves to a `Result`, never throws. */
export interface SessionStore extends ReadableStore<SessionState> {
  /** Fresh login through the auth port (`wx.login` → our server) and the Chat SDK. Single-flight. */
  login(): Promise<Result<void>>;
  /**
   * Logs in with the persisted session, renewing it first when it has expired. Resolves ok(true)
   * when ready, ok(false) when there is nothing usable to restore (show the login page).
   */
  restore(): Promise<Result<boolean>>;
  /** Logs out of Chat and forgets the persisted session. */
  logout(): Promise<Result<void>>;
  /** Returns the pending notice and clears it, so each notice is shown once. */
  takeNotice(): AppError | null;
  /** The current credentials, if any. */
  getSession(): AuthSession | null;
  /** Stops listening to the transport and cancels timers. */
  dispose(): void;
}

const KICK_MESSAGES: Record<Exclude<KickReason, 'usersig-expired'>, string> = {
  'multiple-account': 'logged in elsewhere (same platform)',
  'multiple-device': 'logged in on another device',
  'rest-api': 'logged out by the server',
};

/** Failures worth trying again: the network, a timeout, a busy (429) or failing (5xx) server. */
function isTransient(error: AppError): boolean {
  return error.code === 'network' || error.code === 'timeout' || error.code === 'busy';
}

/** How long the server asked us to wait (`Retry-After`, carried in the error's cause), capped. */
function retryAfterMs(error: AppError): number {
  const cause = error.cause as { retryAfterMs?: unknown } | undefined;
  const ms = typeof cause === 'object' && cause !== null ? Number(cause.retryAfterMs) : NaN;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, 10 * 60_000) : 0;
}

/** Creates the session store; it listens to transport events until `dispose`. */
export function createSessionStore(deps: SessionDeps): SessionStore {
  const { transport, auth, storage, clock, logger } = deps;
  const key = deps.storageKey ?? 'cs.session';
  const refreshAhead = deps.refreshAheadMs ?? 5 * 60_000;
  const retryDelays = deps.retryDelaysMs ?? [2_000, 5_000, 15_000, 30_000, 60_000];
  const minRenewalGap = deps.minRenewalGapMs ?? 20_000;
  const store = createStore<SessionState>(
    { status: 'logged-out', userID: '', serviceAccounts: [], error: null, notice: null },
    (e) => logger.error('session listener failed', e),
  );
  let session: AuthSession | null = null;
  let inflight: Promise<Result<void>> | null = null;
  let renewing: Promise<Result<void>> | null = null;
  let refreshTimer: TimerHandle | null = null;
  let reloginTimer: TimerHandle | null = null;
  /** When the current UserSig arrived: its lifetime is `expireAt - receivedAt`. */
  let receivedAt = 0;
  /** When the last renewal succeeded; renewals are spaced from it. */
  let lastRenewedAt = -Infinity;
  /** Set when the SDK said the UserSig expired: the next renewal must log in with the new one. */
  let loginExpired = false;
  const reloginDelay = deps.reloginDelayMs ?? 2_000;
  // Set while we log out ourselves, so the SDK's not-ready is not mistaken for a drop.
  let leaving = false;

  const set = (patch: Partial<SessionState>): void => store.update((s) => ({ ...s, ...patch }));

  const save = (next: AuthSession): void => {
    if (session?.userSig !== next.userSig) receivedAt = clock.now();
    session = next;
    const saved = storage.set(key, next);
    if (!saved.ok) logger.warn('session not persisted', saved.error);
  };

  const forget = (): void => {
    session = null;
    storage.remove(key);
    if (refreshTimer !== null) clock.clearTimeout(refreshTimer);
    if (reloginTimer !== null) clock.clearTimeout(reloginTimer);
    refreshTimer = null;
    reloginTimer = null;
  };

  const scheduleRefresh = (): void => {
    if (refreshTimer !== null) clock.clearTimeout(refreshTimer);
    refreshTimer = null;
    if (!session) return;
    // Ahead of expiry, but never before half the UserSig's lifetime nor sooner than the gap
    // after the last renewal: a server that issues short-lived UserSigs cannot cause a storm.
    const lifetime = Math.max(0, session.expireAt - receivedAt);
    const at = Math.max(
      session.expireAt - refreshAhead,
      receivedAt + lifetime / 2,
      lastRenewedAt + minRenewalGap,
    );
    const delay = Math.max(0, at - clock.now());
    refreshTimer = clock.setTimeout(() => {
      refreshTimer = null;
      void renew('scheduled');
    }, delay);
  };

  /** Chat login with `next`, then ready. */
  const connect = async (next: AuthSession): Promise<Result<void>> => {
    const res = await transport.login({
      userID: next.userID,
      userSig: next.userSig,
      sdkAppID: next.sdkAppID,
    });
    if (!res.ok) return res;
    save(next);
    set({
      status: 'ready',
      userID: next.userID,
      serviceAccounts: next.serviceAccounts,
      error: null,
    });
    scheduleRefresh();
    return ok(undefined);
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => clock.setTimeout(resolve, ms));

  /**
   * New UserSig through the auth port, then (when the SDK's login has expired) a Chat login with
   * it. Transient failures (network, timeout, 429, 5xx) back off, honouring `Retry-After`, and keep
   * the user logged in: the session is kept and the attempts go on. Only a definitive refusal (the
   * session token refused: 401, 403) ends in `expired`, with a notice saying why.
   */
  const renew = (why: string): Promise<Result<void>> => {
    if (renewing) return renewing;
    const run = async (): Promise<Result<void>> => {
      logger.info('renewing the session', { why });
      const gap = lastRenewedAt + minRenewalGap - clock.now();
      if (gap > 0) await sleep(gap);
      for (let attempt = 0; ; attempt += 1) {
        const current = session;
        const { status } = store.getState();
        if (!current || status === 'logged-out' || status === 'kicked' || status === 'expired')
          return err(appError('not-logged-in', 'logged out while renewing'));
        const fresh = await auth.refresh(current.sessionToken);
        let failure: AppError;
        if (fresh.ok) {
          lastRenewedAt = clock.now();
          if (!loginExpired && transport.getLoginUser() !== '') {
            // A live login keeps working until the SDK says the UserSig expired; the new UserSig
            // is stored now and used at that point or at the next start.
            save(fresh.value);
            scheduleRefresh();
            return ok(undefined);
          }
          const connected = await connect(fresh.value);
          if (connected.ok) {
            loginExpired = false;
            return connected;
          }
          failure = connected.error;
        } else failure = fresh.error;
        if (!isTransient(failure)) return refuse(failure);
        const delay = Math.max(
          retryDelays[Math.min(attempt, retryDelays.length - 1)] ?? 2_000,
          retryAfterMs(failure),
        );
        logger.warn('session renewal failed, retrying', { code: failure.code, delay });
        await sleep(delay);
      }
    };
    renewing = run().finally(() => {
      renewing = null;
    });
    return renewing;
  };

  /** A definitive refusal: forget the session, tell the user why, once. */
  const refuse = (error: AppError): Result<void> => {
    forget();
    const notice =
      error.code === 'session-expired'
        ? appError('usersig-expired', 'login expired', error)
        : appError('session-expired', 'login refused', error);
    set({ status: 'expired', error, notice });
    return err(error);
  };

  const onEvent = (event: TransportEvent): void => {
    const { status } = store.getState();
    switch (event.type) {
      case 'net-state':
        if (event.state === 'connected' && status === 'reconnecting' && !renewing)
          set({ status: 'ready' });
        else if (event.state !== 'connected' && status === 'ready') set({ status: 'reconnecting' });
        return;
      case 'ready':
        if (status === 'reconnecting' && !renewing) set({ status: 'ready' });
        return;
      case 'not-ready':
        if (leaving || status !== 'ready') return;
        // The SDK dropped the login without a kick (a kick comes first when there is one). Give it a
        // moment, then log in again once, unless another user now holds the SDK.
        set({ status: 'reconnecting' });
        if (reloginTimer !== null) clock.clearTimeout(reloginTimer);
        reloginTimer = clock.setTimeout(() => {
          reloginTimer = null;
          void relogin();
        }, reloginDelay);
        return;
      case 'kicked':
        if (event.reason === 'usersig-expired') {
          set({ status: 'reconnecting' });
          loginExpired = true;
          void renew('usersig-expired');
          return;
        }
        forget();
        set({
          status: 'kicked',
          error: appError('kicked', KICK_MESSAGES[event.reason]),
          notice: appError('kicked', KICK_MESSAGES[event.reason], event.reason),
        });
        return;
      default:
        return;
    }
  };

  const relogin = async (): Promise<void> => {
    const current = session;
    if (store.getState().status !== 'reconnecting' || renewing || !current) return;
    if (transport.isReady()) {
      set({ status: 'ready' });
      return;
    }
    const holder = transport.getLoginUser();
    if (holder !== '' && holder !== current.userID) {
      set({ status: 'logged-out', error: appError('not-logged-in', 'another user logged in') });
      return;
    }
    const res = await connect(current);
    if (!res.ok && store.getState().status === 'reconnecting') void renew('relogin-failed');
  };

  const unsubscribe = transport.onEvent(onEvent);

  const loginWith = (obtain: () => Promise<Result<AuthSession>>): Promise<Result<void>> => {
    if (inflight) return inflight;
    const run = async (): Promise<Result<void>> => {
      set({ status: 'logging-in', error: null });
      const creds = await obtain();
      if (!creds.ok) {
        set({ status: 'logged-out', error: creds.error });
        return creds;
      }
      const previous = transport.getLoginUser();
      if (previous && previous !== creds.value.userID) {
        // The SDK ignores a login for another user while one is active (repeatLogin).
        leaving = true;
        await transport.logout();
        leaving = false;
      }
      const res = await connect(creds.value);
      if (!res.ok) {
        set({ status: 'logged-out', error: res.error });
        return res;
      }
      return ok(undefined);
    };
    inflight = run().finally(() => {
      inflight = null;
    });
    return inflight;
  };

  return {
    getState: store.getState,
    subscribe: store.subscribe,
    getSession: () => session,

    login: () => loginWith(() => auth.login()),

    async restore() {
      const saved = parseAuthSession(storage.get(key));
      if (!saved) return ok(false);
      session = saved;
      // Its real lifetime is unknown: count it from now, so renewal waits half of what is left.
      receivedAt = clock.now();
      // Known at once, so per-user state (the outbox) can load before the login completes.
      set({ userID: saved.userID, serviceAccounts: saved.serviceAccounts });
      const res = await loginWith(async () => {
        if (saved.expireAt - refreshAhead > clock.now()) return ok(saved);
        return auth.refresh(saved.sessionToken);
      });
      if (res.ok) return ok(true);
      if (res.error.code === 'usersig-expired') {
        // The server disagrees with our clock about the UserSig: renew it once.
        const renewed = await loginWith(() => auth.refresh(saved.sessionToken));
        if (renewed.ok) return ok(true);
        if (renewed.error.code !== 'session-expired') return renewed;
        forget();
        return ok(false);
      }
      if (res.error.code === 'session-expired') {
        forget();
        return ok(false);
      }
      return res;
    },

    async logout() {
      forget();
      leaving = true;
      const res = await transport.logout();
      leaving = false;
      set({ status: 'logged-out', userID: '', serviceAccounts: [], error: null });
      return res;
    },

    takeNotice() {
      const { notice } = store.getState();
      if (notice) set({ notice: null });
      return notice;
    },

    dispose() {
      unsubscribe();
      if (refreshTimer !== null) clock.clearTimeout(refreshTimer);
      if (reloginTimer !== null) clock.clearTimeout(reloginTimer);
      refreshTimer = null;
      reloginTimer = null;
    },
  };
}

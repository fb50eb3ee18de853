import type { Clock, TimerHandle } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import { silentLogger } from '../../core/ports/logger';
import type { Result } from '../../core/result';
import type { JsonResponse } from '../wx-request';
import { postJson } from '../wx-request';

export type PresenceState = 'active' | 'away';

export interface PresenceOptions {
  /** Base URL of our login server (`config.loginEndpoint`). */
  loginEndpoint: string;
  timeoutMs: number;
  /** The login server's session token; no beat is sent while there is none. */
  getSessionToken: () => string | null | undefined;
  clock: Clock;
  /** Between two beats, ms; kept within 30–60 s (the server counts a user away after 90 s). */
  intervalMs?: number;
  /**
   * How long `stop()` waits before saying `away`, ms. Moving from one chat page to another stops
   * one and starts the next; without the wait, the `away` of the first could reach the server after
   * the `active` of the second and leave the user marked away while reading.
   */
  awayGraceMs?: number;
  logger?: Logger;
  post?: (url: string, body: unknown, timeoutMs: number) => Promise<Result<JsonResponse>>;
  /** The server no longer knows the session token (401): beats stop until the next `start`. */
  onSessionExpired?: () => void;
}

/**
 * Tells our server whether the user is looking at the chat, so reply notifications go only to users
 * who are away. One instance per app, shared by chat pages: `start()` from the chat page's `onShow`,
 * `stop()` from its `onHide`/`onUnload`, `stop({ immediate: true })` from `App.onHide`.
 */
export interface PresenceHeartbeat {
  /** Sends `active` (unless one went out within half an interval) and keeps beating. Idempotent. */
  start(): void;
  /** Stops beating and sends `away` after the grace period (at once with `immediate`). */
  stop(options?: { immediate?: boolean }): void;
  /** Beating now. */
  isActive(): boolean;
  /** Cancels timers without sending anything (tests, logout). */
  dispose(): void;
}

export const DEFAULT_PRESENCE_INTERVAL_MS = 45_000;
const MIN_INTERVAL_MS = 30_000;
const MAX_INTERVAL_MS = 60_000;
const DEFAULT_AWAY_GRACE_MS = 1_500;

/** Builds the heartbeat; nothing is sent before `start()`. */
export function createPresenceHeartbeat(options: PresenceOptions): PresenceHeartbeat {
  const logger = options.logger ?? silentLogger;
  const post = options.post ?? postJson;
  const clock = options.clock;
  const url = `${options.loginEndpoint.replace(/\/+$/, '')}/api/presence`;
  const interval = Math.min(
    MAX_INTERVAL_MS,
    Math.max(MIN_INTERVAL_MS, options.intervalMs ?? DEFAULT_PRESENCE_INTERVAL_MS),
  );
  const grace = Math.max(0, options.awayGraceMs ?? DEFAULT_AWAY_GRACE_MS);

  let active = false;
  let beatTimer: TimerHandle | null = null;
  let awayTimer: TimerHandle | null = null;
  let inFlight = false;
  /** When the server last accepted `active`, unix ms; 0 = never. */
  let lastActiveAt = 0;

  function clearBeat(): void {
    if (beatTimer !== null) clock.clearTimeout(beatTimer);
    beatTimer = null;
  }

  function clearAway(): void {
    if (awayTimer !== null) clock.clearTimeout(awayTimer);
    awayTimer = null;
  }

  function schedule(delay: number): void {
    clearBeat();
    beatTimer = clock.setTimeout(() => {
      beatTimer = null;
      void beat();
    }, delay);
  }

  async function send(state: PresenceState): Promise<number | null> {
    const token = options.getSessionToken();
    if (!token) return null;
    const res = await post(url, { sessionToken: token, state }, options.timeoutMs);
    if (!res.ok) {
      logger.debug(`presence ${state} not sent`, res.error);
      return null;
    }
    return res.value.status;
  }

  async function beat(): Promise<void> {
    if (!active) return;
    if (inFlight) {
      schedule(interval);
      return;
    }
    inFlight = true;
    const status = await send('active');
    inFlight = false;
    if (status !== null && status >= 200 && status < 300) lastActiveAt = clock.now();
    if (status === 401) {
      active = false;
      clearBeat();
      logger.warn('presence: session token refused, heartbeat stopped');
      options.onSessionExpired?.();
      return;
    }
    if (status !== null && (status < 200 || status >= 300)) {
      logger.debug(`presence: HTTP ${status}`);
    }
    // Rate-limited: one longer pause rather than adding to the pressure.
    if (active) schedule(status === 429 ? interval * 2 : interval);
  }

  function sendAway(): void {
    awayTimer = null;
    lastActiveAt = 0;
    void send('away');
  }

  return {
    start() {
      clearAway();
      if (active) return;
      active = true;
      const recent = lastActiveAt > 0 && clock.now() - lastActiveAt < interval / 2;
      if (recent) schedule(interval - (clock.now() - lastActiveAt));
      else void beat();
    },
    stop(stopOptions) {
      if (!active) {
        // A page already stopped (away pending): the app going to the background says it now.
        if (stopOptions?.immediate && awayTimer !== null) {
          clearAway();
          sendAway();
        }
        return;
      }
      active = false;
      clearBeat();
      if (stopOptions?.immediate || grace === 0) {
        clearAway();
        sendAway();
      } else {
        clearAway();
        awayTimer = clock.setTimeout(sendAway, grace);
      }
    },
    isActive() {
      return active;
    },
    dispose() {
      active = false;
      clearBeat();
      clearAway();
    },
  };
}

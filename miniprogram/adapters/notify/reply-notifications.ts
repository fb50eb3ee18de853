import type { MessageKey } from '../../core/i18n/index';
import {
  decideSubscribeOffer,
  initialSubscribeMemory,
  memoryAnswerOf,
  parseSubscribeMemory,
  parseSubscriptionAnswer,
  quotaForTemplates,
  recordAnswer,
  recordDismissed,
  recordNewSession,
  recordNotificationUsed,
  recordOffered,
  recordQuota,
  subscribeMemoryFor,
  subscribeOutcomeFromFailure,
  subscribeOutcomeFromSuccess,
  subscribeResultKey,
  subscriptionReport,
  usableTemplateIds,
} from '../../core/notify/index';
import type {
  SubscribeDecision,
  SubscribeMemory,
  SubscribeOffer,
  SubscribeOutcome,
  SubscribeTrigger,
} from '../../core/notify/index';
import type { Clock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import { silentLogger } from '../../core/ports/logger';
import type { KeyValueStorage } from '../../core/ports/storage';
import { appError, err, ok } from '../../core/result';
import type { AppError, Result } from '../../core/result';
import type { JsonResponse } from '../wx-request';
import { postJson } from '../wx-request';

/** `POST` of a JSON body, as `wx-request.postJson` does it (injectable for tests). */
export type PostJson = (
  url: string,
  body: unknown,
  timeoutMs: number,
) => Promise<Result<JsonResponse>>;

/**
 * Asks WeChat's subscribe dialog for `templateIds`. `wx.requestSubscribeMessage` is called before
 * this function returns (the promise executor runs synchronously), which is what lets it run inside
 * a tap handler: WeChat refuses (10005) once the tap's turn is over.
 */
export function requestSubscribeFromTap(templateIds: readonly string[]): Promise<SubscribeOutcome> {
  return new Promise((resolve) => {
    try {
      wx.requestSubscribeMessage({
        tmplIds: [...templateIds],
        success: (res) => resolve(subscribeOutcomeFromSuccess(res, templateIds)),
        fail: (e) => resolve(subscribeOutcomeFromFailure(e)),
      });
    } catch (e) {
      // Base libraries before 2.4.4 have no such API.
      resolve({ kind: 'failed', errMsg: e instanceof Error ? e.message : String(e) });
    }
  });
}

export interface ReplyNotificationsOptions {
  /** Base URL of our login server (`config.loginEndpoint`). */
  loginEndpoint: string;
  /** `config.subscribeTemplateIds`; invalid ids are dropped, at most three are asked. */
  templateIds: readonly string[];
  timeoutMs: number;
  /** The login server's session token (`session.getSession()?.sessionToken`). */
  getSessionToken: () => string | null | undefined;
  clock: Pick<Clock, 'now'>;
  /** Keeps each session's memory across page reopen and app restarts. */
  storage?: KeyValueStorage;
  logger?: Logger;
  post?: PostJson;
  requestSubscribe?: (templateIds: readonly string[]) => Promise<SubscribeOutcome>;
}

/** What one tap on the prompt came to. */
export interface SubscribeReport {
  outcome: SubscribeOutcome;
  /** Notifications the server now holds for the user; `null` when not known. */
  quota: number | null;
  /** What to tell the user (toast or the prompt's last line). */
  messageKey: MessageKey;
}

/**
 * The "notify me when they reply" flow of one chat page. Typical use:
 *
 * - `setSession(key)` when the chat opens and whenever a new service session starts;
 * - `offer(trigger, sessionOpen)` at each moment (queued, no agent, off-hours, leaving); show the
 *   prompt only when it answers `{ offer: true }`;
 * - the prompt's button calls `subscribe()` directly in its tap handler, the close button
 *   `dismiss(trigger)`.
 */
export interface ReplyNotifications {
  /** Switches to the memory of service session `sessionKey`, and retries an unsent report. */
  setSession(sessionKey: string): void;
  /** Whether to show the prompt now; a positive answer is remembered as "shown now". */
  offer(trigger: SubscribeTrigger, sessionOpen: boolean): SubscribeOffer;
  /** What `offer` would answer now, remembering nothing (e.g. whether to catch the back gesture). */
  wouldOffer(trigger: SubscribeTrigger, sessionOpen: boolean): boolean;
  /** The conversation's service session ended and a new one started: the user may be asked again. */
  newServiceSession(): void;
  /**
   * Opens WeChat's dialog and reports the answer to the server. Must be called synchronously from
   * the tap handler (no `await` before it). Resolves `err` only when the answer could not be
   * reported (`network`, `timeout`, `session-expired`, `busy`, `not-logged-in`); such a report is
   * kept and retried by the next `setSession`, `subscribe` or `flush`. `not-allowed` when no
   * template is configured. `onAnswered` runs as soon as WeChat's dialog closes, before the
   * report (a page that waits to leave should not wait for the network).
   */
  subscribe(onAnswered?: (outcome: SubscribeOutcome) => void): Promise<Result<SubscribeReport>>;
  /** The prompt shown for `trigger` was closed without subscribing. */
  dismiss(trigger: SubscribeTrigger): void;
  /** The user came back through a notification (scene 1014/1107): one notification is spent. */
  notificationOpened(): void;
  /** Retries a report that did not get through. */
  flush(): Promise<Result<void>>;
  /** The current memory (a copy). */
  memory(): SubscribeMemory;
}

const MEMORY_KEY = 'cs.notify.memory';
const PENDING_KEY = 'cs.notify.pending';
/** Sessions remembered at once (several service accounts, a few sessions each). */
const MAX_REMEMBERED = 8;

type Accepted = Record<string, SubscribeDecision>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function httpError(res: JsonResponse): AppError {
  const body = isRecord(res.data) ? res.data : {};
  const code = typeof body.error === 'string' ? body.error : '';
  const message = `/api/subscriptions: HTTP ${res.status}${code ? ` ${code}` : ''}`;
  if (res.status === 401 || code === 'session-expired') return appError('session-expired', message);
  if (res.status === 429) return appError('busy', message);
  if (res.status === 400 || res.status === 413) return appError('invalid-input', message);
  return appError('server-refused', message);
}

/** Errors after which the same report may succeed later. */
const RETRYABLE = new Set(['network', 'timeout', 'busy', 'session-expired', 'not-logged-in']);

/** Builds the flow; nothing is sent until the user taps. */
export function createReplyNotifications(options: ReplyNotificationsOptions): ReplyNotifications {
  const logger = options.logger ?? silentLogger;
  const post = options.post ?? postJson;
  const ask = options.requestSubscribe ?? requestSubscribeFromTap;
  const templateIds = usableTemplateIds(options.templateIds);
  const url = `${options.loginEndpoint.replace(/\/+$/, '')}/api/subscriptions`;
  const storage = options.storage;

  let current: SubscribeMemory = initialSubscribeMemory('');
  let pending: Accepted | null = readPending();
  let flushing: Promise<Result<void>> | null = null;

  function readRemembered(): SubscribeMemory[] {
    const raw = storage?.get(MEMORY_KEY);
    if (!Array.isArray(raw)) return [];
    return raw.map(parseSubscribeMemory).filter((m): m is SubscribeMemory => m !== null);
  }

  function readPending(): Accepted | null {
    const raw = storage?.get(PENDING_KEY);
    if (!isRecord(raw)) return null;
    const out: Accepted = {};
    for (const [id, d] of Object.entries(raw)) {
      if (d === 'accept' || d === 'reject' || d === 'ban' || d === 'filter') out[id] = d;
    }
    return Object.keys(out).length > 0 ? out : null;
  }

  function save(): void {
    if (!storage || current.sessionKey === '') return;
    const others = readRemembered().filter((m) => m.sessionKey !== current.sessionKey);
    const kept = [current, ...others].slice(0, MAX_REMEMBERED);
    const res = storage.set(MEMORY_KEY, kept);
    if (!res.ok) logger.warn('notify: memory not saved', res.error);
  }

  function setPending(next: Accepted | null): void {
    pending = next;
    if (!storage) return;
    if (next === null) storage.remove(PENDING_KEY);
    else {
      const res = storage.set(PENDING_KEY, next);
      if (!res.ok) logger.warn('notify: pending report not saved', res.error);
    }
  }

  /** Reports `accepted`; on success folds the server's quota into the memory. */
  async function report(accepted: Accepted): Promise<Result<number | null>> {
    const token = options.getSessionToken();
    if (!token) return err(appError('not-logged-in', 'no session token for /api/subscriptions'));
    const res = await post(url, { sessionToken: token, accepted }, options.timeoutMs);
    if (!res.ok) return res;
    if (res.value.status < 200 || res.value.status >= 300) return err(httpError(res.value));
    const answer = parseSubscriptionAnswer(res.value.data);
    if (!answer) return err(appError('server-refused', '/api/subscriptions: malformed answer'));
    const mismatched = answer.ignored.filter((id) => templateIds.includes(id));
    if (mismatched.length > 0) {
      logger.warn('notify: the server does not send these templates', mismatched);
    }
    const quota = quotaForTemplates(answer, templateIds);
    current = recordQuota(current, quota);
    save();
    return ok(quota);
  }

  /** Sends a report now, keeping it for later when that may still work. */
  async function deliver(accepted: Accepted): Promise<Result<number | null>> {
    const res = await report(accepted);
    if (res.ok) setPending(null);
    else if (RETRYABLE.has(res.error.code)) setPending(accepted);
    else {
      setPending(null);
      logger.error('notify: subscription report refused', res.error);
    }
    return res;
  }

  function flush(): Promise<Result<void>> {
    if (flushing) return flushing;
    const toSend = pending;
    if (!toSend) return Promise.resolve(ok(undefined));
    flushing = deliver(toSend).then((res) => {
      flushing = null;
      return res.ok ? ok(undefined) : err(res.error);
    });
    return flushing;
  }

  return {
    setSession(sessionKey) {
      if (current.sessionKey !== sessionKey) {
        const remembered = readRemembered().find((m) => m.sessionKey === sessionKey);
        current = subscribeMemoryFor(remembered ?? current, sessionKey);
      }
      if (pending) void flush();
    },

    offer(trigger, sessionOpen) {
      const now = options.clock.now();
      const decision = decideSubscribeOffer(current, { trigger, templateIds, sessionOpen, now });
      if (decision.offer) {
        current = recordOffered(current, now);
        save();
      }
      return decision;
    },

    wouldOffer(trigger, sessionOpen) {
      const now = options.clock.now();
      return decideSubscribeOffer(current, { trigger, templateIds, sessionOpen, now }).offer;
    },

    newServiceSession() {
      current = recordNewSession(current);
      save();
    },

    subscribe(onAnswered) {
      if (templateIds.length === 0) {
        return Promise.resolve(err(appError('not-allowed', 'no subscribe template configured')));
      }
      // Nothing may come before this call: WeChat shows its dialog only inside the tap's turn.
      const asked = ask(templateIds);
      return asked.then(async (outcome): Promise<Result<SubscribeReport>> => {
        current = recordAnswer(current, memoryAnswerOf(outcome));
        save();
        onAnswered?.(outcome);
        if (outcome.kind === 'failed') logger.warn('notify: subscribe dialog failed', outcome);
        const body = subscriptionReport(outcome);
        if (!body)
          return ok({ outcome, quota: current.quota, messageKey: subscribeResultKey(outcome) });
        // An older unsent answer is superseded: WeChat counts each acceptance, so merge them.
        const merged: Accepted = { ...(pending ?? {}), ...body.accepted };
        if (pending) {
          for (const [id, d] of Object.entries(pending)) if (d === 'accept') merged[id] = 'accept';
        }
        const res = await deliver(merged);
        if (!res.ok) return err(res.error);
        return ok({ outcome, quota: res.value, messageKey: subscribeResultKey(outcome) });
      });
    },

    dismiss(trigger) {
      current = recordDismissed(current, trigger);
      save();
    },

    notificationOpened() {
      current = recordNotificationUsed(current);
      save();
    },

    flush,

    memory() {
      return { ...current };
    },
  };
}

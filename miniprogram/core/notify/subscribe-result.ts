/**
 * `wx.requestSubscribeMessage` answers → what happened, the body reported to our server
 * (`POST /api/subscriptions {sessionToken, accepted}`), and the server's quota answer. All inputs are
 * untrusted (`unknown`): WeChat versions differ in what they put in the result object.
 */
import type { SubscribeDecision } from './subscribe-policy';

const DECISIONS: readonly SubscribeDecision[] = ['accept', 'reject', 'ban', 'filter'];

/** What one call of `wx.requestSubscribeMessage` came to. */
export type SubscribeOutcome =
  /** The dialog was answered: the decision per requested template. */
  | { kind: 'answered'; decisions: Record<string, SubscribeDecision>; accepted: boolean }
  /** The user closed the dialog without choosing. */
  | { kind: 'cancelled' }
  /**
   * WeChat will not ask: `main-switch-off` (the user turned subscriptions off, 20004) or
   * `unavailable` (templates missing, banned or filtered, or a misconfigured request).
   */
  | { kind: 'blocked'; reason: 'main-switch-off' | 'unavailable'; errCode?: number }
  /** Transient (network, dialog not shown): asking again later may work. */
  | { kind: 'failed'; errCode?: number; errMsg: string };

/** WeChat error codes that mean "this will not work however often we ask". */
const UNAVAILABLE_CODES = new Set([10001, 10004, 20001, 20002, 20003, 20005, 20013]);
const MAIN_SWITCH_OFF = 20004;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * The success result of `wx.requestSubscribeMessage` for `templateIds`. Only the requested ids are
 * read (the result also carries `errMsg` and may carry unrelated keys). An answer with no decision
 * for any requested id counts as cancelled; one where every template is banned or filtered counts as
 * blocked, since asking again cannot change it.
 */
export function subscribeOutcomeFromSuccess(
  result: unknown,
  templateIds: readonly string[],
): SubscribeOutcome {
  const decisions: Record<string, SubscribeDecision> = {};
  if (isRecord(result)) {
    for (const id of templateIds) {
      const value = result[id];
      if (typeof value === 'string' && (DECISIONS as readonly string[]).includes(value)) {
        decisions[id] = value as SubscribeDecision;
      }
    }
  }
  const values = Object.values(decisions);
  if (values.length === 0) return { kind: 'cancelled' };
  if (values.every((d) => d === 'ban' || d === 'filter')) {
    return { kind: 'blocked', reason: 'unavailable' };
  }
  return { kind: 'answered', decisions, accepted: values.includes('accept') };
}

/** The fail result (`{errMsg, errCode}`) of `wx.requestSubscribeMessage`. */
export function subscribeOutcomeFromFailure(error: unknown): SubscribeOutcome {
  const errMsg = isRecord(error) && typeof error.errMsg === 'string' ? error.errMsg : String(error);
  const rawCode = isRecord(error) ? Number(error.errCode) : NaN;
  const errCode = Number.isInteger(rawCode) ? rawCode : undefined;
  if (errCode === MAIN_SWITCH_OFF) return { kind: 'blocked', reason: 'main-switch-off', errCode };
  if (errCode !== undefined && UNAVAILABLE_CODES.has(errCode)) {
    return { kind: 'blocked', reason: 'unavailable', errCode };
  }
  if (errCode === undefined && /cancel/i.test(errMsg)) return { kind: 'cancelled' };
  return errCode === undefined ? { kind: 'failed', errMsg } : { kind: 'failed', errCode, errMsg };
}

/** How an outcome changes the policy memory (see `recordAnswer`). */
export function memoryAnswerOf(
  outcome: SubscribeOutcome,
): 'accepted' | 'rejected' | 'blocked' | 'failed' {
  switch (outcome.kind) {
    case 'answered':
      return outcome.accepted ? 'accepted' : 'rejected';
    case 'cancelled':
      return 'rejected';
    case 'blocked':
      return 'blocked';
    default:
      return 'failed';
  }
}

/** The `accepted` map to report, or `null` when there is nothing to report. */
export function subscriptionReport(
  outcome: SubscribeOutcome,
): { accepted: Record<string, SubscribeDecision> } | null {
  if (outcome.kind !== 'answered') return null;
  return { accepted: { ...outcome.decisions } };
}

/** The server's answer to `POST /api/subscriptions`. */
export interface SubscriptionAnswer {
  /** Notifications left per template the server knows. */
  quota: Record<string, number>;
  /** Reported ids the server does not send (a client/server template mismatch). */
  ignored: string[];
}

/** Narrows the server's JSON; `null` when it is not the documented shape. */
export function parseSubscriptionAnswer(data: unknown): SubscriptionAnswer | null {
  if (!isRecord(data) || !isRecord(data.quota)) return null;
  const quota: Record<string, number> = {};
  for (const [id, n] of Object.entries(data.quota)) {
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) quota[id] = Math.floor(n);
  }
  const ignored = Array.isArray(data.ignored)
    ? data.ignored.filter((id): id is string => typeof id === 'string')
    : [];
  return { quota, ignored };
}

/**
 * Notifications left across `templateIds`, or `null` when the server counts none of them (it has
 * no template configured, or a different one).
 */
export function quotaForTemplates(
  answer: SubscriptionAnswer,
  templateIds: readonly string[],
): number | null {
  let total: number | null = null;
  for (const id of templateIds) {
    const n = answer.quota[id];
    if (n !== undefined) total = (total ?? 0) + n;
  }
  return total;
}

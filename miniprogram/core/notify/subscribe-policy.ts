/**
 * When to offer "notify me when they reply". WeChat only shows its subscribe dialog
 * (`wx.requestSubscribeMessage`) from a tap, so the page first shows its own prompt with a button;
 * this policy decides when that prompt appears. Each accepted one-time template buys exactly one
 * notification, and asking again after the user has answered is nagging, so the rules are:
 *
 * - offer at moments when a reply will plausibly come after the user has gone: queued for an agent,
 *   no agent online, outside working hours, or leaving the page while a session is still open;
 * - not while a notification is already paid for (known quota > 0);
 * - not again in this service session once the user answered, except after an acceptance whose
 *   notification has since been spent (quota back to 0);
 * - not after the user closed our prompt (only leaving asks once more: that is the moment it pays off);
 * - not when WeChat will refuse to show its dialog (main switch off, templates banned);
 * - never the same prompt twice within {@link REOFFER_INTERVAL_MS} (queue updates arrive often),
 *   except when leaving: it is asked once, at the last moment it can be.
 *
 * Everything here is pure: the memory is a value the adapter keeps (and persists) between calls.
 */

/** The moments worth offering. */
export type SubscribeTrigger = 'queued' | 'no-agent' | 'off-hours' | 'leaving';

/** What the user chose for one template (`wx.requestSubscribeMessage` success keys). */
export type SubscribeDecision = 'accept' | 'reject' | 'ban' | 'filter';

/** What the policy remembers for one service session. */
export interface SubscribeMemory {
  /** The service session this memory belongs to; a different key starts afresh. */
  sessionKey: string;
  /** The user's answer to WeChat's dialog in this session, `null` before any. */
  answer: 'accepted' | 'rejected' | null;
  /** Notifications the server still holds for this user (last report); `null` = unknown. */
  quota: number | null;
  /** The user closed our prompt without opening WeChat's dialog. */
  dismissed: boolean;
  /** The user closed our prompt at the leaving moment too: nothing more to ask this session. */
  dismissedLeaving: boolean;
  /** WeChat will not show the dialog this session (main switch off, templates banned/filtered). */
  blocked: boolean;
  /** When our prompt last appeared, unix ms; 0 = never. */
  offeredAt: number;
}

/** Minimum time between two prompts, ms. */
export const REOFFER_INTERVAL_MS = 60_000;

/** `wx.requestSubscribeMessage` takes at most three one-time templates per call. */
export const MAX_TEMPLATES_PER_REQUEST = 3;

/** Template ids as WeChat issues them (and as our server accepts them). */
const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A fresh memory for `sessionKey`. */
export function initialSubscribeMemory(sessionKey: string): SubscribeMemory {
  return {
    sessionKey,
    answer: null,
    quota: null,
    dismissed: false,
    dismissedLeaving: false,
    blocked: false,
    offeredAt: 0,
  };
}

/**
 * The memory for `sessionKey`: `memory` itself when it belongs to that session, else a fresh one.
 * The quota is not carried over: the server may have spent it while the client was not looking, and
 * a stale "already subscribed" would silence the prompt for good, while one extra acceptance only
 * buys one more notification.
 */
export function subscribeMemoryFor(
  memory: SubscribeMemory | null | undefined,
  sessionKey: string,
): SubscribeMemory {
  if (memory && memory.sessionKey === sessionKey) return memory;
  return initialSubscribeMemory(sessionKey);
}

/**
 * Reads a persisted memory back. Anything malformed gives `null` (start afresh), never an exception,
 * since storage survives app updates and may hold an older shape.
 */
export function parseSubscribeMemory(value: unknown): SubscribeMemory | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.sessionKey !== 'string') return null;
  const answer = v.answer === 'accepted' || v.answer === 'rejected' ? v.answer : null;
  const quota =
    typeof v.quota === 'number' && Number.isInteger(v.quota) && v.quota >= 0 ? v.quota : null;
  const offeredAt =
    typeof v.offeredAt === 'number' && Number.isFinite(v.offeredAt) && v.offeredAt > 0
      ? v.offeredAt
      : 0;
  return {
    sessionKey: v.sessionKey,
    answer,
    quota,
    dismissed: v.dismissed === true,
    dismissedLeaving: v.dismissedLeaving === true,
    blocked: v.blocked === true,
    offeredAt,
  };
}

/** Valid, distinct template ids, at most {@link MAX_TEMPLATES_PER_REQUEST}, in configured order. */
export function usableTemplateIds(templateIds: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const id of templateIds) {
    if (typeof id !== 'string' || !TEMPLATE_ID.test(id) || out.includes(id)) continue;
    out.push(id);
    if (out.length === MAX_TEMPLATES_PER_REQUEST) break;
  }
  return out;
}

export interface SubscribeOfferInput {
  trigger: SubscribeTrigger;
  /** Configured template ids (`config.subscribeTemplateIds`). */
  templateIds: readonly string[];
  /** A service session is open (queued or with an agent): required for `leaving`. */
  sessionOpen: boolean;
  /** Unix ms. */
  now: number;
}

export type SubscribeSkipReason =
  | 'no-templates'
  | 'no-session'
  | 'blocked'
  | 'already-subscribed'
  | 'answered'
  | 'dismissed'
  | 'recently-offered';

export type SubscribeOffer =
  | { offer: true; trigger: SubscribeTrigger; templateIds: string[] }
  | { offer: false; reason: SubscribeSkipReason };

/**
 * Whether to show the prompt now. Does not change `memory`: call {@link recordOffered} when the
 * prompt is actually shown.
 */
export function decideSubscribeOffer(
  memory: SubscribeMemory,
  input: SubscribeOfferInput,
): SubscribeOffer {
  const templateIds = usableTemplateIds(input.templateIds);
  if (templateIds.length === 0) return { offer: false, reason: 'no-templates' };
  if (input.trigger === 'leaving' && !input.sessionOpen)
    return { offer: false, reason: 'no-session' };
  if (memory.blocked) return { offer: false, reason: 'blocked' };
  if (memory.quota !== null && memory.quota > 0) {
    return { offer: false, reason: 'already-subscribed' };
  }
  // After an acceptance the quota is normally > 0 (handled above). Unknown means the report did
  // not get through: asking again would not help, so only a spent acceptance (0) re-opens it.
  if (memory.answer === 'rejected') return { offer: false, reason: 'answered' };
  if (memory.answer === 'accepted' && memory.quota !== 0)
    return { offer: false, reason: 'answered' };
  if (memory.dismissedLeaving) return { offer: false, reason: 'dismissed' };
  if (memory.dismissed && input.trigger !== 'leaving') return { offer: false, reason: 'dismissed' };
  if (
    input.trigger !== 'leaving' &&
    memory.offeredAt > 0 &&
    input.now - memory.offeredAt < REOFFER_INTERVAL_MS
  ) {
    return { offer: false, reason: 'recently-offered' };
  }
  return { offer: true, trigger: input.trigger, templateIds };
}

/**
 * A new service session started in the same conversation (the last one ended): the user may be
 * asked again. Only the server's quota carries over: it counts notifications, not sessions.
 */
export function recordNewSession(memory: SubscribeMemory): SubscribeMemory {
  return { ...initialSubscribeMemory(memory.sessionKey), quota: memory.quota };
}

/** The prompt was shown at `now`. */
export function recordOffered(memory: SubscribeMemory, now: number): SubscribeMemory {
  return { ...memory, offeredAt: now };
}

/** The user closed our prompt without asking WeChat. */
export function recordDismissed(
  memory: SubscribeMemory,
  trigger: SubscribeTrigger,
): SubscribeMemory {
  return trigger === 'leaving'
    ? { ...memory, dismissed: true, dismissedLeaving: true }
    : { ...memory, dismissed: true };
}

/**
 * Folds in what WeChat's dialog answered. `accepted` means at least one template was accepted;
 * `rejected` covers a refusal or closing the dialog; `blocked` means WeChat will not ask (main
 * switch off, every template banned or filtered); `failed` (network, not shown) changes nothing, so
 * the user may try again.
 */
export function recordAnswer(
  memory: SubscribeMemory,
  answer: 'accepted' | 'rejected' | 'blocked' | 'failed',
): SubscribeMemory {
  switch (answer) {
    case 'accepted':
      return { ...memory, answer: 'accepted', dismissed: false };
    case 'rejected':
      return { ...memory, answer: 'rejected' };
    case 'blocked':
      return { ...memory, blocked: true };
    default:
      return memory;
  }
}

/** The server's count of notifications it may still send (from `/api/subscriptions`). */
export function recordQuota(memory: SubscribeMemory, quota: number | null): SubscribeMemory {
  if (quota === null) return memory;
  return { ...memory, quota: Math.max(0, Math.floor(quota)) };
}

/**
 * A notification was delivered (the user came back through one, scene 1014/1107): that acceptance
 * is spent, so the quota the client knew drops by one.
 */
export function recordNotificationUsed(memory: SubscribeMemory): SubscribeMemory {
  if (memory.quota === null) return { ...memory, quota: 0 };
  return { ...memory, quota: Math.max(0, memory.quota - 1) };
}

/**
 * The trigger a service message announces, from its `cloudCustomData.messageType` (protocol §9) or
 * the hidden src 18 "no agent online" signal; `undefined` for everything else.
 */
export function subscribeTriggerFor(message: {
  messageType?: string;
  signal?: string;
}): SubscribeTrigger | undefined {
  switch (message.messageType) {
    case 'queuing':
    case 'connectingToAgent':
      return 'queued';
    case 'failedToConnectAgent':
    case 'concurrentLimit':
      return 'no-agent';
    case 'automaticReplyAfterWorkingHours':
      return 'off-hours';
    default:
      break;
  }
  return message.signal === 'no-agent' ? 'no-agent' : undefined;
}

/**
 * Whether a session is open in the sense of "leaving now means missing a reply": the user is queued
 * or an agent holds the session. Bot-only and closed sessions do not count.
 */
export function isSessionOpen(phase: string): boolean {
  return phase === 'queueing' || phase === 'agent';
}

/**
 * When to offer WeChat's native customer service: only when ours cannot serve the user, since the
 * native channel loses the chat history and the TCCC flow. Pure, so the page's rule is tested once.
 */

/** Failed logins in a row after which the fallback appears. */
export const FALLBACK_AFTER_LOGIN_FAILURES = 2;
/** How long the chat may stay unreachable before the fallback appears, ms. */
export const FALLBACK_AFTER_OFFLINE_MS = 20_000;

export interface FallbackSignals {
  /** Logins that failed in a row (reset on success). */
  loginFailures: number;
  /** Since when the chat connection has been down, unix ms; `null` while connected. */
  unreachableSince: number | null;
  /** The device has a network at all: without one, WeChat's customer service fails as well. */
  networkAvailable: boolean;
  /** Unix ms. */
  now: number;
}

/** True when the contact-fallback button should be shown. */
export function shouldOfferContactFallback(signals: FallbackSignals): boolean {
  if (!signals.networkAvailable) return false;
  if (signals.loginFailures >= FALLBACK_AFTER_LOGIN_FAILURES) return true;
  return (
    signals.unreachableSince !== null &&
    signals.now - signals.unreachableSince >= FALLBACK_AFTER_OFFLINE_MS
  );
}

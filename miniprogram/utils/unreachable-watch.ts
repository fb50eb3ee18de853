/**
 * Watches whether our chat has been unreachable long enough to offer WeChat's own customer service
 * (`shouldOfferContactFallback`): the page reports the chat connection, this adds the device's
 * network (wx.onNetworkStatusChange) and the passing of time, and calls `onChange` when the
 * answer flips.
 */
import {
  FALLBACK_AFTER_OFFLINE_MS,
  shouldOfferContactFallback,
} from '../core/entry/fallback-policy';
import type { Clock, TimerHandle } from '../core/ports/clock';

export interface UnreachableWatch {
  /** The chat connection is usable (`true`) or not. */
  connection(online: boolean): void;
  /** Stops listening (page unload). */
  dispose(): void;
}

export function watchUnreachable(
  clock: Clock,
  onChange: (offered: boolean) => void,
): UnreachableWatch {
  let since: number | null = null;
  let deviceOnline = true;
  let offered = false;
  /** Wakes up when the outage reaches the policy's threshold (no event marks that moment). */
  let timer: TimerHandle | null = null;

  const update = (): void => {
    const next = shouldOfferContactFallback({
      loginFailures: 0,
      unreachableSince: since,
      networkAvailable: deviceOnline,
      now: clock.now(),
    });
    if (next === offered) return;
    offered = next;
    onChange(next);
  };
  const onNetwork = (res: { isConnected: boolean }): void => {
    deviceOnline = res.isConnected;
    update();
  };
  wx.onNetworkStatusChange(onNetwork);
  const stopTimer = (): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };

  return {
    connection(online) {
      if (online) {
        since = null;
        stopTimer();
      } else if (since === null) {
        since = clock.now();
        timer = clock.setTimeout(() => {
          timer = null;
          update();
        }, FALLBACK_AFTER_OFFLINE_MS);
      }
      update();
    },
    dispose() {
      stopTimer();
      wx.offNetworkStatusChange(
        onNetwork as unknown as WechatMiniprogram.OffNetworkStatusChangeCallback,
      );
    },
  };
}

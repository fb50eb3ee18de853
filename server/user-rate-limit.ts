import type { Store } from './store';

/**
 * Per-user fixed-window limit kept in the store, so it holds across instances when the store is
 * shared. Resolves whether this call is allowed and, when not, the seconds until the window ends.
 */
export async function takeUserToken(
  store: Store,
  nowMs: number,
  scope: string,
  userID: string,
  limitPerMinute: number,
): Promise<{ allowed: true } | { allowed: false; retryAfter: number }> {
  const window = Math.floor(nowMs / 60_000);
  const count = await store.incrBy(`rl:${scope}:${userID}:${window}`, 1, 60);
  if (count <= limitPerMinute) return { allowed: true };
  return {
    allowed: false,
    retryAfter: Math.max(1, Math.ceil(((window + 1) * 60_000 - nowMs) / 1000)),
  };
}

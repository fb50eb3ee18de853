/**
 * The reply notification's deep link. Our server sends subscribe messages with
 * `page = pages/chat/chat?account=<service account, URI-encoded>&from=subscribe`, while entry routing
 * (`routeEntry`) reads the account from `service`. These helpers bridge the two, so the chat page can
 * pass every launch through {@link normalizeNotificationQuery} before routing.
 */

/** Scenes of a subscribe-message notification (1014; 1107 from the mini-program's own page). */
const NOTIFICATION_SCENES: ReadonlySet<number> = new Set([1014, 1107]);

/** `from` value our server puts in notification links. */
export const NOTIFICATION_FROM = 'subscribe';

function decodeOnce(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * True when the user arrived through a reply notification: the link says `from=subscribe`, or the
 * scene is a subscribe-message scene.
 */
export function isNotificationEntry(launch: {
  scene?: number | string;
  query?: Readonly<Record<string, unknown>> | null;
}): boolean {
  if (launch.query && launch.query.from === NOTIFICATION_FROM) return true;
  const scene = Number(launch.scene);
  return NOTIFICATION_SCENES.has(scene);
}

/**
 * The query with the notification's `account` copied to `service` (decoded once), unless `service`
 * is already there. Other keys are kept as they are; a query without `account` comes back unchanged
 * (same object). Never throws on malformed encoding.
 */
export function normalizeNotificationQuery<Q extends Readonly<Record<string, unknown>>>(
  query: Q | null | undefined,
): Q | Record<string, unknown> {
  if (!query) return {};
  const account = query.account;
  if (typeof account !== 'string' || account === '' || query.service !== undefined) return query;
  return { ...query, service: decodeOnce(account) };
}

import { createPresenceHeartbeat, createReplyNotifications } from '../adapters/notify/index';
import type { PresenceHeartbeat, ReplyNotifications } from '../adapters/notify/index';
import { getServices } from '../services/index';

let presence: PresenceHeartbeat | null = null;

const sessionToken = () => getServices().session.getSession()?.sessionToken;

/** One presence heartbeat for the app: the login server uses it to tell "away" from "reading". */
export function getPresence(): PresenceHeartbeat {
  if (!presence) {
    const { config, clock } = getServices();
    presence = createPresenceHeartbeat({
      loginEndpoint: config.loginEndpoint,
      timeoutMs: config.requestTimeoutMs,
      getSessionToken: sessionToken,
      clock,
    });
  }
  return presence;
}

/** The "notify me when they reply" flow of one chat page. */
export function createChatNotifications(): ReplyNotifications {
  const { config, clock, storage, logger } = getServices();
  return createReplyNotifications({
    loginEndpoint: config.loginEndpoint,
    templateIds: config.subscribeTemplateIds,
    timeoutMs: config.requestTimeoutMs,
    getSessionToken: sessionToken,
    clock,
    storage,
    logger,
  });
}

/** Reply notifications and presence, the WeChat side (see `core/notify` for the rules). */
export { createReplyNotifications, requestSubscribeFromTap } from './reply-notifications';
export type {
  PostJson,
  ReplyNotifications,
  ReplyNotificationsOptions,
  SubscribeReport,
} from './reply-notifications';
export { DEFAULT_PRESENCE_INTERVAL_MS, createPresenceHeartbeat } from './presence-heartbeat';
export type { PresenceHeartbeat, PresenceOptions, PresenceState } from './presence-heartbeat';

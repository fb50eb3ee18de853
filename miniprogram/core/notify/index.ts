/**
 * Reply notifications, the pure part: when to offer the subscribe prompt, what WeChat's answer
 * means, what to report to the server, and how a notification's link reaches the chat.
 */
export {
  MAX_TEMPLATES_PER_REQUEST,
  REOFFER_INTERVAL_MS,
  decideSubscribeOffer,
  initialSubscribeMemory,
  isSessionOpen,
  parseSubscribeMemory,
  recordAnswer,
  recordDismissed,
  recordNewSession,
  recordNotificationUsed,
  recordOffered,
  recordQuota,
  subscribeMemoryFor,
  subscribeTriggerFor,
  usableTemplateIds,
} from './subscribe-policy';
export type {
  SubscribeDecision,
  SubscribeMemory,
  SubscribeOffer,
  SubscribeOfferInput,
  SubscribeSkipReason,
  SubscribeTrigger,
} from './subscribe-policy';
export {
  memoryAnswerOf,
  parseSubscriptionAnswer,
  quotaForTemplates,
  subscribeOutcomeFromFailure,
  subscribeOutcomeFromSuccess,
  subscriptionReport,
} from './subscribe-result';
export type { SubscribeOutcome, SubscriptionAnswer } from './subscribe-result';
export {
  NOTIFICATION_FROM,
  isNotificationEntry,
  normalizeNotificationQuery,
} from './notification-link';
export { subscribePromptKey, subscribeResultKey } from './prompt-text';

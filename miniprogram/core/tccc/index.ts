/**
 * TCCC customer-service protocol core: classify incoming Chat messages, build the uplink payloads,
 * and derive previews and session facts. Pure TypeScript on plain message-like objects, so it runs
 * in WeChat, in tests and in benchmarks alike, and never imports the Chat SDK.
 */
export * from './types';
export {
  CUSTOM_MESSAGE_TYPE,
  KNOWN_SRC,
  MAX_DATA_LENGTH,
  MAX_PREVIEW_LENGTH,
  MAX_TEXT_LENGTH,
  RATING_RULE_CLIENT_MAY_REQUEST,
  SRC,
  VISIBLE_SRC,
} from './constants';
export type { SrcCode, SrcName } from './constants';
export { parseMessageMeta, parseTcccPayload } from './parse';
export type { TcccPayload } from './parse';
export {
  INVISIBLE_KINDS,
  MESSAGE_KINDS,
  classifyMessage,
  classifyWithVisibility,
  createClassifier,
  createVisibilityClassifier,
  isClassifiedMessage,
  isMessageInvisible,
} from './classify';
export type { Classification, ClassifyOptions } from './classify';
export {
  RatingSubmissionError,
  buildChoiceReply,
  buildEndSession,
  buildFormInputReply,
  buildHandshake,
  buildRatingRequest,
  buildProductCard,
  buildRatingSubmission,
  buildTaskFormSubmission,
  isRatingExpired,
  nowInSeconds,
} from './builders';
export type {
  ChoiceReply,
  ChoiceReplyError,
  ChoiceReplyProblem,
  RatingSubmissionErrorCode,
  ProductCardInput,
  SessionOptions,
  TaskFormProblem,
  TaskFormValidationError,
} from './builders';
export { isServiceConversation } from './conversation';
export { extractPeopleAhead, extractQueuePosition } from './queue';
export { previewText, stripMarkup } from './preview';

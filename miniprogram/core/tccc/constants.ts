/**
 * TCCC / IM Desk customer-service protocol constants (docs tccc-protocol.md §5). Codes are strings
 * because `src` is compared as `String(src)`: kits send `"15"` and Vue 2.2.6 also sends `15`.
 */

/**
 * Every `src` code the official kits name. The comments give the kits' own constant names where ours
 * differ, since theirs mislead (`MENU` is the satisfaction rating, not a navigation menu).
 */
export const SRC = {
  OFFICIAL_ACCOUNT: '1',
  MINI_APP: '2',
  MINI_APP_SERVICE_ACCOUNT: '3',
  BACKEND_INTERNAL: '4',
  WEB: '5',
  SESSION_MESSAGE_SLICE: '6',
  /** `MINI_APP_AUTO`: the user's handshake that starts the service flow. */
  HANDSHAKE: '7',
  INTERNAL: '8',
  /** `MENU`: satisfaction-rating card. */
  RATING: '9',
  /** `MENU_SELECTED`: the user's rating answer. */
  RATING_SUBMISSION: '10',
  CLIENT_STATE: '11',
  /** `TYPING_STATE`. */
  TYPING: '12',
  /** `ROBOT`: legacy text-bot commands, never rendered. */
  ROBOT_COMMAND: '13',
  /** `BRANCH`: navigation menu whose rows are answered with a text message. */
  BRANCH: '15',
  MEMBER: '17',
  /** `NO_SEAT_ONLINE`. */
  NO_AGENT: '18',
  /** `END`: the session ended. */
  SESSION_END: '19',
  /** `TIMEOUT`: the session timed out. */
  SESSION_TIMEOUT: '20',
  /** `FROM_INPUT`: information-collection form (choice list or one text box). */
  FORM: '21',
  PRODUCT_CARD: '22',
  /** `SATISFACTION_CON`: rating settings (`menuSendRuleFlag`). */
  RATING_SETTINGS: '23',
  /** `USER_SATISFACTION`: the user asks to rate. */
  RATING_REQUEST: '24',
  BOT_STATUS: '25',
  /** `SEAT_STATUS`: whether a human agent holds the session. */
  SEAT_STATUS: '26',
  USER_END_SESSION: '27',
  ORDER_CARD: '28',
  /** `ROBOT_MSG`: welcome / clarify menus from the bot. */
  ROBOT_MENU: '29',
  RICH_TEXT: '30',
  /** `STREAM_TEXT`: streamed bot answer (`chunks`, `isFinished`). */
  STREAM: '31',
  /** `MULTI_BRANCH`: task-flow branch. */
  TASK_BRANCH: '32',
  /** `MULTI_FORM`: task-flow form, answered with a src 33 custom message. */
  TASK_FORM: '33',
  TRANSFER_TO_TASK_FLOW: '34',
  THINKING: '35',
  CONCURRENCY_LIMIT: '36',
  TIMEOUT_WARNING: '37',
  AGENT_TIPS: '38',
  TRANSFER_TO_HUMAN: '39',
  SESSION_RESTARTED: '40',
  GET_FEEDBACK_MENU: '42',
  SEND_FEEDBACK: '43',
} as const;

export type SrcName = keyof typeof SRC;
export type SrcCode = (typeof SRC)[SrcName];

/** Every code in {@link SRC}; anything else is an unknown protocol kind and gets logged. */
export const KNOWN_SRC: ReadonlySet<string> = new Set<string>(Object.values(SRC));

/**
 * The `src` codes this client renders as list items: the Vue 2.2.6 baseline (9, 15, 21, 22, 29, 30,
 * 31) plus the newer kinds we draw (28, 32, 33 and the tips 34/36/37/39). Everything else with a
 * `src` is hidden inside a service conversation (§6 "Recommended for the mini-program").
 */
export const VISIBLE_SRC: ReadonlySet<string> = new Set<string>([
  SRC.RATING,
  SRC.BRANCH,
  SRC.FORM,
  SRC.PRODUCT_CARD,
  SRC.ORDER_CARD,
  SRC.ROBOT_MENU,
  SRC.RICH_TEXT,
  SRC.STREAM,
  SRC.TASK_BRANCH,
  SRC.TASK_FORM,
  SRC.TRANSFER_TO_TASK_FLOW,
  SRC.CONCURRENCY_LIMIT,
  SRC.TIMEOUT_WARNING,
  SRC.TRANSFER_TO_HUMAN,
]);

/** `menuSendRuleFlag` bit that lets the user request a rating (`RATING_SEND_RULE.client`). */
export const RATING_RULE_CLIENT_MAY_REQUEST = 4;

/**
 * Input caps. A `payload.data` longer than this is not parsed at all, so one hostile or broken
 * message cannot stall the UI thread; 256 K characters is far above any real protocol message.
 */
export const MAX_DATA_LENGTH = 256 * 1024;
/** `cloudCustomData` is a few small tags; anything longer is not worth parsing. */
export const MAX_CLOUD_CUSTOM_DATA_LENGTH = 16 * 1024;
/** Longest body text kept (text, rich text, joined stream); WeChat text messages are far shorter. */
export const MAX_TEXT_LENGTH = 20_000;
/** Longest short field kept (labels, headers, descriptions, names). */
export const MAX_FIELD_LENGTH = 2_000;
/** Longest URL kept. */
export const MAX_URL_LENGTH = 4_096;
/** Most list entries kept (menu items, rating options, form fields, custom fields). */
export const MAX_ITEMS = 100;
/** Most stream chunks read. */
export const MAX_CHUNKS = 10_000;
/** Longest conversation-list preview. */
export const MAX_PREVIEW_LENGTH = 100;

/** The SDK's custom-message type (`TencentCloudChat.TYPES.MSG_CUSTOM`). */
export const CUSTOM_MESSAGE_TYPE = 'TIMCustomElem';

/**
 * What `classifyMessage` returns: one discriminated union on `kind`, so stores and pages can
 * `switch (message.kind)` and get every field typed. All strings are already clipped to sane
 * lengths and every list is capped; nothing here is ever `null`.
 */

/**
 * The message fields the classifier reads. `@tencentcloud/chat` `Message` objects and conversation
 * `lastMessage` objects both fit; the classifier still accepts any value, since history and pushes
 * are not trusted.
 */
export interface MessageLike {
  ID?: string;
  /** The SDK types this as its `TYPES` enum, which mixes strings and numbers; only `TIM*Elem` strings matter. */
  type?: string | number;
  flow?: string;
  from?: string;
  time?: number;
  payload?: unknown;
  cloudCustomData?: unknown;
  isRevoked?: boolean;
}

/** Parsed `cloudCustomData` (docs §9): Desk/TCCC system tags on text and custom messages. */
export interface MessageMeta {
  /** e.g. `welcome`, `queuing`, `connectedToAgent`, `satisfactionRating`, `aiReply`. */
  messageType?: string;
  /** `robot` or `seat` (a human agent). */
  role?: string;
  /** e.g. `transferSession`. */
  scene?: string;
  /** The whole parsed object, for tags not lifted above. */
  raw: Readonly<Record<string, unknown>>;
}

/** Fields every kind carries. */
export interface MessageBase {
  /** Message ID, `''` when missing. */
  id: string;
  /** Present only when the input said `'in'` or `'out'`. */
  flow?: 'in' | 'out';
  /** Sender userID (`from`, or `fromAccount` on a conversation's `lastMessage`), `''` when missing. */
  from: string;
  /** Unix seconds, `0` when missing. */
  time: number;
  /** Present when `cloudCustomData` parsed to a JSON object. */
  meta?: MessageMeta;
}

/** Fields every protocol (custom, `src`-carrying) kind adds. */
export interface ProtocolFields {
  /** Normalised `src`: `String(src).trim()`, so `15` and `"15"` are both `'15'`. */
  src: string;
  /** `customerServicePlugin` is 0 or `chatbotPlugin` is 1, read loosely (`"0"` counts). */
  flagged: boolean;
}

/** Ordinary IM message types, from the SDK's `TYPES.MSG_*` values. */
export type PlainMessageType =
  | 'text'
  | 'image'
  | 'file'
  | 'sound'
  | 'video'
  | 'face'
  | 'location'
  | 'merger'
  | 'group-tip'
  | 'group-system'
  | 'other';

/** One size of an image message; URLs are `''` only when the message had none at all. */
export interface ImageInfo {
  /** Best URL to show in a bubble: large, else original, else thumbnail. */
  url: string;
  originalUrl?: string;
  largeUrl?: string;
  thumbnailUrl?: string;
  /** Pixel size of the image behind `url` (0 when unknown). */
  width: number;
  height: number;
}

export interface PlainMessage extends MessageBase {
  kind: 'plain';
  messageType: PlainMessageType;
  /** The SDK type string as received (`TIMTextElem`, ...). */
  sdkType: string;
  /** Text messages only. */
  text?: string;
  /** Image messages only. */
  image?: ImageInfo;
}

/** One tappable row of a menu; tapping sends `content` as a text message. */
export interface MenuItem {
  /** Never empty. */
  content: string;
  desc?: string;
}

/** A src 29 row: the bot may add an id and a canned answer. */
export interface RobotMenuItem extends MenuItem {
  id?: string;
  answer?: string;
}

export interface RatingOption {
  /** Never empty; unique within a card. */
  id: string;
  label: string;
}

/** src 9: satisfaction-rating card, answered with {@link buildRatingSubmission}. */
export interface RatingCard extends MessageBase, ProtocolFields {
  kind: 'rating';
  /** `type` 1 is stars; anything else is numbers, as in every kit. */
  style: 'star' | 'number';
  /** In received order; the number of levels is `options.length`. */
  options: RatingOption[];
  head: string;
  tail: string;
  /** `''` when missing (the submission then sends `''`, like the kits). */
  sessionId: string;
  /** Unix seconds; absent means the card never expires. */
  expireTime?: number;
  /** Informational only. */
  effectiveHour?: number;
  /** Set when the card was already rated: `selected.id` matched an option. */
  selectedId?: string;
}

/** src 15: navigation menu (分支). */
export interface BranchMenu extends MessageBase, ProtocolFields {
  kind: 'branch';
  header: string;
  items: MenuItem[];
  tail?: string;
  selected?: MenuItem;
}

/** src 21: information-collection form. `choice` rows are answered like a branch; `input` with free text. */
export interface FormMessage extends MessageBase, ProtocolFields {
  kind: 'form';
  mode: 'choice' | 'input';
  header: string;
  items: MenuItem[];
  selected?: MenuItem;
}

export interface CustomField {
  name: string;
  value: string;
}

/** src 22: product card; the user may send one too. */
export interface ProductCard extends MessageBase, ProtocolFields {
  kind: 'product-card';
  header: string;
  desc: string;
  pic: string;
  url: string;
  customFields: CustomField[];
}

/** src 28: order card. */
export interface OrderCard extends MessageBase, ProtocolFields {
  kind: 'order-card';
  guide: string;
  name: string;
  desc: string;
  pic: string;
  customFields: CustomField[];
}

/** Known src 29 subtypes; others are kept as received. */
export type RobotMenuSubtype = 'welcome_msg' | 'clarify_msg';

/** src 29: bot welcome (paged, "换一换") or clarify menu. */
export interface RobotMenu extends MessageBase, ProtocolFields {
  kind: 'robot-menu';
  /** `''` when missing. */
  subtype: RobotMenuSubtype | (string & Record<never, never>);
  /** `title`, else `header`, else `''`. */
  title: string;
  /** Optional lead text (`content.content`). */
  content?: string;
  items: RobotMenuItem[];
  selected?: MenuItem;
}

/** src 30: Markdown/HTML body for a rich-text renderer. */
export interface RichTextMessage extends MessageBase, ProtocolFields {
  kind: 'rich-text';
  content: string;
}

/** src 31: streamed answer; the message is modified as chunks arrive. */
export interface StreamMessage extends MessageBase, ProtocolFields {
  kind: 'stream';
  /** `chunks.join('')`. */
  text: string;
  /** `isFinished === 1`; show a cursor until then. */
  finished: boolean;
}

/** Task-flow node address, echoed back for fixed options (docs §8). */
export interface TaskInfo {
  taskID: number | string;
  nodeID: string;
  env: string;
}

/** src 32: task-flow branch. */
export interface TaskBranch extends MessageBase, ProtocolFields {
  kind: 'task-branch';
  header: string;
  tail: string;
  items: MenuItem[];
  selected?: MenuItem;
  /** 0 can edit, 1 not submitted, 2 submitted. */
  status: number;
  /** 0 quick option, 1 fixed option (the answer then carries `BranchOptionInfo`). */
  optionType: number;
  taskInfo?: TaskInfo;
  /** Rows are tappable only while `status` is 0 and nothing is selected. */
  canSelect: boolean;
}

export interface TaskFormField {
  /** Never empty; unique within a form. */
  name: string;
  /** The flow's variable type, as received (`''` when missing). */
  type: string;
  formType: 'input' | 'choice';
  placeholder: string;
  required: boolean;
  /** Pre-filled value, `''` when none. */
  value: string;
  /** Choices for `formType: 'choice'`. */
  choices: string[];
}

/** src 33: task-flow form, answered with {@link buildTaskFormSubmission}. */
export interface TaskForm extends MessageBase, ProtocolFields {
  kind: 'task-form';
  tip: string;
  /** 0 editable, 1/2 done. */
  nodeStatus: number;
  editable: boolean;
  fields: TaskFormField[];
  taskInfo?: TaskInfo;
}

export type TipType =
  'transfer-to-task-flow' | 'concurrency-limit' | 'timeout-warning' | 'transfer-to-human';

/** src 34/36/37/39: a notice line. `text` is `''` when the payload had none (preview falls back). */
export interface TipMessage extends MessageBase, ProtocolFields {
  kind: 'tip';
  tipType: TipType;
  text: string;
}

interface SignalBase extends MessageBase, ProtocolFields {
  kind: 'signal';
}

/** Hidden state messages: they drive UI state (typing, buttons, session end), never list items. */
export type SignalMessage =
  | (SignalBase & { signal: 'typing' })
  | (SignalBase & {
      signal: 'rating-settings';
      /** `menuSendRuleFlag`, 0 when missing. */
      sendRuleFlag: number;
      /** `flag & 4`: show a "服务评价" button that sends {@link buildRatingRequest}. */
      canUserRequest: boolean;
    })
  | (SignalBase & {
      signal: 'seat';
      /** A human agent holds the session: hide the "转人工" button. */
      inSeat: boolean;
    })
  | (SignalBase & { signal: 'thinking'; thinkingStatus?: number })
  | (SignalBase & { signal: 'ended' })
  | (SignalBase & { signal: 'timeout' })
  | (SignalBase & { signal: 'no-agent' });

export type SignalName = SignalMessage['signal'];

/** The user's own rating answer (src 10) found in history. */
export interface SubmittedRating {
  optionId: string;
  label: string;
  sessionId: string;
}

/** Protocol messages that must not be shown (handshake, uplinks, robot commands, unknown `src`). */
export interface HiddenMessage extends MessageBase, ProtocolFields {
  kind: 'hidden';
  /** false for a `src` not in `SRC` (it was logged). */
  known: boolean;
  /** src 10 only, so a store can mark its rating card as rated after a reload. */
  submittedRating?: SubmittedRating;
}

export interface RevokedMessage extends MessageBase {
  kind: 'revoked';
}

export type UnsupportedReason =
  /** A custom message whose JSON object has no `src`: not ours. */
  | 'no-src'
  /** `payload.data` missing, not JSON, or JSON that is not an object. */
  | 'invalid-payload'
  /** `payload.data` longer than `MAX_DATA_LENGTH`: not parsed. */
  | 'too-large'
  /** Not a message object (no string `type`), or reading it failed. */
  | 'invalid-message';

/** Shown as a neutral fallback bubble: never hidden silently, never a crash. */
export interface UnsupportedMessage extends MessageBase {
  kind: 'unsupported';
  reason: UnsupportedReason;
  /** `payload.description` when the sender set one. */
  description?: string;
}

/** The result of `classifyMessage`. */
export type ClassifiedMessage =
  | PlainMessage
  | RatingCard
  | BranchMenu
  | FormMessage
  | ProductCard
  | OrderCard
  | RobotMenu
  | RichTextMessage
  | StreamMessage
  | TaskBranch
  | TaskForm
  | TipMessage
  | SignalMessage
  | HiddenMessage
  | RevokedMessage
  | UnsupportedMessage;

/** Alias used by stores and pages. */
export type TcccMessage = ClassifiedMessage;

export type MessageKind = ClassifiedMessage['kind'];

/** Kinds whose rows the user answers with a text message. */
export type ChoiceMessage = BranchMenu | FormMessage | RobotMenu | TaskBranch;

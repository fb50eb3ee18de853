import type { Language } from '../i18n/index';
import type { MessageStatus } from '../model/message';
import type { CustomField } from '../tccc/index';
import type { RichTextNode } from '../view/rich-text';
import type { NetworkState } from './chat-store';
import type { SessionPhase } from './service-session';

/** How a message is drawn; names the field that carries its render data. */
export type MessageViewKind =
  | 'text'
  | 'image'
  | 'rating'
  | 'menu'
  | 'form'
  | 'product-card'
  | 'order-card'
  | 'rich-text'
  | 'stream'
  | 'task-branch'
  | 'task-form'
  | 'tip'
  | 'revoked'
  | 'unsupported';

/** One tappable row; `selected` marks the row that was chosen. */
export interface MenuItemView {
  content: string;
  desc: string;
  selected: boolean;
}

/** Branch (15), robot menu (29), choice form (21) and task-flow branch (32) rows. */
export interface MenuView {
  header: string;
  /** Lead text under the header (robot menus), `''` when none. */
  content: string;
  /** The rows to draw now (one page of a paged welcome menu). */
  items: MenuItemView[];
  tail: string;
  /** Content of the chosen row, `''` when none. */
  selected: string;
  /** Rows may be tapped. */
  canSelect: boolean;
  /** A welcome menu with more than one page: show "换一换". */
  paged: boolean;
  page: number;
  pageCount: number;
  refreshText: string;
}

/** One level of a rating card. */
export interface RatingOptionView {
  id: string;
  label: string;
  /** What the control shows: `1…N` for numbers, `''` for stars. */
  text: string;
  /** Stars: lit up to the chosen one; numbers: only the chosen one. */
  lit: boolean;
}

/** A satisfaction-rating card (src 9), ready to draw as stars or numbers. */
export interface RatingView {
  title: string;
  head: string;
  /** Shown only once rated. */
  tail: string;
  showTail: boolean;
  style: 'star' | 'number';
  options: RatingOptionView[];
  selectedId: string;
  /** Label under the control: the chosen option's, or the default hint. */
  label: string;
  expired: boolean;
  expiredText: string;
  /** Numbers: what the ends of the scale mean (the first and last option), `''` for stars. */
  scaleLow: string;
  scaleHigh: string;
  /** No more input: rated, submitting or expired. */
  disabled: boolean;
  submitting: boolean;
}

/** An information-collection form (src 21): a choice list or one text box. */
export interface FormView {
  mode: 'choice' | 'input';
  header: string;
  items: MenuItemView[];
  selected: string;
  canSelect: boolean;
  placeholder: string;
  submitted: boolean;
  submitting: boolean;
  submitText: string;
  submittedText: string;
}

/** One field of a task-flow form, with its current value and validation error text. */
export interface TaskFormFieldView {
  name: string;
  formType: 'input' | 'choice';
  placeholder: string;
  required: boolean;
  value: string;
  choices: string[];
  /** Index of `value` in `choices`, -1 when none (for a picker). */
  choiceIndex: number;
  error: string;
}

/** A task-flow form (src 33). */
export interface TaskFormView {
  tip: string;
  editable: boolean;
  submitted: boolean;
  submitting: boolean;
  submitText: string;
  submittedText: string;
  fields: TaskFormFieldView[];
}

/** A product card (src 22); tapping opens `url`. */
export interface CardView {
  header: string;
  desc: string;
  pic: string;
  url: string;
  customFields: CustomField[];
}

/** An order card (src 28). */
export interface OrderView {
  guide: string;
  name: string;
  desc: string;
  pic: string;
  customFields: CustomField[];
}

/** An image message. */
export interface ImageView {
  url: string;
  /** Natural size, 0 when unknown. */
  width: number;
  height: number;
  /** Size to draw at (px), fitted into the bubble box. */
  displayWidth: number;
  displayHeight: number;
}

/**
 * One visible message, flat and pre-formatted. Exactly one of the kind fields (`text`, `image`,
 * `rating`, ...) is present, named after `kind`; `revoked` items carry `revokedText` only.
 */
export interface MessageView {
  /** Message ID, or the client id while not yet created. Actions accept it. */
  id: string;
  /** Stable across send → sent: use as `wx:key`. */
  key: string;
  clientId: string;
  kind: MessageViewKind;
  isMine: boolean;
  /** Who sent it: the user, the service's bot, a human agent, or (plain chats) the peer. */
  sender: 'self' | 'bot' | 'agent' | 'peer';
  /** A short tag by the nick (`机器人`, `人工`), `''` when none. */
  senderLabel: string;
  avatar: string;
  nick: string;
  status: MessageStatus;
  statusText: string;
  errorText: string;
  canRetry: boolean;
  /** An unsent message that will never be sent (blocked): the user may remove it. */
  canRemove: boolean;
  timeText: string;
  showTime: boolean;
  revokedText: string;
  text?: string;
  image?: ImageView;
  rating?: RatingView;
  menu?: MenuView;
  form?: FormView;
  card?: CardView;
  order?: OrderView;
  richText?: RichTextNode[];
  stream?: { text: string; finished: boolean; showCursor: boolean };
  taskBranch?: MenuView;
  taskForm?: TaskFormView;
  tip?: string;
  /** A tip that is a system notice: `queue` updates collapse into the newest of a run. */
  notice?: 'queue' | 'system';
  unsupported?: string;
}

/** The customer-service banner and its action buttons. */
export interface SessionView {
  isService: boolean;
  phase: SessionPhase;
  /** Banner line for the phase. */
  text: string;
  /** -1 when the prompt gave no number. */
  queuePosition: number;
  agentName: string;
  typing: boolean;
  thinking: boolean;
  /** "对方正在输入…" / "正在思考…", or `''`. */
  indicatorText: string;
  canTransfer: boolean;
  canRate: boolean;
  /** Key of the unrated card the rate button scrolls to; `''`: it asks for a new card. */
  rateTarget: string;
  canEnd: boolean;
  /** Queued: the user may leave the queue (back to the bot). */
  canLeaveQueue: boolean;
  transferText: string;
  rateText: string;
  endText: string;
  leaveQueueText: string;
}

/** Everything the chat page draws, flat and pre-formatted (feed it to `diffForSetData`). */
export interface ChatView {
  messages: MessageView[];
  session: SessionView;
  network: { state: NetworkState; visible: boolean; text: string };
  history: { loading: boolean; canLoadOlder: boolean; errorText: string };
  /** Text of the last action error, for a toast; `''` when none. */
  errorText: string;
  /** The entry's product, offered above the composer with a "send to agent" button. */
  productOffer: ProductOfferView;
  /**
   * Unix ms at which this view changes by itself (a rating card expires), 0 when never: build it
   * again then, so an expired card looks expired before anyone taps it.
   */
  refreshAt: number;
}

/** The product offer bar; `visible: false` and empty texts when there is none. */
export interface ProductOfferView {
  visible: boolean;
  header: string;
  desc: string;
  pic: string;
  sendText: string;
  dismissText: string;
}

/** A display name and avatar. */
export interface Profile {
  nick: string;
  avatar: string;
}

/** What the view needs besides the store state (time, language, display fallbacks). */
export interface ChatViewContext {
  /** Unix ms. */
  now: number;
  language: Language;
  self: Profile;
  /** Fallback nick/avatar for the peer (service-account display settings). */
  peer: Profile;
  /** Box the image bubble fits into (px). */
  imageBox?: number;
  menuPageSize?: number;
}

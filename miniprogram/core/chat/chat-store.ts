import type { Language } from '../i18n/index';
import type { ChatTransport } from '../ports/chat-transport';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import type { AppError, Result } from '../result';
import type { ReadableStore } from '../store/store';
import type { ClassifiedMessage, MenuItem, ProductCardInput, TaskFormProblem } from '../tccc/index';
import { createChatSlice } from './chat-slice';
import type { MessageEntry } from './message-list';
import type { Outbox } from './outbox';
import type { ProductOffer, SentProducts } from './product-offer';
import { createServiceActions } from './service-actions';
import type { ServiceSessionState } from './service-session';

export { messageFromOutbox } from './outbox-mirror';

/** A list entry: the message plus its protocol classification (parsed once per version). */
export type ChatEntry = MessageEntry<ClassifiedMessage>;

/** Connection state for the network banner. */
export type NetworkState = 'online' | 'offline' | 'reconnecting';

/** Local state of a rating card: what the user picked, and whether it is on its way. */
export interface RatingLocal {
  selectedId: string;
  submitting: boolean;
}

/** Why a task-form field was refused. */
export type TaskFieldProblem = Extract<TaskFormProblem, { field: string }>['reason'];

/** Local state of a src 21 input form or a src 33 task form. */
export interface FormLocal {
  submitting: boolean;
  submitted: boolean;
  /** Task forms: values typed so far, by field name. */
  values: Readonly<Record<string, string>>;
  /** Task forms: validation problems by field name. */
  errors: Readonly<Record<string, TaskFieldProblem>>;
}

/** One conversation's chat state. Immutable: every change yields a new object. */
export interface ChatState {
  conversationID: string;
  peerID: string;
  /** Whether the peer is a configured customer-service account (the protocol applies). */
  isService: boolean;
  isOpen: boolean;
  /** Sorted oldest → newest; includes hidden protocol messages (the view filters them). */
  entries: ReadonlyArray<ChatEntry>;
  history: {
    loading: boolean;
    /** The first page has been loaded since `open`. */
    loaded: boolean;
    /** No older messages exist: stop asking. */
    completed: boolean;
    cursor: string;
    error: AppError | null;
  };
  session: ServiceSessionState;
  network: NetworkState;
  /** By message ID. */
  ratings: Readonly<Record<string, RatingLocal>>;
  /** By message ID: content of the row last tapped (menus, choice forms, task branches). */
  choices: Readonly<Record<string, string>>;
  /** By message ID. */
  forms: Readonly<Record<string, FormLocal>>;
  /** By message ID: page shown of a paged welcome menu. */
  menuPages: Readonly<Record<string, number>>;
  /** The entry's product, offered above the composer until sent or closed; null when none. */
  productOffer: ProductOffer | null;
  /** The last action error, for a toast; cleared by the next successful action. */
  lastError: AppError | null;
}

/** An image picked with `wx.chooseMedia`. */
export interface PickedImage {
  tempFilePath: string;
  size: number;
  width?: number;
  height?: number;
}

/** What a chat store runs on, injected by `services/index.ts` or a test. */
export interface ChatStoreDeps {
  conversationID: string;
  transport: ChatTransport;
  outbox: Outbox;
  clock: Clock;
  logger: Logger;
  serviceAccounts: () => readonly string[];
  /** The logged-in userID. */
  selfID: () => string;
  /** UI language, sent with the handshake as `zh`/`en`. */
  language: () => Language;
  /** New unique client ids. */
  newClientId: () => string;
  imageMaxBytes: number;
  /** The text that asks the flow for a human agent. */
  transferText: string;
  /** Delay before a mark-read, so bursts cost one call (ms). */
  markReadDelayMs?: number;
  typingMs?: number;
  thinkingMs?: number;
  /** How many pages a reconnect gap-fill may read. */
  gapFillPages?: number;
  /** Items per page of a welcome menu. */
  menuPageSize?: number;
  /** Products already sent from entries (once per conversation); in memory when not given. */
  sentProducts?: SentProducts;
  /** The skill group the entry asked for, sent with the handshake (`triggeredContent.skillGroup`). */
  skillGroup?: string;
  /** Longest text `sendText` sends, in characters (2000 when not given). */
  maxTextLength?: number;
}

/**
 * One conversation's chat: every user intent is one action that resolves to a `Result` and never
 * throws. State is immutable (`getState`/`subscribe`).
 */
export interface ChatStore extends ReadableStore<ChatState> {
  /**
   * Starts listening, loads the newest page, marks the conversation read and, for a service
   * conversation, sends the handshake (src 7, `onlineUserOnly`). When the SDK is not ready yet this
   * happens as soon as it is. The chat page opens it on load and closes it on unload; `open` while
   * open is a no-op; a reopen after `close` reads the newest page again.
   */
  open(): Promise<Result<void>>;
  /** Loads the page before the oldest loaded message; a no-op once `history.completed`. */
  loadOlder(): Promise<Result<void>>;
  /**
   * Sends text through the outbox (optimistic). A `network` error means it is queued, not lost;
   * the text goes trimmed; blank text is refused, and text over the limit with `text-too-long`.
   */
  sendText(text: string): Promise<Result<void>>;
  /** Sends an image; refuses files over the size limit with `file-too-large`. */
  sendImage(file: PickedImage): Promise<Result<void>>;
  /** Sends a failed message again, keeping its client id and place. Blocked messages are refused. */
  retry(clientId: string): Promise<Result<void>>;
  /** Drops an unsent (failed or blocked) message. */
  discard(clientId: string): Result<void>;
  /** Answers a menu/branch/choice-form/task-branch row with its text (src 32 fixed: + cloudCustomData). */
  chooseItem(messageId: string, item: MenuItem | string): Promise<Result<void>>;
  /** Shows the next page of a welcome menu ("换一换"). */
  nextMenuPage(messageId: string): void;
  /** Submits a rating once (optimistic: rated + tail at once); refused when expired or rated. */
  submitRating(messageId: string, optionId: string): Promise<Result<void>>;
  /** Records a task-form field value (kept across renders, cleared of its error). */
  setTaskFormValue(messageId: string, name: string, value: string): void;
  /** Submits a task form (src 33) once; `invalid-input` with per-field errors when incomplete. */
  submitTaskForm(
    messageId: string,
    values?: Readonly<Record<string, string>>,
  ): Promise<Result<void>>;
  /** Answers a src 21 input form with text, once; empty text is refused. */
  submitFormInput(messageId: string, text: string): Promise<Result<void>>;
  /** Asks for a rating card (src 24); allowed when the rating settings say so. */
  requestRating(): Promise<Result<void>>;
  /** Ends the human session (src 27); only while an agent holds it. */
  endSession(): Promise<Result<void>>;
  /** Leaves the queue for a human agent (src 27 while queued); only while queueing. */
  leaveQueue(): Promise<Result<void>>;
  /** Asks for a human agent by sending the configured text (`人工服务`). */
  transferToHuman(): Promise<Result<void>>;
  /** Sends the product the user came from as a card (src 22), through the outbox like text. */
  sendProductCard(card: ProductCardInput): Promise<Result<void>>;
  /**
   * Offers the entry's product as a card with a "send to agent" button, unless it was already sent
   * in this conversation (`key`). Nothing is sent until the user says so.
   */
  offerProduct(card: ProductCardInput, key: string): void;
  /** Sends the offered product card and records it as sent. */
  sendProductOffer(): Promise<Result<void>>;
  /** Closes the offer without sending. */
  dismissProductOffer(): void;
  /** Stops listening and cancels timers. State stays readable. */
  close(): void;
}
/**
 * Creates the store for one conversation. Nothing happens until `open`. Two slices share one
 * state: the chat itself (history, outbox, network, session) and the service actions (menus,
 * forms, ratings, end/transfer, product card).
 */
export function createChatStore(deps: ChatStoreDeps): ChatStore {
  const chat = createChatSlice(deps);
  return { ...chat.actions, ...createServiceActions(chat, deps) };
}

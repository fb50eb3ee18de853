import type { Conversation } from '../model/conversation';
import type { ChatMessage, OutgoingMessage, SendOptions } from '../model/message';
import type { Result } from '../result';
import type { Unsubscribe } from '../store/store';

/** Connection state as the SDK reports it (`NET_STATE_CHANGE`). */
export type NetState = 'connected' | 'connecting' | 'disconnected';

/** Why the SDK dropped the login (`KICKED_OUT` types). */
export type KickReason = 'multiple-account' | 'multiple-device' | 'usersig-expired' | 'rest-api';

/**
 * Everything the Chat backend tells us, already converted to core types. Events arrive only after a
 * successful `login`; `message-received` never carries messages this client sent itself.
 */
export type TransportEvent =
  | { type: 'ready' }
  | { type: 'not-ready' }
  | { type: 'net-state'; state: NetState }
  | { type: 'message-received'; messages: ChatMessage[] }
  | { type: 'message-modified'; messages: ChatMessage[] }
  | { type: 'message-revoked'; messages: ChatMessage[] }
  | { type: 'message-read-by-peer'; messages: ChatMessage[] }
  /** The whole list, every time (the SDK sends it whole and throttles it to about one per second). */
  | { type: 'conversation-list-updated'; conversations: Conversation[] }
  | { type: 'total-unread-updated'; count: number }
  | { type: 'kicked'; reason: KickReason };

/** One page of history, oldest first. */
export interface MessagePage {
  messages: ChatMessage[];
  /** Cursor for the next (older) page; `''` once complete. */
  nextReqMessageID: string;
  /** True when the page reaches the start of the conversation: stop paging. */
  isCompleted: boolean;
}

/** Credentials for one Chat login. */
export interface ChatCredentials {
  userID: string;
  userSig: string;
  /** The application the UserSig belongs to, when the login server says (else configuration). */
  sdkAppID?: number;
}

/**
 * The chat backend as core needs it. One adapter wraps `@tencentcloud/chat`; a fake backs tests.
 * No method throws: expected failures come back as `Result` errors with an `AppErrorCode`.
 */
export interface ChatTransport {
  /**
   * Logs in and resolves once the SDK is ready. Gives up with `timeout` after the adapter's own
   * limit (the SDK itself waits 90 s offline). Logs out first when another user is logged in.
   */
  login(credentials: ChatCredentials): Promise<Result<void>>;
  /** Logs out; resolves ok even when nobody was logged in. */
  logout(): Promise<Result<void>>;
  /** Whether API calls can be made now (logged in and ready). */
  isReady(): boolean;
  /** The logged-in userID, or `''`. */
  getLoginUser(): string;
  getConversationList(): Promise<Result<Conversation[]>>;
  /**
   * One page of at most 15 messages, oldest first. Without `nextReqMessageID` it is the newest page;
   * with the cursor of the previous page it is the page before.
   */
  getMessageList(conversationID: string, nextReqMessageID?: string): Promise<Result<MessagePage>>;
  /**
   * Creates the SDK message for `message` without sending it, and returns it with its final `ID`.
   * Recording that ID before sending is what lets an interrupted send be recognised in history.
   */
  createMessage(message: OutgoingMessage): Result<ChatMessage>;
  /**
   * Sends a message made by `createMessage` (same `clientId`), or makes and sends it when the
   * adapter no longer holds it (after a restart). A message that failed before is resent with its
   * ID kept. Resolves with the sent message (`status: 'sent'`, server time).
   */
  sendMessage(message: OutgoingMessage, options?: SendOptions): Promise<Result<ChatMessage>>;
  /** Marks every message of the conversation read (unread count to 0). */
  setMessageRead(conversationID: string): Promise<Result<void>>;
  pinConversation(conversationID: string, isPinned: boolean): Promise<Result<void>>;
  deleteConversation(conversationID: string): Promise<Result<void>>;
  /** Sets the user's own profile as others see it (`avatar` only when given). */
  updateMyProfile(profile: { nick: string; avatar?: string }): Promise<Result<void>>;
  /** Adds a listener for every event; the returned function removes it. */
  onEvent(listener: (event: TransportEvent) => void): Unsubscribe;
}

import type { AppError } from '../result';

/**
 * Message element types, spelled as on the Chat wire and in the SDK (`TencentCloudChat.TYPES.MSG_*`).
 * Core compares against these strings so it never needs the SDK itself.
 */
export const MESSAGE_TYPE = {
  TEXT: 'TIMTextElem',
  CUSTOM: 'TIMCustomElem',
  IMAGE: 'TIMImageElem',
  FILE: 'TIMFileElem',
  SOUND: 'TIMSoundElem',
  VIDEO: 'TIMVideoFileElem',
  FACE: 'TIMFaceElem',
  LOCATION: 'TIMLocationElem',
  MERGER: 'TIMRelayElem',
} as const;

/** Delivery state of a message: only our own messages are ever anything but `sent`. */
export type MessageStatus = 'sending' | 'sent' | 'failed' | 'blocked';

/** Size and address of an image message; the largest available rendition. */
export interface ImageInfo {
  url: string;
  width: number;
  height: number;
}

/**
 * A chat message as core sees it: the SDK's message reduced to plain data by the adapter.
 * Field names follow the SDK (`ID`, `type`, `flow`, `payload`, `cloudCustomData`, `isRevoked`) so the
 * object can be handed as is to the protocol core (`core/tccc`), which reads exactly these.
 */
export interface ChatMessage {
  /** The SDK's message ID; stable between push, history and modification. */
  ID: string;
  conversationID: string;
  type: string;
  flow: 'in' | 'out';
  from: string;
  to: string;
  /** Server time in unix seconds (client time while not yet sent). */
  time: number;
  /** Per-conversation sequence; 0 when unknown. Ties on `time` are broken by it. */
  sequence: number;
  nick: string;
  avatar: string;
  payload: { text?: string; data?: string; description?: string; extension?: string };
  /** Present for image messages. */
  image?: ImageInfo;
  /** `''` when the message carries none. */
  cloudCustomData: string;
  isRevoked: boolean;
  /** Bumped by every server-side modification (streaming text, rating `selected`). */
  version: number;
  status: MessageStatus;
  /** Set on messages this client sent, so the optimistic copy and the server copy are one entry. */
  clientId?: string;
  /** Why a send failed or was blocked. */
  error?: AppError;
  isPeerRead?: boolean;
}

/** What the user asks to send; the adapter turns it into an SDK message. */
export type OutgoingContent =
  | { kind: 'text'; text: string }
  | { kind: 'custom'; data: string; description?: string }
  | { kind: 'image'; tempFilePath: string; size: number; width?: number; height?: number };

/** A message to send: content plus addressing and the client id it is tracked by. */
export interface OutgoingMessage {
  clientId: string;
  conversationID: string;
  /** The peer userID (`conversationID` without `C2C`). */
  to: string;
  content: OutgoingContent;
  /** `''` when none. */
  cloudCustomData: string;
}

/** Options of one send. */
export interface SendOptions {
  /** Deliver only if the peer is online; not stored, no push, no unread (protocol signals). */
  onlineUserOnly?: boolean;
}

/** The C2C conversation ID of a user: the SDK's `C2C<userID>` convention. */
export function c2cConversationID(userID: string): string {
  return `C2C${userID}`;
}

/** The peer userID of a C2C conversation ID, or `''` for other kinds. */
export function peerOfConversation(conversationID: string): string {
  return conversationID.startsWith('C2C') ? conversationID.slice(3) : '';
}

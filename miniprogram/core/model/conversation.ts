/**
 * The last message of a conversation as the conversation list carries it. The SDK keeps a
 * different, smaller shape here than for messages; the adapter maps it to this.
 */
export interface LastMessage {
  type: string;
  payload: { text?: string; data?: string; description?: string };
  cloudCustomData: string;
  isRevoked: boolean;
  /** Unix seconds. */
  time: number;
  fromAccount: string;
  /** The SDK's own preview (`messageForShow`); `[自定义消息]` for custom messages, so never shown as is. */
  messageForShow: string;
}

/** One conversation of the list, reduced by the adapter to plain data. */
export interface Conversation {
  conversationID: string;
  type: 'C2C' | 'GROUP' | 'SYSTEM';
  /** The peer userID for C2C, `''` otherwise. */
  peerID: string;
  name: string;
  avatar: string;
  unreadCount: number;
  isPinned: boolean;
  lastMessage: LastMessage | null;
}

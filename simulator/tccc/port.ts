/**
 * The seam between the simulated Chat backend (`simulator/chat`) and the simulated TCCC service
 * (`simulator/tccc`). The backend implements `ServiceBackend`; the TCCC service only ever talks to
 * users through it, exactly as real TCCC talks through the IM customer-service virtual account.
 *
 * Message bodies use the Chat wire form (`{ MsgType, MsgContent }`, capitalised keys), see
 * docs chat-wire.md §1.1.
 */

export type WireElem =
  | { MsgType: 'TIMTextElem'; MsgContent: { Text: string } }
  | {
      MsgType: 'TIMCustomElem';
      MsgContent: { Data: string; Desc?: string; Ext?: string; Sound?: string };
    }
  | { MsgType: 'TIMImageElem'; MsgContent: Record<string, unknown> }
  | { MsgType: string; MsgContent: Record<string, unknown> };

/** A message a user sent to a service account (through the SDK or the REST API). */
export interface InboundMessage {
  serviceAccount: string;
  userID: string;
  elems: WireElem[];
  /** `''` when unset. */
  cloudCustomData: string;
  /** true for `sendMessage(msg, { onlineUserOnly: true })` (wire `MsgLifeTime: 0`): not stored. */
  onlineOnly: boolean;
  /** Server time, unix seconds. */
  time: number;
}

/** A message the service sends to a user. */
export interface OutboundMessage {
  serviceAccount: string;
  userID: string;
  elems: WireElem[];
  cloudCustomData?: string;
  /** Deliver to online sockets only; not stored, no conversation change (typing, thinking). */
  onlineOnly?: boolean;
}

/** Identifies a stored message so it can be modified later (streaming text, rating `selected`). */
export interface SentRef {
  serviceAccount: string;
  userID: string;
  seq: number;
  random: number;
  time: number;
}

export interface ServiceBackend {
  /** Called for every message a user sends to one of the service accounts. Returns an unsubscribe. */
  onUserMessage(listener: (message: InboundMessage) => void): () => void;
  /** Sends (stores unless onlineOnly, and pushes) a message from the service account to the user. */
  send(message: OutboundMessage): SentRef;
  /** Replaces the body of a stored message, bumps its version and pushes the modification. */
  modify(ref: SentRef, elems: WireElem[], cloudCustomData?: string): boolean;
  /** Whether the user has a logged-in socket right now. */
  isUserOnline(userID: string): boolean;
  /** Profile of a service account (nick/avatar), for the agent console. */
  serviceProfile(serviceAccount: string): { nick: string; avatar: string } | undefined;
  /** A user's own profile (`updateMyProfile`), for the console; undefined if unknown. */
  userProfile?(userID: string): { nick: string; avatar: string } | undefined;
  /** Revokes a stored message the service sent (the console's revoke button). */
  revoke?(ref: SentRef, reason?: string): boolean;
}

/**
 * What a wire-command handler (`handlers.ts`) sees: the socket, its login, the request, and the
 * narrow `ChatHost` face of the backend. The backend implements `ChatHost` and dispatches to the
 * handlers; the handlers know nothing else of it, so neither module imports the other.
 */
import type { WebSocket } from 'ws';

import type { WireElem } from '../tccc/port';
import type { SendOrigin } from './callback';
import type { FileStore } from './files';
import type { Logger } from './logger';
import type { Result } from './result';
import type { ChatStore, StoredMessage } from './store';
import type { Json } from './wire';

/** One verified login (`wslogin`) bound to a socket. */
export interface Session {
  userID: string;
  tinyId: string;
  a2: string;
  instId: number;
  /** Unix seconds when the login's UserSig expires. */
  sigExpiresAt: number;
  sigHash: string;
  /** The simulator was told to expire this login (`expireUserSig`). */
  forceExpired: boolean;
  /** 70001 was answered once already: never again on this session (reconnect storm). */
  expiryNotified: boolean;
}

/** One SDK websocket; frames go out in the socket's own type (binary or text). */
export class Connection {
  session: Session | undefined;

  constructor(
    readonly id: number,
    private readonly ws: WebSocket,
    /** `/binfo` sockets speak binary frames, `/info` (PC WeChat) text frames; never mixed. */
    readonly binary: boolean,
    /** `instanceid` from the URL: the same SDK instance reconnecting keeps it. */
    readonly instanceId: string,
    /** The peer's address, reported as `ClientIP` in callbacks. */
    readonly remoteAddress = '',
  ) {}

  get isOpen(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  send(frame: Json): void {
    if (!this.isOpen) return;
    const json = JSON.stringify(frame);
    try {
      this.ws.send(this.binary ? Buffer.from(json, 'utf8') : json, { binary: this.binary });
    } catch {
      // The socket died between the check and the send; the close handler cleans up.
    }
  }

  terminate(): void {
    this.ws.terminate();
  }
}

export interface SendParams {
  from: string;
  to: string;
  elems: WireElem[];
  cloudCustomData?: string;
  onlineOnly?: boolean;
  seq?: number;
  random?: number;
  clientTime?: number;
  noUnread?: boolean;
  noLastMsg?: boolean;
  hiddenFromSender?: boolean;
  /** Also push the message to the sender's own socket (REST `SyncOtherMachine: 1`). */
  syncToSender?: boolean;
  /** Skip moderation (the service side, like TCCC's own messages). */
  trusted?: boolean;
  /** Who sent it, for the after-send callback. Default: the service side (REST, loopback). */
  origin?: SendOrigin;
}

export interface SendOutcome {
  message: StoredMessage;
  stored: boolean;
  duplicate: boolean;
}

/** The backend as the handlers use it. */
export interface ChatHost {
  readonly config: { sdkAppID: number; secretKey: string; revokeWindowSeconds: number };
  readonly store: ChatStore;
  readonly files: FileStore;
  readonly log: Logger;
  sigHash(userSig: string): string;
  isSigRevoked(sigHash: string): boolean;
  /** The login an A2 ticket (`a2` + `tinyid` in the head) stands for, if valid. */
  sessionFromTicket(head: Json): Session | undefined;
  /** The socket's login if it is still the user's current one. */
  activeSession(conn: Connection): Session | undefined;
  bind(conn: Connection, userID: string, sigExpiresAt: number, sigHash: string): Session;
  unbind(conn: Connection): void;
  logout(conn: Connection): void;
  toWire(m: StoredMessage, onlineOnly?: boolean): Json;
  moderate(elems: readonly WireElem[]): string | undefined;
  sendMessage(p: SendParams): Result<SendOutcome>;
  notifyService(message: StoredMessage, onlineOnly: boolean): void;
  applyModification(
    m: StoredMessage,
    elems: WireElem[],
    cloudCustomData?: string,
    skip?: string,
  ): void;
  applyRevoke(m: StoredMessage, revoker: string, reason: string, skip?: string): void;
  pushReadReceipt(reader: string, peer: string, time: number): void;
}

/** What a handler gets: the request and a way to run work after the answer is sent. */
export interface RequestContext {
  backend: ChatHost;
  conn: Connection;
  servcmd: string;
  head: Json;
  body: Json;
  /**
   * The socket's login, present for every command except the housekeeping ones. It may no longer
   * be the user's current login (kicked, expired): `backend.activeSession(conn)` tells.
   */
  session: Session | undefined;
  after(fn: () => void): void;
}

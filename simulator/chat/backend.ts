/**
 * The simulated Chat backend: websocket sessions of the real SDK, message delivery and the
 * `ServiceBackend` port the simulated TCCC talks through. Handlers for each `servcmd` live in
 * `handlers.ts`; this class owns connections, login state, pushes and the store.
 */
import { createHash, randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import type { WebSocket, RawData } from 'ws';

import type { ServiceAccountConfig } from '../config';
import type {
  InboundMessage,
  OutboundMessage,
  SentRef,
  ServiceBackend,
  WireElem,
} from '../tccc/port';
import { mintA2, readA2 } from './a2';
import { AfterSendCallbacks, type CallbackConfig, SERVICE_ORIGIN, clientIPOf } from './callback';
import {
  type ChatHost,
  Connection,
  type RequestContext,
  type SendOutcome,
  type SendParams,
  type Session,
} from './context';
import { CHAT_ERRORS } from './errors';
import { FileStore, type FileStoreOptions } from './files';
import { type Handler, HANDLERS, HOUSEKEEPING } from './handlers';
import type { Logger } from './logger';
import { type Result, fail, ok } from './result';
import { ChatStore, type StoredMessage, msgKey } from './store';
import { genUserSig } from './usersig';
import {
  type Json,
  envelope,
  failure,
  parseFrame,
  pushFrame,
  responseFrame,
  textsOf,
} from './wire';

export type { RequestContext, SendOutcome, SendParams, Session } from './context';
export { Connection } from './context';

/** What the backend needs to know about the app it simulates. */
export interface BackendConfig {
  sdkAppID: number;
  secretKey: string;
  adminUserID: string;
  serviceAccounts: ServiceAccountConfig[];
  moderationWords: string[];
  revokeWindowSeconds: number;
  /** Tencent's third-party callback after each C2C message (`C2C.CallbackAfterSendMsg`). */
  callback?: CallbackConfig;
}

const MAX_BODY_BYTES = 12 * 1024;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export class ChatBackend implements ServiceBackend, ChatHost {
  readonly store = new ChatStore();
  readonly files: FileStore;
  /** Posts `C2C.CallbackAfterSendMsg` when a callback is configured (`setCallback`). */
  readonly callbacks: AfterSendCallbacks;
  private readonly connections = new Set<Connection>();
  private readonly online = new Map<string, Connection>();
  private readonly listeners = new Set<(m: InboundMessage) => void>();
  private readonly revokedSigs = new Set<string>();
  private nextConnId = 1;
  /** Called after every state change (persistence hooks in here). */
  onChange: () => void = () => undefined;
  /** Counters for `/healthz` and the benchmark. */
  readonly counters = { frames: 0, malformed: 0, messages: 0, pushes: 0 };

  constructor(
    readonly config: BackendConfig,
    readonly log: Logger,
    filesDir?: string,
    filesOptions: FileStoreOptions = {},
  ) {
    this.files = new FileStore(filesDir, filesOptions);
    this.callbacks = new AfterSendCallbacks(config.sdkAppID, log);
    this.callbacks.configure(config.callback);
  }

  /**
   * Points the after-send callback somewhere else, or turns it off with undefined. A setter
   * because the receiver (the login server) usually gets its port after the simulator started.
   */
  setCallback(callback: CallbackConfig | undefined): void {
    this.callbacks.configure(callback);
  }

  /** Creates the admin and service accounts (idempotent; keeps profiles edited since). */
  seedAccounts(defaultAvatar: string): void {
    this.store.ensureUser(this.config.adminUserID);
    for (const sa of this.config.serviceAccounts) {
      const existing = this.store.getUser(sa.userID);
      this.store.ensureUser(sa.userID, {
        nick: sa.nick,
        avatar: sa.avatar || existing?.avatar || defaultAvatar,
      });
    }
  }

  isServiceAccount(userID: string): boolean {
    return this.config.serviceAccounts.some((sa) => sa.userID === userID);
  }

  genUserSig(userID: string, expireSeconds: number): string {
    return genUserSig(this.config.sdkAppID, this.config.secretKey, userID, expireSeconds);
  }

  /** sha256 of a UserSig: how logins remember their signature without keeping it. */
  sigHash(userSig: string): string {
    return sha256(userSig);
  }

  /** Whether `expireUserSig` retired the UserSig with this hash. */
  isSigRevoked(sigHash: string): boolean {
    return this.revokedSigs.has(sigHash);
  }

  // ---- sockets -------------------------------------------------------------------------------

  /** Takes over an upgraded websocket. Never throws; bad input is dropped, not fatal. */
  attach(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const binary = !(path.endsWith('/info') && !path.endsWith('/binfo'));
    const conn = new Connection(
      this.nextConnId++,
      ws,
      binary,
      url.searchParams.get('instanceid') ?? '',
      clientIPOf(req.socket.remoteAddress),
    );
    this.connections.add(conn);
    ws.on('message', (data: RawData) => this.onFrame(conn, data));
    ws.on('error', () => undefined);
    ws.on('close', () => {
      this.connections.delete(conn);
      this.unbind(conn);
    });
  }

  private onFrame(conn: Connection, data: RawData): void {
    this.counters.frames++;
    const buf = Array.isArray(data)
      ? Buffer.concat(data)
      : Buffer.isBuffer(data)
        ? data
        : Buffer.from(data);
    const frame = parseFrame(buf.toString('utf8'));
    if (!frame) {
      this.counters.malformed++;
      this.log.once(`malformed:${conn.id}`, `dropped a malformed frame on connection ${conn.id}`);
      return;
    }
    const after: (() => void)[] = [];
    const ctx: RequestContext = {
      backend: this,
      conn,
      servcmd: frame.servcmd,
      head: frame.head,
      body: frame.body,
      // Requests are authenticated like Tencent's: by the socket's login, else by the A2 ticket
      // in the head (after a reconnect the SDK resends requests before its silent re-login). A
      // kicked socket keeps its identity for requests under way; only pushes stop. Failing those
      // would reject promises inside the SDK that nobody handles.
      session: conn.session ?? this.sessionFromTicket(frame.head),
      after: (fn) => after.push(fn),
    };
    let answer: Json;
    try {
      answer = this.dispatch(ctx);
    } catch (e) {
      this.log.warn(
        `${frame.servcmd} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      );
      answer = failure(CHAT_ERRORS.internal, 'internal error');
    }
    conn.send(responseFrame(frame.servcmd, frame.seq, answer));
    for (const fn of after) {
      try {
        fn();
      } catch (e) {
        this.log.warn(`after ${frame.servcmd}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.onChange();
  }

  private dispatch(ctx: RequestContext): Json {
    // Own properties only: a servcmd like `constructor` must not reach Object.prototype.
    const handler: Handler | undefined = Object.prototype.hasOwnProperty.call(HANDLERS, ctx.servcmd)
      ? HANDLERS[ctx.servcmd]
      : undefined;
    if (!handler) {
      this.log.once(
        `servcmd:${ctx.servcmd}`,
        `unknown servcmd ${ctx.servcmd}: answered the envelope`,
      );
      return envelope();
    }
    if (!ctx.session && !HOUSEKEEPING.has(ctx.servcmd)) {
      return failure(CHAT_ERRORS.notLoggedIn, `${ctx.servcmd}: not logged in on this connection`);
    }
    return handler(ctx);
  }

  /**
   * A request-scoped identity from the `a2` + `tinyid` head fields, when the ticket is ours, still
   * valid and its UserSig not expired by `expireUserSig`. It binds nothing: pushes need `wslogin`.
   */
  sessionFromTicket(head: Json): Session | undefined {
    const a2 = typeof head.a2 === 'string' ? head.a2 : '';
    const claims = a2 === '' ? undefined : readA2(this.config.secretKey, a2);
    if (
      !claims ||
      String(head.tinyid) !== claims.tinyId ||
      Math.floor(Date.now() / 1000) > claims.expiresAt ||
      this.isSigRevoked(claims.sigHash)
    ) {
      return undefined;
    }
    return {
      userID: claims.userID,
      tinyId: claims.tinyId,
      a2,
      instId: 0,
      sigExpiresAt: claims.expiresAt,
      sigHash: claims.sigHash,
      forceExpired: false,
      expiryNotified: true,
    };
  }

  /** The connection's session if it is the user's current login. */
  activeSession(conn: Connection): Session | undefined {
    const s = conn.session;
    return s && this.online.get(s.userID) === conn ? s : undefined;
  }

  /** Binds a verified login to the socket; an older login of the same user elsewhere is kicked. */
  bind(conn: Connection, userID: string, sigExpiresAt: number, sigHash: string): Session {
    const user = this.store.ensureUser(userID);
    const previous = this.online.get(userID);
    if (previous && previous !== conn) {
      if (previous.instanceId !== '' && previous.instanceId === conn.instanceId) {
        // The same SDK instance reconnecting: the old socket is already abandoned by the client.
        previous.session = undefined;
        this.online.delete(userID);
      } else {
        this.kickConnection(previous, 2);
      }
    }
    if (conn.session && conn.session.userID !== userID) this.unbind(conn);
    const session: Session = {
      userID,
      tinyId: user.tinyId,
      a2: mintA2(this.config.secretKey, {
        userID,
        tinyId: user.tinyId,
        expiresAt: sigExpiresAt,
        sigHash,
      }),
      instId: randomInt(1, 2 ** 31 - 1),
      sigExpiresAt,
      sigHash,
      forceExpired: false,
      expiryNotified: false,
    };
    conn.session = session;
    this.online.set(userID, conn);
    this.log.info(`login ${userID} (connection ${conn.id})`);
    return session;
  }

  unbind(conn: Connection): void {
    const s = conn.session;
    if (s && this.online.get(s.userID) === conn) this.online.delete(s.userID);
  }

  /** Logout: the socket stays open but carries no user. */
  logout(conn: Connection): void {
    this.unbind(conn);
    if (conn.session) this.log.info(`logout ${conn.session.userID} (connection ${conn.id})`);
    conn.session = undefined;
  }

  private kickConnection(conn: Connection, type: 1 | 2 | 3): void {
    conn.send({
      head: { servcmd: 'im_open_push.msg_push', seq: 0 },
      body: {
        EventArray: [{ Event: 7, C2cNotifyMsgArray: [{ KickoutMsgNotify: { KickType: type } }] }],
      },
    });
    this.log.info(`kicked ${conn.session?.userID ?? '?'} (type ${type}, connection ${conn.id})`);
    this.unbind(conn);
  }

  /** Kicks the user's current login: 1 multipleAccount, 2 multipleDevice, 3 REST API kick. */
  kick(userID: string, type: 1 | 2 | 3 = 2): boolean {
    const conn = this.online.get(userID);
    if (!conn) return false;
    this.kickConnection(conn, type);
    return true;
  }

  /**
   * Expires the user's current UserSig: the next heartbeat on that login is answered 70001 once
   * (KICKED_OUT userSigExpired in the SDK), and the same UserSig is refused at any later login.
   */
  expireUserSig(userID: string): boolean {
    const conn = this.online.get(userID);
    const s = conn?.session;
    if (!s) return false;
    s.forceExpired = true;
    this.revokedSigs.add(s.sigHash);
    return true;
  }

  /**
   * Drops the user's sockets without a close handshake, like a network loss: the SDK reconnects on
   * its own schedule and logs in again silently with its A2 ticket. Returns how many were dropped.
   */
  dropConnections(userID: string): number {
    let dropped = 0;
    for (const conn of this.connections) {
      if (conn.session?.userID === userID) {
        this.unbind(conn);
        conn.terminate();
        dropped++;
      }
    }
    return dropped;
  }

  /** Closes every socket and aborts callbacks under way (server shutdown). */
  closeAll(): void {
    this.callbacks.close();
    for (const conn of this.connections) conn.terminate();
    this.connections.clear();
    this.online.clear();
  }

  connectionCount(): number {
    return this.connections.size;
  }

  onlineCount(): number {
    return this.online.size;
  }

  // ---- delivery ------------------------------------------------------------------------------

  private pushTo(userID: string, item: Json): void {
    const conn = this.online.get(userID);
    if (!conn) return;
    this.counters.pushes++;
    conn.send(pushFrame(item));
  }

  /** The wire form of a message (chat-wire §1.1); `TinyId` + `MsgClientTime` keep IDs stable. */
  toWire(m: StoredMessage, onlineOnly = false): Json {
    const wire: Json = {
      From_Account: m.from,
      To_Account: m.to,
      MsgSeq: m.seq,
      MsgRandom: m.random,
      MsgTimeStamp: m.time,
      MsgClientTime: m.clientTime,
      TinyId: m.tinyId,
      MsgKey: msgKey(m),
      From_AccountNick: m.nick,
      From_AccountHeadurl: m.avatar,
      MsgVersion: m.version,
      MsgFlagBits: m.revoked ? 8 : 0,
      MsgBody: m.elems,
      CloudCustomData: m.cloudCustomData,
    };
    if (m.revoked) wire.RevokerInfo = { Revoker: m.revoked.by, Reason: m.revoked.reason };
    if (onlineOnly) wire.MsgLifeTime = 0;
    return wire;
  }

  modNotify(m: StoredMessage): Json {
    return {
      From_Account: m.from,
      To_Account: m.to,
      MsgSeq: m.seq,
      MsgRandom: m.random,
      MsgTime: m.time,
      MsgVersion: m.version,
      MsgBody: m.elems,
      CloudCustomData: m.cloudCustomData,
    };
  }

  /** Moderation: the first listed word found in any text element, if any. */
  moderate(elems: readonly WireElem[]): string | undefined {
    const texts = textsOf(elems).map((t) => t.toLowerCase());
    return this.config.moderationWords.find((w) => texts.some((t) => t.includes(w.toLowerCase())));
  }

  /**
   * Validates, stores (unless online-only), pushes and queues the after-send callback. Refused
   * messages and resends of a stored one get no callback, like Tencent's.
   */
  sendMessage(p: SendParams): Result<SendOutcome> {
    if (!this.store.hasUser(p.from) || !this.store.hasUser(p.to) || p.from === p.to) {
      return fail(CHAT_ERRORS.accountInvalid, 'From_Account or To_Account invalid or not imported');
    }
    if (Buffer.byteLength(JSON.stringify(p.elems)) > MAX_BODY_BYTES) {
      return fail(CHAT_ERRORS.bodyTooLong, 'message body too long (12 KB max)');
    }
    if (!p.trusted && this.moderate(p.elems) !== undefined) {
      return fail(CHAT_ERRORS.sensitiveContent, 'message contains sensitive words');
    }
    const seq = p.seq ?? this.store.allocServerSeq();
    const random = p.random ?? randomInt(1, 2 ** 32 - 1);
    const dup = this.store.findDuplicate(p.from, p.to, seq, random);
    if (dup) return ok({ message: dup, stored: true, duplicate: true });

    const sender = this.store.ensureUser(p.from);
    const time = nowSeconds();
    const draft: Omit<StoredMessage, 'id'> = {
      from: p.from,
      to: p.to,
      seq,
      random,
      time,
      clientTime: p.clientTime ?? time,
      tinyId: sender.tinyId,
      elems: p.elems,
      cloudCustomData: p.cloudCustomData ?? '',
      version: 0,
      nick: sender.nick,
      avatar: sender.avatar,
    };
    if (p.noUnread) draft.noUnread = true;
    if (p.noLastMsg) draft.noLastMsg = true;
    if (p.hiddenFromSender) draft.hiddenFromSender = true;

    const onlineOnly = p.onlineOnly === true;
    const message = onlineOnly ? { ...draft, id: 0 } : this.store.addMessage(draft);
    this.counters.messages++;
    this.pushTo(p.to, { C2cMsgArray: [this.toWire(message, onlineOnly)] });
    if (p.syncToSender) {
      this.pushTo(p.from, { C2cMsgArray: [{ ...this.toWire(message, onlineOnly), IsSyncMsg: 1 }] });
    }
    this.callbacks.notify(message, onlineOnly, p.origin ?? SERVICE_ORIGIN);
    return ok({ message, stored: !onlineOnly, duplicate: false });
  }

  /** Tells the TCCC listeners about a user's message to a service account. */
  notifyService(message: StoredMessage, onlineOnly: boolean): void {
    if (!this.isServiceAccount(message.to) || this.isServiceAccount(message.from)) return;
    const inbound: InboundMessage = {
      serviceAccount: message.to,
      userID: message.from,
      elems: message.elems,
      cloudCustomData: message.cloudCustomData,
      onlineOnly,
      time: message.time,
    };
    for (const listener of [...this.listeners]) {
      try {
        listener(inbound);
      } catch (e) {
        this.log.warn(`service listener failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  /** Stores a new body for a message, bumps its version and pushes the change to both sides. */
  applyModification(
    m: StoredMessage,
    elems: WireElem[],
    cloudCustomData?: string,
    skip?: string,
  ): void {
    m.elems = elems;
    if (cloudCustomData !== undefined) m.cloudCustomData = cloudCustomData;
    m.version++;
    this.store.markChanged(m);
    const notify = { C2cMsgModNotifys: [this.modNotify(m)] };
    for (const userID of [m.from, m.to]) if (userID !== skip) this.pushTo(userID, notify);
  }

  /** Marks a message revoked and pushes the withdraw notice to both sides (except `skip`). */
  applyRevoke(m: StoredMessage, revoker: string, reason: string, skip?: string): void {
    m.revoked = { by: revoker, reason };
    this.store.markChanged(m);
    const notice = {
      C2cNotifyMsgArray: [
        {
          WithdrawC2cMsgNotify: {
            C2cWithdrawInfoArray: [
              {
                From_Account: m.from,
                To_Account: m.to,
                MsgSeq: m.seq,
                MsgRandom: m.random,
                MsgTimeStamp: m.time,
                TinyId: m.tinyId,
                MsgClientTime: m.clientTime,
                RevokerInfo: { Revoker: revoker, Reason: reason },
              },
            ],
          },
        },
      ],
    };
    for (const userID of [m.from, m.to]) if (userID !== skip) this.pushTo(userID, notice);
  }

  /** Tells the peer that `reader` read the conversation up to `time`. */
  pushReadReceipt(reader: string, peer: string, time: number): void {
    this.pushTo(peer, {
      C2cNotifyMsgArray: [
        { C2cReadedReceipt: { To_Account: reader, UinPairReadArray: [{ LastReadTime: time }] } },
      ],
    });
  }

  // ---- ServiceBackend (the seam to simulator/tccc) ------------------------------------------

  onUserMessage(listener: (message: InboundMessage) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  send(message: OutboundMessage): SentRef {
    this.store.ensureUser(message.userID);
    const result = this.sendMessage({
      from: message.serviceAccount,
      to: message.userID,
      elems: message.elems,
      cloudCustomData: message.cloudCustomData,
      onlineOnly: message.onlineOnly,
      trusted: true,
    });
    this.onChange();
    if (!result.ok) {
      // Only a flow bug (unknown service account, body over 12 KB) gets here. The port has no
      // error channel and a throw from a flow timer would kill the simulator: log, hand back a
      // reference that matches nothing (modify() on it answers false).
      this.log.warn(
        `service message to ${message.userID} refused: ${result.error.code} ${result.error.info}`,
      );
      return {
        serviceAccount: message.serviceAccount,
        userID: message.userID,
        seq: 0,
        random: 0,
        time: 0,
      };
    }
    const m = result.value.message;
    return {
      serviceAccount: message.serviceAccount,
      userID: message.userID,
      seq: m.seq,
      random: m.random,
      time: m.time,
    };
  }

  modify(ref: SentRef, elems: WireElem[], cloudCustomData?: string): boolean {
    const m = this.store.find({
      from: ref.serviceAccount,
      to: ref.userID,
      seq: ref.seq,
      random: ref.random,
      time: ref.time,
    });
    if (!m) return false;
    this.applyModification(m, elems, cloudCustomData);
    this.onChange();
    return true;
  }

  /** Revokes a message the service sent (not part of the port; used by tests and the console). */
  revoke(ref: SentRef, reason = ''): boolean {
    const m = this.store.find({
      from: ref.serviceAccount,
      to: ref.userID,
      seq: ref.seq,
      random: ref.random,
      time: ref.time,
    });
    if (!m || m.revoked) return false;
    this.applyRevoke(m, ref.serviceAccount, reason);
    this.onChange();
    return true;
  }

  isUserOnline(userID: string): boolean {
    return this.online.has(userID);
  }

  userProfile(userID: string): { nick: string; avatar: string } | undefined {
    const user = this.store.getUser(userID);
    return user && (user.nick || user.avatar)
      ? { nick: user.nick, avatar: user.avatar }
      : undefined;
  }

  serviceProfile(serviceAccount: string): { nick: string; avatar: string } | undefined {
    if (!this.isServiceAccount(serviceAccount)) return undefined;
    const user = this.store.getUser(serviceAccount);
    return user ? { nick: user.nick, avatar: user.avatar } : undefined;
  }
}

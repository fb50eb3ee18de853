import { mapSdkError } from '../../miniprogram/adapters/chat/sdk-errors';
import type { Conversation } from '../../miniprogram/core/model/conversation';
import {
  MESSAGE_TYPE,
  c2cConversationID,
  peerOfConversation,
} from '../../miniprogram/core/model/message';
import type {
  ChatMessage,
  OutgoingMessage,
  SendOptions,
} from '../../miniprogram/core/model/message';
import type {
  ChatCredentials,
  ChatTransport,
  KickReason,
  MessagePage,
  NetState,
  TransportEvent,
} from '../../miniprogram/core/ports/chat-transport';
import type { Clock } from '../../miniprogram/core/ports/clock';
import { err, ok } from '../../miniprogram/core/result';
import type { Result } from '../../miniprogram/core/result';
import type { Unsubscribe } from '../../miniprogram/core/store/store';
import { FakeClock } from './fake-clock';

/** What a peer (a service account, another user) sends in tests. */
export type PeerContent =
  | { text: string }
  | { data: string; description?: string }
  | { image: { url: string; width: number; height: number } };

export interface PeerSendOptions {
  cloudCustomData?: string;
  nick?: string;
  avatar?: string;
  /** `onlineUserOnly`: not stored, not counted, lost when the user is offline. */
  onlineOnly?: boolean;
  /** Server time override, unix seconds. */
  time?: number;
}

interface ServerConversation {
  peerID: string;
  messages: ChatMessage[];
  unread: number;
  isPinned: boolean;
  nick: string;
  avatar: string;
}

interface ServerUser {
  conversations: Map<string, ServerConversation>;
  /** Messages that arrived while the user was offline; delivered on reconnect. */
  missed: ChatMessage[];
}

/** A user-sent message as the "server" received it. */
export interface ServerReceived {
  message: ChatMessage;
  options: SendOptions;
}

const PAGE_SIZE = 15;
const THROTTLE_MS = 1000;

// Sends fall back to `send-failed` for unknown codes, exactly as the adapter does.
const sdkError = (code: number, context: string) =>
  err(
    mapSdkError(
      { code, message: '' },
      context,
      context === 'sendMessage' ? 'send-failed' : 'unknown',
    ),
  );

/**
 * An in-memory Chat backend + SDK with the behaviour that matters to the stores (chat-sdk.md §2):
 * events only after login; ready after login resolves; history newest page first, 15 per page,
 * ascending, `nextReqMessageID` = oldest ID, `isCompleted`; sent messages are not echoed as
 * received; conversation-list events are throttled (1 s trailing) and carry the whole list; errors
 * carry SDK codes mapped by the real adapter's table; kicks, UserSig expiry, modifications, revokes,
 * and network drops whose missed messages arrive on reconnect. Test controls are the public methods
 * below the `ChatTransport` ones.
 */
export class FakeTransport implements ChatTransport {
  readonly clock: Clock;
  private readonly listeners = new Set<(event: TransportEvent) => void>();
  private readonly users = new Map<string, ServerUser>();
  private self = '';
  private ready = false;
  private connected = true;
  private readonly tinyId = '144115000000000001';
  private seq = 1000;
  private random = 1;
  private readonly created = new Map<string, ChatMessage>();
  private lastListEmit = -Infinity;
  private listTimer: unknown = null;
  private sendGate: Promise<void> | null = null;
  private releaseGate: (() => void) | null = null;

  /** Every message users sent that reached the server, in order (online-only ones included). */
  readonly received: ServerReceived[] = [];
  /** UserSigs the server refuses (expired). */
  readonly expiredSigs = new Set<string>();
  /** Words the cloud review refuses (80001). */
  readonly sensitiveWords = new Set<string>();
  /** SDK codes the next sends fail with, first one first. */
  readonly sendFailures: number[] = [];
  /** Calls made, by method name (for asserting e.g. that mark-read happened). */
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  /** Profiles set with `updateMyProfile`, by user. */
  readonly profiles = new Map<string, { nick?: string; avatar?: string }>();
  /** When false, `login` never resolves (the SDK offline waits 90 s). */
  loginResolves = true;
  private readonly userMessageListeners = new Set<(r: ServerReceived) => void>();

  constructor(clock: Clock = new FakeClock()) {
    this.clock = clock;
  }

  // ---- ChatTransport ----------------------------------------------------------------------

  async login(credentials: ChatCredentials): Promise<Result<void>> {
    this.calls.push({ method: 'login', args: [credentials.userID] });
    if (!this.loginResolves) return new Promise(() => undefined);
    if (!this.connected) return sdkError(2801, 'login');
    if (this.self && this.ready) {
      // The SDK answers repeatLogin and keeps the first user.
      return ok(undefined);
    }
    if (this.expiredSigs.has(credentials.userSig)) return sdkError(70001, 'login');
    this.self = credentials.userID;
    // A fresh login only primes the SDK cache: what arrived meanwhile is history, not pushes.
    this.user(this.self).missed = [];
    this.ready = true;
    // SDK_READY fires shortly after login resolves.
    queueMicrotask(() => {
      if (!this.ready) return;
      this.emit({ type: 'ready' });
      this.scheduleListUpdate();
    });
    return ok(undefined);
  }

  async logout(): Promise<Result<void>> {
    this.calls.push({ method: 'logout', args: [] });
    if (!this.self) return ok(undefined);
    const wasReady = this.ready;
    this.ready = false;
    this.self = '';
    this.created.clear();
    if (wasReady) this.emit({ type: 'not-ready' });
    return ok(undefined);
  }

  isReady(): boolean {
    return this.ready;
  }

  getLoginUser(): string {
    return this.self;
  }

  async getConversationList(): Promise<Result<Conversation[]>> {
    this.calls.push({ method: 'getConversationList', args: [] });
    if (!this.ready) return sdkError(2999, 'getConversationList');
    if (!this.connected) return sdkError(2800, 'getConversationList');
    return ok(this.conversationList());
  }

  async getMessageList(
    conversationID: string,
    nextReqMessageID?: string,
  ): Promise<Result<MessagePage>> {
    this.calls.push({ method: 'getMessageList', args: [conversationID, nextReqMessageID ?? ''] });
    if (!this.ready) return sdkError(2999, 'getMessageList');
    if (!this.connected) return sdkError(2800, 'getMessageList');
    const conv = this.user(this.self).conversations.get(conversationID);
    const all = conv ? conv.messages : [];
    let end = all.length;
    if (nextReqMessageID) {
      const at = all.findIndex((m) => m.ID === nextReqMessageID);
      end = at < 0 ? 0 : at;
    }
    const start = Math.max(0, end - PAGE_SIZE);
    const page = all.slice(start, end).map((m) => ({ ...m, payload: { ...m.payload } }));
    const isCompleted = start === 0;
    return ok({ messages: page, nextReqMessageID: isCompleted ? '' : page[0].ID, isCompleted });
  }

  createMessage(message: OutgoingMessage): Result<ChatMessage> {
    if (!this.ready) return sdkError(2999, 'createMessage');
    const existing = this.created.get(message.clientId);
    if (existing) return ok({ ...existing });
    const nowSec = Math.floor(this.clock.now() / 1000);
    this.random += 1;
    const made: ChatMessage = {
      ID: `${this.tinyId}-${nowSec}-${this.random}`,
      conversationID: message.conversationID,
      type: typeFor(message),
      flow: 'out',
      from: this.self,
      to: message.to,
      time: nowSec,
      sequence: 0,
      nick: '',
      avatar: '',
      payload: payloadFor(message),
      cloudCustomData: message.cloudCustomData,
      isRevoked: false,
      version: 0,
      status: 'sending',
      clientId: message.clientId,
    };
    if (message.content.kind === 'image') {
      made.image = {
        url: message.content.tempFilePath,
        width: message.content.width ?? 0,
        height: message.content.height ?? 0,
      };
    }
    this.created.set(message.clientId, made);
    return ok({ ...made });
  }

  async sendMessage(
    message: OutgoingMessage,
    options: SendOptions = {},
  ): Promise<Result<ChatMessage>> {
    this.calls.push({ method: 'sendMessage', args: [message.clientId, options] });
    const made = this.createMessage(message);
    if (!made.ok) return made;
    if (this.sendGate) await this.sendGate;
    if (!this.ready) return sdkError(2999, 'sendMessage');
    if (!this.connected) return sdkError(2800, 'sendMessage');
    const failure = this.sendFailures.shift();
    if (failure !== undefined) return sdkError(failure, 'sendMessage');
    const text = message.content.kind === 'text' ? message.content.text : '';
    for (const word of this.sensitiveWords) {
      if (text.includes(word)) return sdkError(80001, 'sendMessage');
    }
    const conv = this.conversation(this.self, message.to);
    if (!options.onlineUserOnly && conv.messages.some((m) => m.ID === made.value.ID)) {
      // The server dedupes a resend of the same message.
      return ok({ ...conv.messages.find((m) => m.ID === made.value.ID)! });
    }
    this.seq += 1;
    const sent: ChatMessage = {
      ...made.value,
      time: Math.floor(this.clock.now() / 1000),
      sequence: this.seq,
      status: 'sent',
    };
    delete sent.clientId;
    this.received.push({ message: sent, options });
    if (!options.onlineUserOnly) {
      conv.messages.push(sent);
      this.scheduleListUpdate();
    }
    this.created.delete(message.clientId);
    const result = { ...sent, clientId: message.clientId };
    for (const listener of this.userMessageListeners) listener({ message: sent, options });
    return ok(result);
  }

  async setMessageRead(conversationID: string): Promise<Result<void>> {
    this.calls.push({ method: 'setMessageRead', args: [conversationID] });
    if (!this.ready) return sdkError(2999, 'setMessageRead');
    const conv = this.user(this.self).conversations.get(conversationID);
    if (conv && conv.unread > 0) {
      conv.unread = 0;
      this.emit({ type: 'total-unread-updated', count: this.totalUnread() });
      this.scheduleListUpdate();
    }
    return ok(undefined);
  }

  async pinConversation(conversationID: string, isPinned: boolean): Promise<Result<void>> {
    this.calls.push({ method: 'pinConversation', args: [conversationID, isPinned] });
    if (!this.ready) return sdkError(2999, 'pinConversation');
    const conv = this.user(this.self).conversations.get(conversationID);
    if (!conv) return sdkError(2500, 'pinConversation');
    conv.isPinned = isPinned;
    this.scheduleListUpdate();
    return ok(undefined);
  }

  async deleteConversation(conversationID: string): Promise<Result<void>> {
    this.calls.push({ method: 'deleteConversation', args: [conversationID] });
    if (!this.ready) return sdkError(2999, 'deleteConversation');
    const user = this.user(this.self);
    if (!user.conversations.delete(conversationID)) return sdkError(2500, 'deleteConversation');
    this.scheduleListUpdate();
    return ok(undefined);
  }

  async updateMyProfile(profile: { nick: string; avatar?: string }): Promise<Result<void>> {
    this.calls.push({ method: 'updateMyProfile', args: [profile] });
    if (!this.ready) return sdkError(2999, 'updateMyProfile');
    this.profiles.set(this.self, { ...this.profiles.get(this.self), ...profile });
    return ok(undefined);
  }

  onEvent(listener: (event: TransportEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  // ---- Test controls ---------------------------------------------------------------------

  /** A peer (e.g. the service account) sends `content` to `userID`. Returns the stored message. */
  peerSends(
    peerID: string,
    userID: string,
    content: PeerContent,
    options: PeerSendOptions = {},
  ): ChatMessage {
    const conv = this.conversation(userID, peerID);
    if (options.nick !== undefined) conv.nick = options.nick;
    if (options.avatar !== undefined) conv.avatar = options.avatar;
    this.seq += 1;
    this.random += 1;
    const time = options.time ?? Math.floor(this.clock.now() / 1000);
    const message: ChatMessage = {
      ID: `144115000000009999-${time}-${this.random}`,
      conversationID: c2cConversationID(peerID),
      type:
        'text' in content
          ? MESSAGE_TYPE.TEXT
          : 'data' in content
            ? MESSAGE_TYPE.CUSTOM
            : MESSAGE_TYPE.IMAGE,
      flow: 'in',
      from: peerID,
      to: userID,
      time,
      sequence: this.seq,
      nick: options.nick ?? conv.nick,
      avatar: options.avatar ?? conv.avatar,
      payload:
        'text' in content
          ? { text: content.text }
          : 'data' in content
            ? { data: content.data, description: content.description ?? '' }
            : {},
      cloudCustomData: options.cloudCustomData ?? '',
      isRevoked: false,
      version: 0,
      status: 'sent',
    };
    if ('image' in content) message.image = { ...content.image };
    const online = this.self === userID && this.ready && this.connected;
    if (!options.onlineOnly) {
      conv.messages.push(message);
      conv.unread += 1;
      if (!online) this.user(userID).missed.push(message);
    }
    if (online) {
      this.emit({ type: 'total-unread-updated', count: this.totalUnread() });
      this.emit({ type: 'message-received', messages: [{ ...message }] });
      if (!options.onlineOnly) this.scheduleListUpdate();
    }
    return { ...message };
  }

  /** Stores a message in history without any event (as if sent long ago). */
  seedHistory(
    userID: string,
    peerID: string,
    messages: ReadonlyArray<Partial<ChatMessage> & { text?: string; data?: string }>,
  ): ChatMessage[] {
    const conv = this.conversation(userID, peerID);
    const out: ChatMessage[] = [];
    for (const m of messages) {
      this.seq += 1;
      this.random += 1;
      const flow = m.flow ?? 'in';
      const time = m.time ?? Math.floor(this.clock.now() / 1000);
      const message: ChatMessage = {
        ID: m.ID ?? `${flow === 'in' ? '144115000000009999' : this.tinyId}-${time}-${this.random}`,
        conversationID: c2cConversationID(peerID),
        type: m.type ?? (m.data !== undefined ? MESSAGE_TYPE.CUSTOM : MESSAGE_TYPE.TEXT),
        flow,
        from: flow === 'in' ? peerID : userID,
        to: flow === 'in' ? userID : peerID,
        time,
        sequence: this.seq,
        nick: m.nick ?? '',
        avatar: m.avatar ?? '',
        payload: m.payload ?? (m.data !== undefined ? { data: m.data } : { text: m.text ?? '' }),
        cloudCustomData: m.cloudCustomData ?? '',
        isRevoked: m.isRevoked ?? false,
        version: m.version ?? 0,
        status: 'sent',
      };
      conv.messages.push(message);
      out.push(message);
    }
    conv.messages.sort((a, b) => a.time - b.time || a.sequence - b.sequence);
    return out;
  }

  /** The server modifies a stored message (streaming text, rating `selected`). */
  modify(
    userID: string,
    messageID: string,
    change: { payload?: ChatMessage['payload']; cloudCustomData?: string },
  ): ChatMessage | undefined {
    const found = this.find(userID, messageID);
    if (!found) return undefined;
    const next: ChatMessage = {
      ...found.message,
      payload: change.payload ?? found.message.payload,
      cloudCustomData: change.cloudCustomData ?? found.message.cloudCustomData,
      version: found.message.version + 1,
    };
    found.conv.messages[found.index] = next;
    if (this.self === userID && this.ready && this.connected) {
      this.emit({ type: 'message-modified', messages: [{ ...next }] });
    }
    return { ...next };
  }

  /** The peer revokes a message. */
  revoke(userID: string, messageID: string): ChatMessage | undefined {
    const found = this.find(userID, messageID);
    if (!found) return undefined;
    const next: ChatMessage = { ...found.message, isRevoked: true };
    found.conv.messages[found.index] = next;
    if (this.self === userID && this.ready && this.connected) {
      this.emit({ type: 'message-revoked', messages: [{ ...next }] });
      this.scheduleListUpdate();
    }
    return { ...next };
  }

  /** Another device or the server takes the login. */
  kick(reason: Exclude<KickReason, 'usersig-expired'>): void {
    this.ready = false;
    this.self = '';
    this.emit({ type: 'kicked', reason });
    this.emit({ type: 'not-ready' });
  }

  /** The SDK drops the login with no kick (as after a server restart that lost the session). */
  dropLogin(): void {
    this.ready = false;
    this.self = '';
    this.emit({ type: 'not-ready' });
  }

  /** The current UserSig expires while online (the server answers a heartbeat with 70001). */
  expireUserSig(currentSig: string): void {
    this.expiredSigs.add(currentSig);
    this.ready = false;
    this.self = '';
    this.emit({ type: 'kicked', reason: 'usersig-expired' });
    this.emit({ type: 'not-ready' });
  }

  /** The network goes away: requests fail with 2800 until `restoreNetwork`. */
  dropNetwork(): void {
    if (!this.connected) return;
    this.connected = false;
    this.emitNet('disconnected');
  }

  /** The network is back: the SDK re-logs in silently and delivers what was missed. */
  restoreNetwork(): void {
    if (this.connected) return;
    this.connected = true;
    this.emitNet('connecting');
    this.emitNet('connected');
    if (!this.self || !this.ready) return;
    const user = this.user(this.self);
    const missed = user.missed;
    user.missed = [];
    if (missed.length > 0) {
      this.emit({ type: 'total-unread-updated', count: this.totalUnread() });
      this.emit({ type: 'message-received', messages: missed.map((m) => ({ ...m })) });
    }
    this.scheduleListUpdate();
  }

  /** Holds every send until `releaseSends` (to test double taps while a send is in flight). */
  holdSends(): void {
    if (this.sendGate) return;
    this.sendGate = new Promise((resolve) => {
      this.releaseGate = resolve;
    });
  }

  releaseSends(): void {
    this.releaseGate?.();
    this.sendGate = null;
    this.releaseGate = null;
  }

  /** Called for every user message that reaches the server (to script the service side). */
  onUserMessage(listener: (received: ServerReceived) => void): Unsubscribe {
    this.userMessageListeners.add(listener);
    return () => {
      this.userMessageListeners.delete(listener);
    };
  }

  /** Stored messages of a conversation as the server holds them. */
  serverMessages(userID: string, peerID: string): ChatMessage[] {
    return (
      this.users.get(userID)?.conversations.get(c2cConversationID(peerID))?.messages ?? []
    ).map((m) => ({ ...m }));
  }

  /** Sets the profile shown for a peer in the conversation list. */
  setPeerProfile(userID: string, peerID: string, nick: string, avatar: string): void {
    const conv = this.conversation(userID, peerID);
    conv.nick = nick;
    conv.avatar = avatar;
  }

  /** How many listeners are attached (to check that stores unsubscribe). */
  listenerCount(): number {
    return this.listeners.size;
  }

  /** Simulates an app restart: the SDK instance is gone (its created messages too). */
  restartSdk(): void {
    this.ready = false;
    this.self = '';
    this.created.clear();
    this.listeners.clear();
  }

  // ---- internals -------------------------------------------------------------------------

  private emit(event: TransportEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  private emitNet(state: NetState): void {
    if (this.self) this.emit({ type: 'net-state', state });
  }

  private user(userID: string): ServerUser {
    let user = this.users.get(userID);
    if (!user) {
      user = { conversations: new Map(), missed: [] };
      this.users.set(userID, user);
    }
    return user;
  }

  private conversation(userID: string, peerID: string): ServerConversation {
    const user = this.user(userID);
    const id = c2cConversationID(peerID);
    let conv = user.conversations.get(id);
    if (!conv) {
      conv = { peerID, messages: [], unread: 0, isPinned: false, nick: '', avatar: '' };
      user.conversations.set(id, conv);
    }
    return conv;
  }

  private find(userID: string, messageID: string) {
    for (const conv of this.user(userID).conversations.values()) {
      const index = conv.messages.findIndex((m) => m.ID === messageID);
      if (index >= 0) return { conv, index, message: conv.messages[index] };
    }
    return undefined;
  }

  private totalUnread(): number {
    let total = 0;
    for (const conv of this.user(this.self).conversations.values()) total += conv.unread;
    return total;
  }

  private conversationList(): Conversation[] {
    const list: Conversation[] = [];
    for (const [id, conv] of this.user(this.self).conversations) {
      const last = conv.messages[conv.messages.length - 1];
      if (!last) continue;
      list.push({
        conversationID: id,
        type: 'C2C',
        peerID: peerOfConversation(id),
        name: conv.nick,
        avatar: conv.avatar,
        unreadCount: conv.unread,
        isPinned: conv.isPinned,
        lastMessage: {
          type: last.type,
          payload: { ...last.payload },
          cloudCustomData: last.cloudCustomData,
          isRevoked: last.isRevoked,
          time: last.time,
          fromAccount: last.from,
          messageForShow:
            last.type === MESSAGE_TYPE.TEXT
              ? (last.payload.text ?? '')
              : last.type === MESSAGE_TYPE.CUSTOM
                ? '[自定义消息]'
                : '[图片]',
        },
      });
    }
    return list.sort(
      (a, b) =>
        Number(b.isPinned) - Number(a.isPinned) ||
        (b.lastMessage?.time ?? 0) - (a.lastMessage?.time ?? 0),
    );
  }

  /** CONVERSATION_LIST_UPDATED is throttled: at once if quiet for 1 s, else 1 s after the last. */
  private scheduleListUpdate(): void {
    if (this.listTimer !== null) return;
    const now = this.clock.now();
    const fire = (): void => {
      this.listTimer = null;
      this.lastListEmit = this.clock.now();
      if (this.self && this.ready)
        this.emit({ type: 'conversation-list-updated', conversations: this.conversationList() });
    };
    const wait = now - this.lastListEmit >= THROTTLE_MS ? 0 : THROTTLE_MS;
    this.listTimer = this.clock.setTimeout(fire, wait);
  }
}

function typeFor(message: OutgoingMessage): string {
  switch (message.content.kind) {
    case 'text':
      return MESSAGE_TYPE.TEXT;
    case 'custom':
      return MESSAGE_TYPE.CUSTOM;
    default:
      return MESSAGE_TYPE.IMAGE;
  }
}

function payloadFor(message: OutgoingMessage): ChatMessage['payload'] {
  switch (message.content.kind) {
    case 'text':
      return { text: message.content.text };
    case 'custom':
      return { data: message.content.data, description: message.content.description ?? '' };
    default:
      return {};
  }
}

/**
 * In-memory `ServiceBackend` for engine tests: records what the TCCC side sends and modifies, and lets a
 * test play users. Decodes the wire bodies so assertions read like the protocol tables.
 */
import type {
  InboundMessage,
  OutboundMessage,
  SentRef,
  ServiceBackend,
  WireElem,
} from '../../../../simulator/tccc/port';

export const ACCOUNT = '@customer_service_account';

export interface Decoded {
  /** `src` for protocol custom messages; undefined for text. */
  src?: string;
  body: Record<string, unknown>;
  text?: string;
  cloud: Record<string, unknown>;
  onlineOnly: boolean;
  ref: SentRef;
  userID: string;
  serviceAccount: string;
  version: number;
}

interface Stored {
  message: OutboundMessage;
  ref: SentRef;
  elems: WireElem[];
  cloud?: string;
  version: number;
}

export interface Modification {
  ref: SentRef;
  decoded: Decoded;
}

export class FakeBackend implements ServiceBackend {
  readonly online = new Set<string>();
  readonly modifications: Modification[] = [];
  /** Make `send` throw, to check the engine survives a failing backend. */
  failSends = false;
  private readonly stored: Stored[] = [];
  private readonly listeners = new Set<(message: InboundMessage) => void>();
  private seq = 0;

  constructor(private readonly now: () => number = () => Date.now()) {}

  onUserMessage(listener: (message: InboundMessage) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  send(message: OutboundMessage): SentRef {
    if (this.failSends) throw new Error('backend down');
    this.seq += 1;
    const ref: SentRef = {
      serviceAccount: message.serviceAccount,
      userID: message.userID,
      seq: this.seq,
      random: this.seq * 7 + 1,
      time: Math.floor(this.now() / 1000),
    };
    this.stored.push({
      message,
      ref,
      elems: message.elems,
      cloud: message.cloudCustomData,
      version: 0,
    });
    return ref;
  }

  modify(ref: SentRef, elems: WireElem[], cloudCustomData?: string): boolean {
    const entry = this.stored.find(
      (candidate) =>
        candidate.ref.seq === ref.seq &&
        candidate.ref.random === ref.random &&
        candidate.ref.userID === ref.userID,
    );
    if (!entry) return false;
    entry.elems = elems;
    if (cloudCustomData !== undefined) entry.cloud = cloudCustomData;
    entry.version += 1;
    this.modifications.push({ ref, decoded: this.decode(entry) });
    return true;
  }

  isUserOnline(userID: string): boolean {
    return this.online.has(userID);
  }

  /** Users' own profiles (what `updateMyProfile` would have stored). */
  readonly profiles = new Map<string, { nick: string; avatar: string }>();
  readonly revoked: SentRef[] = [];

  userProfile(userID: string): { nick: string; avatar: string } | undefined {
    return this.profiles.get(userID);
  }

  revoke(ref: SentRef): boolean {
    if (this.revoked.some((r) => r.seq === ref.seq && r.userID === ref.userID)) return false;
    if (!this.stored.some((e) => e.ref.seq === ref.seq && e.ref.userID === ref.userID))
      return false;
    this.revoked.push(ref);
    return true;
  }

  serviceProfile(serviceAccount: string): { nick: string; avatar: string } | undefined {
    return serviceAccount === ACCOUNT ? { nick: '在线客服', avatar: '' } : undefined;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Delivers a raw inbound message (may be malformed on purpose). */
  deliver(message: unknown): void {
    for (const listener of [...this.listeners]) listener(message as InboundMessage);
  }

  userText(userID: string, text: string, serviceAccount = ACCOUNT): void {
    this.deliver(
      this.inbound(
        userID,
        [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
        serviceAccount,
      ),
    );
  }

  userCustom(userID: string, data: unknown, serviceAccount = ACCOUNT, onlineOnly = true): void {
    const Data = typeof data === 'string' ? data : JSON.stringify(data);
    this.deliver({
      ...this.inbound(
        userID,
        [{ MsgType: 'TIMCustomElem', MsgContent: { Data, Desc: '', Ext: '' } }],
        serviceAccount,
      ),
      onlineOnly,
    });
  }

  handshake(userID: string, extra: Record<string, unknown> = {}, serviceAccount = ACCOUNT): void {
    this.userCustom(userID, { customerServicePlugin: 0, src: '7', ...extra }, serviceAccount);
  }

  /** Everything sent to a user so far, in order, with bodies as they are now (after modifications). */
  sentTo(userID: string, serviceAccount = ACCOUNT): Decoded[] {
    return this.stored
      .filter((entry) => entry.ref.userID === userID && entry.ref.serviceAccount === serviceAccount)
      .map((entry) => this.decode(entry));
  }

  /** Messages sent since the last call (per user). */
  take(userID: string, serviceAccount = ACCOUNT): Decoded[] {
    const key = `${serviceAccount}/${userID}`;
    const all = this.sentTo(userID, serviceAccount);
    const from = this.cursor.get(key) ?? 0;
    this.cursor.set(key, all.length);
    return all.slice(from);
  }

  private readonly cursor = new Map<string, number>();

  private inbound(userID: string, elems: WireElem[], serviceAccount: string): InboundMessage {
    return {
      serviceAccount,
      userID,
      elems,
      cloudCustomData: '',
      onlineOnly: false,
      time: Math.floor(this.now() / 1000),
    };
  }

  private decode(entry: Stored): Decoded {
    const elem = entry.elems[0];
    const cloud = entry.cloud ? (JSON.parse(entry.cloud) as Record<string, unknown>) : {};
    const base = {
      cloud,
      onlineOnly: entry.message.onlineOnly === true,
      ref: entry.ref,
      userID: entry.ref.userID,
      serviceAccount: entry.ref.serviceAccount,
      version: entry.version,
    };
    if (elem.MsgType === 'TIMTextElem') {
      return { ...base, body: {}, text: String((elem.MsgContent as { Text: string }).Text) };
    }
    const body = JSON.parse(String((elem.MsgContent as { Data: string }).Data)) as Record<
      string,
      unknown
    >;
    return { ...base, src: String(body.src), body };
  }
}

/** Kinds of a list of decoded messages, e.g. `['23', '29', '15', 'text']`. */
export const kinds = (messages: Decoded[]): string[] =>
  messages.map((message) => message.src ?? 'text');

/**
 * The simulated backend's state: accounts, one-to-one messages and each user's view of their
 * conversations (pin, read position, deletion). Pure data, no sockets: the backend decides who gets
 * pushed what. It serialises to plain JSON for the optional persistence file.
 */
import type { WireElem } from '../tccc/port';

export interface UserRecord {
  userID: string;
  /** Numeric string, stable per user: the SDK builds message IDs from it. */
  tinyId: string;
  nick: string;
  avatar: string;
  /** Other profile tags set through `portrait_set` (Tag_Profile_IM_*), kept verbatim. */
  extraTags: Record<string, string | number>;
}

export interface StoredMessage {
  /** Server-internal order; cursors and read positions use it because times tie within a second. */
  id: number;
  from: string;
  to: string;
  seq: number;
  random: number;
  /** Server time, unix seconds (`MsgTimeStamp`). */
  time: number;
  clientTime: number;
  /** The sender's TinyId at send time. */
  tinyId: string;
  elems: WireElem[];
  cloudCustomData: string;
  version: number;
  nick: string;
  avatar: string;
  revoked?: { by: string; reason: string };
  /** `SendMsgControl: NoUnread`. */
  noUnread?: boolean;
  /** `SendMsgControl: NoLastMsg`: does not become the conversation's last message. */
  noLastMsg?: boolean;
  /** REST `SyncOtherMachine: 2`: kept out of the sender's own roaming and conversation. */
  hiddenFromSender?: boolean;
}

/** One user's view of one peer. */
export interface ConversationView {
  pinned: boolean;
  /** Messages up to this id count as read. */
  readUpToId: number;
  /** Unix seconds the owner read up to; reported to the peer as its peer read time. */
  readTime: number;
  /** Deleted with ClearRamble: history before this id is gone for this owner. */
  clearedUpToId: number;
  /** Deleted: the conversation stays out of the list until a message newer than this arrives. */
  hiddenUpToId: number;
}

export interface StoreSnapshot {
  version: 1;
  /** The simulator's http origin when written: local file and avatar URLs embed it. */
  origin?: string;
  nextId: number;
  nextTinyId: number;
  nextServerSeq: number;
  users: UserRecord[];
  messages: StoredMessage[];
  views: { owner: string; peer: string; view: ConversationView }[];
}

/**
 * One change, as the persistence journal appends it before the change is acknowledged. Each
 * record carries the whole changed object and the id counters, so replaying a record twice (on a
 * snapshot that already holds it) changes nothing.
 */
export type JournalRecord = {
  /** nextId, nextTinyId, nextServerSeq after the change. */
  n: [number, number, number];
} & (
  | { u: UserRecord }
  | { m: StoredMessage }
  | { v: [owner: string, peer: string, view: ConversationView] }
  | { o: string }
);

const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

const emptyView = (): ConversationView => ({
  pinned: false,
  readUpToId: 0,
  readTime: 0,
  clearedUpToId: 0,
  hiddenUpToId: 0,
});

export const msgKey = (m: Pick<StoredMessage, 'seq' | 'random' | 'time'>): string =>
  `${m.seq}_${m.random}_${m.time}`;

/** Identifies a message the way the SDK does in modify/revoke requests. */
export interface MessageLocator {
  from: string;
  to: string;
  seq: number;
  random: number;
  /** When given, must equal the stored `MsgTimeStamp`. */
  time?: number;
}

export class ChatStore {
  private users = new Map<string, UserRecord>();
  private pairs = new Map<string, StoredMessage[]>();
  private views = new Map<string, Map<string, ConversationView>>();
  private nextId = 1;
  private nextTinyId = 1;
  private nextServerSeq = 1;

  /** Bumped on every change, so the persistence layer knows when to write. */
  revision = 0;
  /** Called synchronously with every change before the method returns (persistence journal). */
  journal: ((record: JournalRecord) => void) | undefined;
  /** The http origin local URLs (uploads, built-in avatar) were minted with. */
  origin = '';

  private touch(
    change:
      | { u: UserRecord }
      | { m: StoredMessage }
      | { v: [string, string, ConversationView] }
      | { o: string },
  ): void {
    this.revision++;
    this.journal?.({ ...change, n: [this.nextId, this.nextTinyId, this.nextServerSeq] });
  }

  private touchView(owner: string, peer: string, view: ConversationView): void {
    this.touch({ v: [owner, peer, view] });
  }

  getUser(userID: string): UserRecord | undefined {
    return this.users.get(userID);
  }

  hasUser(userID: string): boolean {
    return this.users.has(userID);
  }

  userCount(): number {
    return this.users.size;
  }

  /** Creates the account if needed (an "import"); existing profiles are kept unless given. */
  ensureUser(userID: string, profile: { nick?: string; avatar?: string } = {}): UserRecord {
    let user = this.users.get(userID);
    if (!user) {
      user = {
        userID,
        tinyId: String(144115000000000000n + BigInt(this.nextTinyId++)),
        nick: profile.nick ?? '',
        avatar: profile.avatar ?? '',
        extraTags: {},
      };
      this.users.set(userID, user);
      this.touch({ u: user });
      return user;
    }
    let changed = false;
    if (profile.nick !== undefined && profile.nick !== user.nick) {
      user.nick = profile.nick;
      changed = true;
    }
    if (profile.avatar !== undefined && profile.avatar !== user.avatar) {
      user.avatar = profile.avatar;
      changed = true;
    }
    if (changed) this.touch({ u: user });
    return user;
  }

  setProfileTag(userID: string, tag: string, value: string | number): void {
    const user = this.ensureUser(userID);
    if (tag === 'Tag_Profile_IM_Nick') user.nick = String(value);
    else if (tag === 'Tag_Profile_IM_Image') user.avatar = String(value);
    else user.extraTags[tag] = value;
    this.touch({ u: user });
  }

  allocServerSeq(): number {
    return this.nextServerSeq++;
  }

  view(owner: string, peer: string): ConversationView {
    let byPeer = this.views.get(owner);
    if (!byPeer) {
      byPeer = new Map();
      this.views.set(owner, byPeer);
    }
    let v = byPeer.get(peer);
    if (!v) {
      v = emptyView();
      byPeer.set(peer, v);
      this.touchView(owner, peer, v);
    }
    return v;
  }

  peekView(owner: string, peer: string): ConversationView | undefined {
    return this.views.get(owner)?.get(peer);
  }

  private pair(a: string, b: string): StoredMessage[] {
    const key = pairKey(a, b);
    let list = this.pairs.get(key);
    if (!list) {
      list = [];
      this.pairs.set(key, list);
    }
    return list;
  }

  /** Finds an already stored copy (a client resend after a timeout keeps seq and random). */
  findDuplicate(from: string, to: string, seq: number, random: number): StoredMessage | undefined {
    return this.pairs
      .get(pairKey(from, to))
      ?.find((m) => m.from === from && m.seq === seq && m.random === random);
  }

  /** Stores a message and makes sure both sides have a view of the conversation. */
  addMessage(message: Omit<StoredMessage, 'id'>): StoredMessage {
    const stored: StoredMessage = { ...message, id: this.nextId++ };
    this.pair(stored.from, stored.to).push(stored);
    this.view(stored.from, stored.to);
    this.view(stored.to, stored.from);
    this.touch({ m: stored });
    return stored;
  }

  find(loc: MessageLocator): StoredMessage | undefined {
    return this.pairs
      .get(pairKey(loc.from, loc.to))
      ?.find(
        (m) =>
          m.from === loc.from &&
          m.to === loc.to &&
          m.seq === loc.seq &&
          m.random === loc.random &&
          (loc.time === undefined || m.time === loc.time),
      );
  }

  /** Records a stored message's change (modified or revoked) for persistence. */
  markChanged(message: StoredMessage): void {
    this.touch({ m: message });
  }

  /** The owner's messages with the peer, oldest first, after the owner's deletions. */
  visibleMessages(owner: string, peer: string): StoredMessage[] {
    const list = this.pairs.get(pairKey(owner, peer)) ?? [];
    const cleared = this.peekView(owner, peer)?.clearedUpToId ?? 0;
    return list.filter((m) => m.id > cleared && !(m.hiddenFromSender && m.from === owner));
  }

  lastVisible(owner: string, peer: string): StoredMessage | undefined {
    const list = this.visibleMessages(owner, peer);
    for (let i = list.length - 1; i >= 0; i--) {
      if (!list[i].noLastMsg) return list[i];
    }
    return undefined;
  }

  maxIdBetween(a: string, b: string): number {
    const list = this.pairs.get(pairKey(a, b));
    return list && list.length > 0 ? list[list.length - 1].id : 0;
  }

  /** Highest message id in the whole store (the sync cookie). */
  maxId(): number {
    return this.nextId - 1;
  }

  /** Unread messages from the peer in the owner's view. */
  unreadCount(owner: string, peer: string): number {
    const v = this.peekView(owner, peer);
    const after = Math.max(v?.readUpToId ?? 0, v?.clearedUpToId ?? 0, v?.hiddenUpToId ?? 0);
    return this.visibleMessages(owner, peer).filter(
      (m) => m.from === peer && m.id > after && !m.revoked && !m.noUnread,
    ).length;
  }

  /** Peers whose conversation is in the owner's list: a last message newer than any deletion. */
  listedPeers(owner: string): string[] {
    const byPeer = this.views.get(owner);
    if (!byPeer) return [];
    const out: string[] = [];
    for (const [peer, v] of byPeer) {
      const last = this.lastVisible(owner, peer);
      if (last && last.id > v.hiddenUpToId) out.push(peer);
    }
    return out;
  }

  /** Records that the owner read the conversation up to `upToTime` (unix seconds). */
  markRead(owner: string, peer: string, upToTime: number): void {
    const v = this.view(owner, peer);
    let upTo = v.readUpToId;
    for (const m of this.pairs.get(pairKey(owner, peer)) ?? []) {
      if (m.time <= upToTime && m.id > upTo) upTo = m.id;
    }
    v.readUpToId = upTo;
    v.readTime = Math.max(v.readTime, upToTime);
    this.touchView(owner, peer, v);
  }

  setPinned(owner: string, peer: string, pinned: boolean): void {
    const v = this.view(owner, peer);
    v.pinned = pinned;
    this.touchView(owner, peer, v);
  }

  /** Removes the conversation from the owner's list; `clearHistory` also drops its roaming. */
  deleteConversation(owner: string, peer: string, clearHistory: boolean): void {
    const v = this.view(owner, peer);
    const max = this.maxIdBetween(owner, peer);
    v.hiddenUpToId = max;
    v.readUpToId = Math.max(v.readUpToId, max);
    v.pinned = false;
    if (clearHistory) v.clearedUpToId = max;
    this.touchView(owner, peer, v);
  }

  /** Messages to the owner stored after the cookie id, for `getmsg` after a reconnect. */
  messagesForSince(owner: string, afterId: number): StoredMessage[] {
    const out: StoredMessage[] = [];
    for (const list of this.pairs.values()) {
      for (const m of list) {
        if (m.id > afterId && m.to === owner) out.push(m);
      }
    }
    return out.sort((a, b) => a.id - b.id);
  }

  /**
   * Points local URLs (uploaded images, the built-in avatar) minted under another origin, e.g. a
   * previous run on another port, at `origin`, so persisted pictures keep loading after a restart.
   */
  rebaseOrigin(origin: string): void {
    const previous = this.origin;
    this.origin = origin;
    if (!previous || previous === origin) return;
    const swap = (v: string): string => v.split(previous).join(origin);
    for (const user of this.users.values()) user.avatar = swap(user.avatar);
    for (const list of this.pairs.values()) {
      for (const m of list) {
        m.avatar = swap(m.avatar);
        const elems = JSON.stringify(m.elems);
        if (elems.includes(previous)) m.elems = JSON.parse(swap(elems)) as WireElem[];
      }
    }
    this.touch({ o: origin });
  }

  toSnapshot(): StoreSnapshot {
    const views: StoreSnapshot['views'] = [];
    for (const [owner, byPeer] of this.views) {
      for (const [peer, view] of byPeer) views.push({ owner, peer, view: { ...view } });
    }
    return {
      version: 1,
      origin: this.origin,
      nextId: this.nextId,
      nextTinyId: this.nextTinyId,
      nextServerSeq: this.nextServerSeq,
      users: [...this.users.values()],
      messages: [...this.pairs.values()].flat().sort((a, b) => a.id - b.id),
      views,
    };
  }

  /** Replays one journal record (idempotent: the record holds the whole changed object). */
  applyRecord(r: JournalRecord): void {
    this.nextId = Math.max(this.nextId, r.n[0]);
    this.nextTinyId = Math.max(this.nextTinyId, r.n[1]);
    this.nextServerSeq = Math.max(this.nextServerSeq, r.n[2]);
    if ('u' in r) this.users.set(r.u.userID, r.u);
    else if ('v' in r) {
      const [owner, peer, view] = r.v;
      let byPeer = this.views.get(owner);
      if (!byPeer) {
        byPeer = new Map();
        this.views.set(owner, byPeer);
      }
      byPeer.set(peer, { ...emptyView(), ...view });
    } else if ('m' in r) {
      const list = this.pair(r.m.from, r.m.to);
      const at = list.findIndex((m) => m.id === r.m.id);
      if (at !== -1) list[at] = r.m;
      else {
        list.push(r.m);
        if (list.length > 1 && list[list.length - 2].id > r.m.id) list.sort((a, b) => a.id - b.id);
      }
    } else if ('o' in r) {
      if (this.origin) this.rebaseOrigin(r.o);
      else this.origin = r.o;
    }
  }

  /** Replaces the state with a snapshot (from the persistence file). */
  loadSnapshot(s: StoreSnapshot): void {
    this.users = new Map(s.users.map((u) => [u.userID, u]));
    this.pairs = new Map();
    for (const m of s.messages) this.pair(m.from, m.to).push(m);
    this.views = new Map();
    for (const { owner, peer, view } of s.views) {
      let byPeer = this.views.get(owner);
      if (!byPeer) {
        byPeer = new Map();
        this.views.set(owner, byPeer);
      }
      byPeer.set(peer, { ...emptyView(), ...view });
    }
    this.nextId = s.nextId;
    this.nextTinyId = s.nextTinyId;
    this.nextServerSeq = s.nextServerSeq;
    this.origin = typeof s.origin === 'string' ? s.origin : '';
    this.revision = 0;
  }
}

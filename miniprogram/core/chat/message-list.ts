import type { ChatMessage } from '../model/message';

/**
 * One message in a conversation's list, with data derived from it once per version (the parsed
 * protocol view), so renders never re-parse `payload.data`.
 */
export interface MessageEntry<D> {
  /** Stable identity: the client id for messages sent here, the message ID otherwise. */
  readonly key: string;
  readonly message: ChatMessage;
  readonly derived: D;
  /** Arrival rank; breaks ties between messages of the same second. */
  readonly order: number;
}

/** Where a batch sits relative to what is loaded: older history is ranked before everything. */
export type Placement = 'newer' | 'older';

function compare(a: { time: number; order: number }, b: { time: number; order: number }): number {
  return a.time - b.time || a.order - b.order;
}

/** Whether `incoming` should replace `current` (same message). */
function supersedes(current: ChatMessage, incoming: ChatMessage): boolean {
  if (incoming.version < current.version) return false;
  // A revoke is final: a late history page or push of the old body must not bring it back.
  if (current.isRevoked && !incoming.isRevoked) return false;
  // Our own pending copy is driven by the outbox; the SDK's local 'fail'/'unSend' copy of it is not news.
  if (current.clientId && current.status !== 'sent' && incoming.status !== 'sent') return false;
  return true;
}

function sameMessage(a: ChatMessage, b: ChatMessage): boolean {
  return (
    a.ID === b.ID &&
    a.version === b.version &&
    a.status === b.status &&
    a.isRevoked === b.isRevoked &&
    a.time === b.time &&
    a.isPeerRead === b.isPeerRead &&
    a.cloudCustomData === b.cloudCustomData &&
    a.nick === b.nick &&
    a.avatar === b.avatar &&
    a.payload.text === b.payload.text &&
    a.payload.data === b.payload.data &&
    a.image?.url === b.image?.url
  );
}

function merge(current: ChatMessage, incoming: ChatMessage): ChatMessage {
  const merged: ChatMessage = { ...incoming };
  if (current.clientId) merged.clientId = current.clientId;
  if (merged.status === 'sent') delete merged.error;
  return merged;
}

/**
 * A conversation's messages: sorted by time then arrival, keyed by ID (and client id for own
 * messages), without duplicates. Mutable inside, but every change publishes a new `entries` array
 * and new entry objects only for what changed, so a store can hand `entries` out as immutable state
 * and view models can reuse unchanged items by reference.
 */
export class MessageList<D> {
  private list: ReadonlyArray<MessageEntry<D>> = [];
  private readonly byKey = new Map<string, MessageEntry<D>>();
  private readonly keyById = new Map<string, string>();
  private low = 0;
  private high = 0;

  constructor(private readonly derive: (message: ChatMessage, previous?: MessageEntry<D>) => D) {}

  /** The sorted entries; a new array after every change, the same one otherwise. */
  get entries(): ReadonlyArray<MessageEntry<D>> {
    return this.list;
  }

  get size(): number {
    return this.list.length;
  }

  /** The entry for a message ID or a client id. */
  get(idOrKey: string): MessageEntry<D> | undefined {
    const key = this.keyById.get(idOrKey) ?? idOrKey;
    return this.byKey.get(key);
  }

  has(idOrKey: string): boolean {
    return this.get(idOrKey) !== undefined;
  }

  /**
   * Inserts new messages and updates known ones (matched by ID, or by `clientId` for our own).
   * Returns whether anything changed. Stale versions, and old bodies of revoked messages, are ignored.
   */
  upsert(messages: readonly ChatMessage[], placement: Placement = 'newer'): boolean {
    if (messages.length === 0) return false;
    let next: MessageEntry<D>[] | null = null;
    const work = (): MessageEntry<D>[] => (next ??= this.list.slice());
    // Older history arrives oldest-first; rank it below everything so equal times keep page order.
    let olderRank = this.low - messages.length - 1;
    for (const message of messages) {
      const existing =
        (message.clientId ? this.byKey.get(message.clientId) : undefined) ??
        (message.ID ? this.get(message.ID) : undefined);
      if (existing) {
        if (!supersedes(existing.message, message)) continue;
        const merged = merge(existing.message, message);
        if (sameMessage(existing.message, merged) && existing.message.clientId === merged.clientId)
          continue;
        const entry: MessageEntry<D> = {
          key: existing.key,
          message: merged,
          derived: this.derive(merged, existing),
          order: existing.order,
        };
        const arr = work();
        const at = this.indexOf(arr, existing);
        if (merged.time === existing.message.time) arr[at] = entry;
        else {
          arr.splice(at, 1);
          arr.splice(this.insertionPoint(arr, merged.time, entry.order), 0, entry);
        }
        this.byKey.set(entry.key, entry);
        if (merged.ID) this.keyById.set(merged.ID, entry.key);
        continue;
      }
      const order = placement === 'older' ? (olderRank += 1) : (this.high += 1);
      const key = message.clientId ?? message.ID;
      if (!key) continue;
      const entry: MessageEntry<D> = { key, message, derived: this.derive(message), order };
      const arr = work();
      arr.splice(this.insertionPoint(arr, message.time, order), 0, entry);
      this.byKey.set(key, entry);
      if (message.ID) this.keyById.set(message.ID, key);
    }
    if (placement === 'older') this.low -= messages.length;
    if (!next) return false;
    this.list = next;
    return true;
  }

  /** Replaces one entry's message through `change`; returns whether it changed. */
  patch(idOrKey: string, change: (message: ChatMessage) => ChatMessage): boolean {
    const existing = this.get(idOrKey);
    if (!existing) return false;
    const message = change(existing.message);
    if (message === existing.message) return false;
    const entry: MessageEntry<D> = {
      key: existing.key,
      message,
      derived: this.derive(message, existing),
      order: existing.order,
    };
    const arr = this.list.slice();
    const at = this.indexOf(arr, existing);
    if (message.time === existing.message.time) arr[at] = entry;
    else {
      arr.splice(at, 1);
      arr.splice(this.insertionPoint(arr, message.time, entry.order), 0, entry);
    }
    this.byKey.set(entry.key, entry);
    if (message.ID) this.keyById.set(message.ID, entry.key);
    this.list = arr;
    return true;
  }

  /** Removes an entry (a discarded unsent message); returns whether it existed. */
  remove(idOrKey: string): boolean {
    const existing = this.get(idOrKey);
    if (!existing) return false;
    const arr = this.list.slice();
    arr.splice(this.indexOf(arr, existing), 1);
    this.byKey.delete(existing.key);
    if (existing.message.ID) this.keyById.delete(existing.message.ID);
    this.list = arr;
    return true;
  }

  private indexOf(arr: ReadonlyArray<MessageEntry<D>>, entry: MessageEntry<D>): number {
    const probe = { time: entry.message.time, order: entry.order };
    let lo = 0;
    let hi = arr.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = arr[mid];
      const c = compare({ time: e.message.time, order: e.order }, probe);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    // Unreachable while the list is sorted; a linear scan keeps it correct if it ever is not.
    return arr.findIndex((e) => e.key === entry.key);
  }

  private insertionPoint(arr: ReadonlyArray<MessageEntry<D>>, time: number, order: number): number {
    const probe = { time, order };
    let lo = 0;
    let hi = arr.length;
    // Fast path: appends are the common case.
    if (hi > 0) {
      const last = arr[hi - 1];
      if (compare({ time: last.message.time, order: last.order }, probe) <= 0) return hi;
    }
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = arr[mid];
      if (compare({ time: e.message.time, order: e.order }, probe) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

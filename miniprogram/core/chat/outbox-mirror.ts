import { MESSAGE_TYPE } from '../model/message';
import type { ChatMessage, OutgoingContent } from '../model/message';
import type { ClassifiedMessage } from '../tccc/index';
import type { MessageList } from './message-list';
import type { Outbox, OutboxEntry } from './outbox';

const OUTGOING_TYPE: Record<OutgoingContent['kind'], string> = {
  text: MESSAGE_TYPE.TEXT,
  custom: MESSAGE_TYPE.CUSTOM,
  image: MESSAGE_TYPE.IMAGE,
};

/** The optimistic list copy of an outbox entry. */
export function messageFromOutbox(entry: OutboxEntry, selfID: string): ChatMessage {
  const { message, content } = { message: entry.message, content: entry.message.content };
  const out: ChatMessage = {
    ID: entry.messageID,
    conversationID: message.conversationID,
    type: OUTGOING_TYPE[content.kind],
    flow: 'out',
    from: selfID,
    to: message.to,
    time: Math.floor(entry.createdAt / 1000),
    sequence: 0,
    nick: '',
    avatar: '',
    payload:
      content.kind === 'text'
        ? { text: content.text }
        : content.kind === 'custom'
          ? { data: content.data, description: content.description ?? '' }
          : {},
    cloudCustomData: message.cloudCustomData,
    isRevoked: false,
    version: 0,
    status:
      entry.status === 'failed' ? 'failed' : entry.status === 'blocked' ? 'blocked' : 'sending',
    clientId: entry.clientId,
  };
  if (content.kind === 'image') {
    out.image = {
      url: content.tempFilePath,
      width: content.width ?? 0,
      height: content.height ?? 0,
    };
  }
  // A queued entry keeps the network error that stopped it: the view says "sent when back online".
  if (entry.error) out.error = entry.error;
  return out;
}

/** What the list mirror of one conversation's outbox entries works on. */
export interface OutboxMirrorDeps {
  conversationID: string;
  outbox: Outbox;
  list: MessageList<ClassifiedMessage>;
  selfID: () => string;
  /** Publishes the list after a change. */
  publish: () => void;
}

/** Keeps the list's optimistic copies of the outbox's entries in step with the outbox. */
export function createOutboxMirror(deps: OutboxMirrorDeps): {
  /** Adds or updates the list copy of every entry of this conversation. */
  sync(): void;
  /** Drops outbox entries that history shows as delivered (no second send). */
  confirmFromHistory(): void;
} {
  const { conversationID, outbox, list } = deps;

  const ownEntries = (): OutboxEntry[] =>
    outbox.getState().entries.filter((e) => e.message.conversationID === conversationID);

  /** Drops outbox entries that history shows as delivered (no second send). */
  const confirmFromHistory = (): void => {
    for (const entry of ownEntries()) {
      if (!entry.messageID) continue;
      const listed = list.get(entry.messageID);
      if (listed && listed.message.status === 'sent')
        outbox.confirmSent(entry.clientId, listed.message);
    }
  };

  const syncOutbox = (): void => {
    const self = deps.selfID();
    let changed = false;
    for (const entry of ownEntries()) {
      const optimistic = messageFromOutbox(entry, self);
      const listed =
        list.get(entry.clientId) ?? (entry.messageID ? list.get(entry.messageID) : undefined);
      if (!listed) {
        changed = list.upsert([optimistic]) || changed;
        continue;
      }
      if (listed.message.status === 'sent') continue;
      const m = listed.message;
      if (m.status === optimistic.status && m.ID === optimistic.ID && m.error === optimistic.error)
        continue;
      changed =
        list.patch(listed.key, (current) => {
          const next: ChatMessage = {
            ...current,
            status: optimistic.status,
            ID: optimistic.ID || current.ID,
          };
          if (optimistic.error) next.error = optimistic.error;
          else delete next.error;
          return next;
        }) || changed;
    }
    if (changed) deps.publish();
  };

  return { sync: syncOutbox, confirmFromHistory };
}

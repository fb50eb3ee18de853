import type { ChatMessage, OutgoingContent, OutgoingMessage, SendOptions } from '../model/message';
import { appError, err } from '../result';
import type { AppError, Result } from '../result';
import type { WritableStore } from '../store/store';
import type { ClassifiedMessage } from '../tccc/index';
import type { ChatState, ChatStore, ChatStoreDeps } from './chat-store';
import { composerView, MAX_TEXT_LENGTH } from './composer';
import type { MessageList } from './message-list';
import { TRANSIENT } from './outbox';

/** The sending actions of a chat (text, image, retry, discard). */
export type SendingActions = Pick<ChatStore, 'sendText' | 'sendImage' | 'retry' | 'discard'>;

/** What sending needs from the chat slice it belongs to. */
export interface SendingContext {
  deps: ChatStoreDeps;
  peerID: string;
  list: MessageList<ClassifiedMessage>;
  store: WritableStore<ChatState>;
  /** Mirrors the outbox into the list. */
  syncOutbox(): void;
  /** Publishes the list's entries to the store when they changed. */
  publishEntries(): void;
  fail<T>(error: AppError): Result<T>;
  succeed(): Result<void>;
}

/** The chat's way out: visible messages go through the outbox, protocol uplinks straight out. */
export function createChatSending(ctx: SendingContext): {
  actions: SendingActions;
  /** Sends a hidden protocol uplink now, not through the outbox. */
  sendProtocol(data: string, options: SendOptions): Promise<Result<ChatMessage>>;
  /** Sends a visible message through the outbox (optimistic). */
  sendThroughOutbox(content: OutgoingContent, cloudCustomData?: string): Promise<Result<void>>;
} {
  const { deps, peerID, list, store, syncOutbox, publishEntries, fail, succeed } = ctx;
  const { transport, outbox, conversationID } = deps;

  const outgoing = (content: OutgoingContent, cloudCustomData = ''): OutgoingMessage => ({
    clientId: deps.newClientId(),
    conversationID,
    to: peerID,
    content,
    cloudCustomData,
  });

  /** Protocol uplinks bypass the outbox: they are hidden, and stale ones must not be sent later. */
  const sendProtocol = async (data: string, options: SendOptions): Promise<Result<ChatMessage>> => {
    if (!transport.isReady()) return err(appError('not-logged-in', 'not connected'));
    return transport.sendMessage(outgoing({ kind: 'custom', data }), options);
  };

  const sendThroughOutbox = async (
    content: OutgoingContent,
    cloudCustomData = '',
  ): Promise<Result<void>> => {
    const message = outgoing(content, cloudCustomData);
    const pending = outbox.send(message);
    // The outbox has the entry now: show it before the send resolves.
    syncOutbox();
    const res = await pending;
    if (!store.getState().isOpen) {
      // Not listening to the outbox: apply the outcome here so the list never shows a stale state.
      if (res.ok && list.upsert([res.value])) publishEntries();
      else syncOutbox();
    }
    // Queued for the connection to return: the bubble says so, a toast would cry wolf.
    if (!res.ok && TRANSIENT.has(res.error.code)) return err(res.error);
    if (!res.ok) return fail(res.error);
    return succeed();
  };

  const actions: SendingActions = {
    sendText(text) {
      const max = deps.maxTextLength ?? MAX_TEXT_LENGTH;
      const composer = composerView(text, deps.language(), max);
      if (composer.tooLong)
        return Promise.resolve(
          fail(appError('text-too-long', `text over ${max} characters`, { max })),
        );
      if (!composer.canSend)
        return Promise.resolve(fail(appError('invalid-input', 'empty message')));
      return sendThroughOutbox({ kind: 'text', text: text.trim() });
    },

    sendImage(file) {
      if (!file || typeof file.tempFilePath !== 'string' || file.tempFilePath === '') {
        return Promise.resolve(fail(appError('invalid-input', 'no file')));
      }
      if (!(file.size <= deps.imageMaxBytes)) {
        return Promise.resolve(
          fail(
            appError('file-too-large', `image of ${file.size} bytes over ${deps.imageMaxBytes}`, {
              max: deps.imageMaxBytes,
            }),
          ),
        );
      }
      const content: OutgoingContent = {
        kind: 'image',
        tempFilePath: file.tempFilePath,
        size: file.size,
      };
      if (file.width) content.width = file.width;
      if (file.height) content.height = file.height;
      return sendThroughOutbox(content);
    },

    async retry(clientId) {
      const pending = outbox.retry(clientId);
      syncOutbox();
      const res = await pending;
      return res.ok ? succeed() : fail(res.error);
    },

    discard(clientId) {
      const res = outbox.discard(clientId);
      if (!res.ok) return fail(res.error);
      if (list.remove(clientId)) publishEntries();
      return succeed();
    },
  };

  return { actions, sendProtocol, sendThroughOutbox };
}

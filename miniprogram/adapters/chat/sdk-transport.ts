import type { Conversation } from '../../core/model/conversation';
import type { ChatMessage, OutgoingMessage, SendOptions } from '../../core/model/message';
import type {
  ChatCredentials,
  ChatTransport,
  KickReason,
  MessagePage,
  NetState,
  TransportEvent,
} from '../../core/ports/chat-transport';
import type { Clock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import { appError, err, ok } from '../../core/result';
import type { AppErrorCode, Result } from '../../core/result';
import type { Unsubscribe } from '../../core/store/store';
import { toChatMessage, toConversation } from './sdk-convert';
import { mapSdkError } from './sdk-errors';

/** An SDK event as handlers receive it. */
export interface SdkEvent {
  name: string;
  data: unknown;
}

/**
 * The part of the `@tencentcloud/chat` instance this adapter uses. Declared structurally so the
 * adapter logic is tested against a stub; the real instance is passed in by `tencent-transport.ts`.
 */
export interface SdkLike {
  login(options: { userID: string; userSig: string }): Promise<unknown>;
  logout(): Promise<unknown>;
  isReady(): boolean;
  getLoginUser(): string;
  on(event: string, handler: (event: SdkEvent) => void): void;
  off(event: string, handler: (event: SdkEvent) => void): void;
  getConversationList(): Promise<unknown>;
  getMessageList(options: { conversationID: string; nextReqMessageID?: string }): Promise<unknown>;
  createTextMessage(options: Record<string, unknown>): unknown;
  createCustomMessage(options: Record<string, unknown>): unknown;
  createImageMessage(options: Record<string, unknown>): unknown;
  sendMessage(message: unknown, options?: Record<string, unknown>): Promise<unknown>;
  resendMessage(message: unknown): Promise<unknown>;
  setMessageRead(options: { conversationID: string }): Promise<unknown>;
  pinConversation(options: { conversationID: string; isPinned: boolean }): Promise<unknown>;
  deleteConversation(conversationID: string): Promise<unknown>;
  updateMyProfile(options: { nick?: string; avatar?: string }): Promise<unknown>;
  /** Tears the instance down (stops its timers and socket). */
  destroy?(): Promise<unknown>;
  /** 0 verbose … 4 none. */
  setLogLevel?(level: number): void;
}

/** The SDK's constant tables (`TencentCloudChat.TYPES` / `.EVENT`), values as strings. */
export interface SdkConstants {
  TYPES: {
    CONV_C2C: string;
    NET_STATE_CONNECTED: string;
    NET_STATE_CONNECTING: string;
    NET_STATE_DISCONNECTED: string;
    KICKED_OUT_MULT_ACCOUNT: string;
    KICKED_OUT_MULT_DEVICE: string;
    KICKED_OUT_USERSIG_EXPIRED: string;
    KICKED_OUT_REST_API: string;
  };
  EVENT: {
    SDK_READY: string;
    SDK_NOT_READY: string;
    MESSAGE_RECEIVED: string;
    MESSAGE_MODIFIED: string;
    MESSAGE_REVOKED: string;
    MESSAGE_READ_BY_PEER: string;
    CONVERSATION_LIST_UPDATED: string;
    TOTAL_UNREAD_MESSAGE_COUNT_UPDATED: string;
    NET_STATE_CHANGE: string;
    KICKED_OUT: string;
    ERROR: string;
  };
}

/** Limits and ports of the SDK transport. */
export interface SdkTransportOptions {
  /** Gives up on a login after this long (the SDK itself waits 90 s offline). */
  loginTimeoutMs: number;
  clock: Clock;
  logger: Logger;
}

type Dict = Record<string, unknown>;
const dict = (v: unknown): Dict => (typeof v === 'object' && v !== null ? (v as Dict) : {});
const isThenable = (v: unknown): v is Promise<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

/** The SDK resolves `{code, data}`; this is `data`. */
const dataOf = (response: unknown): Dict => dict(dict(response).data);

/**
 * `ChatTransport` over the Chat SDK. The SDK instance is made on first use (`getSdk`), because
 * creating it already dials the server. Every SDK rejection and synchronous throw becomes a `Result`
 * error through `mapSdkError`; SDK objects are converted at this boundary.
 */
export function createSdkTransport(
  getSdk: (sdkAppID?: number) => SdkLike,
  constants: SdkConstants,
  options: SdkTransportOptions,
): ChatTransport & { dispose(): void; destroy(): Promise<void> } {
  const { TYPES, EVENT } = constants;
  const { clock, logger } = options;
  const listeners = new Set<(event: TransportEvent) => void>();
  /** SDK message objects of our unsent messages, by client id: a retry resends the same object. */
  const held = new Map<string, unknown>();
  let sdk: SdkLike | null = null;
  let handlers: Array<[string, (e: SdkEvent) => void]> = [];
  const readyWaiters = new Set<() => void>();

  const emit = (event: TransportEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (e) {
        logger.error('transport listener failed', e);
      }
    }
  };

  const messages = (data: unknown): ChatMessage[] =>
    (Array.isArray(data) ? data : []).map((m) => toChatMessage(m));

  const kickReason = (type: unknown): KickReason => {
    if (type === TYPES.KICKED_OUT_USERSIG_EXPIRED) return 'usersig-expired';
    if (type === TYPES.KICKED_OUT_MULT_ACCOUNT) return 'multiple-account';
    if (type === TYPES.KICKED_OUT_REST_API) return 'rest-api';
    return 'multiple-device';
  };

  const netState = (state: unknown): NetState => {
    if (state === TYPES.NET_STATE_CONNECTED) return 'connected';
    if (state === TYPES.NET_STATE_CONNECTING) return 'connecting';
    return 'disconnected';
  };

  /** The SDK, made (and dialling) on the first login only. */
  const instance = (sdkAppID?: number): SdkLike => {
    if (sdk) return sdk;
    const made = getSdk(sdkAppID);
    const table: Array<[string, (e: SdkEvent) => void]> = [
      [
        EVENT.SDK_READY,
        () => {
          for (const resolve of [...readyWaiters]) resolve();
          emit({ type: 'ready' });
        },
      ],
      [EVENT.SDK_NOT_READY, () => emit({ type: 'not-ready' })],
      [
        EVENT.MESSAGE_RECEIVED,
        (e) => emit({ type: 'message-received', messages: messages(e.data) }),
      ],
      [
        EVENT.MESSAGE_MODIFIED,
        (e) => emit({ type: 'message-modified', messages: messages(e.data) }),
      ],
      [EVENT.MESSAGE_REVOKED, (e) => emit({ type: 'message-revoked', messages: messages(e.data) })],
      [
        EVENT.MESSAGE_READ_BY_PEER,
        (e) => emit({ type: 'message-read-by-peer', messages: messages(e.data) }),
      ],
      [
        EVENT.CONVERSATION_LIST_UPDATED,
        (e) =>
          emit({
            type: 'conversation-list-updated',
            conversations: (Array.isArray(e.data) ? e.data : []).map(toConversation),
          }),
      ],
      [
        EVENT.TOTAL_UNREAD_MESSAGE_COUNT_UPDATED,
        (e) =>
          emit({ type: 'total-unread-updated', count: typeof e.data === 'number' ? e.data : 0 }),
      ],
      [
        EVENT.NET_STATE_CHANGE,
        (e) => emit({ type: 'net-state', state: netState(dict(e.data).state) }),
      ],
      [EVENT.KICKED_OUT, (e) => emit({ type: 'kicked', reason: kickReason(dict(e.data).type) })],
      // The SDK reports every gated call here too; the call itself already returns the error.
      [EVENT.ERROR, (e) => logger.debug('sdk error event', dict(e.data).code)],
    ];
    for (const [name, handler] of table) made.on(name, handler);
    handlers = table;
    sdk = made;
    return made;
  };

  /** Runs an SDK call, turning rejections and synchronous throws into `Result` errors. */
  const call = async <T>(
    context: string,
    run: (s: SdkLike) => Promise<unknown>,
    map: (response: unknown) => T,
    fallback: AppErrorCode = 'unknown',
  ): Promise<Result<T>> => {
    if (!sdk) return err(appError('not-logged-in', `${context}: not logged in`));
    try {
      const response = await run(sdk);
      return ok(map(response));
    } catch (e) {
      return err(mapSdkError(e, context, fallback));
    }
  };

  const waitForReady = (s: SdkLike): { promise: Promise<void>; cancel: () => void } => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => {
      resolve = r;
    });
    if (s.isReady()) return { promise: Promise.resolve(), cancel: () => undefined };
    readyWaiters.add(resolve);
    return { promise, cancel: () => readyWaiters.delete(resolve) };
  };

  const create = (message: OutgoingMessage): Result<unknown> => {
    if (!sdk) return err(appError('not-logged-in', 'createMessage: not logged in'));
    const s = sdk;
    const base: Record<string, unknown> = {
      to: message.to,
      conversationType: TYPES.CONV_C2C,
    };
    if (message.cloudCustomData) base.cloudCustomData = message.cloudCustomData;
    let made: unknown;
    try {
      const c = message.content;
      if (c.kind === 'text') made = s.createTextMessage({ ...base, payload: { text: c.text } });
      else if (c.kind === 'custom') {
        made = s.createCustomMessage({
          ...base,
          payload: { data: c.data, description: c.description ?? '', extension: '' },
        });
      } else {
        made = s.createImageMessage({
          ...base,
          payload: { file: { tempFiles: [{ tempFilePath: c.tempFilePath, size: c.size }] } },
        });
      }
    } catch (e) {
      return err(mapSdkError(e, 'createMessage', 'invalid-input'));
    }
    if (isThenable(made)) {
      // Not ready: the SDK hands back a rejected promise instead of a message.
      made.catch(() => undefined);
      return err(appError('not-logged-in', 'createMessage: the SDK is not ready'));
    }
    if (typeof made !== 'object' || made === null)
      return err(appError('unknown', 'createMessage: no message'));
    return ok(made);
  };

  return {
    async login(credentials: ChatCredentials) {
      let s: SdkLike;
      try {
        s = instance(credentials.sdkAppID);
      } catch (e) {
        return err(mapSdkError(e, 'create'));
      }
      const current = s.getLoginUser();
      if (current === credentials.userID && s.isReady()) return ok(undefined);
      if (current && current !== credentials.userID) {
        // A login for another user would be answered `repeatLogin` and change nothing.
        try {
          await s.logout();
        } catch (e) {
          logger.warn('logout before switching user failed', mapSdkError(e, 'logout'));
        }
      }
      const ready = waitForReady(s);
      let timer: unknown = null;
      const timeout = new Promise<Result<void>>((resolve) => {
        timer = clock.setTimeout(
          () =>
            resolve(err(appError('timeout', `login: no answer in ${options.loginTimeoutMs} ms`))),
          options.loginTimeoutMs,
        );
      });
      const attempt = (async (): Promise<Result<void>> => {
        try {
          await s.login({ userID: credentials.userID, userSig: credentials.userSig });
        } catch (e) {
          return err(mapSdkError(e, 'login'));
        }
        await ready.promise;
        return ok(undefined);
      })();
      const result = await Promise.race([attempt, timeout]);
      clock.clearTimeout(timer);
      ready.cancel();
      return result;
    },

    async logout() {
      held.clear();
      if (!sdk || !sdk.getLoginUser()) return ok(undefined);
      return call(
        'logout',
        (s) => s.logout(),
        () => undefined,
      );
    },

    isReady: () => (sdk ? sdk.isReady() : false),
    getLoginUser: () => (sdk ? sdk.getLoginUser() : ''),

    getConversationList() {
      return call<Conversation[]>(
        'getConversationList',
        (s) => s.getConversationList(),
        (r) => {
          const list = dataOf(r).conversationList;
          return (Array.isArray(list) ? list : []).map(toConversation);
        },
      );
    },

    getMessageList(conversationID, nextReqMessageID) {
      return call<MessagePage>(
        'getMessageList',
        (s) =>
          s.getMessageList(
            nextReqMessageID ? { conversationID, nextReqMessageID } : { conversationID },
          ),
        (r) => {
          const data = dataOf(r);
          const list = Array.isArray(data.messageList) ? data.messageList : [];
          return {
            messages: list.map((m) => toChatMessage(m)),
            nextReqMessageID:
              typeof data.nextReqMessageID === 'string' ? data.nextReqMessageID : '',
            isCompleted: data.isCompleted === true,
          };
        },
      );
    },

    createMessage(message) {
      const existing = held.get(message.clientId);
      if (existing) return ok(toChatMessage(existing, message.clientId));
      const made = create(message);
      if (!made.ok) return made;
      held.set(message.clientId, made.value);
      return ok(toChatMessage(made.value, message.clientId));
    },

    async sendMessage(message, sendOptions: SendOptions = {}) {
      let sdkMessage = held.get(message.clientId);
      if (!sdkMessage) {
        const made = create(message);
        if (!made.ok) return made;
        sdkMessage = made.value;
        held.set(message.clientId, sdkMessage);
      }
      const target = sdkMessage;
      const resend = dict(target).status === 'fail';
      const res = await call<ChatMessage>(
        'sendMessage',
        (s) =>
          resend
            ? s.resendMessage(target)
            : s.sendMessage(target, sendOptions.onlineUserOnly ? { onlineUserOnly: true } : {}),
        (r) => toChatMessage(dataOf(r).message ?? target, message.clientId),
        'send-failed',
      );
      if (res.ok) held.delete(message.clientId);
      return res;
    },

    setMessageRead(conversationID) {
      return call(
        'setMessageRead',
        (s) => s.setMessageRead({ conversationID }),
        () => undefined,
      );
    },

    pinConversation(conversationID, isPinned) {
      return call(
        'pinConversation',
        (s) => s.pinConversation({ conversationID, isPinned }),
        () => undefined,
      );
    },

    deleteConversation(conversationID) {
      return call(
        'deleteConversation',
        (s) => s.deleteConversation(conversationID),
        () => undefined,
      );
    },

    updateMyProfile(profile) {
      return call(
        'updateMyProfile',
        (s) => s.updateMyProfile(profile),
        () => undefined,
      );
    },

    onEvent(listener) {
      listeners.add(listener);
      const off: Unsubscribe = () => {
        listeners.delete(listener);
      };
      return off;
    },

    dispose() {
      if (sdk) for (const [name, handler] of handlers) sdk.off(name, handler);
      handlers = [];
      listeners.clear();
      held.clear();
    },

    async destroy() {
      const current = sdk;
      this.dispose();
      sdk = null;
      if (!current?.destroy) return;
      try {
        await current.destroy();
      } catch (e) {
        // 2024 when not logged in: the SDK tears itself down anyway.
        logger.debug('sdk destroy', mapSdkError(e, 'destroy'));
      }
    },
  };
}

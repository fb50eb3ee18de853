/**
 * Drives the REAL `@tencentcloud/chat` SDK (3.6.6), or `@tencentcloud/lite-chat` (4.2.1, basic + the
 * adapter's plugins) with `CHAT_SDK=lite`, in Node against the simulator: a `wx` shim backed
 * by real websockets, one freshly evaluated SDK module per client (the SDK keeps one instance per
 * SDKAppID per module, so two clients of one app need two module copies), every event recorded.
 *
 * Always `await client.destroy()` (afterEach): the SDK runs a 1 s interval until destroyed and
 * jest would never exit.
 */
import { createRequire } from 'node:module';

import type TencentCloudChatModule from '@tencentcloud/chat';
import type { ChatSDK } from '@tencentcloud/chat';

import { routeChatSockets } from '../../miniprogram/adapters/chat/socket-route';
import { type WxShim, type WxShimOptions, installWxShim } from './wx-shim';

export { installWxShim, createWxShim, readImageSize } from './wx-shim';
export type { WxShim, WxShimOptions } from './wx-shim';

/** The SDK module's runtime shape (`module.exports = { create, TYPES, EVENT, ... }`). */
export type ChatModule = typeof TencentCloudChatModule;

/** What the harness needs from a running simulator (a `RunningSimulator` fits). */
export interface SimulatorHandle {
  wsUrl: string;
  sdkAppID: number;
  genUserSig(userID: string, expireSeconds?: number): string;
}

export interface SdkClientOptions {
  simulator: SimulatorHandle;
  userID: string;
  /** Default: a valid 7-day UserSig from the simulator. */
  userSig?: string;
  /** Default: the simulator's. A different one gives a foreign-SDKAppID login. */
  sdkAppID?: number;
  /** Register `tim-upload-plugin` (image messages). */
  uploadPlugin?: boolean;
  wx?: WxShimOptions;
  /** SDK log level: 0 all ... 4 none. Default 4 (set `SDK_LOG_LEVEL` to debug a test). */
  logLevel?: number;
  /** Which SDK; default {@link sdkUnderTest}. */
  sdk?: SdkName;
}

export interface RecordedEvent {
  name: string;
  data: unknown;
  at: number;
}

export interface SdkClient {
  chat: ChatSDK;
  TencentCloudChat: ChatModule;
  wx: WxShim;
  userID: string;
  userSig: string;
  /** Every SDK event since creation, in order. */
  events: RecordedEvent[];
  /** The current end of `events`: pass it to `waitFor` to ignore what happened before. */
  mark(): number;
  /** `chat.login(...)`, then waits for SDK_READY. Rejects with the SDK's error on refusal. */
  login(): Promise<unknown>;
  /**
   * Resolves with the data of the first event named `name` (at index ≥ `since`, default 0) that
   * satisfies `predicate`; rejects after `timeoutMs` (default 5000) listing what did arrive.
   */
  waitFor<T = unknown>(
    name: string,
    predicate?: (data: T) => boolean,
    timeoutMs?: number,
    since?: number,
  ): Promise<T>;
  /** Destroys the SDK (ignoring its "not logged in" rejection) and closes leftover sockets. */
  destroy(): Promise<void>;
}

/** Loads a module afresh, inside jest (its registry) or plain Node (require.cache). */
function loadFresh<T>(id: string): T {
  let loaded: T | undefined;
  if (typeof jest !== 'undefined' && typeof jest.isolateModules === 'function') {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(id) as T;
    });
    return loaded as T;
  }
  const nodeRequire = createRequire(__filename);
  delete nodeRequire.cache[nodeRequire.resolve(id)];
  return nodeRequire(id) as T;
}

/**
 * Loads and creates the SDK with its console chatter muted (it logs before a log level can be set) and records the intervals it starts: the channel module's "not logged in" 1 s interval from
 * the constructor is overwritten, not cleared, when `login()` resets the module, so `destroy()`
 * never stops it and Node would never exit. WeChat never notices; the harness clears it.
 */
function duringCreate<T>(create: () => T): {
  value: T;
  intervals: ReturnType<typeof setInterval>[];
} {
  const g = globalThis as { setInterval: typeof setInterval };
  const realSetInterval = g.setInterval;
  const intervals: ReturnType<typeof setInterval>[] = [];
  const muted = ['log', 'info', 'warn'] as const;
  const saved = muted.map((k) => console[k]);
  g.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const t = realSetInterval(...args);
    intervals.push(t);
    return t;
  }) as typeof setInterval;
  for (const k of muted) console[k] = () => undefined;
  try {
    return { value: create(), intervals };
  } finally {
    g.setInterval = realSetInterval;
    muted.forEach((k, i) => {
      console[k] = saved[i];
    });
  }
}

/** The SDK builds the client supports: `@tencentcloud/chat` or `@tencentcloud/lite-chat` (basic + plugins). */
export type SdkName = 'chat' | 'lite';

/** The SDK the integration tests drive: `CHAT_SDK=lite` (the lite-chat jest project) or the full one. */
export function sdkUnderTest(): SdkName {
  return process.env.CHAT_SDK === 'lite' ? 'lite' : 'chat';
}

/** The lite-chat plugins our adapter registers (conversation list, images, history/resend). */
export const LITE_PLUGINS = [
  '@tencentcloud/lite-chat/plugins/conversation',
  '@tencentcloud/lite-chat/plugins/rich-media-message',
  '@tencentcloud/lite-chat/plugins/message-enhancer',
] as const;

/** Creates an SDK client for one user, connected through `proxyServer` to the simulator. */
export function createSdkClient(options: SdkClientOptions): SdkClient {
  const wx = installWxShim(options.wx);
  const sdk = options.sdk ?? sdkUnderTest();
  // lite-chat has no proxyServer option: its Chat sockets are routed as the adapter routes them.
  if (sdk === 'lite') routeChatSockets(wx as never, options.simulator.wsUrl);
  const {
    value: { TencentCloudChat, chat },
    intervals,
  } = duringCreate(() => {
    const TencentCloudChat = loadFresh<ChatModule>(
      sdk === 'lite' ? '@tencentcloud/lite-chat/basic' : '@tencentcloud/chat',
    );
    const chat = TencentCloudChat.create({
      SDKAppID: options.sdkAppID ?? options.simulator.sdkAppID,
      proxyServer: options.simulator.wsUrl,
    } as Parameters<ChatModule['create']>[0]);
    if (sdk === 'lite') {
      const use = (chat as unknown as { use(plugins: unknown[]): void }).use;
      // Fresh plugin modules too: each keeps the SDK core it was installed into.
      use(LITE_PLUGINS.map((id) => loadFresh<unknown>(id)));
    }
    return { TencentCloudChat, chat };
  });
  const envLevel = Number(process.env.SDK_LOG_LEVEL);
  chat.setLogLevel((options.logLevel ?? (Number.isInteger(envLevel) ? envLevel : 4)) as 0);
  if (options.uploadPlugin && sdk === 'chat') {
    // lite-chat uploads through its rich-media plugin; the full SDK needs the upload plugin.
    const plugin = loadFresh<unknown>('tim-upload-plugin');
    chat.registerPlugin({ 'tim-upload-plugin': plugin });
  }

  const events: RecordedEvent[] = [];
  const waiters = new Set<() => void>();
  for (const name of Object.values(TencentCloudChat.EVENT) as string[]) {
    chat.on(name as never, (event: { data: unknown }) => {
      events.push({ name, data: event.data, at: Date.now() });
      for (const w of [...waiters]) w();
    });
  }

  const userSig = options.userSig ?? options.simulator.genUserSig(options.userID);

  const cancels = new Set<(reason: Error) => void>();
  const waitWithCancel = <T>(
    name: string,
    predicate: (data: T) => boolean = () => true,
    timeoutMs = 5000,
    since = 0,
  ): { promise: Promise<T>; cancel: (reason: Error) => void } => {
    let cancelThis: (reason: Error) => void = () => undefined;
    const promise = new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(check);
        cancels.delete(cancel);
      };
      const check = (): void => {
        for (let i = since; i < events.length; i++) {
          const e = events[i];
          if (e.name === name && predicate(e.data as T)) {
            finish();
            resolve(e.data as T);
            return;
          }
        }
      };
      const cancel = (reason: Error): void => {
        finish();
        reject(reason);
      };
      const timer = setTimeout(() => {
        const seen = events.slice(since).map((e) => e.name);
        cancel(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${name}; saw [${seen.join(', ')}]`,
          ),
        );
      }, timeoutMs);
      waiters.add(check);
      cancels.add(cancel);
      cancelThis = cancel;
      check();
    });
    return { promise, cancel: (reason) => cancelThis(reason) };
  };
  const waitFor = <T>(
    name: string,
    predicate?: (data: T) => boolean,
    timeoutMs?: number,
    since?: number,
  ): Promise<T> => waitWithCancel(name, predicate, timeoutMs, since).promise;

  let destroyed = false;
  return {
    chat,
    TencentCloudChat,
    wx,
    userID: options.userID,
    userSig,
    events,
    mark: () => events.length,
    async login() {
      const since = events.length;
      const ready = waitWithCancel(TencentCloudChat.EVENT.SDK_READY, undefined, 10_000, since);
      // A refused login must not leave the ready waiter (and its timer) behind.
      ready.promise.catch(() => undefined);
      try {
        const res: unknown = await chat.login({ userID: options.userID, userSig });
        await ready.promise;
        return res;
      } catch (e) {
        ready.cancel(new Error('login failed'));
        throw e;
      }
    },
    waitFor,
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const cancel of [...cancels]) cancel(new Error('client destroyed'));
      try {
        await chat.destroy();
      } catch {
        // 2024 when never (or no longer) logged in: the SDK still tears itself down.
      }
      for (const t of intervals) clearInterval(t);
      wx.closeAll();
    },
  };
}

/** Resolves after `ms`; for the SDK's 1 s event throttling. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Message fields the tests read (the SDK's `Message` type omits several runtime ones). */
export interface SdkMessage {
  ID: string;
  type: string;
  flow: string;
  from: string;
  to: string;
  time: number;
  sequence: number;
  status: string;
  isRead: boolean;
  isRevoked: boolean;
  isModified: boolean;
  isPeerRead: boolean;
  version: number;
  nick: string;
  avatar: string;
  cloudCustomData: string;
  hasRiskContent: boolean;
  payload: Record<string, unknown>;
}

export interface SdkConversation {
  conversationID: string;
  unreadCount: number;
  isPinned: boolean;
  userProfile: { userID: string; nick: string; avatar: string };
  lastMessage: {
    lastTime: number;
    fromAccount: string;
    type: string;
    payload: Record<string, unknown>;
    messageForShow: string;
    isRevoked: boolean;
    isPeerRead: boolean;
    cloudCustomData: string;
  };
}

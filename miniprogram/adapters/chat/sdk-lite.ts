import TencentCloudLiteChat from '@tencentcloud/lite-chat/basic';
import conversationPlugin from '@tencentcloud/lite-chat/plugins/conversation';
import messageEnhancerPlugin from '@tencentcloud/lite-chat/plugins/message-enhancer';
import richMediaMessagePlugin from '@tencentcloud/lite-chat/plugins/rich-media-message';
import type { ChatSdkModule } from './sdk-module';
import type { SdkConstants, SdkLike } from './sdk-transport';

/**
 * The plugins our features need on top of lite-chat's basic build: the conversation list (list,
 * pin, delete, read state), rich media (image messages and their upload) and the message enhancer
 * (history paging, resend).
 */
export const LITE_PLUGINS: readonly unknown[] = [
  conversationPlugin,
  richMediaMessagePlugin,
  messageEnhancerPlugin,
];

/** The Chat socket path the SDK dials (`/binfo?…` binary, `/info?…` text), on any host. */
const CHAT_SOCKET = /^wss?:\/\/[^/]+(\/b?info\?.*sdkappid=.*)$/;

/**
 * The URL a Chat socket goes to when a `proxyServer` is configured: same path and query, on the
 * proxy. Other URLs are returned unchanged.
 */
export function proxiedSocketUrl(url: string, proxyServer: string): string {
  const m = proxyServer ? CHAT_SOCKET.exec(url) : null;
  return m ? `${proxyServer.replace(/\/+$/, '')}${m[1]}` : url;
}

interface SocketApi {
  connectSocket(options: WechatMiniprogram.ConnectSocketOption): WechatMiniprogram.SocketTask;
}
const routed = new WeakSet<object>();

/**
 * lite-chat 4.2 has no `proxyServer` option: it always dials Tencent's Chat hosts. With a proxy
 * configured (the local simulator), the Chat sockets it opens through `api.connectSocket` are sent
 * to the proxy instead; every other socket is left alone. Without a proxy nothing is changed.
 */
export function routeChatSockets(api: SocketApi, proxyServer: string): void {
  if (!proxyServer || routed.has(api)) return;
  routed.add(api);
  const connect = api.connectSocket.bind(api);
  api.connectSocket = (options) =>
    connect({ ...options, url: proxiedSocketUrl(options.url, proxyServer) });
}

const lite = TencentCloudLiteChat as unknown as SdkConstants & {
  create(options: { SDKAppID: number }): SdkLike & { use(plugins: readonly unknown[]): void };
};

/** `@tencentcloud/lite-chat` basic build with {@link LITE_PLUGINS} (~406 KB compiled). */
export const liteSdk: ChatSdkModule = {
  name: 'lite',
  TYPES: lite.TYPES,
  EVENT: lite.EVENT,
  create({ SDKAppID, proxyServer }) {
    if (typeof wx !== 'undefined') routeChatSockets(wx, proxyServer);
    const sdk = lite.create({ SDKAppID });
    sdk.use(LITE_PLUGINS);
    return sdk;
  },
};

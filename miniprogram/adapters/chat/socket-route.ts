/**
 * lite-chat's Chat sockets to a `proxyServer` (kept apart from `sdk-lite.ts` so tools and tests use
 * it without evaluating the SDK).
 */
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

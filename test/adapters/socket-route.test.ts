/** lite-chat has no proxyServer: its Chat sockets, and only those, are sent to the configured proxy. */
import { proxiedSocketUrl, routeChatSockets } from '../../miniprogram/adapters/chat/socket-route';

const SDK_URL = 'wss://1400000000w4c.my-imcloud.com/binfo?sdkappid=1400000000&instanceid=x';

test('a Chat socket URL keeps its path and query on the proxy', () => {
  expect(proxiedSocketUrl(SDK_URL, 'ws://127.0.0.1:9300/')).toBe(
    'ws://127.0.0.1:9300/binfo?sdkappid=1400000000&instanceid=x',
  );
  expect(proxiedSocketUrl('wss://wss.im.qcloud.com/info?sdkappid=1', 'ws://127.0.0.1:1')).toBe(
    'ws://127.0.0.1:1/info?sdkappid=1',
  );
});

test('other sockets, and every socket without a proxy, are left alone', () => {
  expect(proxiedSocketUrl('wss://example.com/live?room=1', 'ws://127.0.0.1:9300')).toBe(
    'wss://example.com/live?room=1',
  );
  expect(proxiedSocketUrl(SDK_URL, '')).toBe(SDK_URL);
});

test('routeChatSockets wraps connectSocket once, and not at all without a proxy', () => {
  const seen: string[] = [];
  const api = {
    connectSocket: (o: { url: string }) => {
      seen.push(o.url);
      return {} as WechatMiniprogram.SocketTask;
    },
  };
  const original = api.connectSocket;
  routeChatSockets(api as never, '');
  expect(api.connectSocket).toBe(original);
  routeChatSockets(api as never, 'ws://127.0.0.1:9300');
  routeChatSockets(api as never, 'ws://127.0.0.1:9300');
  api.connectSocket({ url: SDK_URL });
  api.connectSocket({ url: 'wss://example.com/x' });
  expect(seen).toEqual([
    'ws://127.0.0.1:9300/binfo?sdkappid=1400000000&instanceid=x',
    'wss://example.com/x',
  ]);
});

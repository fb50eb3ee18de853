/**
 * A Node stand-in for the parts of `wx` the real `@tencentcloud/chat` SDK and `tim-upload-plugin`
 * touch (docs chat-sdk.md §2, preview.md §1). `connectSocket` is backed by a real `ws` client, so
 * the SDK talks to the simulator over a real socket. Nothing here leaves loopback: any other URL
 * fails on the next tick.
 *
 * Traps it reproduces from WeChat: `onOpen/onMessage/...` REPLACE the previous callback (the SDK
 * detaches by registering no-ops), `close(4000)` takes a bare number, and `getSystemInfoSync` must
 * report a truthy `fontSizeSetting` (that is how the SDK decides it runs in a mini-program).
 */
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';

import { WebSocket } from 'ws';

type Callback<T> = ((res: T) => void) | undefined;

interface CallbackOptions<T> {
  success?: (res: T) => void;
  fail?: (err: { errMsg: string }) => void;
  complete?: (res: unknown) => void;
}

const noop = (): void => undefined;

function settle<T>(
  opts: CallbackOptions<T>,
  result: { ok: true; value: T } | { ok: false; errMsg: string },
): void {
  if (result.ok) opts.success?.(result.value);
  else opts.fail?.({ errMsg: result.errMsg });
  opts.complete?.(result.ok ? result.value : { errMsg: result.errMsg });
}

const isLoopback = (url: string): boolean => {
  try {
    const u = new URL(url);
    return (
      (u.protocol === 'http:' || u.protocol === 'ws:') &&
      ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname)
    );
  } catch {
    return false;
  }
};

/** Width/height of a PNG, GIF or JPEG (enough for the upload plugin's `getImageInfo`). */
export function readImageSize(data: Buffer): { width: number; height: number; type: string } {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47) {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), type: 'png' };
  }
  if (data.length >= 10 && data.toString('ascii', 0, 3) === 'GIF') {
    return { width: data.readUInt16LE(6), height: data.readUInt16LE(8), type: 'gif' };
  }
  if (data[0] === 0xff && data[1] === 0xd8) {
    let i = 2;
    while (i + 9 < data.length) {
      if (data[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = data[i + 1];
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: data.readUInt16BE(i + 5), width: data.readUInt16BE(i + 7), type: 'jpeg' };
      }
      i += 2 + data.readUInt16BE(i + 2);
    }
  }
  return { width: 0, height: 0, type: 'unknown' };
}

function httpCall(
  blocked: string[],
  url: string,
  method: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  done: (
    r:
      | { ok: true; status: number; headers: Record<string, string>; body: Buffer }
      | { ok: false; errMsg: string },
  ) => void,
): { abort(): void } {
  if (!isLoopback(url)) {
    blocked.push(url);
    setImmediate(() =>
      done({ ok: false, errMsg: `request:fail ${url} is not loopback (blocked)` }),
    );
    return { abort: noop };
  }
  const req = httpRequest(url, { method, headers }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h[k] = v;
      done({ ok: true, status: res.statusCode ?? 0, headers: h, body: Buffer.concat(chunks) });
    });
  });
  req.on('error', (e) => done({ ok: false, errMsg: `request:fail ${e.message}` }));
  if (body) req.write(body);
  req.end();
  return { abort: () => req.destroy() };
}

/** The SocketTask WeChat returns from `connectSocket`, over a real `ws` client. */
export class ShimSocketTask {
  readonly ws: WebSocket;
  private onOpenCb: Callback<{ header: Record<string, string> }>;
  private onMessageCb: Callback<{ data: string | ArrayBuffer }>;
  private onCloseCb: Callback<{ code: number; reason: string }>;
  private onErrorCb: Callback<{ errMsg: string }>;

  constructor(readonly url: string) {
    this.ws = new WebSocket(url);
    this.ws.binaryType = 'arraybuffer';
    this.ws.on('open', () => this.onOpenCb?.({ header: {} }));
    this.ws.on('message', (data: ArrayBuffer | Buffer, isBinary: boolean) => {
      const payload = isBinary
        ? data instanceof ArrayBuffer
          ? data
          : data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)
        : Buffer.from(data instanceof ArrayBuffer ? new Uint8Array(data) : data).toString('utf8');
      this.onMessageCb?.({ data: payload as string | ArrayBuffer });
    });
    this.ws.on('close', (code: number, reason: Buffer) =>
      this.onCloseCb?.({ code, reason: reason.toString() }),
    );
    this.ws.on('error', (e: Error) => this.onErrorCb?.({ errMsg: e.message }));
  }

  // Replace, never add: the SDK detaches an old socket by registering no-op callbacks.
  onOpen(cb: Callback<{ header: Record<string, string> }>): void {
    this.onOpenCb = cb;
  }
  onMessage(cb: Callback<{ data: string | ArrayBuffer }>): void {
    this.onMessageCb = cb;
  }
  onClose(cb: Callback<{ code: number; reason: string }>): void {
    this.onCloseCb = cb;
  }
  onError(cb: Callback<{ errMsg: string }>): void {
    this.onErrorCb = cb;
  }

  send(
    opts: { data: string | ArrayBuffer | ArrayBufferView } & CallbackOptions<{ errMsg: string }>,
  ): void {
    if (this.ws.readyState !== WebSocket.OPEN) {
      settle(opts, { ok: false, errMsg: 'sendSocketMessage:fail socket not open' });
      return;
    }
    const data = opts.data;
    const payload =
      typeof data === 'string'
        ? data
        : data instanceof ArrayBuffer
          ? Buffer.from(data)
          : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.ws.send(payload, { binary: typeof data !== 'string' }, (err) =>
      settle(
        opts,
        err
          ? { ok: false, errMsg: err.message }
          : { ok: true, value: { errMsg: 'sendSocketMessage:ok' } },
      ),
    );
  }

  /** WeChat accepts `close({code, reason})`; the SDK calls `close(4000)` with a bare number. */
  close(arg?: number | ({ code?: number; reason?: string } & CallbackOptions<unknown>)): void {
    const code = typeof arg === 'number' ? arg : arg?.code;
    const reason = typeof arg === 'object' ? arg.reason : undefined;
    try {
      if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
      else
        this.ws.close(
          code !== undefined && (code === 1000 || (code >= 3000 && code <= 4999)) ? code : 1000,
          reason,
        );
    } catch {
      this.ws.terminate();
    }
    if (typeof arg === 'object') settle(arg, { ok: true, value: { errMsg: 'closeSocket:ok' } });
  }

  terminate(): void {
    this.ws.terminate();
  }
}

export interface WxShimOptions {
  /** `getSystemInfoSync().platform`. `windows`/`mac` switch the SDK to text frames on `/info`. */
  platform?: 'android' | 'ios' | 'devtools' | 'windows' | 'mac';
}

/** The fake `wx` object. Keeps its own storage and sockets, so SDK instances stay apart. */
export interface WxShim {
  readonly sockets: ShimSocketTask[];
  readonly storage: Map<string, unknown>;
  /** Every wx member the SDK called, with counts (to spot a new dependency quickly). */
  readonly calls: Map<string, number>;
  /** URLs refused because they were not loopback (the SDK tried to leave the machine). */
  readonly blocked: string[];
  /** Terminates every socket this shim opened. */
  closeAll(): void;
  [member: string]: unknown;
}

export function createWxShim(options: WxShimOptions = {}): WxShim {
  const sockets: ShimSocketTask[] = [];
  const storage = new Map<string, unknown>();
  const calls = new Map<string, number>();
  const blocked: string[] = [];
  const platform = options.platform ?? 'android';

  const members: Record<string, (...args: never[]) => unknown> = {
    getSystemInfoSync: () => ({
      platform,
      fontSizeSetting: 16,
      SDKVersion: '3.3.4',
      version: '8.0.50',
      system: platform === 'ios' ? 'iOS 17.0' : 'Android 14',
      model: 'node-shim',
      brand: 'node',
      language: 'zh_CN',
      pixelRatio: 2,
      screenWidth: 375,
      screenHeight: 667,
      windowWidth: 375,
      windowHeight: 667,
    }),
    getSystemInfo: (opts: CallbackOptions<unknown>) =>
      settle(opts, { ok: true, value: members.getSystemInfoSync() }),
    getAccountInfoSync: () => ({
      miniProgram: { appId: 'wx0000000000000000', envVersion: 'develop', version: '' },
    }),
    getStorageSync: (key: string) => (storage.has(key) ? storage.get(key) : ''),
    setStorageSync: (key: string, value: unknown) => {
      storage.set(key, value);
    },
    removeStorageSync: (key: string) => {
      storage.delete(key);
    },
    clearStorageSync: () => storage.clear(),
    getStorageInfoSync: () => ({ keys: [...storage.keys()], currentSize: 0, limitSize: 10240 }),
    getNetworkType: (opts: CallbackOptions<{ networkType: string }>) =>
      setImmediate(() => settle(opts, { ok: true, value: { networkType: 'wifi' } })),
    onNetworkStatusChange: noop,
    offNetworkStatusChange: noop,
    onAppShow: noop,
    offAppShow: noop,
    onAppHide: noop,
    offAppHide: noop,
    canIUse: () => true,
    connectSocket: (opts: { url: string } & CallbackOptions<unknown>) => {
      if (!isLoopback(opts.url)) {
        // Never dial out: the socket fails like an unreachable host would.
        blocked.push(opts.url);
        const task = new ShimSocketTask('ws://127.0.0.1:9/blocked');
        sockets.push(task);
        return task;
      }
      const task = new ShimSocketTask(opts.url);
      sockets.push(task);
      setImmediate(() => settle(opts, { ok: true, value: { errMsg: 'connectSocket:ok' } }));
      return task;
    },
    request: (
      opts: {
        url: string;
        method?: string;
        data?: unknown;
        header?: Record<string, string>;
        dataType?: string;
      } & CallbackOptions<{ statusCode: number; data: unknown; header: Record<string, string> }>,
    ) =>
      httpCall(
        blocked,
        opts.url,
        opts.method ?? 'GET',
        { 'content-type': 'application/json', ...(opts.header ?? {}) },
        opts.data === undefined
          ? undefined
          : Buffer.from(typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data)),
        (r) => {
          if (!r.ok) return settle(opts, r);
          const text = r.body.toString('utf8');
          let data: unknown = text;
          if (opts.dataType !== 'text') {
            try {
              data = JSON.parse(text);
            } catch {
              data = text;
            }
          }
          settle(opts, { ok: true, value: { statusCode: r.status, data, header: r.headers } });
        },
      ),
    uploadFile: (
      opts: {
        url: string;
        filePath: string;
        name: string;
        formData?: Record<string, unknown>;
        header?: Record<string, string>;
      } & CallbackOptions<{ statusCode: number; data: string; header: Record<string, string> }>,
    ) => {
      const boundary = `----wxshim${Date.now().toString(16)}`;
      const parts: Buffer[] = [];
      for (const [k, v] of Object.entries(opts.formData ?? {})) {
        parts.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${String(v)}\r\n`,
          ),
        );
      }
      let file: Buffer;
      try {
        file = readFileSync(opts.filePath);
      } catch {
        setImmediate(() =>
          settle(opts, { ok: false, errMsg: `uploadFile:fail file not found ${opts.filePath}` }),
        );
        return { onProgressUpdate: noop, abort: noop };
      }
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${opts.name}"; filename="upload"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        file,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      );
      let progress:
        | ((p: {
            progress: number;
            totalBytesSent: number;
            totalBytesExpectedToSend: number;
          }) => void)
        | undefined;
      const call = httpCall(
        blocked,
        opts.url,
        'POST',
        { ...(opts.header ?? {}), 'content-type': `multipart/form-data; boundary=${boundary}` },
        Buffer.concat(parts),
        (r) => {
          if (!r.ok) return settle(opts, r);
          progress?.({
            progress: 100,
            totalBytesSent: file.length,
            totalBytesExpectedToSend: file.length,
          });
          settle(opts, {
            ok: true,
            value: { statusCode: r.status, data: r.body.toString('utf8'), header: r.headers },
          });
        },
      );
      return {
        onProgressUpdate: (cb: typeof progress) => {
          progress = cb;
        },
        abort: call.abort,
      };
    },
    getImageInfo: (
      opts: { src: string } & CallbackOptions<{
        width: number;
        height: number;
        path: string;
        type: string;
        orientation: string;
      }>,
    ) => {
      const answer = (data: Buffer): void => {
        const size = readImageSize(data);
        settle(opts, { ok: true, value: { ...size, path: opts.src, orientation: 'up' } });
      };
      if (/^https?:/.test(opts.src)) {
        httpCall(blocked, opts.src, 'GET', {}, undefined, (r) =>
          r.ok && r.status === 200
            ? answer(r.body)
            : settle(opts, { ok: false, errMsg: 'getImageInfo:fail download failed' }),
        );
        return;
      }
      try {
        const data = readFileSync(opts.src);
        setImmediate(() => answer(data));
      } catch {
        setImmediate(() => settle(opts, { ok: false, errMsg: 'getImageInfo:fail file not found' }));
      }
    },
  };

  const shim: WxShim = {
    sockets,
    storage,
    calls,
    blocked,
    closeAll: () => {
      for (const s of sockets) s.terminate();
    },
  };
  for (const [name, fn] of Object.entries(members)) {
    shim[name] = (...args: never[]) => {
      calls.set(name, (calls.get(name) ?? 0) + 1);
      return fn(...args);
    };
  }
  return shim;
}

let consoleFiltered = false;
let intervalsPatched = false;
let rejectionsGuarded = false;

/**
 * Outside jest (benchmarks, scripts): the SDK leaves some of its own request rejections unhandled
 * (2801 timeouts while the server is away, a refused silent re-login), which would end the Node
 * process. Those are reported and ignored; any other unhandled rejection still ends it.
 */
function guardSdkRejections(): void {
  if (rejectionsGuarded || typeof jest !== 'undefined') return;
  rejectionsGuarded = true;
  process.on('unhandledRejection', (reason: unknown) => {
    const stack = reason instanceof Error ? (reason.stack ?? '') : '';
    if (!stack.includes('@tencentcloud')) throw reason;
    const code = (reason as { code?: unknown }).code;
    console.warn(`[wx-shim] the SDK left a rejection unhandled (code ${String(code)})`);
  });
}

/**
 * The SDK's channel module starts a 1 s "not logged in" interval in its constructor and overwrites
 * it (without clearing it) when `login()` resets the module, so `destroy()` never stops it and a
 * Node process (jest) would never exit. WeChat never notices. Intervals created from the SDK's
 * code are unref'd: after `destroy()` that orphan only calls a no-op, and it no longer holds Node.
 */
function unrefSdkIntervals(): void {
  if (intervalsPatched) return;
  intervalsPatched = true;
  const g = globalThis as { setInterval: typeof setInterval };
  const real = g.setInterval;
  g.setInterval = ((...args: Parameters<typeof setInterval>) => {
    const timer = real(...args);
    const stack = new Error().stack ?? '';
    const unref = (timer as { unref?: () => unknown }).unref;
    if (stack.includes('@tencentcloud') && typeof unref === 'function') unref.call(timer);
    return timer;
  }) as typeof setInterval;
}

/**
 * Installs a fresh `wx` (and the `getApp`/`__wxConfig` globals `login()` reads) on globalThis and
 * returns it. The SDK captures `wx` when its module is evaluated, so install first, then load the
 * SDK (`createSdkClient` does both, one fresh SDK module per client).
 */
export function installWxShim(options: WxShimOptions = {}): WxShim {
  const shim = createWxShim(options);
  const g = globalThis as Record<string, unknown>;
  g.wx = shim;
  g.getApp ??= () => ({ globalData: {} });
  g.getCurrentPages ??= () => [];
  g.__wxConfig ??= { pages: [] };
  unrefSdkIntervals();
  guardSdkRejections();
  if (!consoleFiltered) {
    consoleFiltered = true;
    // tim-upload-plugin console.logs every request and its version: noise in test output.
    const log = console.log.bind(console);
    console.log = (...args: unknown[]) => {
      const first = typeof args[0] === 'string' ? args[0] : '';
      if (first.includes('tim-upload-plugin') || first.startsWith('TIMUploadPlugin')) return;
      log(...args);
    };
  }
  return shim;
}

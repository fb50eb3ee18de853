/**
 * The browser `wx` of the preview: the WeChat APIs this app and the Chat SDK call, built on web
 * platform features. Guarantees: nothing leaves loopback (other URLs fail on the next tick, as an
 * unlisted domain does in WeChat); storage is per demo user (`?user=`); socket tasks follow the
 * SDK's expectations (callbacks replace, `close(4000)` takes a bare number, binary frames are
 * ArrayBuffers). Callback-style and promise-style calls both work, like the base library.
 */
import { isLoopbackUrl, storagePrefix } from './runtime/env';
import type { TabEnv } from './runtime/env';
import * as overlays from './runtime/overlays';
import type { NavMode, Router } from './runtime/router';
import type { Callback, Options, PreviewApp } from './runtime/types';
import { boolOf, fnOf, isRecord, numOf, strOf } from './runtime/types';

export interface ShimMetrics {
  screenWidth: number;
  screenHeight: number;
  windowWidth: number;
  windowHeight: number;
  statusBarHeight: number;
  safeBottom: number;
}

export interface ShimContext {
  env: TabEnv;
  app: PreviewApp;
  router: Router;
  metrics: ShimMetrics;
  storage: Storage;
  /** Absolute URL of the bundled sample photo handed out by chooseMedia/chooseImage. */
  sampleImageUrl: string;
  /** Records every wx call by name (the preview's debugging aid; tests read it). */
  calls: Record<string, number>;
}

type Api = (o?: Options) => unknown;

/** Thrown inside an API body to fail with a WeChat-style reason. */
class ApiFail {
  constructor(readonly reason: string) {}
}

function safeCall(fn: Callback | undefined, arg: unknown): void {
  if (!fn) return;
  try {
    fn(arg);
  } catch (e) {
    console.error('[preview] wx callback threw:', e);
  }
}

/**
 * WeChat's async API contract: with any of success/fail/complete the result goes to callbacks;
 * without, the call returns a Promise. Results carry `errMsg: '<name>:ok'`; failures
 * `'<name>:fail <reason>'`.
 */
function asyncApi(name: string, body: (o: Options) => unknown): Api {
  return (o: Options = {}) => {
    const success = fnOf(o, 'success');
    const fail = fnOf(o, 'fail');
    const complete = fnOf(o, 'complete');
    const promise = (async () => {
      const out = await body(o);
      return { errMsg: `${name}:ok`, ...(isRecord(out) ? out : {}) };
    })();
    if (!success && !fail && !complete) {
      return promise.catch((e: unknown) => {
        throw { errMsg: `${name}:fail ${e instanceof ApiFail ? e.reason : String(e)}` };
      });
    }
    promise.then(
      (res) => {
        safeCall(success, res);
        safeCall(complete, res);
      },
      (e: unknown) => {
        const res = { errMsg: `${name}:fail ${e instanceof ApiFail ? e.reason : String(e)}` };
        safeCall(fail, res);
        safeCall(complete, res);
      },
    );
    return undefined;
  };
}

/** Runs `fn` on the next macrotask: WeChat never calls back synchronously. */
function nextTick(fn: () => void): void {
  setTimeout(fn, 0);
}

function encodeQuery(data: unknown): string {
  if (!isRecord(data)) return '';
  return Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(
      ([k, v]) =>
        `${encodeURIComponent(k)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`,
    )
    .join('&');
}

function headersOf(o: Options): Record<string, string> {
  const raw = o.header ?? o.headers;
  const out: Record<string, string> = {};
  if (isRecord(raw))
    for (const [k, v] of Object.entries(raw)) if (v !== undefined && v !== null) out[k] = String(v);
  return out;
}

function headerObject(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => {
    out[k] = v;
  });
  return out;
}

/** A task whose `onX(cb)` replaces the callback (the Chat SDK detaches by passing no-ops). */
class CallbackSlots {
  private readonly slots = new Map<string, Callback>();
  set(name: string, cb: unknown): void {
    if (typeof cb === 'function') this.slots.set(name, cb as Callback);
    else this.slots.delete(name);
  }
  clear(name: string): void {
    this.slots.delete(name);
  }
  fire(name: string, arg: unknown): void {
    safeCall(this.slots.get(name), arg);
  }
}

function makeSocketTask(
  url: string,
  protocols: string[] | undefined,
  calls: Record<string, number>,
) {
  const slots = new CallbackSlots();
  let ws: WebSocket | null = null;
  let closedEarly = false;
  const task = {
    onOpen: (cb: unknown) => slots.set('open', cb),
    onMessage: (cb: unknown) => slots.set('message', cb),
    onError: (cb: unknown) => slots.set('error', cb),
    onClose: (cb: unknown) => slots.set('close', cb),
    offOpen: () => slots.clear('open'),
    offMessage: () => slots.clear('message'),
    offError: () => slots.clear('error'),
    offClose: () => slots.clear('close'),
    send(o: Options = {}) {
      calls['SocketTask.send'] = (calls['SocketTask.send'] ?? 0) + 1;
      const data = o.data;
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        nextTick(() => {
          const res = { errMsg: 'sendSocketMessage:fail WebSocket is not connected' };
          safeCall(fnOf(o, 'fail'), res);
          safeCall(fnOf(o, 'complete'), res);
        });
        return;
      }
      try {
        ws.send(
          data instanceof ArrayBuffer || typeof data === 'string'
            ? data
            : ArrayBuffer.isView(data)
              ? data
              : String(data),
        );
        nextTick(() => {
          const res = { errMsg: 'sendSocketMessage:ok' };
          safeCall(fnOf(o, 'success'), res);
          safeCall(fnOf(o, 'complete'), res);
        });
      } catch (e) {
        nextTick(() => {
          const res = { errMsg: `sendSocketMessage:fail ${String(e)}` };
          safeCall(fnOf(o, 'fail'), res);
          safeCall(fnOf(o, 'complete'), res);
        });
      }
    },
    /** Accepts `close(4000)` (what the SDK passes) as well as `close({code, reason})`. */
    close(arg?: unknown) {
      const o: Options = typeof arg === 'number' ? { code: arg } : isRecord(arg) ? arg : {};
      let code = numOf(o, 'code', 1000);
      // Browsers only allow 1000 and 3000–4999 from script.
      if (code !== 1000 && (code < 3000 || code > 4999)) code = 1000;
      const reason = strOf(o, 'reason');
      if (!ws) closedEarly = true;
      else {
        try {
          ws.close(code, reason);
        } catch {
          ws.close();
        }
      }
      nextTick(() => {
        const res = { errMsg: 'closeSocket:ok' };
        safeCall(fnOf(o, 'success'), res);
        safeCall(fnOf(o, 'complete'), res);
      });
    },
    get readyState(): number {
      return ws ? ws.readyState : 0;
    },
  };
  const start = (): void => {
    if (closedEarly) return;
    try {
      ws = protocols && protocols.length > 0 ? new WebSocket(url, protocols) : new WebSocket(url);
    } catch (e) {
      slots.fire('error', { errMsg: String(e) });
      slots.fire('close', { code: 1006, reason: String(e) });
      return;
    }
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => slots.fire('open', { header: {}, profile: {} });
    // The SDK reads `res.data` as given: a string or an ArrayBuffer (its /binfo frames).
    ws.onmessage = (ev: MessageEvent) => slots.fire('message', { data: ev.data as unknown });
    ws.onerror = () => slots.fire('error', { errMsg: 'WebSocket error' });
    ws.onclose = (ev: CloseEvent) => slots.fire('close', { code: ev.code, reason: ev.reason });
  };
  return {
    task,
    start,
    fail: (reason: string) => {
      slots.fire('error', { errMsg: reason });
      slots.fire('close', { code: 1006, reason });
    },
  };
}

/**
 * WeChat's file APIs know no CORS. A cross-origin loopback URL goes through the preview server's
 * forwarder when it offers one (`__PREVIEW_ENV__.loopbackProxy`), else straight to the target.
 */
function viaForwarder(url: string): string {
  const env = (window as unknown as { __PREVIEW_ENV__?: { loopbackProxy?: unknown } })
    .__PREVIEW_ENV__;
  const proxy = env && typeof env.loopbackProxy === 'string' ? env.loopbackProxy : '';
  if (!proxy) return url;
  let target: URL;
  try {
    target = new URL(url, location.href);
  } catch {
    return url;
  }
  return target.origin === location.origin
    ? url
    : `${proxy}?url=${encodeURIComponent(target.href)}`;
}

/** Reads a file the app got from chooseMedia/downloadFile (a URL in the preview) as a Blob. */
async function blobOf(filePath: string): Promise<Blob> {
  if (!isLoopbackUrl(filePath, location.href) && !/^(blob|data):/.test(filePath)) {
    throw new ApiFail('file not found');
  }
  const res = await fetch(filePath);
  if (!res.ok) throw new ApiFail(`file not found (${res.status})`);
  return res.blob();
}

function fileNameOf(filePath: string, blob: Blob): string {
  const last = filePath.split(/[?#]/)[0].split('/').pop() ?? '';
  if (/\.\w+$/.test(last)) return last;
  const ext = blob.type.split('/')[1] ?? 'bin';
  return `file.${ext}`;
}

function imageSize(src: string): Promise<{ width: number; height: number }> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => reject(new ApiFail('invalid image'));
    img.src = src;
  });
}

/**
 * Builds the shim. The caller assigns it onto simulate's `wx` (mutating, not replacing it, so
 * simulate's own references keep working).
 */
export function createWxShim(ctx: ShimContext): Record<string, unknown> {
  const { env, router, metrics, calls } = ctx;
  const prefix = storagePrefix(env.user);
  const store = ctx.storage;
  const count = (name: string): void => {
    calls[name] = (calls[name] ?? 0) + 1;
  };
  const storageKeys = (): string[] => {
    const keys: string[] = [];
    for (let i = 0; i < store.length; i += 1) {
      const k = store.key(i);
      if (k && k.startsWith(prefix)) keys.push(k.slice(prefix.length));
    }
    return keys;
  };
  const getItem = (key: string): { found: boolean; value: unknown } => {
    const raw = store.getItem(prefix + key);
    if (raw === null) return { found: false, value: '' };
    try {
      const parsed: unknown = JSON.parse(raw);
      return { found: true, value: isRecord(parsed) && 'v' in parsed ? parsed.v : '' };
    } catch {
      return { found: false, value: '' };
    }
  };
  const setItem = (key: string, value: unknown): void => {
    store.setItem(prefix + key, JSON.stringify({ v: value }));
  };

  const systemInfo = () => ({
    brand: env.platform === 'ios' ? 'iPhone' : 'Android',
    model: env.platform === 'ios' ? 'iPhone (preview)' : 'Android (preview)',
    pixelRatio: window.devicePixelRatio || 2,
    screenWidth: metrics.screenWidth,
    screenHeight: metrics.screenHeight,
    windowWidth: metrics.windowWidth,
    windowHeight: metrics.windowHeight,
    statusBarHeight: metrics.statusBarHeight,
    language: env.language,
    version: '8.0.50',
    system: env.platform === 'ios' ? 'iOS 17.5' : 'Android 14',
    platform: env.platform,
    // The Chat SDK takes its WeChat code path only when this is truthy.
    fontSizeSetting: 16,
    SDKVersion: '3.3.4',
    benchmarkLevel: 1,
    theme: env.theme,
    enableDebug: false,
    deviceOrientation: 'portrait',
    safeArea: {
      left: 0,
      right: metrics.windowWidth,
      top: metrics.statusBarHeight,
      bottom: metrics.screenHeight - metrics.safeBottom,
      width: metrics.windowWidth,
      height: metrics.screenHeight - metrics.safeBottom - metrics.statusBarHeight,
    },
    host: { appId: '', env: 'WeChat' },
    albumAuthorized: true,
    cameraAuthorized: true,
    microphoneAuthorized: true,
    notificationAuthorized: true,
    wifiEnabled: true,
    locationEnabled: false,
    bluetoothEnabled: false,
  });

  const nav = (mode: NavMode) =>
    asyncApi(mode, async (o) => {
      const r = await router.navigate(mode, strOf(o, 'url'), numOf(o, 'delta', 1));
      if (!r.ok) throw new ApiFail(r.reason);
      return mode === 'navigateTo'
        ? {
            eventChannel: {
              emit: () => undefined,
              on: () => undefined,
              off: () => undefined,
              once: () => undefined,
            },
          }
        : {};
    });

  const networkListeners = new Set<Callback>();
  const fireNetwork = (): void => {
    const res = { isConnected: navigator.onLine, networkType: navigator.onLine ? 'wifi' : 'none' };
    networkListeners.forEach((cb) => safeCall(cb, res));
  };
  window.addEventListener('online', fireNetwork);
  window.addEventListener('offline', fireNetwork);

  const keyboardListeners = new Set<Callback>();
  const fireKeyboard = (height: number): void =>
    keyboardListeners.forEach((cb) => safeCall(cb, { height, duration: 0 }));
  document.addEventListener('focusin', (e) => {
    if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)
      fireKeyboard(0);
  });
  document.addEventListener('focusout', () => fireKeyboard(0));

  const appShow = new Set<Callback>();
  const appHide = new Set<Callback>();
  document.addEventListener('visibilitychange', () => {
    const set = document.visibilityState === 'hidden' ? appHide : appShow;
    set.forEach((cb) => safeCall(cb, launchOptions()));
  });

  const launchOptions = () => ({
    path: env.page || ctx.app.pages[0],
    scene: env.scene,
    query: { ...env.query },
    referrerInfo: {},
    forwardMaterials: [],
    chatType: 0,
    apiCategory: 'default',
  });

  let clipboard = '';
  let socketTasks: { close: (o?: unknown) => void }[] = [];

  const shim: Record<string, unknown> = {
    // ── storage (per demo user) ────────────────────────────────────────────────────────────
    getStorageSync: (key: unknown) => getItem(String(key)).value,
    setStorageSync: (key: unknown, data: unknown) => setItem(String(key), data),
    removeStorageSync: (key: unknown) => store.removeItem(prefix + String(key)),
    clearStorageSync: () => storageKeys().forEach((k) => store.removeItem(prefix + k)),
    getStorageInfoSync: () => {
      const keys = storageKeys();
      const bytes = keys.reduce(
        (n, k) => n + (store.getItem(prefix + k)?.length ?? 0) + k.length,
        0,
      );
      return { keys, currentSize: Math.ceil(bytes / 1024), limitSize: 10240 };
    },
    getStorage: asyncApi('getStorage', (o) => {
      const hit = getItem(strOf(o, 'key'));
      if (!hit.found) throw new ApiFail('data not found');
      return { data: hit.value };
    }),
    setStorage: asyncApi('setStorage', (o) => {
      setItem(strOf(o, 'key'), o.data);
      return {};
    }),
    removeStorage: asyncApi('removeStorage', (o) => {
      store.removeItem(prefix + strOf(o, 'key'));
      return {};
    }),
    clearStorage: asyncApi('clearStorage', () => {
      storageKeys().forEach((k) => store.removeItem(prefix + k));
      return {};
    }),
    getStorageInfo: asyncApi('getStorageInfo', () =>
      (shim.getStorageInfoSync as () => Record<string, unknown>)(),
    ),

    // ── network ───────────────────────────────────────────────────────────────────────────
    request: (o: Options = {}) => {
      count('request');
      const controller = new AbortController();
      const url = strOf(o, 'url');
      const method = strOf(o, 'method', 'GET').toUpperCase();
      const headers = headersOf(o);
      const success = fnOf(o, 'success');
      const fail = fnOf(o, 'fail');
      const complete = fnOf(o, 'complete');
      const done = (ok: boolean, res: Record<string, unknown>): void => {
        safeCall(ok ? success : fail, res);
        safeCall(complete, res);
      };
      const task = {
        abort: () => controller.abort(),
        onHeadersReceived: () => undefined,
        offHeadersReceived: () => undefined,
        onChunkReceived: () => undefined,
        offChunkReceived: () => undefined,
      };
      if (!isLoopbackUrl(url)) {
        nextTick(() =>
          done(false, {
            errMsg: `request:fail url not in domain list (preview reaches loopback only): ${url}`,
          }),
        );
        return task;
      }
      let target = url;
      let body: BodyInit | undefined;
      const data = o.data;
      if (method === 'GET' || method === 'HEAD') {
        const qs = typeof data === 'string' ? data : encodeQuery(data);
        if (qs) target += (url.includes('?') ? '&' : '?') + qs;
      } else if (data !== undefined) {
        const ct =
          Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? '';
        if (data instanceof ArrayBuffer || typeof data === 'string') body = data;
        else if (ct.includes('x-www-form-urlencoded')) body = encodeQuery(data);
        else {
          body = JSON.stringify(data);
          if (!ct) headers['content-type'] = 'application/json';
        }
      }
      const timeout = numOf(o, 'timeout', 60000);
      const timer = setTimeout(() => controller.abort(), timeout);
      void (async () => {
        try {
          const res = await fetch(target, { method, headers, body, signal: controller.signal });
          let payload: unknown;
          if (strOf(o, 'responseType') === 'arraybuffer') payload = await res.arrayBuffer();
          else {
            const text = await res.text();
            payload = text;
            if (strOf(o, 'dataType', 'json') === 'json') {
              try {
                payload = JSON.parse(text);
              } catch {
                payload = text;
              }
            }
          }
          done(true, {
            errMsg: 'request:ok',
            data: payload,
            statusCode: res.status,
            header: headerObject(res.headers),
            cookies: [],
          });
        } catch (e) {
          const aborted = controller.signal.aborted;
          done(false, {
            errMsg: aborted ? 'request:fail timeout' : `request:fail ${String(e)}`,
            errno: aborted ? 5 : 600001,
          });
        } finally {
          clearTimeout(timer);
        }
      })();
      return task;
    },
    connectSocket: (o: Options = {}) => {
      count('connectSocket');
      const url = strOf(o, 'url');
      const protocols = Array.isArray(o.protocols) ? o.protocols.map(String) : undefined;
      const { task, start, fail } = makeSocketTask(url, protocols, calls);
      socketTasks.push(task);
      const success = fnOf(o, 'success');
      const failCb = fnOf(o, 'fail');
      const complete = fnOf(o, 'complete');
      if (!isLoopbackUrl(url)) {
        nextTick(() => {
          const res = {
            errMsg: `connectSocket:fail url not in domain list (preview reaches loopback only): ${url}`,
          };
          safeCall(failCb, res);
          safeCall(complete, res);
          fail(res.errMsg);
        });
        return task;
      }
      // WeChat opens the socket after this call returns, so handlers set right after still see onOpen.
      nextTick(() => {
        start();
        const res = { errMsg: 'connectSocket:ok' };
        safeCall(success, res);
        safeCall(complete, res);
      });
      return task;
    },
    closeSocket: asyncApi('closeSocket', (o) => {
      socketTasks.forEach((t) => t.close(o));
      socketTasks = [];
      return {};
    }),
    uploadFile: (o: Options = {}) => {
      count('uploadFile');
      const progress = new Set<Callback>();
      const xhr = new XMLHttpRequest();
      const url = strOf(o, 'url');
      const task = {
        abort: () => xhr.abort(),
        onProgressUpdate: (cb: unknown) => {
          if (typeof cb === 'function') progress.add(cb as Callback);
        },
        offProgressUpdate: () => progress.clear(),
        onHeadersReceived: () => undefined,
        offHeadersReceived: () => undefined,
      };
      const finish = (ok: boolean, res: Record<string, unknown>): void => {
        safeCall(ok ? fnOf(o, 'success') : fnOf(o, 'fail'), res);
        safeCall(fnOf(o, 'complete'), res);
      };
      if (!isLoopbackUrl(url)) {
        nextTick(() =>
          finish(false, {
            errMsg: `uploadFile:fail url not in domain list (preview reaches loopback only): ${url}`,
          }),
        );
        return task;
      }
      void (async () => {
        try {
          const filePath = strOf(o, 'filePath');
          const blob = await blobOf(filePath);
          const form = new FormData();
          if (isRecord(o.formData))
            for (const [k, v] of Object.entries(o.formData))
              form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
          form.append(strOf(o, 'name', 'file'), blob, fileNameOf(filePath, blob));
          xhr.open('POST', viaForwarder(url));
          for (const [k, v] of Object.entries(headersOf(o))) {
            if (k.toLowerCase() !== 'content-type') xhr.setRequestHeader(k, v);
          }
          xhr.upload.onprogress = (ev) => {
            const total = ev.lengthComputable ? ev.total : blob.size;
            const res = {
              progress: total ? Math.round((ev.loaded / total) * 100) : 0,
              totalBytesSent: ev.loaded,
              totalBytesExpectedToSend: total,
            };
            progress.forEach((cb) => safeCall(cb, res));
          };
          xhr.onload = () =>
            finish(true, {
              errMsg: 'uploadFile:ok',
              data: xhr.responseText,
              statusCode: xhr.status,
            });
          xhr.onerror = () => finish(false, { errMsg: 'uploadFile:fail network error' });
          xhr.onabort = () => finish(false, { errMsg: 'uploadFile:fail abort' });
          xhr.send(form);
        } catch (e) {
          finish(false, {
            errMsg: `uploadFile:fail ${e instanceof ApiFail ? e.reason : String(e)}`,
          });
        }
      })();
      return task;
    },
    downloadFile: (o: Options = {}) => {
      count('downloadFile');
      const url = strOf(o, 'url');
      const controller = new AbortController();
      const finish = (ok: boolean, res: Record<string, unknown>): void => {
        safeCall(ok ? fnOf(o, 'success') : fnOf(o, 'fail'), res);
        safeCall(fnOf(o, 'complete'), res);
      };
      if (!isLoopbackUrl(url))
        nextTick(() => finish(false, { errMsg: 'downloadFile:fail url not in domain list' }));
      else
        fetch(viaForwarder(url), { signal: controller.signal, headers: headersOf(o) })
          .then(async (res) =>
            finish(true, {
              errMsg: 'downloadFile:ok',
              statusCode: res.status,
              tempFilePath: URL.createObjectURL(await res.blob()),
            }),
          )
          .catch((e: unknown) => finish(false, { errMsg: `downloadFile:fail ${String(e)}` }));
      return {
        abort: () => controller.abort(),
        onProgressUpdate: () => undefined,
        offProgressUpdate: () => undefined,
      };
    },
    getNetworkType: asyncApi('getNetworkType', () => ({
      networkType: navigator.onLine ? 'wifi' : 'none',
      signalStrength: 0,
      hasSystemProxy: false,
    })),
    onNetworkStatusChange: (cb: unknown) => {
      if (typeof cb === 'function') networkListeners.add(cb as Callback);
    },
    offNetworkStatusChange: (cb?: unknown) => {
      if (typeof cb === 'function') networkListeners.delete(cb as Callback);
      else networkListeners.clear();
    },

    // ── login / account ───────────────────────────────────────────────────────────────────
    // `demo-<user>.<nonce>`: the fake WeChat maps `<user>` to a stable openid and, like WeChat,
    // accepts each code once, so every call gets a fresh nonce.
    login: asyncApi('login', () => {
      count('login');
      return { code: `demo-${env.user}.${Math.random().toString(36).slice(2, 10) || '0'}` };
    }),
    checkSession: asyncApi('checkSession', () => ({})),
    getExtConfigSync: () => ({}),
    getAccountInfoSync: () => ({
      miniProgram: { appId: ctx.app.appId, envVersion: 'develop', version: '' },
      plugin: {},
    }),
    requestSubscribeMessage: asyncApi('requestSubscribeMessage', (o) => {
      const ids = Array.isArray(o.tmplIds) ? o.tmplIds.map(String) : [];
      return Object.fromEntries(ids.map((id) => [id, 'accept']));
    }),
    getLaunchOptionsSync: () => launchOptions(),
    getEnterOptionsSync: () => launchOptions(),

    // ── system ────────────────────────────────────────────────────────────────────────────
    getSystemInfoSync: () => systemInfo(),
    getSystemInfo: asyncApi('getSystemInfo', () => systemInfo()),
    getSystemInfoAsync: asyncApi('getSystemInfoAsync', () => systemInfo()),
    getWindowInfo: () => {
      const s = systemInfo();
      return {
        pixelRatio: s.pixelRatio,
        screenWidth: s.screenWidth,
        screenHeight: s.screenHeight,
        windowWidth: s.windowWidth,
        windowHeight: s.windowHeight,
        statusBarHeight: s.statusBarHeight,
        safeArea: s.safeArea,
        screenTop: 0,
      };
    },
    getDeviceInfo: () => {
      const s = systemInfo();
      return {
        brand: s.brand,
        model: s.model,
        system: s.system,
        platform: s.platform,
        benchmarkLevel: 1,
        abi: 'arm64',
        deviceAbi: 'arm64',
        cpuType: 'preview',
        memorySize: 4096,
      };
    },
    getAppBaseInfo: () => {
      const s = systemInfo();
      return {
        SDKVersion: s.SDKVersion,
        enableDebug: false,
        host: s.host,
        language: s.language,
        version: s.version,
        theme: s.theme,
        fontSizeSetting: s.fontSizeSetting,
      };
    },
    getSystemSetting: () => ({
      bluetoothEnabled: false,
      locationEnabled: false,
      wifiEnabled: true,
      deviceOrientation: 'portrait',
    }),
    getAppAuthorizeSetting: () => ({
      albumAuthorized: 'authorized',
      cameraAuthorized: 'authorized',
      microphoneAuthorized: 'authorized',
      notificationAuthorized: 'authorized',
    }),
    getMenuButtonBoundingClientRect: () => ({
      width: 87,
      height: 32,
      top: metrics.statusBarHeight + 6,
      bottom: metrics.statusBarHeight + 38,
      left: metrics.windowWidth - 94,
      right: metrics.windowWidth - 7,
    }),
    canIUse: () => true,
    onThemeChange: () => undefined,
    offThemeChange: () => undefined,
    onAppShow: (cb: unknown) => {
      if (typeof cb === 'function') appShow.add(cb as Callback);
    },
    onAppHide: (cb: unknown) => {
      if (typeof cb === 'function') appHide.add(cb as Callback);
    },
    offAppShow: (cb?: unknown) =>
      typeof cb === 'function' ? appShow.delete(cb as Callback) : appShow.clear(),
    offAppHide: (cb?: unknown) =>
      typeof cb === 'function' ? appHide.delete(cb as Callback) : appHide.clear(),
    onKeyboardHeightChange: (cb: unknown) => {
      if (typeof cb === 'function') keyboardListeners.add(cb as Callback);
    },
    offKeyboardHeightChange: (cb?: unknown) => {
      if (typeof cb === 'function') keyboardListeners.delete(cb as Callback);
      else keyboardListeners.clear();
    },
    hideKeyboard: asyncApi('hideKeyboard', () => {
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      return {};
    }),
    vibrateShort: asyncApi('vibrateShort', () => ({})),
    vibrateLong: asyncApi('vibrateLong', () => ({})),
    nextTick: (cb: unknown) => {
      if (typeof cb === 'function') void Promise.resolve().then(() => (cb as Callback)());
    },
    setClipboardData: asyncApi('setClipboardData', async (o) => {
      clipboard = strOf(o, 'data');
      try {
        // A permission prompt would never be answered in a headless run: give up after 300 ms.
        await Promise.race([
          navigator.clipboard?.writeText(clipboard),
          new Promise((r) => setTimeout(r, 300)),
        ]);
      } catch {
        // Headless or unfocused pages may refuse; the preview keeps its own copy.
      }
      overlays.showToast({ title: '内容已复制', icon: 'none', duration: 1500, mask: false });
      return {};
    }),
    getClipboardData: asyncApi('getClipboardData', () => ({ data: clipboard })),
    reportEvent: () => undefined,
    reportAnalytics: () => undefined,
    reportMonitor: () => undefined,
    getRealtimeLogManager: () => ({
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
      setFilterMsg: () => undefined,
      addFilterMsg: () => undefined,
      in: () => undefined,
    }),
    getLogManager: () => ({
      log: () => undefined,
      info: () => undefined,
      warn: () => undefined,
      debug: () => undefined,
    }),
    getUpdateManager: () => ({
      onCheckForUpdate: () => undefined,
      onUpdateReady: () => undefined,
      onUpdateFailed: () => undefined,
      applyUpdate: () => undefined,
    }),

    // ── media ────────────────────────────────────────────────────────────────────────────
    chooseMedia: asyncApi('chooseMedia', async () => {
      count('chooseMedia');
      const blob = await blobOf(ctx.sampleImageUrl);
      const size = await imageSize(ctx.sampleImageUrl);
      return {
        type: 'image',
        tempFiles: [
          {
            tempFilePath: ctx.sampleImageUrl,
            size: blob.size,
            fileType: 'image',
            width: size.width,
            height: size.height,
          },
        ],
      };
    }),
    chooseImage: asyncApi('chooseImage', async () => {
      count('chooseImage');
      const blob = await blobOf(ctx.sampleImageUrl);
      return {
        tempFilePaths: [ctx.sampleImageUrl],
        tempFiles: [{ path: ctx.sampleImageUrl, size: blob.size }],
      };
    }),
    // The user-data folder: a loopback file the preview serves stays where it is, so its URL is
    // the kept path (it lasts as long as the preview does); anything else cannot be kept.
    env: { USER_DATA_PATH: 'wxfile://usr' },
    getFileSystemManager: () => ({
      saveFile: asyncApi('saveFile', (o) => {
        count('saveFile');
        const src = strOf(o, 'tempFilePath');
        if (!isLoopbackUrl(src, location.href))
          throw new ApiFail('preview keeps loopback files only');
        return { savedFilePath: new URL(src, location.href).href };
      }),
      unlink: asyncApi('unlink', () => {
        count('unlink');
      }),
    }),
    getImageInfo: asyncApi('getImageInfo', async (o) => {
      const src = strOf(o, 'src');
      const ok = /^(blob|data):/.test(src) || isLoopbackUrl(src, location.href);
      if (!ok) throw new ApiFail('preview loads loopback images only');
      const absolute = new URL(src, location.href).href;
      const size = await imageSize(absolute);
      const ext = (absolute.split(/[?#]/)[0].split('.').pop() ?? 'png').toLowerCase();
      return { ...size, path: absolute, orientation: 'up', type: ext === 'jpg' ? 'jpeg' : ext };
    }),
    previewImage: asyncApi('previewImage', (o) => {
      const urls = Array.isArray(o.urls) ? o.urls.map(String) : [];
      const current = strOf(o, 'current', urls[0] ?? '');
      const src =
        current && (/^(blob|data):/.test(current) || isLoopbackUrl(current, location.href))
          ? current
          : '';
      if (src) overlays.previewImage(src);
      return {};
    }),
    compressImage: asyncApi('compressImage', (o) => ({ tempFilePath: strOf(o, 'src') })),

    // ── UI ───────────────────────────────────────────────────────────────────────────────
    showToast: asyncApi('showToast', (o) => {
      const icon = strOf(o, 'icon', 'success');
      overlays.showToast({
        title: strOf(o, 'title'),
        icon: icon === 'error' || icon === 'loading' || icon === 'none' ? icon : 'success',
        image: strOf(o, 'image') || undefined,
        duration: numOf(o, 'duration', 1500),
        mask: boolOf(o, 'mask'),
      });
      return {};
    }),
    hideToast: asyncApi('hideToast', () => {
      overlays.hideToast('toast');
      return {};
    }),
    showLoading: asyncApi('showLoading', (o) => {
      overlays.showToast(
        { title: strOf(o, 'title'), icon: 'loading', duration: 0, mask: boolOf(o, 'mask') },
        'loading',
      );
      return {};
    }),
    hideLoading: asyncApi('hideLoading', () => {
      overlays.hideToast('loading');
      return {};
    }),
    showModal: asyncApi('showModal', async (o) =>
      overlays.showModal({
        title: strOf(o, 'title'),
        content: strOf(o, 'content'),
        showCancel: boolOf(o, 'showCancel', true),
        cancelText: strOf(o, 'cancelText', '取消'),
        cancelColor: strOf(o, 'cancelColor', '#000000'),
        confirmText: strOf(o, 'confirmText', '确定'),
        confirmColor: strOf(o, 'confirmColor', '#576B95'),
        editable: boolOf(o, 'editable'),
        placeholderText: strOf(o, 'placeholderText'),
      }),
    ),
    showActionSheet: asyncApi('showActionSheet', async (o) => {
      const items = Array.isArray(o.itemList) ? o.itemList.map(String) : [];
      const index = await overlays.showActionSheet(items, strOf(o, 'itemColor', '#000000'));
      if (index < 0) throw new ApiFail('cancel');
      return { tapIndex: index };
    }),
    setNavigationBarTitle: asyncApi('setNavigationBarTitle', (o) => {
      router.setBar({ title: strOf(o, 'title') });
      return {};
    }),
    setNavigationBarColor: asyncApi('setNavigationBarColor', (o) => {
      router.setBar({
        frontColor: strOf(o, 'frontColor', '#000000'),
        backgroundColor: strOf(o, 'backgroundColor', '#ffffff'),
      });
      return {};
    }),
    showNavigationBarLoading: asyncApi('showNavigationBarLoading', () => {
      router.setBar({ loading: true });
      return {};
    }),
    hideNavigationBarLoading: asyncApi('hideNavigationBarLoading', () => {
      router.setBar({ loading: false });
      return {};
    }),
    setBackgroundColor: asyncApi('setBackgroundColor', () => ({})),
    setBackgroundTextStyle: asyncApi('setBackgroundTextStyle', () => ({})),
    stopPullDownRefresh: asyncApi('stopPullDownRefresh', () => ({})),
    startPullDownRefresh: asyncApi('startPullDownRefresh', () => ({})),
    pageScrollTo: asyncApi('pageScrollTo', (o) => {
      const page = router.current();
      if (!page) throw new ApiFail('no page');
      page.el.scrollTo({
        top: numOf(o, 'scrollTop', 0),
        behavior: numOf(o, 'duration', 300) > 0 ? 'smooth' : 'auto',
      });
      return {};
    }),
    createSelectorQuery: () => {
      const page = router.current();
      const create = page?.instance.createSelectorQuery;
      const query =
        typeof create === 'function'
          ? (create.call(page?.instance) as Record<string, unknown>)
          : {};
      // `.in(component)` switches to that component's own query, as in WeChat.
      query.in = (component: unknown) => {
        if (isRecord(component) && typeof component.createSelectorQuery === 'function') {
          return (component.createSelectorQuery as () => unknown)();
        }
        return query;
      };
      return query;
    },

    // ── navigation ───────────────────────────────────────────────────────────────────────
    navigateTo: nav('navigateTo'),
    redirectTo: nav('redirectTo'),
    reLaunch: nav('reLaunch'),
    switchTab: nav('switchTab'),
    navigateBack: nav('navigateBack'),
    exitMiniProgram: asyncApi('exitMiniProgram', () => ({})),
  };

  // Every call is counted (tests check which paths the app and the SDK really took).
  for (const [name, value] of Object.entries(shim)) {
    if (
      typeof value !== 'function' ||
      name === 'request' ||
      name === 'connectSocket' ||
      name === 'uploadFile' ||
      name === 'downloadFile' ||
      name === 'login' ||
      name === 'chooseMedia' ||
      name === 'chooseImage'
    )
      continue;
    const fn = value as (...args: unknown[]) => unknown;
    shim[name] = (...args: unknown[]) => {
      count(name);
      return fn(...args);
    };
  }
  return shim;
}

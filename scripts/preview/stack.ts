/**
 * The whole local stack behind the preview, as `npm start` and the end-to-end tests run it:
 * the Chat + TCCC simulator, the fake WeChat API, the login server configured against both, and
 * the preview server whose `config.js` points the app at them. Every port may be 0 (tests).
 *
 * The backend modules are loaded lazily so a missing one is reported by name instead of as a
 * module-resolution stack trace.
 */
import { randomBytes } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Result } from '../../miniprogram/core/result';
import type { SubscribeMessage } from '../../simulator/wechat';
import type { AppConfig } from './build';
import { servePreview } from './serve';
import type { PreviewServer } from './serve';

export interface StackPorts {
  simulator: number;
  wechat: number;
  server: number;
  preview: number;
}

/** The reply-notification template of the demo (any id works against the fake WeChat). */
export const DEMO_TEMPLATE_ID = 'demo_agent_reply';

export const DEFAULT_PORTS: StackPorts = {
  simulator: 9300,
  wechat: 9301,
  server: 9500,
  preview: 9400,
};

export interface StackOptions {
  ports: StackPorts;
  /** The built preview folder. */
  previewDir: string;
  /** Fewer logs (tests). */
  quiet?: boolean;
  /** Simulator data file, so a restart keeps accounts and history. Default: a temp file. */
  persistFile?: string;
  /** Extra simulator options (e.g. `{ tccc: {...} }`). */
  simulatorOptions?: Record<string, unknown>;
  /** Extra login-server environment (e.g. `ACTIVATION_MODE`). */
  serverEnv?: Record<string, string>;
}

interface SimulatorHandle {
  port: number;
  httpUrl: string;
  wsUrl: string;
  sdkAppID: number;
  secretKey: string;
  adminUserID: string;
  serviceAccounts: { userID: string }[];
  /** Points the simulator's `C2C.CallbackAfterSendMsg` at a URL (optional: older simulators lack it). */
  setCallback?(callback: { url: string; token?: string } | undefined): void;
  close(): Promise<void>;
}

interface Closable {
  close(): Promise<unknown>;
}

export interface RunningStack {
  appConfig: AppConfig;
  urls: { preview: string; console: string; simulator: string; server: string; wechat: string };
  /** The simulator as started (typed loosely: tests reach into it for kicks, sigs, the backend). */
  simulator: SimulatorHandle & Record<string, unknown>;
  /** Reply notifications the fake WeChat accepted so far, oldest first. */
  notificationsSent(): readonly SubscribeMessage[];
  /** Stops the simulator (its sockets drop), keeping its port and data for `startSimulator`. */
  stopSimulator(): Promise<void>;
  /**
   * Starts the simulator again on the same port with the same data. `forgetTcccState` drops the
   * TCCC sessions first (Chat data stays): a desk that lost every session, as after a flow reset.
   */
  startSimulator(options?: { forgetTcccState?: boolean }): Promise<void>;
  /** Stops everything in reverse order. Idempotent; never rejects. */
  close(): Promise<void>;
}

export interface StackError {
  component: 'simulator' | 'wechat' | 'server' | 'preview';
  message: string;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** Checks the simulator's handle has what the stack needs (its module is still evolving). */
function asSimulator(v: unknown): SimulatorHandle | string {
  if (!isObject(v)) return 'startSimulator() did not return an object';
  const need: [string, string][] = [
    ['port', 'number'],
    ['httpUrl', 'string'],
    ['wsUrl', 'string'],
    ['sdkAppID', 'number'],
    ['secretKey', 'string'],
    ['close', 'function'],
  ];
  for (const [key, type] of need) {
    if (typeof v[key] !== type) return `startSimulator() result has no ${type} "${key}"`;
  }
  if (!Array.isArray(v.serviceAccounts)) return 'startSimulator() result has no "serviceAccounts"';
  return v as unknown as SimulatorHandle;
}

async function loadModule(
  specifier: string,
  exportName: string,
  load: () => Promise<unknown>,
): Promise<((...args: never[]) => unknown) | string> {
  let mod: unknown;
  try {
    mod = await load();
  } catch (e) {
    return `cannot load ${specifier}: ${describe(e)}`;
  }
  const fn = isObject(mod) ? mod[exportName] : undefined;
  if (typeof fn !== 'function') return `${specifier} does not export ${exportName}()`;
  return fn as (...args: never[]) => unknown;
}

/**
 * Starts simulator → fake WeChat → preview server → login server. On failure, whatever had started
 * is stopped again and the failing component is named.
 */
export async function startStack(options: StackOptions): Promise<Result<RunningStack, StackError>> {
  const started: Closable[] = [];
  const stopAll = async (): Promise<void> => {
    for (const s of started.splice(0).reverse()) {
      try {
        await s.close();
      } catch {
        // Best effort: the process is shutting this stack down anyway.
      }
    }
  };
  const fail = async (
    component: StackError['component'],
    message: string,
  ): Promise<Result<RunningStack, StackError>> => {
    await stopAll();
    return { ok: false, error: { component, message } };
  };

  const startSim = await loadModule(
    'simulator/index.ts',
    'startSimulator',
    () => import('../../simulator'),
  );
  if (typeof startSim === 'string') return fail('simulator', startSim);
  const startWeChat = await loadModule(
    'simulator/wechat/index.ts',
    'startFakeWeChat',
    () => import('../../simulator/wechat'),
  );
  if (typeof startWeChat === 'string') return fail('wechat', startWeChat);
  const buildServer = await loadModule(
    'server/app.ts',
    'buildServer',
    () => import('../../server/app'),
  );
  if (typeof buildServer === 'string') return fail('server', buildServer);
  const loadConfig = await loadModule(
    'server/config.ts',
    'loadConfig',
    () => import('../../server/config'),
  );
  if (typeof loadConfig === 'string') return fail('server', loadConfig);

  let persistFile = options.persistFile;
  if (!persistFile) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-stack-'));
    persistFile = path.join(dir, 'simulator.json');
    // First in, last out: removed after the simulator has written its final state.
    started.push({ close: async () => fs.rmSync(dir, { recursive: true, force: true }) });
  }
  const simOptions = (port: number): Record<string, unknown> => ({
    port,
    quiet: options.quiet ?? false,
    persistFile,
    env: false,
    ...options.simulatorOptions,
  });
  let simulator: SimulatorHandle;
  try {
    const sim = asSimulator(
      await (startSim as (o: unknown) => Promise<unknown>)(simOptions(options.ports.simulator)),
    );
    if (typeof sim === 'string') return fail('simulator', sim);
    simulator = sim;
  } catch (e) {
    return fail('simulator', `could not start on port ${options.ports.simulator}: ${describe(e)}`);
  }
  let simulatorUp = true;
  const simProxy: Closable = {
    close: async () => {
      if (simulatorUp) {
        simulatorUp = false;
        await simulator.close();
      }
    },
  };
  started.push(simProxy);

  let wechat: {
    url: string;
    appid: string;
    secret: string;
    sent: () => readonly SubscribeMessage[];
  } & Closable;
  try {
    const fake: unknown = await (startWeChat as (o: unknown) => Promise<unknown>)({
      port: options.ports.wechat,
      // What the user's phone would show: the reply notification, with the page it opens.
      onSend: options.quiet
        ? undefined
        : (m: SubscribeMessage) =>
            console.log(
              `[wechat] reply notification to ${m.touser}: ${Object.values(m.data)
                .map((d) => d.value)
                .join(' · ')} → ${m.page ?? ''}`,
            ),
    });
    if (!isObject(fake) || typeof fake.url !== 'string' || typeof fake.close !== 'function') {
      return fail('wechat', 'startFakeWeChat() result has no url/close');
    }
    const wechatMod: unknown = await import('../../simulator/wechat');
    const appid =
      isObject(wechatMod) && typeof wechatMod.FAKE_WECHAT_APPID === 'string'
        ? wechatMod.FAKE_WECHAT_APPID
        : '';
    const secret =
      isObject(wechatMod) && typeof wechatMod.FAKE_WECHAT_SECRET === 'string'
        ? wechatMod.FAKE_WECHAT_SECRET
        : '';
    if (!appid || !secret)
      return fail(
        'wechat',
        'simulator/wechat does not export FAKE_WECHAT_APPID/FAKE_WECHAT_SECRET',
      );
    const sent = Array.isArray(fake.sent) ? (fake.sent as SubscribeMessage[]) : [];
    wechat = {
      url: fake.url,
      appid,
      secret,
      sent: () => sent,
      close: () => (fake.close as () => Promise<void>)(),
    };
  } catch (e) {
    return fail('wechat', `could not start on port ${options.ports.wechat}: ${describe(e)}`);
  }
  started.push(wechat);

  // The app config is read per request, so it can be completed once the login server has a port.
  const appConfig: AppConfig = {
    loginEndpoint: '',
    proxyServer: simulator.wsUrl,
    sdkAppID: simulator.sdkAppID,
    serviceAccounts: simulator.serviceAccounts.map((a) => a.userID),
    // The fake WeChat accepts any template: the whole reply-notification path runs in the demo.
    subscribeTemplateIds: [DEMO_TEMPLATE_ID],
  };
  const consoleUrl = `${simulator.httpUrl}/console`;
  let preview: PreviewServer;
  try {
    preview = await servePreview({
      dir: options.previewDir,
      port: options.ports.preview,
      appConfig,
      previewEnv: { consoleUrl },
      // The SDK uploads images to the simulator (another origin): forwarded like WeChat would.
      proxyOrigins: [new URL(simulator.httpUrl).origin],
    });
  } catch (e) {
    return fail('preview', `could not serve on port ${options.ports.preview}: ${describe(e)}`);
  }
  started.push(preview);

  const previewOrigins = [`http://127.0.0.1:${preview.port}`, `http://localhost:${preview.port}`];
  const env: Record<string, string> = {
    PORT: String(options.ports.server),
    HOST: '127.0.0.1',
    IM_SDKAPPID: String(simulator.sdkAppID),
    IM_SECRET_KEY: simulator.secretKey,
    IM_ADMIN_USERID: simulator.adminUserID || 'administrator',
    IM_REST_BASE: simulator.httpUrl,
    WECHAT_APPID: wechat.appid,
    WECHAT_APP_SECRET: wechat.secret,
    WECHAT_API_BASE: wechat.url,
    SERVICE_ACCOUNTS: simulator.serviceAccounts.map((a) => a.userID).join(','),
    CORS_ORIGINS: previewOrigins.join(','),
    LOG_LEVEL: options.quiet ? 'silent' : 'warn',
    SUBSCRIBE_TEMPLATE_ID: DEMO_TEMPLATE_ID,
    // Signed callbacks like a real deployment: a fresh token per start, shared with the simulator.
    IM_CALLBACK_TOKEN: randomBytes(16).toString('hex'),
    ...options.serverEnv,
  };
  const loaded: unknown = (loadConfig as (e: NodeJS.ProcessEnv) => unknown)(env);
  if (!isObject(loaded) || loaded.ok !== true || !isObject(loaded.config)) {
    const errors =
      isObject(loaded) && Array.isArray(loaded.errors)
        ? loaded.errors.map(String).join('; ')
        : 'unknown';
    return fail('server', `invalid login-server configuration: ${errors}`);
  }
  let serverUrl: string;
  try {
    const app: unknown = (buildServer as (c: unknown) => unknown)(loaded.config);
    if (!isObject(app) || typeof app.listen !== 'function' || typeof app.close !== 'function') {
      return fail('server', 'buildServer() did not return a fastify instance');
    }
    const listen = app.listen as (o: { port: number; host: string }) => Promise<string>;
    const address = await listen.call(app, { port: options.ports.server, host: '127.0.0.1' });
    started.push({ close: () => (app.close as () => Promise<void>).call(app) });
    serverUrl = address.replace('localhost', '127.0.0.1');
  } catch (e) {
    return fail('server', `could not start on port ${options.ports.server}: ${describe(e)}`);
  }
  appConfig.loginEndpoint = serverUrl;

  // In production Tencent Chat calls the login server after every C2C message (reply
  // notifications); locally the simulator plays that part, signed like Tencent.
  const callbackToken = env.IM_CALLBACK_TOKEN?.trim();
  const imCallback = {
    url: `${serverUrl}/im/callback`,
    ...(callbackToken ? { token: callbackToken } : {}),
  };
  const pointCallback = (sim: SimulatorHandle): void => {
    if (typeof sim.setCallback === 'function') sim.setCallback(imCallback);
  };
  pointCallback(simulator);
  // Closed first (reverse order): no callback is started against a login server shutting down.
  started.push({ close: async () => simulator.setCallback?.(undefined) });

  const stack: RunningStack = {
    appConfig,
    urls: {
      preview: preview.url,
      console: consoleUrl,
      simulator: simulator.httpUrl,
      server: serverUrl,
      wechat: wechat.url,
    },
    simulator: simulator as SimulatorHandle & Record<string, unknown>,
    notificationsSent: () => wechat.sent(),
    stopSimulator: async () => {
      await simProxy.close();
    },
    startSimulator: async (opts = {}) => {
      if (simulatorUp) return;
      if (opts.forgetTcccState) fs.rmSync(`${persistFile}.tccc.json`, { force: true });
      const again = asSimulator(
        await (startSim as (o: unknown) => Promise<unknown>)(simOptions(simulator.port)),
      );
      if (typeof again === 'string') throw new Error(again);
      pointCallback(again);
      simulator = again;
      stack.simulator = again as SimulatorHandle & Record<string, unknown>;
      simulatorUp = true;
    },
    close: stopAll,
  };
  return { ok: true, value: stack };
}

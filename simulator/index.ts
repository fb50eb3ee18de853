/**
 * The local Chat + TCCC simulator: one fastify app on one port that serves the real
 * `@tencentcloud/chat` SDK's websocket (`proxyServer: wsUrl`), Tencent-shaped admin REST, image
 * upload/download, `/healthz`, and the routes of the hosted TCCC service (agent console, agent
 * API).
 */
import type { Server } from 'node:http';

import type { FastifyInstance } from 'fastify';

import { ChatBackend } from './chat/backend';
import type { CallbackConfig } from './chat/callback';
import { createLogger } from './chat/logger';
import { Persistence } from './chat/persistence';
import { registerChatRoutes } from './chat/routes';
import {
  DEFAULT_ADMIN_USER_ID,
  DEFAULT_HOST,
  DEFAULT_MODERATION_WORDS,
  DEFAULT_PORT,
  DEFAULT_REVOKE_WINDOW_SECONDS,
  DEFAULT_SDK_APP_ID,
  DEFAULT_SERVICE_ACCOUNTS,
  DEFAULT_USERSIG_EXPIRE_SECONDS,
  DEV_SECRET_KEY,
  type ServiceAccountConfig,
  readEnvOverrides,
} from './config';
import { createHttpApp } from './http';
import { createHostGuard, parseAllowedHosts } from './http-guard';
import { type TcccOptions, type TcccService, createTcccService, tcccOptionsFromEnv } from './tccc';
import type { ServiceBackend } from './tccc/port';

export type { ServiceAccountConfig } from './config';
export type { ChatBackend } from './chat/backend';
export type { CallbackConfig } from './chat/callback';

/**
 * What the simulator needs from the TCCC service it hosts: its routes, registered on the app
 * before it is ready (behind the Host guard like every route; a websocket route of its own takes
 * `{ websocket: true }`), and a way to stop.
 */
export interface HostedService {
  register(app: FastifyInstance): void | Promise<void>;
  close(): void | Promise<void>;
}

export interface SimulatorOptions {
  /** 0 = ephemeral. Default: `SIMULATOR_PORT`, else 9300. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Default: `SIMULATOR_SDKAPPID`, else 1400000000. */
  sdkAppID?: number;
  /** Default: `SIMULATOR_SECRET_KEY`, else the development-only key in config.ts. */
  secretKey?: string;
  /** The REST administrator account. Default `administrator`. */
  adminUserID?: string;
  /** Default: `@customer_service_account`, nick 在线客服, the built-in avatar. */
  serviceAccounts?: ServiceAccountConfig[];
  /** JSON file keeping accounts and conversations across restarts. Default: `SIMULATOR_DATA`. */
  persistFile?: string;
  /** Only warnings on the console (tests, benchmarks). */
  quiet?: boolean;
  /** Texts containing one of these are refused with 80001. Default: 违禁词, forbidden-word. */
  moderationWords?: string[];
  /** Seconds a sender may revoke a message. Default 120, like Tencent. */
  revokeWindowSeconds?: number;
  /**
   * The service hosted on top of the Chat backend. Default: the simulated TCCC (`simulator/tccc`:
   * service flow, queue, ratings, agent console at `/console`); `false` runs the bare Chat backend
   * (nobody answers the service account); a function hosts something else.
   */
  service?: false | ((backend: ServiceBackend, ctx: ServiceContext) => HostedService);
  /**
   * Options of the simulated TCCC (flow, agentsOnline, offHours, autoAccept, ratingStyle...).
   * Merged over the `TCCC_*` environment variables (see `tcccOptionsFromEnv`).
   */
  tccc?: TcccOptions;
  /** Where env overrides come from; `false` ignores the environment. Default `process.env`. */
  env?: NodeJS.ProcessEnv | false;
  /**
   * Tencent's third-party callback: `C2C.CallbackAfterSendMsg` is posted to `url` after every
   * one-to-one message, signed when `token` is set. Default: `SIMULATOR_CALLBACK_URL` and
   * `SIMULATOR_CALLBACK_TOKEN`, else none. Can be set later with `setCallback`.
   */
  callback?: CallbackConfig;
  /**
   * Host names answered besides `localhost`, `127.0.0.1` and `[::1]` (any port); every other
   * `Host` gets 403 (DNS rebinding). Default: `SIMULATOR_ALLOWED_HOSTS` (comma-separated).
   */
  allowedHosts?: string[];
  /** Total bytes of stored uploads. Default: `SIMULATOR_UPLOAD_QUOTA_MB`, else 1024 MB. */
  uploadQuotaBytes?: number;
}

/** What a hosted service learns about the simulator around it. */
export interface ServiceContext {
  httpUrl: string;
  sdkAppID: number;
  serviceAccounts: ServiceAccountConfig[];
  quiet: boolean;
}

export interface RunningSimulator {
  port: number;
  host: string;
  /** `ws://127.0.0.1:PORT`: the SDK's `proxyServer`. */
  wsUrl: string;
  httpUrl: string;
  sdkAppID: number;
  /** The key UserSigs are checked with (development only unless overridden). */
  secretKey: string;
  adminUserID: string;
  serviceAccounts: ServiceAccountConfig[];
  /** The Chat backend, for tests and tools (it implements the TCCC `ServiceBackend` port). */
  backend: ChatBackend;
  /** The simulated TCCC (agent API for tests), unless another or no service was asked for. */
  tccc: TcccService | undefined;
  /** A valid UserSig for this simulator (default lifetime 7 days). */
  genUserSig(userID: string, expireSeconds?: number): string;
  /** Kicks the user's login: 1 multipleAccount, 2 multipleDevice (default), 3 REST API kick. */
  kick(userID: string, type?: 1 | 2 | 3): void;
  /** Expires the user's current UserSig: KICKED_OUT userSigExpired at the next heartbeat. */
  expireUserSig(userID: string): void;
  /** Drops the user's sockets like a network loss; the SDK reconnects and re-logs in by itself. */
  disconnect(userID: string): void;
  /**
   * Sets (or with undefined clears) the after-send callback, e.g. once the login server that
   * receives it listens. Throws on a URL that is not http(s).
   */
  setCallback(callback: CallbackConfig | undefined): void;
  /** Stops listening, drops every socket, writes the persistence file. Idempotent. */
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/**
 * Starts the simulator and resolves once it listens. Every option has a default, so
 * `startSimulator({ port: 0, quiet: true })` is all a test needs; always `close()` it.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const env = options.env === false ? {} : (options.env ?? process.env);
  const { overrides, errors } = readEnvOverrides(env);
  const quiet = options.quiet ?? false;
  const log = createLogger(quiet);
  for (const e of errors) log.warn(`ignored: ${e}`);

  const host = options.host ?? DEFAULT_HOST;
  const sdkAppID = options.sdkAppID ?? overrides.sdkAppID ?? DEFAULT_SDK_APP_ID;
  const secretKey = options.secretKey ?? overrides.secretKey ?? DEV_SECRET_KEY;
  const adminUserID = options.adminUserID ?? DEFAULT_ADMIN_USER_ID;
  const persistFile = options.persistFile ?? overrides.persistFile;
  const serviceAccounts = (options.serviceAccounts ?? DEFAULT_SERVICE_ACCOUNTS).map((sa) => ({
    ...sa,
  }));

  const backend = new ChatBackend(
    {
      sdkAppID,
      secretKey,
      adminUserID,
      serviceAccounts,
      moderationWords: options.moderationWords ?? [...DEFAULT_MODERATION_WORDS],
      revokeWindowSeconds: options.revokeWindowSeconds ?? DEFAULT_REVOKE_WINDOW_SECONDS,
      callback: options.callback ?? overrides.callback,
    },
    log,
    persistFile ? `${persistFile}.files` : undefined,
    { quotaBytes: options.uploadQuotaBytes ?? overrides.uploadQuotaBytes },
  );
  const persistence = persistFile ? new Persistence(persistFile, backend.store, log) : undefined;
  persistence?.open();
  backend.onChange = () => persistence?.schedule();

  const app = await createHttpApp(
    createHostGuard(options.allowedHosts ?? parseAllowedHosts(env.SIMULATOR_ALLOWED_HOSTS)),
    log,
  );
  const server = app.server;
  registerChatRoutes(app, backend);

  const port = await listen(server, options.port ?? overrides.port ?? DEFAULT_PORT, host);
  const httpUrl = `http://${host}:${port}`;
  backend.files.origin = httpUrl;
  backend.store.rebaseOrigin(httpUrl);
  backend.seedAccounts(`${httpUrl}/assets/service-avatar.svg`);
  for (const sa of serviceAccounts)
    sa.avatar = backend.serviceProfile(sa.userID)?.avatar ?? sa.avatar;

  let service: HostedService | undefined;
  let tccc: TcccService | undefined;
  if (options.service) {
    service = options.service(backend, { httpUrl, sdkAppID, serviceAccounts, quiet });
  } else if (options.service === undefined) {
    const fromEnv = tcccOptionsFromEnv(env);
    if (!fromEnv.ok) for (const problem of fromEnv.error) log.warn(`ignored: ${problem}`);
    const tcccLog = createLogger(quiet, '[tccc]');
    tccc = createTcccService(backend, {
      publicOrigin: httpUrl,
      logger: { info: (line) => tcccLog.info(line), warn: (line) => tcccLog.warn(line) },
      ...(persistFile ? { stateFile: `${persistFile}.tccc.json` } : {}),
      ...(fromEnv.ok ? fromEnv.value : {}),
      ...options.tccc,
    });
    service = tccc;
  }
  const hosted = service;
  if (hosted) await app.register(async (scope) => hosted.register(scope));
  await app.ready();
  app.websocketServer.on('error', (e: Error) => log.warn(`websocket server: ${e.message}`));

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        await service?.close();
      } catch (e) {
        log.warn(`service close failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      backend.closeAll();
      for (const ws of app.websocketServer.clients) ws.terminate();
      // Closes the websocket server; the http server is ours to close (it listened before the app).
      await app.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      persistence?.close();
      backend.files.close();
    })();
    return closing;
  };

  return {
    port,
    host,
    wsUrl: `ws://${host}:${port}`,
    httpUrl,
    sdkAppID,
    secretKey,
    adminUserID,
    serviceAccounts,
    backend,
    tccc,
    genUserSig: (userID, expireSeconds = DEFAULT_USERSIG_EXPIRE_SECONDS) =>
      backend.genUserSig(userID, expireSeconds),
    kick: (userID, type = 2) => {
      backend.kick(userID, type);
    },
    expireUserSig: (userID) => {
      backend.expireUserSig(userID);
    },
    disconnect: (userID) => {
      backend.dropConnections(userID);
    },
    setCallback: (callback) => {
      backend.setCallback(callback);
    },
    close,
  };
}

import type { ReplyNotifications, PresenceHeartbeat } from '../adapters/notify/index';
import { createPresenceHeartbeat, createReplyNotifications } from '../adapters/notify/index';
import { createTencentTransport } from '../adapters/chat/tencent-transport';
import { createConsoleLogger } from '../adapters/console-logger';
import { systemClock } from '../adapters/system-clock';
import { createWxAuth } from '../adapters/wx-auth';
import { createWxFiles } from '../adapters/wx-files';
import { createWxStorage } from '../adapters/wx-storage';
import { applyLanguage } from '../adapters/language';
import { getLanguage } from '../core/i18n/index';
import { getConfig } from '../config';
import { buildServices } from './build';
import type { CoreServices } from './build';

export { buildServices } from './build';
export type { ChatTuning, CoreServices, ServicePorts } from './build';

/**
 * Everything pages use, built once from the configuration over the real adapters. Pages never build
 * adapters or stores themselves; tests swap parts with {@link setServicesForTest}.
 *
 * Start-up (app.ts `onLaunch`): `getServices().session.restore()`; `ok(false)` → login page.
 * Chat page: `const chat = services.createChat(id)`, `chat.open()` in `onLoad`, `chat.close()`
 * in `onUnload` (a hidden page keeps listening); view via `createChatViewBuilder()` with
 * `services.chatViewContext(id)` and `diffForSetData` for `setData`.
 */
export interface Services extends CoreServices {
  /** One presence heartbeat for the app: the login server uses it to tell "away" from "reading". */
  presence(): PresenceHeartbeat;
  /** The "notify me when they reply" flow of one chat page. */
  createChatNotifications(): ReplyNotifications;
}

let services: Services | null = null;
let overrides: Partial<Services> = {};

function build(): Services {
  const config = overrides.config ?? getConfig();
  const clock = overrides.clock ?? systemClock;
  const logger = overrides.logger ?? createConsoleLogger();
  const storage = overrides.storage ?? createWxStorage();
  // Stored in-app choice first, then the deployment's setting, then WeChat's language.
  applyLanguage({ configured: config.language, storage });
  const language = getLanguage;
  const transport =
    overrides.transport ??
    createTencentTransport({
      sdkAppID: config.sdkAppID,
      proxyServer: config.proxyServer,
      loginTimeoutMs: config.loginTimeoutMs,
      logLevel: config.sdkLogLevel,
      clock,
      logger,
    });
  const auth =
    overrides.auth ??
    createWxAuth({
      loginEndpoint: config.loginEndpoint,
      timeoutMs: config.requestTimeoutMs,
      language,
    });
  const files = createWxFiles();
  const core = buildServices({ config, clock, logger, storage, transport, auth, files, language });
  const sessionToken = () => core.session.getSession()?.sessionToken;
  let presence: PresenceHeartbeat | null = null;
  return {
    ...core,
    presence() {
      if (!presence)
        presence = createPresenceHeartbeat({
          loginEndpoint: config.loginEndpoint,
          timeoutMs: config.requestTimeoutMs,
          getSessionToken: sessionToken,
          clock,
        });
      return presence;
    },
    createChatNotifications() {
      return createReplyNotifications({
        loginEndpoint: config.loginEndpoint,
        templateIds: config.subscribeTemplateIds,
        timeoutMs: config.requestTimeoutMs,
        getSessionToken: sessionToken,
        clock,
        storage,
        logger,
      });
    },
    ...overrides,
  };
}

/** The services, built on first use. */
export function getServices(): Services {
  if (!services) services = build();
  return services;
}

/**
 * Replaces parts of the services for tests (fake transport, memory storage, fake clock...). Parts
 * not given are built from them as usual, on the next `getServices()`. `null` resets everything.
 */
export function setServicesForTest(partial: Partial<Services> | null): void {
  overrides = partial ?? {};
  services = null;
}

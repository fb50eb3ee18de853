import type { Language } from './core/i18n/index';
import { resolveLanguage } from './core/i18n/index';

/** Display name and avatar of a customer-service account when its Chat profile has none. */
export interface ServiceDisplay {
  nick: string;
  avatar: string;
}

/**
 * The one configuration of the client. Defaults target the local simulator; a deployment
 * overrides them through the host app's `App({ globalData: { csConfig } })`, `ext.json`
 * (`wx.getExtConfigSync().csConfig`), the browser preview through `globalThis.__CS_CONFIG__`, and
 * code through {@link configure}.
 */
export interface AppConfig {
  /** Tencent Cloud Chat application; the login server's answer takes precedence when it differs. */
  sdkAppID: number;
  /** Customer-service (TCCC virtual) accounts, as Chat userIDs; the login server may send others. */
  serviceAccounts: string[];
  /** Display fallbacks per service account; `defaultServiceDisplay` for the rest. */
  serviceDisplay: Record<string, ServiceDisplay>;
  defaultServiceDisplay: ServiceDisplay;
  /** How the user's own messages are labelled (the SDK profile is not fetched). */
  selfDisplay: ServiceDisplay;
  /** Base URL of our login server (`/api/login`, `/api/refresh`). */
  loginEndpoint: string;
  /** Chat socket of the local simulator (`ws://…`); `''` = Tencent's cloud. */
  proxyServer: string;
  /** `auto` follows the WeChat language. */
  language: 'auto' | 'zh-CN' | 'en';
  /** Largest image the user may send, bytes. */
  imageMaxBytes: number;
  /** Our own limit on a Chat login (the SDK waits 90 s offline), ms. */
  loginTimeoutMs: number;
  /** Timeout of requests to our login server, ms. */
  requestTimeoutMs: number;
  /** Subscribe-message template ids (`wx.requestSubscribeMessage`), for reply notifications. */
  subscribeTemplateIds: string[];
  /** The text that asks the TCCC flow for a human agent. */
  transferToHumanText: string;
  /** SDK log level: 0 verbose … 4 off. */
  sdkLogLevel: 0 | 1 | 2 | 3 | 4;
  /**
   * Where the customer-service pages live in the app: `''` when they are the app's own pages (the
   * standalone app), the subpackage root (`cs`) when a host mounts them as a subpackage.
   */
  packageRoot: string;
}

/** The defaults: the local simulator and login server on loopback. */
export const DEFAULT_CONFIG: Readonly<AppConfig> = Object.freeze({
  sdkAppID: 1400000000,
  serviceAccounts: ['@customer_service_account'],
  serviceDisplay: {},
  // An empty nick shows the i18n table's name for customer service, in the user's language.
  defaultServiceDisplay: { nick: '', avatar: '' },
  selfDisplay: { nick: '', avatar: '' },
  loginEndpoint: 'http://127.0.0.1:9500',
  proxyServer: 'ws://127.0.0.1:9300',
  language: 'auto',
  imageMaxBytes: 10 * 1024 * 1024,
  loginTimeoutMs: 15_000,
  requestTimeoutMs: 10_000,
  subscribeTemplateIds: [],
  transferToHumanText: '人工服务',
  sdkLogLevel: 1,
  packageRoot: '',
});

type Dict = Record<string, unknown>;
/** `''` or a subpackage root such as `cs` or `packages/cs` (slashes at the ends tolerated). */
const PACKAGE_ROOT = /^\/?([\w-]+(\/[\w-]+)*)?\/?$/;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && s !== '') : undefined;
const positive = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
};
const display = (v: unknown): ServiceDisplay | undefined =>
  isDict(v)
    ? {
        nick: typeof v.nick === 'string' ? v.nick : '',
        avatar: typeof v.avatar === 'string' ? v.avatar : '',
      }
    : undefined;

/**
 * Applies untrusted overrides (ext.json, a preview global, a test) on top of `base`: unknown keys
 * and values of the wrong type are ignored, so a typo cannot break the client.
 */
export function mergeConfig(base: Readonly<AppConfig>, overrides: unknown): AppConfig {
  const next: AppConfig = {
    ...base,
    serviceAccounts: [...base.serviceAccounts],
    serviceDisplay: { ...base.serviceDisplay },
    subscribeTemplateIds: [...base.subscribeTemplateIds],
  };
  if (!isDict(overrides)) return next;
  const o = overrides;
  const appId = positive(o.sdkAppID);
  if (appId !== undefined) next.sdkAppID = Math.floor(appId);
  // Accepts `['id']` or `[{ userID, nick, avatar }]`.
  if (Array.isArray(o.serviceAccounts)) {
    const ids: string[] = [];
    for (const entry of o.serviceAccounts) {
      if (typeof entry === 'string' && entry !== '') ids.push(entry);
      else if (isDict(entry) && typeof entry.userID === 'string' && entry.userID !== '') {
        ids.push(entry.userID);
        const d = display(entry);
        if (d) next.serviceDisplay[entry.userID] = d;
      }
    }
    if (ids.length > 0) next.serviceAccounts = ids;
  }
  if (isDict(o.serviceDisplay)) {
    for (const [id, v] of Object.entries(o.serviceDisplay)) {
      const d = display(v);
      if (d) next.serviceDisplay[id] = d;
    }
  }
  next.defaultServiceDisplay = display(o.defaultServiceDisplay) ?? next.defaultServiceDisplay;
  next.selfDisplay = display(o.selfDisplay) ?? next.selfDisplay;
  if (typeof o.loginEndpoint === 'string' && /^https?:\/\//.test(o.loginEndpoint))
    next.loginEndpoint = o.loginEndpoint;
  if (
    typeof o.proxyServer === 'string' &&
    (o.proxyServer === '' || /^wss?:\/\//.test(o.proxyServer))
  ) {
    next.proxyServer = o.proxyServer;
  }
  if (o.language === 'auto' || o.language === 'zh-CN' || o.language === 'en')
    next.language = o.language;
  const maxBytes = positive(o.imageMaxBytes);
  if (maxBytes !== undefined) next.imageMaxBytes = maxBytes;
  const loginTimeout = positive(o.loginTimeoutMs);
  if (loginTimeout !== undefined) next.loginTimeoutMs = loginTimeout;
  const requestTimeout = positive(o.requestTimeoutMs);
  if (requestTimeout !== undefined) next.requestTimeoutMs = requestTimeout;
  const templates = strings(o.subscribeTemplateIds);
  if (templates) next.subscribeTemplateIds = templates;
  if (typeof o.transferToHumanText === 'string' && o.transferToHumanText.trim() !== '') {
    next.transferToHumanText = o.transferToHumanText;
  }
  if (typeof o.sdkLogLevel === 'number' && [0, 1, 2, 3, 4].includes(o.sdkLogLevel)) {
    next.sdkLogLevel = o.sdkLogLevel as AppConfig['sdkLogLevel'];
  }
  if (typeof o.packageRoot === 'string' && PACKAGE_ROOT.test(o.packageRoot)) {
    next.packageRoot = o.packageRoot.replace(/^\/+|\/+$/g, '');
  }
  return next;
}

/**
 * Overrides from the environment: the host app's `globalData.csConfig` (a mini-program that mounts
 * the customer service as a subpackage), `ext.json` `csConfig`, then the preview's `__CS_CONFIG__`.
 */
function environmentOverrides(): unknown[] {
  const found: unknown[] = [];
  try {
    if (typeof getApp === 'function') {
      const app: unknown = getApp({ allowDefault: true });
      const globalData = isDict(app) ? app.globalData : undefined;
      if (isDict(globalData) && isDict(globalData.csConfig)) found.push(globalData.csConfig);
    }
  } catch {
    // No App yet (tests, tools): the other sources still apply.
  }
  try {
    if (typeof wx !== 'undefined' && typeof wx.getExtConfigSync === 'function') {
      const ext: unknown = wx.getExtConfigSync();
      if (isDict(ext) && isDict(ext.csConfig)) found.push(ext.csConfig);
    }
  } catch {
    // No ext.json (the usual case outside third-party platforms).
  }
  const preview = (globalThis as Dict).__CS_CONFIG__;
  if (isDict(preview)) found.push(preview);
  return found;
}

let current: AppConfig | null = null;
let runtime: unknown[] = [];

/**
 * The configuration in effect: defaults ← host `globalData.csConfig` ← ext.json ← preview global ←
 * `configure` calls.
 */
export function getConfig(): AppConfig {
  if (!current) {
    current = [...environmentOverrides(), ...runtime].reduce<AppConfig>(
      (acc, o) => mergeConfig(acc, o),
      mergeConfig(DEFAULT_CONFIG, {}),
    );
  }
  return current;
}

/**
 * The one run-time override: merges `overrides` (validated as in {@link mergeConfig}) on top of the
 * current configuration. Call before `getServices()` builds anything; `null` drops all run-time
 * overrides (tests).
 */
export function configure(
  overrides: Partial<AppConfig> | Record<string, unknown> | null,
): AppConfig {
  runtime = overrides === null ? [] : [...runtime, overrides];
  current = null;
  return getConfig();
}

/** The UI language: the configured one, or WeChat's when `auto`. */
export function resolveAppLanguage(config: AppConfig, systemLanguage?: string): Language {
  if (config.language !== 'auto') return config.language;
  if (systemLanguage !== undefined) return resolveLanguage(systemLanguage);
  try {
    if (typeof wx !== 'undefined' && typeof wx.getAppBaseInfo === 'function') {
      return resolveLanguage(wx.getAppBaseInfo().language);
    }
  } catch {
    // Not in WeChat (tests, preview without the API): fall back below.
  }
  return resolveLanguage('zh_CN');
}

/**
 * Server configuration: environment variables only, all validated at start. `loadConfig` never
 * throws; it returns one readable error per missing or invalid variable so an operator can fix a
 * deployment in a single pass.
 */

export type ActivationMode = 'handshake' | 'text';
export type MiniprogramState = 'formal' | 'trial' | 'developer';

export interface ServerConfig {
  port: number;
  host: string;
  imSdkAppID: number;
  /** Never logged. */
  imSecretKey: string;
  imAdminUserID: string;
  /** Without a trailing slash. */
  imRestBase: string;
  wechatAppID: string;
  /** Never logged. */
  wechatAppSecret: string;
  /** Without a trailing slash. */
  wechatApiBase: string;
  /** Customer-service (TCCC virtual) accounts, in configuration order, at least one. */
  serviceAccounts: string[];
  /** Exact origins (`scheme://host[:port]`) allowed to call the API from a browser. */
  corsOrigins: string[];
  /**
   * `/im/callback` requires `Sign = sha256(token + RequestTime)` with this token. Required unless
   * `IM_CALLBACK_UNSIGNED=allow` (then `undefined`: unsigned callbacks are accepted). Never logged.
   */
  imCallbackToken: string | undefined;
  /** `IM_CALLBACK_UNSIGNED=allow`: the operator chose to accept unsigned callbacks. */
  imCallbackUnsignedAllowed: boolean;
  /** A signed callback's `RequestTime` may be at most this far from the server's clock. */
  callbackMaxAgeSeconds: number;
  /** Callback requests per client IP per minute (Tencent's callback servers are few and busy). */
  rateLimitCallbackPerMinute: number;
  /** `redis://…` or `rediss://…`: state lives in Redis (several instances); else in memory. */
  redisUrl: string | undefined;
  /** One-time subscribe template for agent-reply notifications; notifications are off without it. */
  subscribeTemplateId: string | undefined;
  /** Template data: field name → text with `{{preview}}` / `{{time}}` / `{{account}}` placeholders. */
  subscribeTemplateData: Record<string, string>;
  miniprogramState: MiniprogramState;
  /** Page the notification opens, without a leading slash. */
  chatPagePath: string;
  sessionTtlSeconds: number;
  userSigTtlSeconds: number;
  activationMode: ActivationMode;
  activationText: string | undefined;
  /** A user with no activity for this long counts as away (reply notifications go out). */
  presenceAwaySeconds: number;
  rateLimitIpPerMinute: number;
  rateLimitUserPerMinute: number;
  /** Key for openid → userID. Explicit (USER_ID_KEY) or derived from the IM key (see README). */
  userIdKey: string;
  userIdKeyIsDerived: boolean;
  /** Fastify `trustProxy`: false, true or a hop count. */
  trustProxy: boolean | number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export type ConfigResult = { ok: true; config: ServerConfig } | { ok: false; errors: string[] };

const DEFAULTS = {
  PORT: '9500',
  HOST: '127.0.0.1',
  IM_ADMIN_USERID: 'administrator',
  IM_REST_BASE: 'https://console.tim.qq.com',
  WECHAT_API_BASE: 'https://api.weixin.qq.com',
  CHAT_PAGE_PATH: 'pages/chat/chat',
  SESSION_TTL_SECONDS: String(30 * 24 * 3600),
  USERSIG_TTL_SECONDS: String(7 * 24 * 3600),
  ACTIVATION_MODE: 'handshake',
  PRESENCE_AWAY_SECONDS: '90',
  RATE_LIMIT_IP_PER_MINUTE: '120',
  RATE_LIMIT_USER_PER_MINUTE: '30',
  RATE_LIMIT_CALLBACK_PER_MINUTE: '6000',
  IM_CALLBACK_MAX_AGE_SECONDS: '60',
  SUBSCRIBE_TEMPLATE_DATA: '{"thing1":"{{preview}}","time2":"{{time}}"}',
  MINIPROGRAM_STATE: 'formal',
  TRUST_PROXY: 'false',
  LOG_LEVEL: 'info',
} as const;

/** Tencent Chat UserIDs: at most 32 bytes; kept to printable ASCII without spaces or commas. */
const IM_USER_ID = /^[\x21-\x2b\x2d-\x7e]{1,32}$/;
const TEMPLATE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

class Reader {
  readonly errors: string[] = [];

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Trimmed value, or undefined when unset or blank. */
  raw(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  required(name: string, hint: string): string {
    const value = this.raw(name);
    if (value === undefined) {
      this.errors.push(`${name} is required (${hint}).`);
      return '';
    }
    return value;
  }

  withDefault(name: keyof typeof DEFAULTS): string {
    return this.raw(name) ?? DEFAULTS[name];
  }

  int(name: string, value: string, min: number, max: number): number {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.errors.push(`${name} must be an integer from ${min} to ${max} (got "${value}").`);
      return min;
    }
    return Number(value);
  }

  url(name: string, value: string): string {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      this.errors.push(`${name} must be an absolute http(s) URL (got "${value}").`);
      return '';
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      this.errors.push(`${name} must use http or https (got "${parsed.protocol}").`);
      return '';
    }
    if (parsed.search !== '' || parsed.hash !== '' || parsed.username !== '') {
      this.errors.push(`${name} must be a base URL without query, fragment or credentials.`);
      return '';
    }
    return parsed.href.replace(/\/+$/, '');
  }

  oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
    const found = allowed.find((candidate) => candidate === value);
    if (found === undefined) {
      this.errors.push(`${name} must be one of ${allowed.join(', ')} (got "${value}").`);
      return allowed[0];
    }
    return found;
  }
}

function list(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function readOrigins(r: Reader): string[] {
  const origins: string[] = [];
  for (const item of list(r.raw('CORS_ORIGINS'))) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(item);
    } catch {
      parsed = undefined;
    }
    if (
      parsed === undefined ||
      (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') ||
      parsed.origin !== item.replace(/\/$/, '')
    ) {
      r.errors.push(
        `CORS_ORIGINS entries must be exact origins like http://127.0.0.1:9400 (got "${item}").`,
      );
      continue;
    }
    origins.push(parsed.origin);
  }
  return origins;
}

function readTemplateData(r: Reader): Record<string, string> {
  const text = r.withDefault('SUBSCRIBE_TEMPLATE_DATA');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const entries =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? Object.entries(parsed)
      : [];
  const valid =
    entries.length > 0 &&
    entries.length <= 20 &&
    entries.every(
      ([key, value]) =>
        /^[a-z_]+[0-9]{1,3}$/.test(key) && typeof value === 'string' && value !== '',
    );
  if (!valid) {
    r.errors.push(
      'SUBSCRIBE_TEMPLATE_DATA must be a JSON object of template fields to non-empty strings, ' +
        'e.g. {"thing1":"{{preview}}","time2":"{{time}}"}.',
    );
    return {};
  }
  return Object.fromEntries(entries.map(([key, value]) => [key, String(value)]));
}

function readTrustProxy(r: Reader): boolean | number {
  const value = r.withDefault('TRUST_PROXY');
  if (value === 'true') return true;
  if (value === 'false') return false;
  return r.int('TRUST_PROXY', value, 1, 10);
}

/**
 * Reads and validates every variable. Guarantees: on `ok: true` every field is valid (URLs parse,
 * numbers are in range, lists are non-empty where required); on `ok: false` `errors` names each bad
 * variable once, and never echoes a secret's value.
 */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const r = new Reader(env);

  const port = r.int('PORT', r.withDefault('PORT'), 0, 65535);
  const host = r.withDefault('HOST');
  const imSdkAppID = r.required('IM_SDKAPPID', 'the Chat application SDKAppID');
  const imSdkAppIDNumber = imSdkAppID === '' ? 0 : r.int('IM_SDKAPPID', imSdkAppID, 1, 4294967295);
  const imSecretKey = r.required('IM_SECRET_KEY', 'the Chat application secret key');
  if (imSecretKey !== '' && /\s/.test(imSecretKey)) {
    r.errors.push('IM_SECRET_KEY must not contain whitespace.');
  }
  const imAdminUserID = r.withDefault('IM_ADMIN_USERID');
  if (!IM_USER_ID.test(imAdminUserID)) {
    r.errors.push('IM_ADMIN_USERID must be a Chat UserID (1 to 32 printable ASCII characters).');
  }
  const imRestBase = r.url('IM_REST_BASE', r.withDefault('IM_REST_BASE'));
  const wechatAppID = r.required('WECHAT_APPID', 'the mini-program AppID');
  if (wechatAppID !== '' && !/^[A-Za-z0-9_-]{1,64}$/.test(wechatAppID)) {
    r.errors.push(`WECHAT_APPID must be letters, digits, "_" or "-" (got "${wechatAppID}").`);
  }
  const wechatAppSecret = r.required('WECHAT_APP_SECRET', 'the mini-program AppSecret');
  const wechatApiBase = r.url('WECHAT_API_BASE', r.withDefault('WECHAT_API_BASE'));

  const serviceAccounts = list(r.raw('SERVICE_ACCOUNTS'));
  if (serviceAccounts.length === 0) {
    r.errors.push('SERVICE_ACCOUNTS is required (comma-separated customer-service account IDs).');
  }
  const badAccounts = serviceAccounts.filter((account) => !IM_USER_ID.test(account));
  if (badAccounts.length > 0) {
    r.errors.push(
      `SERVICE_ACCOUNTS entries must be Chat UserIDs of at most 32 bytes (bad: ${badAccounts.join(' ')}).`,
    );
  }
  if (serviceAccounts.includes(imAdminUserID)) {
    r.errors.push('SERVICE_ACCOUNTS must not contain the IM_ADMIN_USERID account.');
  }

  const corsOrigins = readOrigins(r);
  const imCallbackToken = r.raw('IM_CALLBACK_TOKEN');
  const unsigned = r.raw('IM_CALLBACK_UNSIGNED');
  if (unsigned !== undefined && unsigned !== 'allow') {
    r.errors.push(`IM_CALLBACK_UNSIGNED must be "allow" or unset (got "${unsigned}").`);
  }
  const imCallbackUnsignedAllowed = unsigned === 'allow' && imCallbackToken === undefined;
  if (imCallbackToken === undefined && unsigned !== 'allow') {
    r.errors.push(
      'IM_CALLBACK_TOKEN is required (the callback authentication token from the Chat console); ' +
        'set IM_CALLBACK_UNSIGNED=allow only to accept unsigned callbacks knowingly.',
    );
  }
  const callbackMaxAgeSeconds = r.int(
    'IM_CALLBACK_MAX_AGE_SECONDS',
    r.withDefault('IM_CALLBACK_MAX_AGE_SECONDS'),
    5,
    600,
  );

  const subscribeTemplateId = r.raw('SUBSCRIBE_TEMPLATE_ID');
  if (subscribeTemplateId !== undefined && !TEMPLATE_ID.test(subscribeTemplateId)) {
    r.errors.push(
      'SUBSCRIBE_TEMPLATE_ID must be a WeChat template ID (letters, digits, "_", "-").',
    );
  }
  const subscribeTemplateData = readTemplateData(r);
  const miniprogramState = r.oneOf('MINIPROGRAM_STATE', r.withDefault('MINIPROGRAM_STATE'), [
    'formal',
    'trial',
    'developer',
  ] as const);

  const chatPagePath = r.withDefault('CHAT_PAGE_PATH');
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(chatPagePath)) {
    r.errors.push(
      `CHAT_PAGE_PATH must be a page path like pages/chat/chat, without "/" or "?" at the ends (got "${chatPagePath}").`,
    );
  }

  const sessionTtlSeconds = r.int(
    'SESSION_TTL_SECONDS',
    r.withDefault('SESSION_TTL_SECONDS'),
    60,
    365 * 24 * 3600,
  );
  const userSigTtlSeconds = r.int(
    'USERSIG_TTL_SECONDS',
    r.withDefault('USERSIG_TTL_SECONDS'),
    60,
    180 * 24 * 3600,
  );
  const activationMode = r.oneOf('ACTIVATION_MODE', r.withDefault('ACTIVATION_MODE'), [
    'handshake',
    'text',
  ] as const);
  const activationText = r.raw('ACTIVATION_TEXT');
  if (activationMode === 'text' && activationText === undefined) {
    r.errors.push('ACTIVATION_TEXT is required when ACTIVATION_MODE=text.');
  }
  if (activationText !== undefined && activationText.length > 500) {
    r.errors.push('ACTIVATION_TEXT must be at most 500 characters.');
  }
  const presenceAwaySeconds = r.int(
    'PRESENCE_AWAY_SECONDS',
    r.withDefault('PRESENCE_AWAY_SECONDS'),
    5,
    24 * 3600,
  );
  const rateLimitIpPerMinute = r.int(
    'RATE_LIMIT_IP_PER_MINUTE',
    r.withDefault('RATE_LIMIT_IP_PER_MINUTE'),
    1,
    10_000_000,
  );
  const rateLimitUserPerMinute = r.int(
    'RATE_LIMIT_USER_PER_MINUTE',
    r.withDefault('RATE_LIMIT_USER_PER_MINUTE'),
    1,
    10_000_000,
  );

  const rateLimitCallbackPerMinute = r.int(
    'RATE_LIMIT_CALLBACK_PER_MINUTE',
    r.withDefault('RATE_LIMIT_CALLBACK_PER_MINUTE'),
    1,
    10_000_000,
  );
  const redisUrl = r.raw('REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    r.errors.push('REDIS_URL must be a redis:// or rediss:// URL.');
  }

  const explicitUserIdKey = r.raw('USER_ID_KEY');
  if (explicitUserIdKey !== undefined && explicitUserIdKey.length < 16) {
    r.errors.push('USER_ID_KEY must be at least 16 characters.');
  }
  const trustProxy = readTrustProxy(r);
  const logLevel = r.oneOf('LOG_LEVEL', r.withDefault('LOG_LEVEL'), LOG_LEVELS);

  if (r.errors.length > 0) return { ok: false, errors: r.errors };
  return {
    ok: true,
    config: {
      port,
      host,
      imSdkAppID: imSdkAppIDNumber,
      imSecretKey,
      imAdminUserID,
      imRestBase,
      wechatAppID,
      wechatAppSecret,
      wechatApiBase,
      serviceAccounts: [...new Set(serviceAccounts)],
      corsOrigins,
      imCallbackToken,
      imCallbackUnsignedAllowed,
      callbackMaxAgeSeconds,
      rateLimitCallbackPerMinute,
      redisUrl,
      subscribeTemplateId,
      subscribeTemplateData,
      miniprogramState,
      chatPagePath,
      sessionTtlSeconds,
      userSigTtlSeconds,
      activationMode,
      activationText,
      presenceAwaySeconds,
      rateLimitIpPerMinute,
      rateLimitUserPerMinute,
      userIdKey: explicitUserIdKey ?? `derived:${imSdkAppIDNumber}:${imSecretKey}`,
      userIdKeyIsDerived: explicitUserIdKey === undefined,
      trustProxy,
      logLevel,
    },
  };
}

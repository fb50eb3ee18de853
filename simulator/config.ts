/**
 * Simulator defaults, in one place, and the environment overrides `npm run simulator` honours.
 *
 * The secret key below is a development-only value that ships in git on purpose: the simulator is a
 * local stand-in for Tencent Cloud Chat, and anyone can mint a UserSig for it. Never reuse it for a
 * real SDKAppID.
 */

import { parseCallbackUrl } from './chat/callback';

/** One customer-service virtual account (客服号) the simulated TCCC answers through. */
export interface ServiceAccountConfig {
  userID: string;
  nick: string;
  /** `''` = the simulator's built-in avatar (served at `/assets/service-avatar.svg`). */
  avatar: string;
}

export const DEFAULT_PORT = 9300;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_SDK_APP_ID = 1400000000;
/** Development only: public in the repository, accepted by no real Tencent application. */
export const DEV_SECRET_KEY = 'dev-only-simulator-secret-key-0000000000000000000000000000000000';
export const DEFAULT_ADMIN_USER_ID = 'administrator';
export const DEFAULT_SERVICE_ACCOUNTS: readonly ServiceAccountConfig[] = [
  { userID: '@customer_service_account', nick: '在线客服', avatar: '' },
];
/** Words that make the moderation refuse a text (ErrorCode 80001). One CJK, one ASCII test word. */
export const DEFAULT_MODERATION_WORDS: readonly string[] = ['违禁词', 'forbidden-word'];
/** Tencent's default window for revoking a one-to-one message. */
export const DEFAULT_REVOKE_WINDOW_SECONDS = 120;
/** Default lifetime of UserSigs minted by the simulator itself (7 days, like Tencent's samples). */
export const DEFAULT_USERSIG_EXPIRE_SECONDS = 7 * 24 * 3600;

/** Settings read from the environment; absent variables are left out. */
export interface EnvOverrides {
  port?: number;
  sdkAppID?: number;
  secretKey?: string;
  persistFile?: string;
  /** Total bytes of stored uploads (`SIMULATOR_UPLOAD_QUOTA_MB`). */
  uploadQuotaBytes?: number;
  /** The after-send callback (`SIMULATOR_CALLBACK_URL`, `SIMULATOR_CALLBACK_TOKEN`). */
  callback?: { url: string; token?: string };
}

/**
 * Reads `SIMULATOR_PORT`, `SIMULATOR_SDKAPPID`, `SIMULATOR_SECRET_KEY`, `SIMULATOR_DATA`,
 * `SIMULATOR_UPLOAD_QUOTA_MB`,
 * `SIMULATOR_CALLBACK_URL` and `SIMULATOR_CALLBACK_TOKEN`.
 * Invalid numbers are reported in `errors` and ignored, so a typo never starts the simulator on
 * an unexpected port silently.
 */
export function readEnvOverrides(env: NodeJS.ProcessEnv = process.env): {
  overrides: EnvOverrides;
  errors: string[];
} {
  const overrides: EnvOverrides = {};
  const errors: string[] = [];
  const port = env.SIMULATOR_PORT;
  if (port !== undefined && port !== '') {
    const n = Number(port);
    if (Number.isInteger(n) && n >= 0 && n <= 65535) overrides.port = n;
    else errors.push(`SIMULATOR_PORT=${port} is not a port number`);
  }
  const appID = env.SIMULATOR_SDKAPPID;
  if (appID !== undefined && appID !== '') {
    const n = Number(appID);
    if (Number.isInteger(n) && n > 0) overrides.sdkAppID = n;
    else errors.push(`SIMULATOR_SDKAPPID=${appID} is not a positive integer`);
  }
  if (env.SIMULATOR_SECRET_KEY) overrides.secretKey = env.SIMULATOR_SECRET_KEY;
  if (env.SIMULATOR_DATA) overrides.persistFile = env.SIMULATOR_DATA;
  const quota = env.SIMULATOR_UPLOAD_QUOTA_MB;
  if (quota !== undefined && quota !== '') {
    const n = Number(quota);
    if (Number.isFinite(n) && n >= 0) overrides.uploadQuotaBytes = Math.floor(n * 1024 * 1024);
    else errors.push(`SIMULATOR_UPLOAD_QUOTA_MB=${quota} is not a number of megabytes`);
  }
  const callbackUrl = env.SIMULATOR_CALLBACK_URL;
  if (callbackUrl) {
    const parsed = parseCallbackUrl(callbackUrl);
    const token = env.SIMULATOR_CALLBACK_TOKEN;
    if (typeof parsed === 'string') errors.push(`SIMULATOR_CALLBACK_URL: ${parsed}`);
    else overrides.callback = token ? { url: callbackUrl, token } : { url: callbackUrl };
  }
  return { overrides, errors };
}

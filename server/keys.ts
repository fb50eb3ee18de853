import { createHmac, hkdfSync } from 'node:crypto';
import type { ServerConfig } from './config';

/** Server-side keys, each derived for one purpose so one leaking never forges another. */
export interface ServerKeys {
  /** HMAC key for openid → userID. */
  userId: Buffer;
  /** HMAC key for session tokens. */
  session: Buffer;
}

function derive(material: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', material, 'tccc-cs-login-server', purpose, 32));
}

/**
 * Derives the server keys from configuration. Session keys follow the IM secret key and the
 * WeChat AppSecret (rotating either logs everyone out, which is safe); the userID key follows
 * USER_ID_KEY when set, so rotating the IM key need not change every user's identity.
 */
export function deriveKeys(config: ServerConfig): ServerKeys {
  return {
    userId: derive(config.userIdKey, 'user-id-v1'),
    session: derive(
      `${config.imSdkAppID}\n${config.imSecretKey}\n${config.wechatAppSecret}`,
      'session-token-v1',
    ),
  };
}

/**
 * Maps an openid to the Chat userID: `wx` + 30 hex chars of HMAC-SHA256(openid). Stable for a
 * given key, not reversible without it, 32 characters (the UserID limit), and only `[0-9a-z]`.
 */
export function userIdForOpenid(key: Buffer, openid: string): string {
  return `wx${createHmac('sha256', key).update(openid).digest('hex').slice(0, 30)}`;
}

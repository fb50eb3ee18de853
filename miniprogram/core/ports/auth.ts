import type { Result } from '../result';

/**
 * What our login server issues: the Chat credentials plus the session token that buys new ones.
 * UserSigs are never made on the client (a secret key in the package could sign for any user).
 */
export interface AuthSession {
  sdkAppID: number;
  userID: string;
  userSig: string;
  /** When the UserSig stops working, unix milliseconds. */
  expireAt: number;
  /** The customer-service accounts this user talks to (C2C userIDs). */
  serviceAccounts: string[];
  /** Opaque token for `refresh`. */
  sessionToken: string;
}

/**
 * Obtains and renews Chat credentials. Errors: `network`/`timeout` (try again), `session-expired`
 * (the session token is no longer valid: log in from scratch), `server-refused` (anything else).
 */
export interface AuthPort {
  /** Logs the WeChat user in (e.g. `wx.login` code → our server) and returns fresh credentials. */
  login(): Promise<Result<AuthSession>>;
  /** Exchanges a session token for new credentials (same user). */
  refresh(sessionToken: string): Promise<Result<AuthSession>>;
}

/** Narrows stored or received data to an {@link AuthSession}; `null` if anything is missing. */
export function parseAuthSession(value: unknown): AuthSession | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const sdkAppID = Number(v.sdkAppID);
  const expireAtRaw = Number(v.expireAt);
  if (!Number.isFinite(sdkAppID) || sdkAppID <= 0) return null;
  if (typeof v.userID !== 'string' || v.userID === '') return null;
  if (typeof v.userSig !== 'string' || v.userSig === '') return null;
  if (typeof v.sessionToken !== 'string') return null;
  if (!Number.isFinite(expireAtRaw) || expireAtRaw <= 0) return null;
  const serviceAccounts = Array.isArray(v.serviceAccounts)
    ? v.serviceAccounts.filter((a): a is string => typeof a === 'string' && a !== '')
    : [];
  return {
    sdkAppID,
    userID: v.userID,
    userSig: v.userSig,
    // Servers speak seconds or milliseconds; anything below 1e12 is seconds (year 33658 in ms).
    expireAt: expireAtRaw < 1e12 ? expireAtRaw * 1000 : expireAtRaw,
    serviceAccounts,
    sessionToken: v.sessionToken,
  };
}

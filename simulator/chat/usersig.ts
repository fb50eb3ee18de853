/**
 * UserSig, TLS v2 (Tencent's `tls-sig-api-v2`), re-implemented with node:crypto and node:zlib so the
 * simulator checks signatures exactly as the real backend does. A wrong key, a foreign SDKAppID or
 * an expired signature is refused with Tencent's own error codes, so auth bugs surface locally.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

import { type Result, fail, ok } from './result';

/** Tencent's account error codes for UserSig checks. */
export const USERSIG_ERRORS = {
  expired: 70001,
  /** Not decodable: truncated, not base64, not zlib, not JSON. */
  malformed: 70003,
  /** HMAC mismatch: signed with another key. */
  badSignature: 70009,
  identifierMismatch: 70013,
  sdkAppIDMismatch: 70014,
  unknownSdkAppID: 70020,
} as const;

export interface UserSigClaims {
  identifier: string;
  sdkAppID: number;
  /** Signing time, unix seconds. */
  time: number;
  /** Lifetime in seconds. */
  expire: number;
  /** `time + expire`, unix seconds. */
  expiresAt: number;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function hmacBase64(
  secretKey: string,
  identifier: string,
  sdkAppID: number,
  time: number,
  expire: number,
): string {
  const content =
    `TLS.identifier:${identifier}\n` +
    `TLS.sdkappid:${sdkAppID}\n` +
    `TLS.time:${time}\n` +
    `TLS.expire:${expire}\n`;
  return createHmac('sha256', secretKey).update(content).digest('base64');
}

const escapeBase64 = (b64: string): string =>
  b64.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
const unescapeBase64 = (s: string): string =>
  s.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');

/**
 * Mints a UserSig byte-identical to `tls-sig-api-v2`'s `genUserSig` for the same inputs and time.
 * `now` (unix seconds) is for tests.
 */
export function genUserSig(
  sdkAppID: number,
  secretKey: string,
  identifier: string,
  expireSeconds: number,
  now: number = nowSeconds(),
): string {
  // Key order matters: the real library serialises exactly this object.
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': identifier,
    'TLS.sdkappid': sdkAppID,
    'TLS.time': now,
    'TLS.expire': expireSeconds,
    'TLS.sig': hmacBase64(secretKey, identifier, sdkAppID, now, expireSeconds),
  };
  return escapeBase64(deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64'));
}

export interface VerifyInput {
  userSig: string;
  /** The account the request claims to be (`head.identifier`, REST `identifier`). */
  identifier: string;
  /** The SDKAppID the request is addressed to. */
  sdkAppID: number;
  /** The SDKAppID the simulator serves. */
  expectedSdkAppID: number;
  secretKey: string;
  now?: number;
}

function decode(userSig: string): Record<string, unknown> | undefined {
  if (userSig.length === 0 || userSig.length > 4096) return undefined;
  try {
    const json = inflateSync(Buffer.from(unescapeBase64(userSig), 'base64')).toString('utf8');
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

const sameString = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Checks a UserSig the way Tencent's backend does, in its order: app known, decodable, SDKAppID and
 * identifier match, signature valid, not expired. Never throws; the failure carries the real code.
 */
export function verifyUserSig(input: VerifyInput): Result<UserSigClaims> {
  if (input.sdkAppID !== input.expectedSdkAppID) {
    return fail(USERSIG_ERRORS.unknownSdkAppID, `SDKAppID ${input.sdkAppID} does not exist`);
  }
  const doc = decode(input.userSig);
  const identifier = doc?.['TLS.identifier'];
  const sdkAppID = doc?.['TLS.sdkappid'];
  const time = doc?.['TLS.time'];
  const expire = doc?.['TLS.expire'];
  const sig = doc?.['TLS.sig'];
  if (
    typeof identifier !== 'string' ||
    typeof sdkAppID !== 'number' ||
    typeof time !== 'number' ||
    typeof expire !== 'number' ||
    typeof sig !== 'string'
  ) {
    return fail(USERSIG_ERRORS.malformed, 'UserSig could not be decoded');
  }
  if (sdkAppID !== input.sdkAppID) {
    return fail(
      USERSIG_ERRORS.sdkAppIDMismatch,
      `UserSig was generated for SDKAppID ${sdkAppID}, not ${input.sdkAppID}`,
    );
  }
  if (identifier !== input.identifier) {
    return fail(
      USERSIG_ERRORS.identifierMismatch,
      'UserID in the request does not match the UserID in the UserSig',
    );
  }
  if (!sameString(sig, hmacBase64(input.secretKey, identifier, sdkAppID, time, expire))) {
    return fail(
      USERSIG_ERRORS.badSignature,
      'UserSig verification failed: signed with another secret key',
    );
  }
  const expiresAt = time + expire;
  if ((input.now ?? nowSeconds()) > expiresAt) {
    return fail(USERSIG_ERRORS.expired, 'UserSig expired');
  }
  return ok({ identifier, sdkAppID, time, expire, expiresAt });
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import { inflateSync } from 'node:zlib';
// The package's own "main" is declared twice (once to a missing file): name the file.
import { Api } from 'tls-sig-api-v2/TLSSigAPIv2.js';

/**
 * Tencent Cloud Chat UserSig, TLS v2: issued by Tencent's `tls-sig-api-v2`, checked here with node
 * crypto + zlib (an independent implementation, so tests can cross-check the two).
 */
/** What a UserSig states once decoded and checked. */
export interface UserSigClaims {
  identifier: string;
  sdkAppID: number;
  /** Issue time, unix seconds. */
  time: number;
  /** Lifetime in seconds, counted from `time`. */
  expire: number;
}

export type UserSigCheck =
  | { ok: true; claims: UserSigClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'wrong-app' | 'expired' };

function contentToSign(claims: UserSigClaims): string {
  return (
    `TLS.identifier:${claims.identifier}\n` +
    `TLS.sdkappid:${claims.sdkAppID}\n` +
    `TLS.time:${claims.time}\n` +
    `TLS.expire:${claims.expire}\n`
  );
}

function hmacBase64(secretKey: string, claims: UserSigClaims): string {
  // The key is the UTF-8 bytes of the console's key string as-is, not hex-decoded.
  return createHmac('sha256', secretKey).update(contentToSign(claims)).digest('base64');
}

function unescapeBase64(s: string): string {
  return s.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
}

/** Issues a UserSig for `identifier`, valid `expireSeconds` from now (`tls-sig-api-v2`). */
export function genUserSig(
  sdkAppID: number,
  secretKey: string,
  identifier: string,
  expireSeconds: number,
): string {
  return new Api(sdkAppID, secretKey).genUserSig(identifier, expireSeconds);
}

/** The issue time (unix seconds) a UserSig states, read back from the signed document. */
export function issuedAtOf(userSig: string): number | undefined {
  try {
    const doc: unknown = JSON.parse(
      inflateSync(Buffer.from(unescapeBase64(userSig), 'base64'), {
        maxOutputLength: 4096,
      }).toString('utf8'),
    );
    const time = (doc as Record<string, unknown> | null)?.['TLS.time'];
    return typeof time === 'number' ? time : undefined;
  } catch {
    return undefined;
  }
}

function field(doc: Record<string, unknown>, name: string, type: 'string' | 'number'): unknown {
  const value = doc[name];
  return typeof value === type ? value : undefined;
}

/**
 * Decodes and checks a UserSig: signature (constant-time), SDKAppID and expiry
 * (`now > time + expire` is expired). Never throws, whatever the input.
 */
export function verifyUserSig(
  userSig: string,
  sdkAppID: number,
  secretKey: string,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): UserSigCheck {
  let doc: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(
      inflateSync(Buffer.from(unescapeBase64(userSig), 'base64'), {
        maxOutputLength: 4096,
      }).toString('utf8'),
    );
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { ok: false, reason: 'malformed' };
    }
    doc = parsed as Record<string, unknown>;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const identifier = field(doc, 'TLS.identifier', 'string');
  const appID = field(doc, 'TLS.sdkappid', 'number');
  const time = field(doc, 'TLS.time', 'number');
  const expire = field(doc, 'TLS.expire', 'number');
  const sig = field(doc, 'TLS.sig', 'string');
  if (
    typeof identifier !== 'string' ||
    typeof appID !== 'number' ||
    typeof time !== 'number' ||
    typeof expire !== 'number' ||
    typeof sig !== 'string'
  ) {
    return { ok: false, reason: 'malformed' };
  }
  const claims: UserSigClaims = { identifier, sdkAppID: appID, time, expire };
  const expected = Buffer.from(hmacBase64(secretKey, claims));
  const actual = Buffer.from(sig);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) {
    return { ok: false, reason: 'bad-signature' };
  }
  if (appID !== sdkAppID) return { ok: false, reason: 'wrong-app' };
  if (nowSeconds > time + expire) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

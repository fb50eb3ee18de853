import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

/**
 * Tencent Cloud Chat UserSig, TLS v2 (the algorithm of `tls-sig-api-v2`, reimplemented with node
 * crypto + zlib so the server has no untyped runtime dependency; a test checks both agree byte for
 * byte).
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

/** Tencent's URL-safe base64 variant: `+`→`*`, `/`→`-`, `=`→`_`. */
function escapeBase64(b64: string): string {
  return b64.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

function unescapeBase64(s: string): string {
  return s.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
}

/**
 * Issues a UserSig for `identifier`. Deterministic for a given `nowSeconds`: the output is the exact
 * string `tls-sig-api-v2`'s `genUserSig` returns at that time (JSON key order and zlib framing included).
 */
export function genUserSig(
  sdkAppID: number,
  secretKey: string,
  identifier: string,
  expireSeconds: number,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): string {
  const claims: UserSigClaims = { identifier, sdkAppID, time: nowSeconds, expire: expireSeconds };
  // Key order matters: the sig is compared on the decoded document, but byte equality with the
  // reference library is what lets a test prove the two implementations are the same.
  const doc = {
    'TLS.ver': '2.0',
    'TLS.identifier': identifier,
    'TLS.sdkappid': sdkAppID,
    'TLS.time': nowSeconds,
    'TLS.expire': expireSeconds,
    'TLS.sig': hmacBase64(secretKey, claims),
  };
  return escapeBase64(deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64'));
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

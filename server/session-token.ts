import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Session tokens: `v1.<base64url(JSON {u, iat, exp})>.<base64url(HMAC-SHA256)>`. Opaque to the
 * client; the server needs no state to check them. They carry the IM userID only (never the openid).
 */

export interface SessionClaims {
  userID: string;
  /** Issue time, unix seconds. */
  issuedAt: number;
  /** Expiry, unix seconds. */
  expiresAt: number;
}

const PREFIX = 'v1';

function mac(key: Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Signs a token for `userID`, valid `ttlSeconds` from `nowSeconds`. */
export function signSessionToken(
  key: Buffer,
  userID: string,
  nowSeconds: number,
  ttlSeconds: number,
): string {
  const payload = Buffer.from(
    JSON.stringify({ u: userID, iat: nowSeconds, exp: nowSeconds + ttlSeconds }),
  ).toString('base64url');
  const body = `${PREFIX}.${payload}`;
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/**
 * Checks a token. Guarantees: returns claims only for a token this key signed that has not expired
 * at `nowSeconds`; any other input (wrong type, tampered, truncated, expired) gives `undefined`.
 * The MAC is compared in constant time before the payload is parsed.
 */
export function verifySessionToken(
  key: Buffer,
  token: unknown,
  nowSeconds: number,
): SessionClaims | undefined {
  if (typeof token !== 'string' || token.length > 512) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) return undefined;
  const [prefix, payload, signature] = parts as [string, string, string];
  // Compare the encoded form: base64url decoding is lenient, and one token should have one spelling.
  const expected = Buffer.from(mac(key, `${prefix}.${payload}`).toString('base64url'));
  const actual = Buffer.from(signature);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof claims !== 'object' || claims === null) return undefined;
  const { u, iat, exp } = claims as Record<string, unknown>;
  if (typeof u !== 'string' || typeof iat !== 'number' || typeof exp !== 'number') return undefined;
  if (nowSeconds >= exp) return undefined;
  return { userID: u, issuedAt: iat, expiresAt: exp };
}

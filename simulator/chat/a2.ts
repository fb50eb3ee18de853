/**
 * The A2 session ticket `wslogin` hands out. After a reconnect the SDK logs in again silently with
 * only `a2` + `tinyid` in the head (no identifier, no UserSig), so the ticket must identify the
 * user on its own. It is signed with the app's secret key and carries the UserSig's expiry, so it
 * survives a simulator restart and dies with the UserSig it came from.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { isRecord } from './wire';

export interface A2Claims {
  userID: string;
  tinyId: string;
  /** Unix seconds: the expiry of the UserSig the ticket was issued for. */
  expiresAt: number;
  /** sha256 of that UserSig (so expiring the UserSig also kills the ticket). */
  sigHash: string;
}

const b64url = (buf: Buffer): string => buf.toString('base64url');

const mac = (secretKey: string, payload: string): Buffer =>
  createHmac('sha256', secretKey).update(`A2:${payload}`).digest();

export function mintA2(secretKey: string, claims: A2Claims): string {
  const payload = b64url(
    Buffer.from(
      JSON.stringify({
        u: claims.userID,
        t: claims.tinyId,
        e: claims.expiresAt,
        h: claims.sigHash,
        n: randomBytes(6).toString('hex'),
      }),
    ),
  );
  return `${payload}.${b64url(mac(secretKey, payload))}`;
}

/** The ticket's claims if its signature is ours; undefined for anything forged or garbled. */
export function readA2(secretKey: string, a2: string): A2Claims | undefined {
  const dot = a2.indexOf('.');
  if (dot <= 0 || a2.length > 2048) return undefined;
  const payload = a2.slice(0, dot);
  const given = Buffer.from(a2.slice(dot + 1), 'base64url');
  const expected = mac(secretKey, payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (
    !isRecord(parsed) ||
    typeof parsed.u !== 'string' ||
    typeof parsed.t !== 'string' ||
    typeof parsed.e !== 'number' ||
    typeof parsed.h !== 'string'
  ) {
    return undefined;
  }
  return { userID: parsed.u, tinyId: parsed.t, expiresAt: parsed.e, sigHash: parsed.h };
}

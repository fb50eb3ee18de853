import { deflateSync } from 'node:zlib';
import { genUserSig, issuedAtOf, verifyUserSig } from '../../server/usersig';
import { checkUserSig } from './support/fake-im-rest';

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const APP = 1400000001;

/** A UserSig issued with the wall clock at `time` (unix seconds). */
function sigAt(time: number, app: number, key: string, userID: string, expire: number): string {
  const spy = jest.spyOn(Date, 'now').mockReturnValue(time * 1000 + 999);
  try {
    return genUserSig(app, key, userID, expire);
  } finally {
    spy.mockRestore();
  }
}

describe('genUserSig (tls-sig-api-v2) against our own verification', () => {
  it.each([
    ['administrator', 86400, 1700000000],
    ['wx0123456789abcdef0123456789abcd', 604800, 1735689600],
    ['@im_agent#online_shopping_mall', 180 * 86400, 1600000123],
    ['用户', 60, 1000000000],
  ])('%s, %i s, issued at %i: accepted with the right claims', (userID, expire, time) => {
    const sig = sigAt(time, APP, KEY, userID, expire);
    expect(issuedAtOf(sig)).toBe(time);
    expect(verifyUserSig(sig, APP, KEY, time + expire)).toEqual({
      ok: true,
      claims: { identifier: userID, sdkAppID: APP, time, expire },
    });
  });

  it('differs when any input differs', () => {
    const base = sigAt(1700000000, APP, KEY, 'alice', 3600);
    expect(sigAt(1700000000, APP, KEY, 'alicf', 3600)).not.toBe(base);
    expect(sigAt(1700000000, APP + 1, KEY, 'alice', 3600)).not.toBe(base);
    expect(sigAt(1700000000, APP, `${KEY}0`, 'alice', 3600)).not.toBe(base);
    expect(sigAt(1700000000, APP, KEY, 'alice', 3601)).not.toBe(base);
    expect(sigAt(1700000001, APP, KEY, 'alice', 3600)).not.toBe(base);
  });

  it('uses only the URL-safe alphabet and passes an independent check', () => {
    const sig = genUserSig(APP, KEY, 'alice', 3600);
    expect(sig).toMatch(/^[A-Za-z0-9*_-]+$/);
    expect(checkUserSig(sig, APP, KEY, 'alice')).toBe(true);
    expect(checkUserSig(sig, APP, 'other-key', 'alice')).toBe(false);
    expect(issuedAtOf('not a sig')).toBeUndefined();
  });
});

describe('verifyUserSig', () => {
  const now = 1700000000;
  const sig = sigAt(now, APP, KEY, 'alice', 3600);

  it('accepts a valid sig and reports its claims', () => {
    expect(verifyUserSig(sig, APP, KEY, now + 10)).toEqual({
      ok: true,
      claims: { identifier: 'alice', sdkAppID: APP, time: now, expire: 3600 },
    });
  });

  it('rejects a wrong key, another app and expiry', () => {
    expect(verifyUserSig(sig, APP, 'wrong', now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyUserSig(sigAt(now, APP + 1, KEY, 'alice', 3600), APP, KEY, now)).toEqual({
      ok: false,
      reason: 'wrong-app',
    });
    expect(verifyUserSig(sig, APP, KEY, now + 3600).ok).toBe(true);
    expect(verifyUserSig(sig, APP, KEY, now + 3601)).toEqual({ ok: false, reason: 'expired' });
  });

  it('rejects a document whose fields were edited after signing', () => {
    const doc = {
      'TLS.ver': '2.0',
      'TLS.identifier': 'mallory',
      'TLS.sdkappid': APP,
      'TLS.time': now,
      'TLS.expire': 3600,
      'TLS.sig': 'AAAA',
    };
    const forged = deflateSync(Buffer.from(JSON.stringify(doc)))
      .toString('base64')
      .replace(/\+/g, '*')
      .replace(/\//g, '-')
      .replace(/=/g, '_');
    expect(verifyUserSig(forged, APP, KEY, now)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it.each([
    '',
    'x',
    '****',
    'eJyrVkrLz1eyUkpKLFKqBQAdegQ0',
    sig.slice(0, 20),
    sig.slice(0, -6),
    '\u0000',
  ])('never throws on malformed input %#', (input) => {
    const result = verifyUserSig(input, APP, KEY, now);
    expect(result.ok).toBe(false);
  });
});

import { createRequire } from 'node:module';
import { deflateSync } from 'node:zlib';
import { genUserSig, verifyUserSig } from '../../server/usersig';
import { checkUserSig } from './support/fake-im-rest';

interface TlsSigApi {
  genUserSig(userID: string, expire: number): string;
}
// The reference library ships no types; load it through require and type the one call we use.
const { Api } = createRequire(__filename)('tls-sig-api-v2') as {
  Api: new (sdkAppID: number, key: string) => TlsSigApi;
};

const KEY = '5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e';
const APP = 1400000001;

describe('genUserSig', () => {
  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['administrator', 86400, 1700000000],
    ['wx0123456789abcdef0123456789abcd', 604800, 1735689600],
    ['@im_agent#online_shopping_mall', 180 * 86400, 1600000123],
    ['用户', 60, 1000000000],
  ])('matches tls-sig-api-v2 byte for byte (%s, %i s, t=%i)', (userID, expire, time) => {
    jest.spyOn(Date, 'now').mockReturnValue(time * 1000 + 999);
    const reference = new Api(APP, KEY).genUserSig(userID, expire);
    expect(genUserSig(APP, KEY, userID, expire, time)).toBe(reference);
    // Also with the default clock (the same mocked Date.now).
    expect(genUserSig(APP, KEY, userID, expire)).toBe(reference);
  });

  it('differs when any input differs', () => {
    const base = genUserSig(APP, KEY, 'alice', 3600, 1700000000);
    expect(genUserSig(APP, KEY, 'alicf', 3600, 1700000000)).not.toBe(base);
    expect(genUserSig(APP + 1, KEY, 'alice', 3600, 1700000000)).not.toBe(base);
    expect(genUserSig(APP, `${KEY}0`, 'alice', 3600, 1700000000)).not.toBe(base);
    expect(genUserSig(APP, KEY, 'alice', 3601, 1700000000)).not.toBe(base);
    expect(genUserSig(APP, KEY, 'alice', 3600, 1700000001)).not.toBe(base);
  });

  it('uses only the URL-safe alphabet and passes an independent check', () => {
    const sig = genUserSig(APP, KEY, 'alice', 3600);
    expect(sig).toMatch(/^[A-Za-z0-9*_-]+$/);
    expect(checkUserSig(sig, APP, KEY, 'alice')).toBe(true);
    expect(checkUserSig(sig, APP, 'other-key', 'alice')).toBe(false);
  });
});

describe('verifyUserSig', () => {
  const now = 1700000000;
  const sig = genUserSig(APP, KEY, 'alice', 3600, now);

  it('accepts a valid sig and reports its claims', () => {
    expect(verifyUserSig(sig, APP, KEY, now + 10)).toEqual({
      ok: true,
      claims: { identifier: 'alice', sdkAppID: APP, time: now, expire: 3600 },
    });
  });

  it('rejects a wrong key, another app and expiry', () => {
    expect(verifyUserSig(sig, APP, 'wrong', now)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyUserSig(genUserSig(APP + 1, KEY, 'alice', 3600, now), APP, KEY, now)).toEqual({
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

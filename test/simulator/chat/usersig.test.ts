import { Api as TLSSigApi } from 'tls-sig-api-v2';

import { USERSIG_ERRORS, genUserSig, verifyUserSig } from '../../../simulator/chat/usersig';

const APP = 1400000000;
const KEY = 'test-secret-key-for-usersig-checks';

/** tls-sig-api-v2 reads the clock itself: pin it so both sides sign the same second. */
function withFrozenClock<T>(seconds: number, fn: () => T): T {
  const spy = jest.spyOn(Date, 'now').mockReturnValue(seconds * 1000);
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

describe('genUserSig', () => {
  it('is byte-identical to the official tls-sig-api-v2 for the same second', () => {
    const now = 1_700_000_000;
    for (const [user, expire] of [
      ['user1', 604800],
      ['@customer_service_account', 86400],
      ['administrator', 180 * 86400],
    ] as const) {
      const official = withFrozenClock(now, () => new TLSSigApi(APP, KEY).genUserSig(user, expire));
      expect(genUserSig(APP, KEY, user, expire, now)).toBe(official);
    }
  });
});

describe('verifyUserSig', () => {
  const base = { identifier: 'user1', sdkAppID: APP, expectedSdkAppID: APP, secretKey: KEY };

  it('accepts a signature minted by the official library and reports its expiry', () => {
    const now = Math.floor(Date.now() / 1000);
    const sig = withFrozenClock(now, () => new TLSSigApi(APP, KEY).genUserSig('user1', 3600));
    const r = verifyUserSig({ ...base, userSig: sig, now });
    expect(r).toEqual({
      ok: true,
      value: { identifier: 'user1', sdkAppID: APP, time: now, expire: 3600, expiresAt: now + 3600 },
    });
  });

  it('refuses a signature made with another key (70009)', () => {
    const sig = genUserSig(APP, 'another-key', 'user1', 3600);
    const r = verifyUserSig({ ...base, userSig: sig });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(USERSIG_ERRORS.badSignature);
  });

  it('refuses an expired signature (70001) only once its lifetime has passed', () => {
    const signedAt = 1_700_000_000;
    const sig = genUserSig(APP, KEY, 'user1', 60, signedAt);
    expect(verifyUserSig({ ...base, userSig: sig, now: signedAt + 60 }).ok).toBe(true);
    const late = verifyUserSig({ ...base, userSig: sig, now: signedAt + 61 });
    expect(late.ok ? 0 : late.error.code).toBe(USERSIG_ERRORS.expired);
  });

  it('refuses a signature for another SDKAppID (70014) and an unknown app (70020)', () => {
    const foreign = genUserSig(1400000001, KEY, 'user1', 3600);
    const r1 = verifyUserSig({ ...base, userSig: foreign });
    expect(r1.ok ? 0 : r1.error.code).toBe(USERSIG_ERRORS.sdkAppIDMismatch);
    const r2 = verifyUserSig({ ...base, sdkAppID: 1400000001, userSig: foreign });
    expect(r2.ok ? 0 : r2.error.code).toBe(USERSIG_ERRORS.unknownSdkAppID);
  });

  it('refuses a signature for another user (70013)', () => {
    const sig = genUserSig(APP, KEY, 'user2', 3600);
    const r = verifyUserSig({ ...base, userSig: sig });
    expect(r.ok ? 0 : r.error.code).toBe(USERSIG_ERRORS.identifierMismatch);
  });

  it.each([
    ['empty', ''],
    ['not base64/zlib', 'hello-world'],
    ['truncated', genUserSig(APP, KEY, 'user1', 3600).slice(0, 40)],
    ['zlib of non-JSON', 'eJzLSM3JyQcABiwCFQ__'],
  ])('refuses a malformed signature (%s) with 70003', (_name, sig) => {
    const r = verifyUserSig({ ...base, userSig: sig });
    expect(r.ok ? 0 : r.error.code).toBe(USERSIG_ERRORS.malformed);
  });
});

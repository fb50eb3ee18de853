import { redact, redactString, REDACTED } from '../../../miniprogram/core/log/redact';

const USER_SIG =
  'eJwtzEELgjAYxvHvsmuErm1OhA4dOhQRFBV0FPPdXpvpcCsj*u6Z9R6f3wPPmxy2*-AJHckIDzmZDI0FVHu0lmC99PtGsmR8FbRFYmxGl5Mjai5RC6e23';
const LOGIN_CODE = '0a3Xb2ll2mQ8Lf4Cz9HQ3ll2ll2xb2lM';

describe('redact', () => {
  it('replaces secret keys at any depth, arrays included', () => {
    let deep: Record<string, unknown> = { userSig: 'S' };
    for (let i = 0; i < 20; i += 1) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).not.toContain('"S"');
    expect(
      redact({ list: [{ token: 't' }], sessionToken: 'x', secret: 'y', password: 'z' }),
    ).toEqual({
      list: [{ token: REDACTED }],
      sessionToken: REDACTED,
      secret: REDACTED,
      password: REDACTED,
    });
  });

  it('redacts a login code under `code` but keeps error codes', () => {
    expect(redact({ code: LOGIN_CODE })).toEqual({ code: REDACTED });
    expect(redact({ code: 'demo-alice.8f2c' })).toEqual({ code: REDACTED });
    expect(redact({ code: 'usersig-expired', sdkCode: 70001 })).toEqual({
      code: 'usersig-expired',
      sdkCode: 70001,
    });
    expect(redact({ code: 2801 })).toEqual({ code: 2801 });
  });

  it('redacts credential-looking strings wherever they are, and keeps ids', () => {
    expect(redactString(`login with ${USER_SIG} now`)).toBe(`login with ${REDACTED} now`);
    expect(redactString(`wx code ${LOGIN_CODE}`)).toBe(`wx code ${REDACTED}`);
    expect(redactString('wss://h/x?usersig=abc&sdkappid=1400000000')).toBe(
      `wss://h/x?usersig=${REDACTED}&sdkappid=1400000000`,
    );
    expect(redactString('Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.Sfl3kxw')).toBe(
      `Bearer ${REDACTED}`,
    );
    const ids =
      'message 144115000000009999-1700000000-1 session 7a67f6bb-8fac-41e5-8bab-78c0259ae5a9';
    expect(redactString(ids)).toBe(ids);
    expect(redact(['plain', USER_SIG])).toEqual(['plain', REDACTED]);
  });

  it('keeps an Error readable: name, message, stack and own fields, redacted', () => {
    const error = Object.assign(new TypeError(`bad sig ${USER_SIG}`), {
      code: 'network',
      token: 't',
    });
    const out = redact(error) as Record<string, string>;
    expect(out.name).toBe('TypeError');
    expect(out.message).toBe(`bad sig ${REDACTED}`);
    expect(out.stack).toContain('TypeError');
    expect(out.stack).not.toContain(USER_SIG);
    expect(out.code).toBe('network');
    expect(out.token).toBe(REDACTED);
  });

  it('survives cycles, throwing getters, huge and deep input, within bounds', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    expect(redact(cycle)).toEqual({ a: 1, self: '[circular]' });
    const getter = {};
    Object.defineProperty(getter, 'x', {
      enumerable: true,
      get: () => {
        throw new Error('no');
      },
    });
    expect(redact(getter)).toEqual({ x: '[unreadable]' });
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 10_000; i += 1) deep = deep.next = {};
    expect(JSON.stringify(redact(root))).toContain('[truncated]');
    const wide = Array.from({ length: 100_000 }, (_, i) => ({ i }));
    expect((redact(wide) as unknown[]).length).toBe(100);
    expect((redact('x'.repeat(100_000)) as string).length).toBeLessThan(5_000);
    expect(
      redact(
        new Proxy(
          {},
          {
            ownKeys: () => {
              throw new Error('trap');
            },
          },
        ),
      ),
    ).toBe('[unreadable]');
  });
});

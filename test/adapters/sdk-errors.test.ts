import { appCodeFor, mapSdkError, sdkErrorCode } from '../../miniprogram/adapters/chat/sdk-errors';

describe('SDK error mapping', () => {
  it.each([
    [2024, 'not-logged-in'],
    [2025, 'busy'],
    [2100, 'send-failed'],
    [2500, 'not-found'],
    [2800, 'network'],
    [2801, 'timeout'],
    [2805, 'network'],
    [2999, 'not-logged-in'],
    [3000, 'busy'],
    [3002, 'kicked'],
    [3003, 'kicked'],
    [3004, 'usersig-expired'],
    [3005, 'not-logged-in'],
    [3006, 'kicked'],
    [3123, 'blocked-content'],
    [70001, 'usersig-expired'],
    [70003, 'usersig-expired'],
    [80001, 'blocked-content'],
    [80004, 'blocked-content'],
    [10110, 'blocked-content'],
    [20003, 'server-refused'],
    [99999, 'unknown'],
  ])('%i → %s', (code, expected) => {
    expect(appCodeFor(code)).toBe(expected);
    expect(mapSdkError({ code, message: '' }, 'op').code).toBe(expected);
  });

  it('reads codes from Errors and numeric strings, and keeps only code and message as cause', () => {
    const e = Object.assign(new Error('boom'), {
      code: '80001',
      data: { message: { payload: 'secret' } },
    });
    expect(sdkErrorCode(e)).toBe(80001);
    const mapped = mapSdkError(e, 'sendMessage');
    expect(mapped).toEqual({
      code: 'blocked-content',
      message: 'sendMessage: [80001] boom',
      cause: { code: 80001, message: 'boom' },
    });
  });

  it('maps synchronous validation throws and uses the fallback for unknown failures', () => {
    expect(mapSdkError(new Error('Params validate failed.'), 'createTextMessage').code).toBe(
      'invalid-input',
    );
    expect(mapSdkError('weird', 'sendMessage', 'send-failed').code).toBe('send-failed');
    expect(mapSdkError({ code: 12345 }, 'sendMessage', 'send-failed').code).toBe('send-failed');
  });
});

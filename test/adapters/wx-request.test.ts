import { parseRetryAfter } from '../../miniprogram/adapters/wx-request';

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates, and nothing else', () => {
    const now = Date.UTC(2024, 0, 15, 10, 0, 0);
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 15 Jan 2024 10:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Mon, 15 Jan 2024 09:00:00 GMT', now)).toBe(0);
    for (const bad of [undefined, null, '', 'soon', '-5', {}, '1e9'])
      expect(parseRetryAfter(bad, now)).toBeUndefined();
  });
});

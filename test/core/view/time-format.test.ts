import {
  formatListTime,
  formatMessageTime,
  localDayKey,
} from '../../../miniprogram/core/view/time-format';

const at = (y: number, mo: number, d: number, h = 0, mi = 0) =>
  new Date(y, mo - 1, d, h, mi).getTime();
const now = at(2024, 3, 15, 10, 30);

describe('formatMessageTime', () => {
  it('formats relative to today in both languages', () => {
    expect(formatMessageTime(at(2024, 3, 15, 9, 5), now, 'zh-CN')).toBe('09:05');
    expect(formatMessageTime(at(2024, 3, 14, 23, 59), now, 'zh-CN')).toBe('昨天 23:59');
    expect(formatMessageTime(at(2024, 3, 14, 23, 59), now, 'en')).toBe('Yesterday 23:59');
    expect(formatMessageTime(at(2024, 1, 2, 8, 0), now, 'zh-CN')).toBe('1月2日 08:00');
    expect(formatMessageTime(at(2024, 1, 2, 8, 0), now, 'en')).toBe('Jan 2 08:00');
    expect(formatMessageTime(at(2023, 12, 31, 8, 0), now, 'zh-CN')).toBe('2023年12月31日 08:00');
    expect(formatMessageTime(at(2023, 12, 31, 8, 0), now, 'en')).toBe('Dec 31, 2023 08:00');
  });
});

describe('formatListTime', () => {
  it('is short', () => {
    expect(formatListTime(at(2024, 3, 15, 9, 5), now, 'zh-CN')).toBe('09:05');
    expect(formatListTime(at(2024, 3, 14, 9, 5), now, 'zh-CN')).toBe('昨天');
    expect(formatListTime(at(2024, 2, 1), now, 'zh-CN')).toBe('2月1日');
    expect(formatListTime(at(2024, 2, 1), now, 'en')).toBe('Feb 1');
    expect(formatListTime(at(2022, 2, 1), now, 'en')).toBe('2022/2/1');
    expect(formatListTime(0, now, 'en')).toBe('');
  });

  it('changes day keys at local midnight', () => {
    expect(localDayKey(at(2024, 3, 15, 23, 59))).toBe(localDayKey(at(2024, 3, 15, 0, 0)));
    expect(localDayKey(at(2024, 3, 16, 0, 0))).toBe(localDayKey(at(2024, 3, 15, 0, 0)) + 1);
  });
});

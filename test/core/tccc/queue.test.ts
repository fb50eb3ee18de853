import { extractPeopleAhead, extractQueuePosition } from '../../../miniprogram/core/tccc';

describe('extractQueuePosition', () => {
  it.each([
    ['您前面还有 3 人', 3],
    ['当前排队人数较多，您前面还有12人，请耐心等待', 12],
    ['前方还有 0 位用户在排队', 0],
    ['您前面还有三人', 3],
    ['您前面还有二十一位', 21],
    ['您前面还有 ５ 人', 5],
    ['当前排队第2位', 2],
    ['您排在第 8 位', 8],
    ['您当前排队位置：4', 4],
    ['There are 3 people ahead of you', 3],
    ['1 person ahead of you, please wait', 1],
    ['You are number 2 in the queue', 2],
    ["You're 5th in line", 5],
    ['Your position in the queue is 7', 7],
    ['Queue position: 9', 9],
  ])('%j → %d', (text, position) => {
    expect(extractQueuePosition(text)).toBe(position);
  });

  it('prefers the count ahead when a prompt gives both', () => {
    expect(extractQueuePosition('您当前排队第4位，前面还有3人')).toBe(3);
  });

  it.each([
    '正在为您转接人工客服',
    '客服 007 为您服务',
    'Connecting you to an agent',
    '第3条消息',
    '',
  ])('%j states no position', (text) => {
    expect(extractQueuePosition(text)).toBeUndefined();
  });

  it('ignores non-strings', () => {
    expect(extractQueuePosition(3)).toBeUndefined();
    expect(extractQueuePosition(null)).toBeUndefined();
    expect(extractQueuePosition({ text: '前面还有 3 人' })).toBeUndefined();
  });

  it('is bounded on huge input', () => {
    const started = Date.now();
    expect(extractQueuePosition('前'.repeat(1_000_000))).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe('extractPeopleAhead', () => {
  it.each([
    ['您前面还有 3 人，请耐心等待', 3],
    ['您已排在第 1 位，客服马上为您服务', 0],
    ['当前排队第2位', 1],
    ['There are 4 people ahead of you', 4],
    ['前面还有0人', 0],
    ['请稍候', undefined],
  ])('%s → %s', (text, ahead) => {
    expect(extractPeopleAhead(text)).toBe(ahead);
  });
});

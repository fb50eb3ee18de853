import {
  memoryAnswerOf,
  parseSubscriptionAnswer,
  quotaForTemplates,
  subscribeOutcomeFromFailure,
  subscribeOutcomeFromSuccess,
  subscribePromptKey,
  subscribeResultKey,
  subscriptionReport,
} from '../../../miniprogram/core/notify/index';
import type { SubscribeOutcome } from '../../../miniprogram/core/notify/index';
import { TABLES } from '../../../miniprogram/core/i18n/index';

const A = 'tmplA';
const B = 'tmplB';

describe('subscribeOutcomeFromSuccess', () => {
  it('reads the decision of each requested template only', () => {
    const outcome = subscribeOutcomeFromSuccess(
      { errMsg: 'requestSubscribeMessage:ok', [A]: 'accept', [B]: 'reject', other: 'accept' },
      [A, B],
    );
    expect(outcome).toEqual({
      kind: 'answered',
      decisions: { [A]: 'accept', [B]: 'reject' },
      accepted: true,
    });
  });

  it('is a refusal when nothing was accepted', () => {
    expect(subscribeOutcomeFromSuccess({ [A]: 'reject', [B]: 'ban' }, [A, B])).toEqual({
      kind: 'answered',
      decisions: { [A]: 'reject', [B]: 'ban' },
      accepted: false,
    });
  });

  it('is blocked when every template is banned or filtered', () => {
    expect(subscribeOutcomeFromSuccess({ [A]: 'ban', [B]: 'filter' }, [A, B])).toEqual({
      kind: 'blocked',
      reason: 'unavailable',
    });
  });

  it('is a cancel when no requested template has a valid decision', () => {
    expect(subscribeOutcomeFromSuccess({ errMsg: 'ok', [A]: 'maybe' }, [A])).toEqual({
      kind: 'cancelled',
    });
    expect(subscribeOutcomeFromSuccess(null, [A])).toEqual({ kind: 'cancelled' });
  });
});

describe('subscribeOutcomeFromFailure', () => {
  it.each([
    [
      { errCode: 20004, errMsg: 'main switch off' },
      { kind: 'blocked', reason: 'main-switch-off', errCode: 20004 },
    ],
    [
      { errCode: 20001, errMsg: 'no template' },
      { kind: 'blocked', reason: 'unavailable', errCode: 20001 },
    ],
    [
      { errCode: 20005, errMsg: 'banned' },
      { kind: 'blocked', reason: 'unavailable', errCode: 20005 },
    ],
    [
      { errCode: 10002, errMsg: 'network' },
      { kind: 'failed', errCode: 10002, errMsg: 'network' },
    ],
    [
      { errCode: 10005, errMsg: 'no ui' },
      { kind: 'failed', errCode: 10005, errMsg: 'no ui' },
    ],
    [{ errMsg: 'requestSubscribeMessage:fail cancel' }, { kind: 'cancelled' }],
    [
      { errMsg: 'requestSubscribeMessage:fail something' },
      { kind: 'failed', errMsg: 'requestSubscribeMessage:fail something' },
    ],
    ['boom', { kind: 'failed', errMsg: 'boom' }],
  ])('%j', (error, outcome) => {
    expect(subscribeOutcomeFromFailure(error)).toEqual(outcome);
  });
});

const cases: [SubscribeOutcome, string, unknown][] = [
  [
    { kind: 'answered', decisions: { [A]: 'accept' }, accepted: true },
    'accepted',
    { accepted: { [A]: 'accept' } },
  ],
  [
    { kind: 'answered', decisions: { [A]: 'reject' }, accepted: false },
    'rejected',
    { accepted: { [A]: 'reject' } },
  ],
  [{ kind: 'cancelled' }, 'rejected', null],
  [{ kind: 'blocked', reason: 'main-switch-off' }, 'blocked', null],
  [{ kind: 'failed', errMsg: 'x' }, 'failed', null],
];

describe('memory answers and the report body', () => {
  it.each(cases)('%j → %s', (outcome, answer, body) => {
    expect(memoryAnswerOf(outcome)).toBe(answer);
    expect(subscriptionReport(outcome)).toEqual(body);
  });
});

describe('server answer', () => {
  it('parses the documented shape and drops junk', () => {
    expect(
      parseSubscriptionAnswer({ quota: { [A]: 2, [B]: -1, c: 'x' }, ignored: [B, 3] }),
    ).toEqual({
      quota: { [A]: 2 },
      ignored: [B],
    });
    expect(parseSubscriptionAnswer({ ignored: [] })).toBeNull();
    expect(parseSubscriptionAnswer('ok')).toBeNull();
  });

  it('sums the quota of our templates, null when the server counts none', () => {
    expect(quotaForTemplates({ quota: { [A]: 2, [B]: 1 }, ignored: [] }, [A, B])).toBe(3);
    expect(quotaForTemplates({ quota: { [A]: 0 }, ignored: [] }, [A])).toBe(0);
    expect(quotaForTemplates({ quota: {}, ignored: [A] }, [A])).toBeNull();
  });
});

describe('prompt texts', () => {
  it('has a translated question for every trigger and a message for every outcome', () => {
    const keys = [
      ...(['queued', 'no-agent', 'off-hours', 'leaving'] as const).map(subscribePromptKey),
      ...cases.map(([outcome]) => subscribeResultKey(outcome)),
    ];
    expect(new Set(keys.slice(0, 4)).size).toBe(4);
    for (const key of keys) {
      expect(TABLES['zh-CN'][key]).toBeTruthy();
      expect(TABLES.en[key]).toBeTruthy();
    }
    expect(subscribeResultKey(cases[0][0])).toBe('entry.subscribe.accepted');
    expect(subscribeResultKey({ kind: 'blocked', reason: 'main-switch-off' })).toBe(
      'entry.subscribe.blocked',
    );
  });
});

import type {
  ClassifiedMessage,
  MessageKind,
  RatingCard,
  TaskForm,
} from '../../../miniprogram/core/tccc';
import {
  RatingSubmissionError,
  buildChoiceReply,
  buildEndSession,
  buildFormInputReply,
  buildHandshake,
  buildRatingRequest,
  buildRatingSubmission,
  buildTaskFormSubmission,
  classifyMessage,
  isRatingExpired,
  nowInSeconds,
  parseTcccPayload,
} from '../../../miniprogram/core/tccc';
import { customMessage, fixtureMessage } from './sdk-message';

function as<K extends MessageKind>(
  message: ClassifiedMessage,
  kind: K,
): Extract<ClassifiedMessage, { kind: K }> {
  expect(message.kind).toBe(kind);
  return message as Extract<ClassifiedMessage, { kind: K }>;
}

const fromFixture = <K extends MessageKind>(name: string, kind: K) =>
  as(classifyMessage(fixtureMessage(name)), kind);

/** What the service would see: the built string sent as a custom message, classified. */
const roundTrip = (data: string, flow: 'in' | 'out' = 'out') =>
  classifyMessage(customMessage(data, { flow }));

describe('session payloads', () => {
  it('buildHandshake is exactly the documented string', () => {
    expect(buildHandshake()).toBe('{"customerServicePlugin":0,"src":"7"}');
  });

  it('buildHandshake adds triggeredContent.language when given', () => {
    expect(buildHandshake({ language: 'en' })).toBe(
      '{"customerServicePlugin":0,"src":"7","triggeredContent":{"language":"en"}}',
    );
    expect(buildHandshake({ language: '  ' })).toBe('{"customerServicePlugin":0,"src":"7"}');
  });

  it('buildHandshake carries the entry skill group in triggeredContent', () => {
    expect(JSON.parse(buildHandshake({ language: 'en', skillGroup: 'vip' }))).toEqual({
      customerServicePlugin: 0,
      src: '7',
      triggeredContent: { language: 'en', skillGroup: 'vip' },
    });
    expect(JSON.parse(buildHandshake({ skillGroup: ' ' }))).toEqual({
      customerServicePlugin: 0,
      src: '7',
    });
  });

  it('buildRatingRequest and buildEndSession', () => {
    expect(buildRatingRequest()).toBe('{"customerServicePlugin":0,"src":"24"}');
    expect(buildEndSession()).toBe('{"customerServicePlugin":0,"src":"27"}');
    expect(buildEndSession({ language: 'zh' })).toBe(
      '{"customerServicePlugin":0,"src":"27","triggeredContent":{"language":"zh"}}',
    );
  });

  it.each([
    ['handshake', buildHandshake({ language: 'zh' }), '7'],
    ['rating request', buildRatingRequest(), '24'],
    ['end session', buildEndSession(), '27'],
  ])('%s round-trips to a hidden flagged message', (_label, data, src) => {
    expect(roundTrip(data)).toMatchObject({ kind: 'hidden', src, flagged: true, known: true });
  });
});

describe('rating', () => {
  const open = (): RatingCard => fromFixture('src-9-rating', 'rating');

  it('isRatingExpired compares now > expireTime', () => {
    const card = open();
    expect(isRatingExpired(card, 4_102_444_800)).toBe(false);
    expect(isRatingExpired(card, 4_102_444_801)).toBe(true);
    expect(isRatingExpired({ expireTime: undefined }, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('the doc example (expireTime 1691074320) is expired now', () => {
    expect(
      isRatingExpired(
        fromFixture('src-9-rating-selected', 'rating'),
        nowInSeconds({ now: () => Date.now() }),
      ),
    ).toBe(true);
  });

  it('buildRatingSubmission sends id, label and sessionId', () => {
    const data = buildRatingSubmission(open(), '104', 1_700_000_000);
    expect(JSON.parse(data)).toEqual({
      src: '10',
      menuSelected: {
        id: '104',
        content: '满意',
        sessionId: '7a67f6bb-8fac-41e5-8bab-78c0259ae5a9',
      },
      customerServicePlugin: 0,
    });
  });

  it('the submission round-trips to a hidden src 10 naming the option', () => {
    const hidden = as(roundTrip(buildRatingSubmission(open(), '101', 0)), 'hidden');
    expect(hidden.submittedRating).toEqual({
      optionId: '101',
      label: '非常不满意',
      sessionId: '7a67f6bb-8fac-41e5-8bab-78c0259ae5a9',
    });
  });

  it("sends sessionId '' when the card had none", () => {
    const card = as(
      classifyMessage(
        customMessage('{"src":"9","menuContent":{"menu":[{"id":"1","content":"好"}]}}'),
      ),
      'rating',
    );
    expect(JSON.parse(buildRatingSubmission(card, '1', 0)).menuSelected.sessionId).toBe('');
  });

  it('throws unknown-option for an id not on the card', () => {
    const attempt = () => buildRatingSubmission(open(), '999', 0);
    expect(attempt).toThrow(RatingSubmissionError);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as RatingSubmissionError).code).toBe('unknown-option');
    }
  });

  it('throws expired for a card expired at the given time', () => {
    const expired = fromFixture('src-9-rating-star-expired', 'rating');
    let caught: unknown;
    try {
      buildRatingSubmission(expired, '203', 1_691_074_321);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RatingSubmissionError);
    expect((caught as RatingSubmissionError).code).toBe('expired');
    expect((caught as RatingSubmissionError).name).toBe('RatingSubmissionError');
    // The same card is fine at a time before its expiry.
    expect(() => buildRatingSubmission(expired, '203', 1_691_074_320)).not.toThrow();
  });
});

describe('choice replies', () => {
  it('a branch row is answered with its content as text', () => {
    const branch = fromFixture('src-15-branch', 'branch');
    expect(buildChoiceReply(branch, branch.items[2])).toEqual({
      ok: true,
      value: { text: '人工' },
    });
    expect(buildChoiceReply(branch, '售前咨询')).toEqual({ ok: true, value: { text: '售前咨询' } });
  });

  it('refuses a row that is not on the message', () => {
    const branch = fromFixture('src-15-branch', 'branch');
    const result = buildChoiceReply(branch, { content: '别的' });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', problem: 'not-an-item' },
    });
  });

  it('refuses a branch that was already answered', () => {
    const branch = fromFixture('src-15-branch-selected', 'branch');
    expect(buildChoiceReply(branch, '售前咨询')).toMatchObject({
      ok: false,
      error: { problem: 'already-selected' },
    });
  });

  it('a choice form row is answered as text; an input form is not a choice', () => {
    const choice = fromFixture('src-21-form-choice', 'form');
    expect(buildChoiceReply(choice, '退款进度')).toEqual({ ok: true, value: { text: '退款进度' } });
    const input = fromFixture('src-21-form-input', 'form');
    const forged = { ...input, items: [{ content: 'x' }] };
    expect(buildChoiceReply(forged, 'x')).toMatchObject({
      ok: false,
      error: { problem: 'wrong-form-mode' },
    });
  });

  it('an input form is answered with the trimmed text; empty is refused', () => {
    const input = fromFixture('src-21-form-input', 'form');
    expect(buildFormInputReply(input, '  13800000000 ')).toEqual({
      ok: true,
      value: { text: '13800000000' },
    });
    expect(buildFormInputReply(input, ' \n ')).toMatchObject({
      ok: false,
      error: { problem: 'empty-text' },
    });
    const choice = fromFixture('src-21-form-choice', 'form');
    expect(buildFormInputReply(choice, 'x')).toMatchObject({
      ok: false,
      error: { problem: 'wrong-form-mode' },
    });
  });

  it('a robot menu row is answered as text', () => {
    const menu = fromFixture('src-29-robot-clarify', 'robot-menu');
    expect(buildChoiceReply(menu, menu.items[0])).toEqual({
      ok: true,
      value: { text: '退款多久到账？' },
    });
  });

  it('a fixed task-flow option (optionType 1) carries BranchOptionInfo cloudCustomData', () => {
    const branch = fromFixture('src-32-task-branch', 'task-branch');
    const result = buildChoiceReply(branch, '开具发票');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.text).toBe('开具发票');
    expect(JSON.parse(result.value.cloudCustomData ?? '')).toEqual({
      BranchOptionInfo: { taskID: 1024, env: 'prod', nodeID: 'node-7f3a' },
    });
  });

  it('a quick task-flow option (optionType 0) is plain text', () => {
    const branch = { ...fromFixture('src-32-task-branch', 'task-branch'), optionType: 0 };
    expect(buildChoiceReply(branch, '开具发票')).toEqual({ ok: true, value: { text: '开具发票' } });
  });

  it('a submitted task-flow branch is not selectable', () => {
    const done = fromFixture('src-32-task-branch-submitted', 'task-branch');
    const reopened = { ...done, selected: undefined };
    expect(buildChoiceReply(reopened, '修改发票抬头')).toMatchObject({
      ok: false,
      error: { problem: 'not-selectable' },
    });
    expect(buildChoiceReply(done, '修改发票抬头')).toMatchObject({
      ok: false,
      error: { problem: 'already-selected' },
    });
  });
});

describe('buildTaskFormSubmission', () => {
  const form = (): TaskForm => fromFixture('src-33-task-form', 'task-form');

  it('builds src 33 with every field, choice defaulting to its first item', () => {
    const result = buildTaskFormSubmission(form(), { 抬头: '某某科技有限公司' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const payload = JSON.parse(result.value);
    expect(payload).toMatchObject({ customerServicePlugin: 0, src: '33' });
    expect(payload.content.inputVariables).toEqual([
      {
        name: '抬头',
        type: 'string',
        formType: 0,
        placeholder: '请输入发票抬头',
        isRequired: 1,
        variableValue: '某某科技有限公司',
        chooseItemList: [],
      },
      {
        name: '发票类型',
        type: 'string',
        formType: 1,
        placeholder: '',
        isRequired: 1,
        variableValue: '普通发票',
        chooseItemList: ['普通发票', '专用发票'],
      },
      {
        name: '备注',
        type: 'string',
        formType: 0,
        placeholder: '选填',
        isRequired: 0,
        variableValue: '',
        chooseItemList: [],
      },
    ]);
  });

  it('round-trips to a task form with the values filled in', () => {
    const result = buildTaskFormSubmission(form(), {
      抬头: 'A',
      发票类型: '专用发票',
      备注: '加急',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const echoed = as(roundTrip(result.value), 'task-form');
    expect(echoed.fields.map((field) => [field.name, field.value])).toEqual([
      ['抬头', 'A'],
      ['发票类型', '专用发票'],
      ['备注', '加急'],
    ]);
    expect(echoed.fields[1]).toMatchObject({ formType: 'choice', required: true });
  });

  it('reports every missing required field and bad choice as a value', () => {
    const result = buildTaskFormSubmission(form(), { 抬头: '  ', 发票类型: '收据' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid-input',
        message: expect.any(String),
        problems: [
          { reason: 'required', field: '抬头' },
          { reason: 'not-a-choice', field: '发票类型', value: '收据' },
        ],
      },
    });
  });

  it('refuses a form that is no longer editable', () => {
    const closed = { ...form(), nodeStatus: 2, editable: false };
    const result = buildTaskFormSubmission(closed, { 抬头: 'A' });
    expect(result).toMatchObject({ ok: false, error: { problems: [{ reason: 'not-editable' }] } });
  });

  it('keeps taskInfo when the form had one, and ignores values for unknown fields', () => {
    const withTask = { ...form(), taskInfo: { taskID: 7, nodeID: 'n', env: 'test' } };
    const result = buildTaskFormSubmission(withTask, { 抬头: 'A', 其他: 'y' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const payload = parseTcccPayload(result.value);
    expect(payload.status).toBe('protocol');
    if (payload.status !== 'protocol') return;
    expect(payload.body.taskInfo).toEqual({ taskID: 7, nodeID: 'n', env: 'test' });
    expect(JSON.stringify(payload.body)).not.toContain('其他');
  });
});

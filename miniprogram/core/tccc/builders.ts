/**
 * Uplink payloads (docs §4, §7, §8). Custom-message builders return the `payload.data` string to
 * pass to `createCustomMessage`; menu, branch and form answers are plain text messages, described by
 * a {@link ChoiceReply}.
 */
import type { Clock } from '../ports/clock';
import type { AppError, Result } from '../result';
import { err, ok } from '../result';
import { SRC } from './constants';
import type { ChoiceMessage, FormMessage, MenuItem, RatingCard, TaskForm } from './types';

/** The clock's time in unix seconds, the unit of `expireTime`. */
export function nowInSeconds(clock: Pick<Clock, 'now'>): number {
  return Math.floor(clock.now() / 1000);
}

export interface SessionOptions {
  /** UI language for the flow (`zh`, `en`...), sent as `triggeredContent.language`. */
  language?: string;
}

export interface HandshakeOptions extends SessionOptions {
  /** The skill group the entry asked for, sent as `triggeredContent.skillGroup`. */
  skillGroup?: string;
}

function withLanguage(payload: Record<string, unknown>, options: HandshakeOptions): string {
  const language = typeof options.language === 'string' ? options.language.trim() : '';
  const skillGroup = typeof options.skillGroup === 'string' ? options.skillGroup.trim() : '';
  const triggeredContent: Record<string, string> = {};
  if (language !== '') triggeredContent.language = language;
  if (skillGroup !== '') triggeredContent.skillGroup = skillGroup.slice(0, 64);
  return JSON.stringify(
    Object.keys(triggeredContent).length === 0 ? payload : { ...payload, triggeredContent },
  );
}

/**
 * src 7 handshake that starts the service flow: exactly `{"customerServicePlugin":0,"src":"7"}`,
 * plus `triggeredContent.language` and `triggeredContent.skillGroup` when given. Send it each time
 * the service chat opens, with `onlineUserOnly: true`.
 */
export function buildHandshake(options: HandshakeOptions = {}): string {
  return withLanguage({ customerServicePlugin: 0, src: SRC.HANDSHAKE }, options);
}

/** src 24: the user asks to rate (allowed when rating settings say `canUserRequest`). */
export function buildRatingRequest(): string {
  return JSON.stringify({ customerServicePlugin: 0, src: SRC.RATING_REQUEST });
}

/** What a product card the user sends carries (src 22 `content`). */
export interface ProductCardInput {
  header: string;
  desc?: string;
  pic?: string;
  url?: string;
  customField?: ReadonlyArray<{ name: string; value: string }>;
}

/**
 * src 22 from the user: the product they came from, shown to the agent (and in the user's own
 * history) as a card. Only http(s) links survive; texts are clipped to what a card can show.
 */
export function buildProductCard(card: ProductCardInput): string {
  const link = (value: string | undefined) =>
    value && /^https?:\/\/[^\s"'<>]+$/i.test(value) ? value.slice(0, 1024) : '';
  const content: Record<string, unknown> = {
    header: card.header.slice(0, 100),
    desc: (card.desc ?? '').slice(0, 200),
    pic: link(card.pic),
    url: link(card.url),
  };
  if (card.customField && card.customField.length) {
    content.customField = card.customField
      .slice(0, 10)
      .map((f) => ({ name: String(f.name).slice(0, 50), value: String(f.value).slice(0, 200) }));
  }
  return JSON.stringify({ customerServicePlugin: 0, src: SRC.PRODUCT_CARD, content });
}

/** src 27: the user ends the human session. */
export function buildEndSession(options: SessionOptions = {}): string {
  return withLanguage({ customerServicePlugin: 0, src: SRC.USER_END_SESSION }, options);
}

/**
 * True when the card can no longer be submitted: `nowSeconds > expireTime`, like the JS kits. A card
 * without `expireTime` never expires.
 */
export function isRatingExpired(
  rating: Pick<RatingCard, 'expireTime'>,
  nowSeconds: number,
): boolean {
  return rating.expireTime !== undefined && nowSeconds > rating.expireTime;
}

export type RatingSubmissionErrorCode = 'unknown-option' | 'expired';

/** Thrown by {@link buildRatingSubmission}; `code` says why. */
export class RatingSubmissionError extends Error {
  readonly code: RatingSubmissionErrorCode;

  constructor(code: RatingSubmissionErrorCode, message: string) {
    super(message);
    this.name = 'RatingSubmissionError';
    this.code = code;
  }
}

/**
 * src 10 rating answer:
 * `{"src":"10","menuSelected":{"id","content","sessionId"},"customerServicePlugin":0}` with the
 * option's label as `content` and the card's `sessionId` (`''` when it had none).
 *
 * Throws {@link RatingSubmissionError} `unknown-option` when `optionId` is not one of the card's
 * options (a caller bug), or `expired` when the card expired at `nowSeconds`. It does not check
 * whether the card was already rated: the caller keeps the one-submission-per-card rule.
 */
export function buildRatingSubmission(
  rating: RatingCard,
  optionId: string,
  nowSeconds: number,
): string {
  const option = rating.options.find((candidate) => candidate.id === optionId);
  if (!option) {
    throw new RatingSubmissionError(
      'unknown-option',
      `rating option ${optionId} is not on the card`,
    );
  }
  if (isRatingExpired(rating, nowSeconds)) {
    throw new RatingSubmissionError('expired', 'the rating card has expired');
  }
  return JSON.stringify({
    src: SRC.RATING_SUBMISSION,
    menuSelected: { id: option.id, content: option.label, sessionId: rating.sessionId },
    customerServicePlugin: 0,
  });
}

/** What to send for a menu tap or a typed form answer: a text message, maybe with `cloudCustomData`. */
export interface ChoiceReply {
  /** `payload.text` of the text message; never empty. */
  text: string;
  /** Only for a src 32 fixed option (`optionType` 1): `{"BranchOptionInfo":{taskID,env,nodeID}}`. */
  cloudCustomData?: string;
}

export type ChoiceReplyProblem =
  /** The item is not one of the message's rows. */
  | 'not-an-item'
  /** The message already has a `selected` row. */
  | 'already-selected'
  /** A task-flow branch that is no longer editable (`status` is not 0). */
  | 'not-selectable'
  /** A form in the wrong mode for this helper. */
  | 'wrong-form-mode'
  /** A typed answer that is empty after trimming. */
  | 'empty-text';

export interface ChoiceReplyError extends AppError {
  code: 'invalid-input';
  problem: ChoiceReplyProblem;
}

function choiceError(
  problem: ChoiceReplyProblem,
  message: string,
): Result<never, ChoiceReplyError> {
  return err({ code: 'invalid-input', problem, message });
}

/**
 * The text message that answers a tap on a branch (15), choice form (21 `choice`), robot menu (29)
 * or task-flow branch (32) row: `payload.text` is `item.content`. For a src 32 fixed option that
 * carries `taskInfo`, `cloudCustomData` names the task node (docs §8).
 *
 * `item` is the row object or its `content`. Refuses (as a value) rows that are not on the message,
 * messages that already have a `selected` row, and task-flow branches that are not editable.
 */
export function buildChoiceReply(
  message: ChoiceMessage,
  item: MenuItem | string,
): Result<ChoiceReply, ChoiceReplyError> {
  const content = typeof item === 'string' ? item : item.content;
  const items: readonly MenuItem[] = message.items;
  if (!items.some((candidate) => candidate.content === content)) {
    return choiceError('not-an-item', 'the tapped row is not on this message');
  }
  if (message.kind === 'form' && message.mode !== 'choice') {
    return choiceError('wrong-form-mode', 'an input form is answered with buildFormInputReply');
  }
  if (message.selected !== undefined) {
    return choiceError('already-selected', 'this menu was already answered');
  }
  if (message.kind === 'task-branch') {
    if (!message.canSelect) return choiceError('not-selectable', 'this task-flow branch is closed');
    if (message.optionType === 1 && message.taskInfo) {
      const { taskID, env, nodeID } = message.taskInfo;
      return ok({
        text: content,
        cloudCustomData: JSON.stringify({ BranchOptionInfo: { taskID, env, nodeID } }),
      });
    }
  }
  return ok({ text: content });
}

/** The text message that answers a src 21 `input` form: the typed text, trimmed; empty is refused. */
export function buildFormInputReply(
  form: FormMessage,
  input: string,
): Result<ChoiceReply, ChoiceReplyError> {
  if (form.mode !== 'input') {
    return choiceError('wrong-form-mode', 'a choice form is answered with buildChoiceReply');
  }
  const trimmed = typeof input === 'string' ? input.trim() : '';
  if (trimmed === '') return choiceError('empty-text', 'the answer is empty');
  return ok({ text: trimmed });
}

export type TaskFormProblem =
  | { reason: 'not-editable' }
  | { reason: 'required'; field: string }
  | { reason: 'not-a-choice'; field: string; value: string };

export interface TaskFormValidationError extends AppError {
  code: 'invalid-input';
  /** Every problem found, in field order, so the form can mark all of them at once. */
  problems: TaskFormProblem[];
}

/**
 * src 33 task-form answer:
 * `{"customerServicePlugin":0,"src":"33","content":{"inputVariables":[{name,isRequired,variableValue,...}]}}`
 * (plus the form's `taskInfo` when it had one). A field's value is `values[name]`, else its
 * pre-filled value, else (choice fields) its first choice, as the kits do.
 *
 * Returns the problems instead of a payload when the form is not editable, a required field is
 * empty, or a choice field holds a value that is not one of its choices.
 */
export function buildTaskFormSubmission(
  form: TaskForm,
  values: Readonly<Record<string, string | undefined>>,
): Result<string, TaskFormValidationError> {
  const problems: TaskFormProblem[] = form.editable ? [] : [{ reason: 'not-editable' }];
  const inputVariables = form.fields.map((field) => {
    const given = Object.prototype.hasOwnProperty.call(values, field.name)
      ? values[field.name]
      : undefined;
    const fallback =
      field.value !== ''
        ? field.value
        : field.formType === 'choice'
          ? (field.choices[0] ?? '')
          : '';
    const value = typeof given === 'string' ? given.trim() : fallback;
    if (field.required && value === '') problems.push({ reason: 'required', field: field.name });
    else if (
      field.formType === 'choice' &&
      value !== '' &&
      field.choices.length > 0 &&
      !field.choices.includes(value)
    ) {
      problems.push({ reason: 'not-a-choice', field: field.name, value });
    }
    return {
      name: field.name,
      type: field.type,
      formType: field.formType === 'choice' ? 1 : 0,
      placeholder: field.placeholder,
      isRequired: field.required ? 1 : 0,
      variableValue: value,
      chooseItemList: field.choices,
    };
  });
  if (problems.length > 0) {
    return err({ code: 'invalid-input', message: 'the task form is not complete', problems });
  }
  const payload: Record<string, unknown> = {
    customerServicePlugin: 0,
    src: SRC.TASK_FORM,
    content: { inputVariables },
  };
  if (form.taskInfo) payload.taskInfo = form.taskInfo;
  return ok(JSON.stringify(payload));
}

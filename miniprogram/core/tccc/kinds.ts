/**
 * Readers that turn one parsed protocol body into the kind-specific fields of a
 * {@link ClassifiedMessage}. Each takes the body `JSON.parse` produced (or any object) and returns
 * safe defaults for anything missing or of the wrong type.
 */
import {
  MAX_CHUNKS,
  MAX_FIELD_LENGTH,
  MAX_TEXT_LENGTH,
  MAX_URL_LENGTH,
  RATING_RULE_CLIENT_MAY_REQUEST,
} from './constants';
import type { Dict } from './parse';
import { asDict, asList, clip, looselyEquals, prop, readNumber, readString, text } from './parse';
import type {
  BranchMenu,
  CustomField,
  FormMessage,
  MenuItem,
  OrderCard,
  ProductCard,
  RatingCard,
  RatingOption,
  RobotMenu,
  RobotMenuItem,
  StreamMessage,
  SubmittedRating,
  TaskBranch,
  TaskForm,
  TaskFormField,
  TaskInfo,
} from './types';

/** Kind-specific fields only: what a reader adds on top of the base and protocol fields. */
type Fields<T> = Omit<T, 'kind' | 'id' | 'flow' | 'from' | 'time' | 'meta' | 'src' | 'flagged'>;

const EMPTY: Dict = Object.freeze({});

/** `body.content` as an object, `{}` when it is anything else. */
export function contentOf(body: Dict): Dict {
  return asDict(prop(body, 'content')) ?? EMPTY;
}

/** A menu row from `{content, desc}` or a bare string; `undefined` when there is no text to send. */
export function readMenuItem(value: unknown): MenuItem | undefined {
  if (typeof value === 'string') {
    const content = clip(value, MAX_FIELD_LENGTH);
    return content.trim() === '' ? undefined : { content };
  }
  const item = asDict(value);
  if (!item) return undefined;
  const content = text(prop(item, 'content'));
  if (content.trim() === '') return undefined;
  const desc = readString(prop(item, 'desc'));
  return desc ? { content, desc } : { content };
}

function readMenuItems(value: unknown): MenuItem[] {
  const items: MenuItem[] = [];
  for (const entry of asList(value)) {
    const item = readMenuItem(entry);
    if (item) items.push(item);
  }
  return items;
}

function withSelected<T extends object>(fields: T, selected: unknown): T & { selected?: MenuItem } {
  const item = readMenuItem(selected);
  return item ? { ...fields, selected: item } : fields;
}

function readCustomFields(value: unknown): CustomField[] {
  const fields: CustomField[] = [];
  for (const entry of asList(value)) {
    const name = readString(prop(entry, 'name'));
    if (name === undefined) continue;
    fields.push({ name, value: text(prop(entry, 'value')) });
  }
  return fields;
}

function url(value: unknown): string {
  return text(value, MAX_URL_LENGTH);
}

/** src 9. Options keep the received order; ids are trimmed strings and unique. */
export function readRating(body: Dict): Fields<RatingCard> {
  const menu = asDict(prop(body, 'menuContent')) ?? contentOf(body);
  const options: RatingOption[] = [];
  const seen = new Set<string>();
  for (const entry of asList(prop(menu, 'menu'))) {
    const id = readString(prop(entry, 'id'), 200)?.trim();
    if (!id || seen.has(id)) continue;
    seen.add(id);
    options.push({ id, label: text(prop(entry, 'content')) });
  }
  const fields: Fields<RatingCard> = {
    style: looselyEquals(prop(menu, 'type'), 1) ? 'star' : 'number',
    options,
    head: text(prop(menu, 'head')),
    tail: text(prop(menu, 'tail')),
    sessionId: text(prop(menu, 'sessionId'), 200),
  };
  const expireTime = readNumber(prop(menu, 'expireTime'));
  if (expireTime !== undefined) fields.expireTime = expireTime;
  const effectiveHour = readNumber(prop(menu, 'effectiveHour'));
  if (effectiveHour !== undefined) fields.effectiveHour = effectiveHour;
  const selectedId = readString(prop(prop(menu, 'selected'), 'id'), 200)?.trim();
  if (selectedId && seen.has(selectedId)) fields.selectedId = selectedId;
  return fields;
}

/** src 10, for {@link HiddenMessage.submittedRating}. */
export function readSubmittedRating(body: Dict): SubmittedRating | undefined {
  const selected = asDict(prop(body, 'menuSelected'));
  const optionId = readString(prop(selected, 'id'), 200)?.trim();
  if (!selected || !optionId) return undefined;
  return {
    optionId,
    label: text(prop(selected, 'content')),
    sessionId: text(prop(selected, 'sessionId'), 200),
  };
}

/** src 15. Some senders say `title` for the header. */
export function readBranch(body: Dict): Fields<BranchMenu> {
  const content = contentOf(body);
  const fields: Fields<BranchMenu> = {
    header: text(prop(content, 'header')) || text(prop(content, 'title')),
    items: readMenuItems(prop(content, 'items')),
  };
  const tail = readString(prop(content, 'tail'));
  if (tail) fields.tail = tail;
  return withSelected(fields, prop(content, 'selected'));
}

/** src 21: `type == 1` is a choice list, anything else one text box. */
export function readForm(body: Dict): Fields<FormMessage> {
  const content = contentOf(body);
  const fields: Fields<FormMessage> = {
    mode: looselyEquals(prop(content, 'type'), 1) ? 'choice' : 'input',
    header: text(prop(content, 'header')),
    items: readMenuItems(prop(content, 'items')),
  };
  return withSelected(fields, prop(content, 'selected'));
}

/** src 22. */
export function readProductCard(body: Dict): Fields<ProductCard> {
  const content = contentOf(body);
  return {
    header: text(prop(content, 'header')),
    desc: text(prop(content, 'desc')),
    pic: url(prop(content, 'pic')),
    url: url(prop(content, 'url')),
    customFields: readCustomFields(prop(content, 'customField')),
  };
}

/** src 28. */
export function readOrderCard(body: Dict): Fields<OrderCard> {
  const content = contentOf(body);
  return {
    guide: text(prop(content, 'guide')),
    name: text(prop(content, 'name')),
    desc: text(prop(content, 'desc')),
    pic: url(prop(content, 'pic')),
    customFields: readCustomFields(prop(content, 'customField')),
  };
}

function readRobotItem(value: unknown): RobotMenuItem | undefined {
  const item = readMenuItem(value);
  if (!item) return undefined;
  const robotItem: RobotMenuItem = item;
  const id = readString(prop(value, 'id'), 200);
  const answer = readString(prop(value, 'answer'), MAX_TEXT_LENGTH);
  if (id !== undefined) robotItem.id = id;
  if (answer !== undefined) robotItem.answer = answer;
  return robotItem;
}

/** src 29 (`subtype` sits at the top level, next to `src`). */
export function readRobotMenu(body: Dict): Fields<RobotMenu> {
  const content = contentOf(body);
  const items: RobotMenuItem[] = [];
  for (const entry of asList(prop(content, 'items'))) {
    const item = readRobotItem(entry);
    if (item) items.push(item);
  }
  const fields: Fields<RobotMenu> = {
    subtype: text(prop(body, 'subtype'), 64),
    title: text(prop(content, 'title')) || text(prop(content, 'header')),
    items,
  };
  const lead = readString(prop(content, 'content'), MAX_TEXT_LENGTH);
  if (lead) fields.content = lead;
  return withSelected(fields, prop(content, 'selected'));
}

/** src 30: `content` is the Markdown/HTML string itself. */
export function readRichText(body: Dict): { content: string } {
  return { content: text(prop(body, 'content'), MAX_TEXT_LENGTH) };
}

/** src 31: `chunks`/`isFinished` at the top level (also accepted inside `content`). */
export function readStream(body: Dict): Fields<StreamMessage> {
  const source = prop(body, 'chunks') === undefined ? contentOf(body) : body;
  let joined = '';
  for (const chunk of asList(prop(source, 'chunks'), MAX_CHUNKS)) {
    const piece = readString(chunk, MAX_TEXT_LENGTH);
    if (piece === undefined) continue;
    joined += piece;
    if (joined.length >= MAX_TEXT_LENGTH) break;
  }
  const finished = prop(source, 'isFinished');
  return {
    text: clip(joined, MAX_TEXT_LENGTH),
    finished: finished === true || looselyEquals(finished, 1),
  };
}

/** `taskInfo: {taskID, nodeID, env}`; `taskID` stays a number when it is one (or numeric text). */
export function readTaskInfo(value: unknown): TaskInfo | undefined {
  const info = asDict(value);
  if (!info) return undefined;
  const rawTaskID = prop(info, 'taskID');
  const taskID = readNumber(rawTaskID) ?? readString(rawTaskID, 200) ?? '';
  const nodeID = text(prop(info, 'nodeID'), 200);
  const env = text(prop(info, 'env'), 200);
  if (taskID === '' && nodeID === '') return undefined;
  return { taskID, nodeID, env };
}

/** src 32: `status`, `optionType` and `taskInfo` sit at the top level. */
export function readTaskBranch(body: Dict): Fields<TaskBranch> {
  const content = contentOf(body);
  const status = readNumber(prop(body, 'status')) ?? 0;
  const fields: Fields<TaskBranch> = withSelected(
    {
      header: text(prop(content, 'header')),
      tail: text(prop(content, 'tail')),
      items: readMenuItems(prop(content, 'items')),
      status,
      optionType: readNumber(prop(body, 'optionType')) ?? 0,
      canSelect: false,
    },
    prop(content, 'selected'),
  );
  fields.canSelect = status === 0 && fields.selected === undefined;
  const taskInfo = readTaskInfo(prop(body, 'taskInfo'));
  if (taskInfo) fields.taskInfo = taskInfo;
  return fields;
}

function readTaskFormField(value: unknown): TaskFormField | undefined {
  const name = readString(prop(value, 'name'), 200);
  if (!name) return undefined;
  const choices: string[] = [];
  for (const choice of asList(prop(value, 'chooseItemList'))) {
    const label = readString(choice);
    if (label !== undefined) choices.push(label);
  }
  const required = prop(value, 'isRequired');
  return {
    name,
    type: text(prop(value, 'type'), 64),
    formType: looselyEquals(prop(value, 'formType'), 1) ? 'choice' : 'input',
    placeholder: text(prop(value, 'placeholder')),
    required: required === true || looselyEquals(required, 1),
    value: text(prop(value, 'variableValue')),
    choices,
  };
}

/** src 33: `nodeStatus` at the top level, fields in `content.inputVariables`. */
export function readTaskForm(body: Dict): Fields<TaskForm> {
  const content = contentOf(body);
  const fields: TaskFormField[] = [];
  const names = new Set<string>();
  for (const entry of asList(prop(content, 'inputVariables'))) {
    const field = readTaskFormField(entry);
    if (!field || names.has(field.name)) continue;
    names.add(field.name);
    fields.push(field);
  }
  const nodeStatus = readNumber(prop(body, 'nodeStatus')) ?? 0;
  const form: Fields<TaskForm> = {
    tip: text(prop(content, 'tip')),
    nodeStatus,
    editable: nodeStatus === 0,
    fields,
  };
  const taskInfo = readTaskInfo(prop(body, 'taskInfo'));
  if (taskInfo) form.taskInfo = taskInfo;
  return form;
}

/** src 34/36/37/39: 37 carries `content` as a string; the others are unverified, so look around. */
export function readTipText(body: Dict): string {
  const content = prop(body, 'content');
  const direct = readString(content, MAX_TEXT_LENGTH);
  if (direct !== undefined) return direct;
  for (const key of ['content', 'text', 'tip', 'header']) {
    const nested = readString(prop(content, key), MAX_TEXT_LENGTH);
    if (nested) return nested;
  }
  return text(prop(body, 'text'), MAX_TEXT_LENGTH);
}

/** src 23: `content.menuSendRuleFlag`; non-integers count as 0. */
export function readRatingSettings(body: Dict): { sendRuleFlag: number; canUserRequest: boolean } {
  const flag = readNumber(prop(contentOf(body), 'menuSendRuleFlag'));
  const sendRuleFlag = flag !== undefined && Number.isInteger(flag) ? flag : 0;
  return {
    sendRuleFlag,
    canUserRequest: (sendRuleFlag & RATING_RULE_CLIENT_MAY_REQUEST) !== 0,
  };
}

/** src 26: `content.content` is `inSeat` or `outSeat`; anything else is `undefined`. */
export function readSeat(body: Dict): boolean | undefined {
  const state = readString(prop(contentOf(body), 'content'), 64);
  if (state === 'inSeat') return true;
  if (state === 'outSeat') return false;
  return undefined;
}

/**
 * The declarative service flow (like TCCC's 会话服务流): typed config, localisation, validation and the
 * JSON override loader. The engine only interprets it; `default-flow.ts` holds the default.
 */
import { readFileSync } from 'node:fs';

import { isRecord } from './protocol';
import type { Result } from './result';
import { err, ok } from './result';

export type Language = 'zh' | 'en';
/** A value with an optional English variant; a bare value is used for every language. */
export type Localized<T = string> = T | { zh: T; en?: T };

/** A tappable row. Tapping sends `content` back as text; `next` names the node to run then. */
export interface FlowItem {
  content: Localized;
  desc?: Localized;
  next?: string;
}

export interface CardField {
  name: Localized;
  value: Localized;
}

export interface TaskField {
  name: string;
  label?: Localized;
  /** 0 = text input, 1 = choice among `options`. */
  formType: 0 | 1;
  placeholder?: Localized;
  required: boolean;
  options?: Localized<string[]>;
}

/** Nodes may chain with `next` (run right after) except the ones waiting for the user. */
export type FlowNode =
  /** src 15 branch menu. */
  | { type: 'menu'; header?: Localized; tail?: Localized; items: FlowItem[] }
  /** src 21 `type: 1`: a choice; the chosen content is stored in `vars[saveAs]`. */
  | { type: 'choice-form'; header: Localized; items: FlowItem[]; saveAs?: string }
  /** src 21 text box: the next text the user sends is the answer (`vars[saveAs]`), then `next` runs. */
  | { type: 'input-form'; header: Localized; saveAs?: string; next?: string }
  /** Plain text; `{name}` placeholders are filled from the session's vars. */
  | { type: 'text'; text: Localized; messageType?: string; next?: string }
  /** src 22. `pic` may use `{assets}` for the simulator's asset base URL. */
  | {
      type: 'product-card';
      header: Localized;
      desc: Localized;
      pic: string;
      url: string;
      customField?: CardField[];
      next?: string;
    }
  /** src 28. */
  | {
      type: 'order-card';
      guide: Localized;
      name: Localized;
      desc: Localized;
      pic: string;
      customField?: CardField[];
      next?: string;
    }
  /** src 30, Markdown. */
  | { type: 'rich-text'; content: Localized; next?: string }
  /** src 31: the first chunk is sent, the rest are appended by modification. */
  | { type: 'stream-text'; chunks: Localized<string[]>; next?: string }
  /** src 32 task-flow branch. */
  | {
      type: 'task-branch';
      header: Localized;
      tail?: Localized;
      items: FlowItem[];
      optionType: 0 | 1;
      taskInfo: { taskID: number; nodeID: string; env: string };
      saveAs?: string;
    }
  /** src 33 task-flow form: the user submits a src 33 custom message; then `next` runs. */
  | { type: 'task-form'; tip: Localized; fields: TaskField[]; next?: string }
  /** src 37 tip. */
  | { type: 'tips'; content: Localized; next?: string }
  /** Hand over to a human agent (queue, then accept). */
  | { type: 'transfer' };

export type FlowNodeType = FlowNode['type'];

/** Cards the agent console can send, mapped to flow nodes. */
export type AgentCardKind = 'product' | 'order' | 'rich' | 'stream' | 'form' | 'branch';
export const AGENT_CARD_KINDS: readonly AgentCardKind[] = [
  'product',
  'order',
  'rich',
  'stream',
  'form',
  'branch',
];

/** System prompts. Placeholders: `{ahead}` people ahead, `{position}` = ahead + 1, `{agent}` agent name. */
export interface FlowTexts {
  fallback: Localized;
  faqAnswerPrefix?: Localized;
  connectingToAgent: Localized;
  queuing: Localized;
  queuingFirst: Localized;
  connectedToAgent: Localized;
  noAgentOnline: Localized;
  offHours: Localized;
  timeoutAutoClosure: Localized;
  agentClosure: Localized;
  userClosure: Localized;
  queueLeft: Localized;
  inputReceived: Localized;
  taskFormMissing: Localized;
  /** Refusal text per rating error code (10150-10154). */
  ratingRefused: Record<'10150' | '10151' | '10152' | '10153' | '10154', Localized>;
}

export interface FlowConfig {
  name: string;
  rating: {
    /** src 23 bits: 1 auto card at session end, 2 agent may send, 4 user may ask (src 24). */
    menuSendRuleFlag: number;
    head: Localized;
    tail: Localized;
    options: { id: string; content: Localized }[];
    effectiveHour: number;
  };
  welcome: {
    /** `robot-welcome` = src 29 `welcome_msg`; `text` = a text with `messageType: welcome`. */
    style: 'robot-welcome' | 'text';
    title: Localized;
    /** Questions shown in the welcome; tapping one sends its content, the bot answers with `answer`. */
    items: { content: Localized; answer: Localized }[];
  };
  /** The menu sent after the welcome, and again on fallback or a menu keyword. */
  startNode: string;
  nodes: Record<string, FlowNode>;
  keywords: { transfer: string[]; menu: string[] };
  /** Names used when an agent is accepted automatically or without a name. */
  agents: string[];
  /**
   * Agents per skill group (the handshake's `triggeredContent.skillGroup`): a user of a listed
   * group is served by these names; any other group, or none, by `agents`.
   */
  skillGroups?: Record<string, { agents: string[] }>;
  agentCards: Record<AgentCardKind, string>;
  texts: FlowTexts;
}

/** Picks the variant for a language (falls back to `zh`). */
export function localize<T>(value: Localized<T>, language: Language): T {
  if (isRecord(value) && 'zh' in value) {
    const variants = value as { zh: T; en?: T };
    return language === 'en' && variants.en !== undefined ? variants.en : variants.zh;
  }
  return value as T;
}

/** Every variant of a localized value (for matching what the user typed in any language). */
export function variants<T>(value: Localized<T>): T[] {
  if (isRecord(value) && 'zh' in value) {
    const all = value as { zh: T; en?: T };
    return all.en === undefined ? [all.zh] : [all.zh, all.en];
  }
  return [value as T];
}

/** Replaces `{name}` placeholders; unknown names are left as they are. */
export function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in vars ? String(vars[name]) : whole,
  );
}

const NODE_TYPES: readonly FlowNodeType[] = [
  'menu',
  'choice-form',
  'input-form',
  'text',
  'product-card',
  'order-card',
  'rich-text',
  'stream-text',
  'task-branch',
  'task-form',
  'tips',
  'transfer',
];

/** Fields each node type needs to be a non-empty localized string (or string[] for stream chunks). */
const REQUIRED_TEXT: Partial<Record<FlowNodeType, string[]>> = {
  'choice-form': ['header'],
  'input-form': ['header'],
  text: ['text'],
  'product-card': ['header', 'desc', 'pic', 'url'],
  'order-card': ['guide', 'name', 'desc', 'pic'],
  'rich-text': ['content'],
  'task-branch': ['header'],
  'task-form': ['tip'],
  tips: ['content'],
};

function isLocalizedString(value: unknown): boolean {
  if (typeof value === 'string') return true;
  return (
    isRecord(value) &&
    typeof value.zh === 'string' &&
    (value.en === undefined || typeof value.en === 'string')
  );
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((entry) => typeof entry === 'string');
}

function isLocalizedStringArray(value: unknown): boolean {
  if (isStringArray(value)) return value.length > 0;
  return (
    isRecord(value) &&
    isStringArray(value.zh) &&
    value.zh.length > 0 &&
    (value.en === undefined || (isStringArray(value.en) && value.en.length > 0))
  );
}

function checkItems(where: string, items: unknown, problems: string[]): void {
  if (!Array.isArray(items) || items.length === 0) {
    problems.push(`${where}.items must be a non-empty array`);
    return;
  }
  items.forEach((item: unknown, index) => {
    if (!isRecord(item) || !isLocalizedString(item.content)) {
      problems.push(`${where}.items[${index}].content must be a localized string`);
    } else if (item.next !== undefined && typeof item.next !== 'string') {
      problems.push(`${where}.items[${index}].next must be a node id`);
    }
  });
}

function checkNode(id: string, node: unknown, problems: string[]): void {
  const where = `nodes.${id}`;
  if (!isRecord(node) || !NODE_TYPES.includes(node.type as FlowNodeType)) {
    problems.push(`${where}.type must be one of ${NODE_TYPES.join(', ')}`);
    return;
  }
  const type = node.type as FlowNodeType;
  for (const field of REQUIRED_TEXT[type] ?? []) {
    if (!isLocalizedString(node[field]))
      problems.push(`${where}.${field} must be a localized string`);
  }
  if (type === 'menu' || type === 'choice-form' || type === 'task-branch') {
    checkItems(where, node.items, problems);
  }
  if (type === 'stream-text' && !isLocalizedStringArray(node.chunks)) {
    problems.push(`${where}.chunks must be a non-empty string array (or {zh, en} of them)`);
  }
  if (type === 'task-branch') {
    const info = node.taskInfo;
    if (!isRecord(info) || typeof info.taskID !== 'number' || typeof info.nodeID !== 'string') {
      problems.push(`${where}.taskInfo must be {taskID: number, nodeID: string, env: string}`);
    }
  }
  if (type === 'task-form') {
    if (!Array.isArray(node.fields) || node.fields.length === 0) {
      problems.push(`${where}.fields must be a non-empty array`);
    } else {
      node.fields.forEach((field: unknown, index) => {
        if (
          !isRecord(field) ||
          typeof field.name !== 'string' ||
          (field.formType !== 0 && field.formType !== 1)
        ) {
          problems.push(`${where}.fields[${index}] needs a name and formType 0|1`);
        }
      });
    }
  }
}

/** Every node id a node refers to (its own `next` and its items' `next`). */
function references(node: FlowNode): string[] {
  const refs: string[] = [];
  if ('next' in node && node.next) refs.push(node.next);
  if ('items' in node) for (const item of node.items) if (item.next) refs.push(item.next);
  return refs;
}

/**
 * Checks a flow's structure and that every referenced node exists. Returns the problems found
 * (empty = usable). Does not throw on any input.
 */
export function validateFlow(flow: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(flow)) return ['flow must be an object'];
  const nodes = flow.nodes;
  if (!isRecord(nodes)) return ['nodes must be an object'];
  for (const [id, node] of Object.entries(nodes)) checkNode(id, node, problems);
  if (typeof flow.startNode !== 'string' || !(flow.startNode in nodes)) {
    problems.push('startNode must name a node');
  }
  const rating = flow.rating;
  if (!isRecord(rating) || typeof rating.menuSendRuleFlag !== 'number') {
    problems.push('rating.menuSendRuleFlag must be a number');
  } else if (
    !Array.isArray(rating.options) ||
    rating.options.length === 0 ||
    !rating.options.every((option: unknown) => isRecord(option) && typeof option.id === 'string')
  ) {
    problems.push('rating.options must be a non-empty array of {id, content}');
  }
  const welcome = flow.welcome;
  if (!isRecord(welcome) || !Array.isArray(welcome.items))
    problems.push('welcome.items must be an array');
  const keywords = flow.keywords;
  if (!isRecord(keywords) || !isStringArray(keywords.transfer) || !isStringArray(keywords.menu)) {
    problems.push('keywords.transfer and keywords.menu must be string arrays');
  }
  if (!isStringArray(flow.agents) || flow.agents.length === 0)
    problems.push('agents must list at least one name');
  if (
    flow.skillGroups !== undefined &&
    (!isRecord(flow.skillGroups) ||
      !Object.values(flow.skillGroups).every(
        (g) => isRecord(g) && isStringArray(g.agents) && g.agents.length > 0,
      ))
  )
    problems.push('skillGroups must map group names to {agents: [name, ...]}');
  const cards = flow.agentCards;
  if (!isRecord(cards)) {
    problems.push('agentCards must map card kinds to node ids');
  } else {
    for (const kind of AGENT_CARD_KINDS) {
      if (typeof cards[kind] !== 'string' || !((cards[kind] as string) in nodes)) {
        problems.push(`agentCards.${kind} must name a node`);
      }
    }
  }
  if (!isRecord(flow.texts)) problems.push('texts must be an object');
  if (problems.length > 0) return problems;
  for (const [id, node] of Object.entries(nodes as Record<string, FlowNode>)) {
    for (const ref of references(node)) {
      if (!(ref in nodes)) problems.push(`nodes.${id} refers to missing node "${ref}"`);
    }
  }
  return problems;
}

/**
 * Lays an override (parsed JSON, possibly partial) over a base flow: `nodes`, `texts`, `keywords`,
 * `rating`, `welcome` and `agentCards` merge key by key, everything else replaces. The result is validated.
 */
export function mergeFlow(base: FlowConfig, override: unknown): Result<FlowConfig, string[]> {
  if (!isRecord(override)) return err(['flow override must be a JSON object']);
  const merged: Record<string, unknown> = { ...base };
  const mergeable = new Set([
    'nodes',
    'texts',
    'keywords',
    'rating',
    'welcome',
    'agentCards',
    'skillGroups',
  ]);
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] =
      mergeable.has(key) && isRecord(value) && isRecord(current) ? { ...current, ...value } : value;
  }
  const problems = validateFlow(merged);
  return problems.length > 0 ? err(problems) : ok(merged as unknown as FlowConfig);
}

/** Reads a JSON flow file and merges it over `base`. Unreadable or invalid files are errors, not throws. */
export function loadFlowFile(path: string, base: FlowConfig): Result<FlowConfig, string[]> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    return err([`cannot read ${path}: ${cause instanceof Error ? cause.message : String(cause)}`]);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    return err([`${path} is not JSON: ${cause instanceof Error ? cause.message : String(cause)}`]);
  }
  return mergeFlow(base, parsed);
}

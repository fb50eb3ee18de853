/**
 * The simulated TCCC session engine: runs the service flow for every (serviceAccount, userID) pair, keeps
 * the human-agent queue, plays the agent's side for the console, ends sessions and handles ratings.
 * It talks to users only through `ServiceBackend`, like real TCCC through the customer-service account.
 */
import { randomUUID } from 'node:crypto';

import type { FlowConfig, FlowItem, FlowNode, Language, Localized } from './flow';
import { fill, localize, variants } from './flow';
import type { InboundMessage, SentRef, ServiceBackend, WireElem } from './port';
import type { RatingErrorCode, Role } from './protocol';
import {
  RATING_ERROR,
  RATING_RULE,
  SRC,
  cloudData,
  customElem,
  isRecord,
  parseUserInput,
  requestedLanguage,
  requestedSkillGroup,
  textElem,
} from './protocol';
import type { RatingCard } from './rating';
import { RatingBook, ratingMenuContent } from './rating';
import type { Result } from './result';
import { err, ok } from './result';
import { AgentDesk } from './agent-desk';
import { ServiceQueue } from './queue';
import { TimerSet } from './scheduler';
import type {
  AgentResult,
  EngineSettings,
  SessionState,
  SessionSummary,
  TranscriptEntry,
  UserRef,
} from './types';

interface Offer {
  value: string;
  next?: string;
  saveAs?: string;
  /** A task-flow branch message to mark submitted when this item is chosen. */
  source?: {
    ref: SentRef;
    body: Record<string, unknown>;
    cloud: string;
    item: { content: string; desc: string };
  };
}

type Pending =
  | { kind: 'input'; nodeId: string }
  | {
      kind: 'task-form';
      nodeId: string;
      ref: SentRef;
      body: Record<string, unknown>;
      cloud: string;
    };

interface Session {
  key: string;
  serviceAccount: string;
  userID: string;
  state: SessionState;
  sessionId: string;
  language: Language;
  agentName?: string;
  welcomed: boolean;
  /** Latest service session that reached an agent: what src 24 / the console rate after the end. */
  lastAgentSessionId?: string;
  pending?: Pending;
  offers: Map<string, Offer>;
  vars: Record<string, string>;
  virtualAhead: number;
  transcript: TranscriptEntry[];
  messageCount: number;
  startedAt: number;
  updatedAt: number;
  cancelQueueTimer?: () => void;
  cancelTimeout?: () => void;
  rating?: { id: string; content: string };
  /** From the handshake (`triggeredContent.skillGroup`): the queue and agents that serve the user. */
  skillGroup?: string;
  /** The agent's stored texts by transcript seq (the console may revoke them). */
  seatRefs: Record<number, SentRef>;
}

/** A session as saved: plain data, no timers. */
export type SavedSession = Omit<Session, 'offers' | 'cancelQueueTimer' | 'cancelTimeout'> & {
  offers: [string, Offer][];
};

/** Everything the engine keeps across a restart (`exportState` / `importState`). */
export interface EngineState {
  version: 1;
  sessions: SavedSession[];
  /** Session keys, head of the queue first. */
  queue: string[];
  ratings: [userKey: string, cards: RatingCard[]][];
  agentRotation: number;
}

export function isEngineState(v: unknown): v is EngineState {
  return (
    isRecord(v) &&
    v.version === 1 &&
    Array.isArray(v.sessions) &&
    v.sessions.every(
      (x) =>
        isRecord(x) &&
        typeof x.key === 'string' &&
        typeof x.userID === 'string' &&
        typeof x.serviceAccount === 'string' &&
        typeof x.state === 'string' &&
        Array.isArray(x.offers) &&
        Array.isArray(x.transcript),
    ) &&
    Array.isArray(v.queue) &&
    v.queue.every((k) => typeof k === 'string') &&
    Array.isArray(v.ratings) &&
    typeof v.agentRotation === 'number'
  );
}

const TRANSCRIPT_LIMIT = 500;
const CHAIN_LIMIT = 8;

const normalize = (text: string): string => text.trim().toLowerCase();

export class TcccEngine {
  private readonly sessions = new Map<string, Session>();
  private readonly queue = new ServiceQueue<Session>();
  private readonly ratings = new RatingBook();
  private readonly timers: TimerSet;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;
  private agentRotation = 0;
  private closed = false;

  /** The agent API (console, tests). */
  readonly desk: AgentDesk<Session>;

  constructor(
    private readonly backend: ServiceBackend,
    private readonly settings: EngineSettings,
  ) {
    this.timers = new TimerSet(settings.scheduler);
    this.desk = new AgentDesk<Session>({
      isClosed: () => this.closed,
      resolve: (user) => this.resolve(user),
      listSessions: () => this.listSessions(),
      transcript: (session) => [...session.transcript],
      accept: (session, agentName) => this.accept(session, agentName),
      reply: (session, text) => {
        const ref = this.send(session, [textElem(text)], { role: 'seat', note: text });
        const entry = session.transcript[session.transcript.length - 1];
        if (ref && ref.seq > 0 && entry?.from === 'seat') {
          entry.revocable = true;
          session.seatRefs[entry.seq] = ref;
        }
        this.armTimeout(session);
      },
      typing: (session) => {
        this.send(session, [customElem(SRC.TYPING)], { onlineOnly: true });
      },
      hasCard: (kind) => Boolean(this.flow.agentCards[kind]),
      sendCard: (session, kind) => {
        this.runNode(session, this.flow.agentCards[kind], 'seat');
        this.armTimeout(session);
      },
      sendRatingCard: (session, sessionId) => this.sendRatingCard(session, sessionId),
      endByAgent: (session) => {
        this.note(session, 'system', '客服结束了会话');
        this.endSession(session, 'agent');
      },
      revoke: (session, seq) => {
        const ref = session.seatRefs[seq];
        const entry = session.transcript.find((e) => e.seq === seq);
        if (!ref || !entry?.revocable) return `message ${seq} is not one of the agent's texts`;
        if (!this.backend.revoke) return 'the backend cannot revoke';
        if (!this.backend.revoke(ref, '')) return `message ${seq} is already revoked`;
        entry.revocable = false;
        entry.revoked = true;
        delete session.seatRefs[seq];
        this.note(session, 'system', '客服撤回了一条消息');
        return undefined;
      },
      changed: () => this.changed(),
    });
    this.unsubscribe = backend.onUserMessage((message) => this.receive(message));
  }

  /** Stops timers (queues, streams, timeouts) and detaches from the backend. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.timers.cancelAll();
    this.listeners.clear();
  }

  /** Called after any visible change (new message, state change); for live console updates. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The state to save: sessions, queue order, rating cards. */
  exportState(): EngineState {
    return {
      version: 1,
      sessions: [...this.sessions.values()].map(
        ({ offers, cancelQueueTimer: _q, cancelTimeout: _t, ...rest }) => ({
          ...rest,
          offers: [...offers.entries()],
        }),
      ),
      queue: this.queue.entries().map((session) => session.key),
      ratings: this.ratings.entries(),
      agentRotation: this.agentRotation,
    };
  }

  /**
   * Restores a saved state (before any message arrives) and re-arms its timers: queued users wait
   * for the next queue step again, agent sessions get a fresh inactivity timeout.
   */
  importState(state: EngineState): void {
    for (const saved of state.sessions) {
      const seatRefs = (saved as Partial<SavedSession>).seatRefs ?? {};
      const session: Session = { ...saved, seatRefs, offers: new Map(saved.offers) };
      this.sessions.set(session.key, session);
    }
    for (const key of state.queue) {
      const session = this.sessions.get(key);
      if (session?.state === 'queued') this.queue.push(session);
    }
    for (const session of this.sessions.values()) {
      if (session.state === 'queued') this.queue.push(session);
    }
    this.ratings.load(state.ratings);
    this.agentRotation = state.agentRotation;
    for (const session of this.queue.entries()) this.armQueueTimer(session);
    for (const session of this.sessions.values())
      if (session.state === 'active') this.armTimeout(session);
  }

  listSessions(): SessionSummary[] {
    return [...this.sessions.values()]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((session) => this.summarize(session));
  }

  // ---- user side ------------------------------------------------------------------------------

  /** Entry point for every user message; never throws (bad input is logged and ignored). */
  receive(message: InboundMessage): void {
    if (this.closed) return;
    try {
      this.dispatch(message);
    } catch (cause) {
      this.settings.logger.warn(`tccc: failed to handle a user message: ${describeError(cause)}`);
    }
    this.changed();
  }

  private dispatch(message: InboundMessage): void {
    const raw: unknown = message;
    if (
      !isRecord(raw) ||
      typeof raw.serviceAccount !== 'string' ||
      typeof raw.userID !== 'string'
    ) {
      this.settings.logger.info('tccc: ignored a message without serviceAccount/userID');
      return;
    }
    if (!raw.userID || !raw.serviceAccount) return;
    const session = this.sessionFor(raw.serviceAccount, raw.userID);
    const input = parseUserInput(raw.elems);
    if (input.kind === 'protocol') {
      this.onProtocol(session, input.src, input.body);
    } else if (input.kind === 'text') {
      this.note(session, 'user', input.text);
      this.onText(session, input.text);
    } else {
      this.note(session, 'user', input.summary, input.image);
      if (session.state === 'active') this.armTimeout(session);
    }
  }

  private onProtocol(session: Session, src: string, body: Record<string, unknown>): void {
    switch (src) {
      case SRC.HANDSHAKE:
        return this.onHandshake(session, body);
      case SRC.RATING_SELECTED:
        return this.onRatingSubmitted(session, body);
      case SRC.USER_RATING_REQUEST:
        return this.onUserRatingRequest(session);
      case SRC.USER_END: {
        const language = requestedLanguage(body);
        if (language) session.language = language;
        if (session.state === 'active' || session.state === 'queued') {
          this.note(session, 'system', '用户结束了会话');
          this.endSession(session, 'user');
        } else {
          this.settings.logger.info(`tccc: src 27 from ${session.userID} outside a human session`);
        }
        return;
      }
      case SRC.PRODUCT_CARD: {
        const content = isRecord(body.content) ? body.content : {};
        this.note(session, 'user', `[商品卡片] ${stringField(content, 'header')}`.trim());
        if (session.state === 'active') this.armTimeout(session);
        return;
      }
      case SRC.TASK_FORM:
        return this.onTaskFormSubmitted(session, body);
      default:
        this.settings.logger.info(`tccc: ignored src ${src} from ${session.userID}`);
    }
  }

  /**
   * src 7. Always answers with the rating settings (23). The welcome and start menu are sent only when a
   * new service session starts (first contact, after the end, or after a bot session idled out) or the bot
   * session never got them; re-opening the chat mid-session must not restart the flow. In an agent session
   * the seat status is re-sent, since a freshly opened client does not know it.
   */
  private onHandshake(session: Session, body: Record<string, unknown>): void {
    const language = requestedLanguage(body);
    if (language) session.language = language;
    if (session.state === 'ended' || this.botIdledOut(session)) this.startBotSession(session);
    // Remembered for the session; a queued or served user keeps the group they were routed by.
    const skillGroup = requestedSkillGroup(body);
    if (skillGroup && (session.state === 'bot' || session.state === 'ended'))
      session.skillGroup = skillGroup;
    this.send(session, [
      customElem(SRC.RATING_SETTINGS, {
        content: { menuSendRuleFlag: this.flow.rating.menuSendRuleFlag },
      }),
    ]);
    if (session.state === 'bot' && !session.welcomed) {
      session.welcomed = true;
      this.sendWelcome(session);
      this.runNode(session, this.flow.startNode, 'robot');
    } else if (session.state === 'active') {
      this.sendSeatStatus(session, 'inSeat');
    }
  }

  private onText(session: Session, text: string): void {
    if (session.state === 'ended' || this.botIdledOut(session)) this.startBotSession(session);
    if (session.state === 'active') {
      this.armTimeout(session);
      return;
    }
    const isTransfer = this.matches(this.flow.keywords.transfer, text);
    if (session.state === 'queued') {
      if (isTransfer) this.sendQueuePosition(session);
      return;
    }
    this.botReply(session, text, isTransfer);
  }

  private botReply(session: Session, text: string, isTransfer: boolean): void {
    if (isTransfer) return this.transfer(session);
    if (this.matches(this.flow.keywords.menu, text)) {
      session.pending = undefined;
      return this.runNode(session, this.flow.startNode, 'robot');
    }
    const offer = session.offers.get(normalize(text)) ?? this.startMenuOffer(session, text);
    if (offer) return this.choose(session, offer);
    const pending = session.pending;
    if (pending?.kind === 'input') {
      const node = this.flow.nodes[pending.nodeId];
      session.pending = undefined;
      session.vars.input = text.trim();
      if (node?.type === 'input-form' && node.saveAs) session.vars[node.saveAs] = text.trim();
      if (node?.type === 'input-form' && node.next)
        return this.runNode(session, node.next, 'robot');
      const received = fill(this.localize(this.flow.texts.inputReceived, session), {
        input: text.trim(),
      });
      return this.sendText(session, received, 'robot', 'other');
    }
    const faq = this.flow.welcome.items.find((item) =>
      variants(item.content).some((variant) => normalize(variant) === normalize(text)),
    );
    if (faq) return this.sendText(session, this.localize(faq.answer, session), 'robot', 'faq');
    this.sendText(session, this.localize(this.flow.texts.fallback, session), 'robot', 'fallback');
    this.runNode(session, this.flow.startNode, 'robot');
  }

  /** The start menu's items always work, even typed before the menu was shown. */
  private startMenuOffer(session: Session, text: string): Offer | undefined {
    const start = this.flow.nodes[this.flow.startNode];
    if (start?.type !== 'menu') return undefined;
    const typed = normalize(text);
    const item = start.items.find((candidate) =>
      variants(candidate.content).some((variant) => normalize(variant) === typed),
    );
    return item ? { value: this.localize(item.content, session), next: item.next } : undefined;
  }

  private choose(session: Session, offer: Offer): void {
    if (offer.saveAs) session.vars[offer.saveAs] = offer.value;
    session.pending = undefined;
    const source = offer.source;
    if (source) {
      const content = isRecord(source.body.content) ? source.body.content : {};
      const body = { ...source.body, status: 2, content: { ...content, selected: source.item } };
      this.modify(source.ref, [customElem(SRC.TASK_BRANCH, strip(body))], source.cloud);
      for (const [key, other] of session.offers)
        if (other.source?.ref === source.ref) session.offers.delete(key);
    }
    if (offer.next) this.runNode(session, offer.next, 'robot');
  }

  private onTaskFormSubmitted(session: Session, body: Record<string, unknown>): void {
    const pending = session.pending;
    const node = pending?.kind === 'task-form' ? this.flow.nodes[pending.nodeId] : undefined;
    if (!pending || pending.kind !== 'task-form' || node?.type !== 'task-form') {
      this.settings.logger.info(`tccc: src 33 from ${session.userID} with no form waiting`);
      return;
    }
    const submitted = new Map<string, string>();
    const content = isRecord(body.content) ? body.content : {};
    const inputs: unknown[] = Array.isArray(content.inputVariables) ? content.inputVariables : [];
    for (const entry of inputs) {
      if (
        isRecord(entry) &&
        typeof entry.name === 'string' &&
        typeof entry.variableValue === 'string'
      ) {
        submitted.set(entry.name, entry.variableValue.trim());
      }
    }
    const values = new Map<string, string>();
    const missing: string[] = [];
    for (const field of node.fields) {
      const label = field.label ? this.localize(field.label, session) : field.name;
      const value = submitted.get(label) ?? submitted.get(field.name) ?? '';
      const options = field.options ? variants(field.options).flat() : undefined;
      const valid = value !== '' && (field.formType === 0 || !options || options.includes(value));
      if (valid) values.set(field.name, value);
      else if (field.required) missing.push(label);
    }
    this.note(session, 'user', `[表单] ${[...values.values()].join('，')}`);
    if (missing.length > 0) {
      this.sendText(
        session,
        fill(this.localize(this.flow.texts.taskFormMissing, session), {
          fields: missing.join('、'),
        }),
        'robot',
        'standardTaskFlowInformationCollection',
      );
      return;
    }
    for (const field of node.fields) session.vars[field.name] = values.get(field.name) ?? '';
    session.pending = undefined;
    const formContent = isRecord(pending.body.content) ? pending.body.content : {};
    const filled = (
      Array.isArray(formContent.inputVariables) ? formContent.inputVariables : []
    ).map((entry: unknown, index) => {
      const field = node.fields[index];
      return isRecord(entry) && field
        ? { ...entry, variableValue: values.get(field.name) ?? '' }
        : entry;
    });
    const submittedBody = {
      ...pending.body,
      nodeStatus: 2,
      content: { ...formContent, inputVariables: filled },
    };
    this.modify(pending.ref, [customElem(SRC.TASK_FORM, strip(submittedBody))], pending.cloud);
    if (node.next) this.runNode(session, node.next, 'robot');
  }

  // ---- flow nodes -----------------------------------------------------------------------------

  private runNode(session: Session, nodeId: string, role: Role, depth = 0): void {
    const node = this.flow.nodes[nodeId];
    if (!node || depth > CHAIN_LIMIT) {
      this.settings.logger.warn(`tccc: flow node "${nodeId}" missing or chained too deep`);
      return;
    }
    const next = this.sendNode(session, nodeId, node, role);
    if (next) this.runNode(session, next, role, depth + 1);
  }

  /** Sends one node; returns the node to chain to, if any. */
  private sendNode(
    session: Session,
    nodeId: string,
    node: FlowNode,
    role: Role,
  ): string | undefined {
    const t = (value: Localized): string => fill(this.localize(value, session), session.vars);
    const asset = (pic: string): string => this.assetUrl(pic);
    switch (node.type) {
      case 'menu': {
        const items = this.offerItems(session, node.items);
        const content: Record<string, unknown> = {
          header: node.header ? t(node.header) : '',
          items,
        };
        if (node.tail) content.tail = t(node.tail);
        this.send(session, [customElem(SRC.BRANCH, { content })], {
          role,
          note: `[菜单] ${content.header as string}`,
        });
        return undefined;
      }
      case 'choice-form': {
        const items = this.offerItems(session, node.items, node.saveAs);
        const content = { type: 1, header: t(node.header), items };
        this.send(session, [customElem(SRC.FORM, { content })], {
          role,
          messageType: 'standardTaskFlowInformationCollection',
          note: `[选择] ${content.header}`,
        });
        return undefined;
      }
      case 'input-form': {
        const content = { type: 2, header: t(node.header) };
        session.pending = { kind: 'input', nodeId };
        this.send(session, [customElem(SRC.FORM, { content })], {
          role,
          messageType: 'standardTaskFlowInformationCollection',
          note: `[输入] ${content.header}`,
        });
        return undefined;
      }
      case 'text':
        this.sendText(session, t(node.text), role, node.messageType);
        return node.next;
      case 'product-card': {
        const content: Record<string, unknown> = {
          header: t(node.header),
          desc: t(node.desc),
          pic: asset(node.pic),
          url: node.url,
        };
        if (node.customField)
          content.customField = node.customField.map((field) => ({
            name: t(field.name),
            value: t(field.value),
          }));
        this.send(session, [customElem(SRC.PRODUCT_CARD, { content })], {
          role,
          note: `[商品卡片] ${content.header as string}`,
        });
        return node.next;
      }
      case 'order-card': {
        const content: Record<string, unknown> = {
          guide: t(node.guide),
          name: t(node.name),
          desc: t(node.desc),
          pic: asset(node.pic),
        };
        if (node.customField)
          content.customField = node.customField.map((field) => ({
            name: t(field.name),
            value: t(field.value),
          }));
        this.send(session, [customElem(SRC.ORDER, { content })], {
          role,
          note: `[订单卡片] ${content.name as string}`,
        });
        return node.next;
      }
      case 'rich-text': {
        const content = this.assetUrl(t(node.content));
        this.send(session, [customElem(SRC.RICH_TEXT, { content })], {
          role,
          note: `[富文本] ${content.split('\n')[0]}`,
        });
        return node.next;
      }
      case 'stream-text':
        this.stream(
          session,
          localize(node.chunks, session.language).map((chunk) => fill(chunk, session.vars)),
          role,
        );
        return node.next;
      case 'task-branch': {
        const items = node.items.map((item) => ({
          content: t(item.content),
          desc: item.desc ? t(item.desc) : '',
        }));
        const body: Record<string, unknown> = {
          status: 0,
          optionType: node.optionType,
          taskInfo: node.taskInfo,
          content: { header: t(node.header), tail: node.tail ? t(node.tail) : '', items },
        };
        const cloud = cloudData(role, 'standardTaskFlowBranchOption');
        const ref = this.send(session, [customElem(SRC.TASK_BRANCH, body)], {
          role,
          cloud,
          note: `[任务分支] ${t(node.header)}`,
        });
        node.items.forEach((item, index) => {
          const source = ref ? { ref, body, cloud, item: items[index] } : undefined;
          this.offer(session, item, {
            value: items[index].content,
            next: item.next,
            saveAs: node.saveAs,
            source,
          });
        });
        return undefined;
      }
      case 'task-form': {
        const inputVariables = node.fields.map((field) => ({
          name: field.label ? t(field.label) : field.name,
          type: 'string',
          formType: field.formType,
          placeholder: field.placeholder ? t(field.placeholder) : '',
          isRequired: field.required ? 1 : 0,
          variableValue: '',
          chooseItemList: field.options ? localize(field.options, session.language) : [],
        }));
        const body = { nodeStatus: 0, content: { tip: t(node.tip), inputVariables } };
        const cloud = cloudData(role, 'standardTaskFlowInformationCollection');
        const ref = this.send(session, [customElem(SRC.TASK_FORM, body)], {
          role,
          cloud,
          note: `[任务表单] ${t(node.tip)}`,
        });
        if (ref) session.pending = { kind: 'task-form', nodeId, ref, body, cloud };
        return undefined;
      }
      case 'tips': {
        const content = t(node.content);
        this.send(session, [customElem(SRC.TIPS, { content })], {
          role,
          note: `[提示] ${content}`,
        });
        return node.next;
      }
      case 'transfer':
        this.transfer(session);
        return undefined;
    }
  }

  /** Registers tappable items (every language variant matches) and returns them localized for the payload. */
  private offerItems(
    session: Session,
    items: FlowItem[],
    saveAs?: string,
  ): { content: string; desc: string }[] {
    return items.map((item) => {
      const shown = {
        content: this.localize(item.content, session),
        desc: item.desc ? this.localize(item.desc, session) : '',
      };
      this.offer(session, item, { value: shown.content, next: item.next, saveAs });
      return shown;
    });
  }

  private offer(session: Session, item: FlowItem, offer: Offer): void {
    for (const variant of variants(item.content)) session.offers.set(normalize(variant), offer);
  }

  private sendWelcome(session: Session): void {
    const welcome = this.flow.welcome;
    const title = this.localize(welcome.title, session);
    const items = welcome.items.map((item, index) => ({
      content: this.localize(item.content, session),
      id: String(index + 1),
    }));
    if (welcome.style === 'robot-welcome') {
      this.send(
        session,
        [customElem(SRC.ROBOT_MSG, { subtype: 'welcome_msg', content: { title, items } })],
        {
          role: 'robot',
          messageType: 'welcome',
          note: `[欢迎语] ${title}`,
        },
      );
    } else {
      const lines = [title, ...items.map((item) => `${item.id}. ${item.content}`)];
      this.sendText(session, lines.join('\n'), 'robot', 'welcome');
    }
  }

  /** src 31: first chunk now, then one modification per chunk every `streamIntervalMs` until `isFinished: 1`. */
  private stream(session: Session, chunks: string[], role: Role): void {
    if (chunks.length === 0) return;
    const cloud = cloudData(role, role === 'robot' ? 'aiReply' : undefined);
    const build = (count: number): WireElem[] => [
      customElem(SRC.STREAM, {
        chunks: chunks.slice(0, count),
        isFinished: count >= chunks.length ? 1 : 0,
      }),
    ];
    const ref = this.send(session, build(1), { role, cloud, note: `[流式] ${chunks.join('')}` });
    if (!ref || chunks.length === 1) return;
    let count = 1;
    const step = (): void => {
      count += 1;
      if (!this.modify(ref, build(count), cloud)) return;
      if (count < chunks.length) this.timers.after(this.settings.streamIntervalMs, step);
    };
    this.timers.after(this.settings.streamIntervalMs, step);
  }

  // ---- queue and agents -----------------------------------------------------------------------

  private transfer(session: Session): void {
    session.pending = undefined;
    if (this.settings.offHours) {
      this.sendText(
        session,
        this.localize(this.flow.texts.offHours, session),
        'robot',
        'automaticReplyAfterWorkingHours',
      );
      return;
    }
    if (!this.settings.agentsOnline) {
      this.send(session, [customElem(SRC.NO_SEAT_ONLINE)]);
      this.sendText(
        session,
        this.localize(this.flow.texts.noAgentOnline, session),
        'robot',
        'failedToConnectAgent',
      );
      return;
    }
    this.sendText(
      session,
      this.localize(this.flow.texts.connectingToAgent, session),
      'robot',
      'connectingToAgent',
    );
    session.state = 'queued';
    session.virtualAhead = Math.max(0, Math.floor(this.settings.queueAhead));
    this.queue.push(session);
    this.sendQueuePosition(session);
    this.armQueueTimer(session);
  }

  private queueAheadOf(session: Session): number {
    return this.queue.aheadOf(session);
  }

  private sendQueuePosition(session: Session): void {
    const ahead = this.queueAheadOf(session);
    const template = ahead === 0 ? this.flow.texts.queuingFirst : this.flow.texts.queuing;
    this.sendText(
      session,
      fill(this.localize(template, session), { ahead, position: ahead + 1 }),
      'robot',
      'queuing',
    );
  }

  /**
   * Each tick serves one simulated person ahead (the countdown); at the head of the queue, auto mode
   * accepts, console mode keeps waiting for an agent.
   */
  private armQueueTimer(session: Session): void {
    session.cancelQueueTimer?.();
    session.cancelQueueTimer = this.timers.after(this.settings.queueDelayMs, () => {
      session.cancelQueueTimer = undefined;
      if (session.state !== 'queued') return;
      if (session.virtualAhead > 0) {
        session.virtualAhead -= 1;
        this.sendQueuePosition(session);
      } else if (this.settings.autoAccept && this.queue.isHead(session)) {
        this.accept(session);
        this.changed();
        return;
      }
      this.armQueueTimer(session);
      this.changed();
    });
  }

  private leaveQueue(session: Session): void {
    session.cancelQueueTimer?.();
    session.cancelQueueTimer = undefined;
    for (const behind of this.queue.remove(session)) this.sendQueuePosition(behind);
  }

  private accept(session: Session, agentName?: string): AgentResult {
    if (session.state === 'active')
      return err({
        code: 'bad-state',
        message: `${session.userID} is already with ${session.agentName ?? 'an agent'}`,
      });
    if (session.state === 'ended')
      return err({ code: 'bad-state', message: `the session with ${session.userID} has ended` });
    if (session.state === 'queued') this.leaveQueue(session);
    const agents =
      (session.skillGroup && this.flow.skillGroups?.[session.skillGroup]?.agents) ||
      this.flow.agents;
    const name = agentName?.trim() || agents[this.agentRotation++ % agents.length];
    session.state = 'active';
    session.agentName = name;
    session.pending = undefined;
    session.lastAgentSessionId = session.sessionId;
    this.sendText(
      session,
      fill(this.localize(this.flow.texts.connectedToAgent, session), { agent: name }),
      'robot',
      'connectedToAgent',
    );
    this.sendSeatStatus(session, 'inSeat');
    this.armTimeout(session);
    return ok(undefined);
  }

  private sendSeatStatus(session: Session, status: 'inSeat' | 'outSeat'): void {
    this.send(session, [
      customElem(SRC.SEAT_STATUS, { content: { command: 'updateSeatStatus', content: status } }),
    ]);
  }

  /** The session times out `sessionTimeoutMs` after the last activity of either side. */
  private armTimeout(session: Session): void {
    session.cancelTimeout?.();
    session.cancelTimeout = undefined;
    if (this.settings.sessionTimeoutMs <= 0 || session.state !== 'active') return;
    session.cancelTimeout = this.timers.after(this.settings.sessionTimeoutMs, () => {
      session.cancelTimeout = undefined;
      if (session.state !== 'active') return;
      this.note(session, 'system', '会话超时');
      this.endSession(session, 'timeout');
      this.changed();
    });
  }

  private endSession(session: Session, by: 'agent' | 'user' | 'timeout'): void {
    const wasActive = session.state === 'active';
    const wasQueued = session.state === 'queued';
    if (wasQueued) this.leaveQueue(session);
    session.cancelTimeout?.();
    session.cancelTimeout = undefined;
    if (by === 'timeout') {
      this.sendText(
        session,
        this.localize(this.flow.texts.timeoutAutoClosure, session),
        'robot',
        'timeoutAutoClosure',
      );
      this.send(session, [customElem(SRC.TIMEOUT)]);
    } else if (by === 'agent') {
      this.sendText(
        session,
        this.localize(this.flow.texts.agentClosure, session),
        'robot',
        'proactiveClosure',
      );
    } else {
      const text = wasQueued ? this.flow.texts.queueLeft : this.flow.texts.userClosure;
      this.sendText(session, this.localize(text, session), 'robot', 'other');
    }
    this.send(session, [customElem(SRC.END)]);
    if (wasActive) this.sendSeatStatus(session, 'outSeat');
    session.state = 'ended';
    session.pending = undefined;
    session.offers.clear();
    if (wasActive && (this.flow.rating.menuSendRuleFlag & RATING_RULE.AUTO) !== 0) {
      const sent = this.sendRatingCard(session, session.sessionId);
      if (!sent.ok)
        this.settings.logger.info(
          `tccc: no rating card at the end for ${session.userID} (${sent.error})`,
        );
    }
  }

  // ---- rating ---------------------------------------------------------------------------------

  /** Sends the card of a service session; a second request re-sends the same card while it is usable. */
  private sendRatingCard(session: Session, sessionId: string): Result<void, RatingErrorCode> {
    const nowSeconds = Math.floor(this.settings.scheduler.now() / 1000);
    const existing = this.ratings.get(session.key, sessionId);
    if (existing?.selected) return err(RATING_ERROR.DUPLICATE);
    if (existing && nowSeconds > existing.expireTime) return err(RATING_ERROR.EXPIRED);
    const card: RatingCard = existing ?? this.newRatingCard(session, sessionId, nowSeconds);
    const ref = this.send(session, [customElem(SRC.RATING, { menuContent: card.menuContent })], {
      role: 'robot',
      messageType: 'satisfactionRating',
      note: '[评价卡片]',
    });
    if (!ref) return err(RATING_ERROR.INTERNAL);
    card.refs.push(ref);
    if (!existing) this.ratings.add(session.key, card);
    return ok(undefined);
  }

  private newRatingCard(session: Session, sessionId: string, nowSeconds: number): RatingCard {
    const rating = this.flow.rating;
    const options = rating.options.map((option) => ({
      id: option.id,
      content: this.localize(option.content, session),
    }));
    const expireTime = nowSeconds + this.settings.ratingExpireSeconds;
    const menuContent = ratingMenuContent({
      head: this.localize(rating.head, session),
      tail: this.localize(rating.tail, session),
      options,
      style: this.settings.ratingStyle,
      sessionId,
      effectiveHour: rating.effectiveHour,
      expireTime,
    });
    return { sessionId, menuContent, options, expireTime, refs: [] };
  }

  /**
   * src 10. On success every copy of the card is modified to carry `selected`. A refusal goes back as a
   * robot text whose cloudCustomData carries `messageType: satisfactionRating` and the `errorCode`
   * (10150-10154): real TCCC's delivery path for these codes is undocumented, and a text is the one
   * form every client shows.
   */
  private onRatingSubmitted(session: Session, body: Record<string, unknown>): void {
    const nowSeconds = Math.floor(this.settings.scheduler.now() / 1000);
    const checked = this.ratings.validate(session.key, body, nowSeconds);
    if (!checked.ok) {
      this.note(session, 'system', `评价被拒绝（${checked.error}）`);
      this.sendRatingRefusal(session, checked.error);
      return;
    }
    const { card, option } = checked.value;
    card.selected = option;
    session.rating = option;
    this.note(session, 'user', `[评价] ${option.content}`);
    const cloud = cloudData('robot', 'satisfactionRating');
    const elems = [
      customElem(SRC.RATING, { menuContent: { ...card.menuContent, selected: option } }),
    ];
    for (const ref of card.refs) this.modify(ref, elems, cloud);
  }

  private onUserRatingRequest(session: Session): void {
    if ((this.flow.rating.menuSendRuleFlag & RATING_RULE.CLIENT) === 0) {
      this.settings.logger.info(
        `tccc: src 24 from ${session.userID} but users may not ask to rate`,
      );
      return;
    }
    this.note(session, 'system', '用户请求评价');
    const sessionId = session.state === 'active' ? session.sessionId : session.lastAgentSessionId;
    const sent = sessionId ? this.sendRatingCard(session, sessionId) : err(RATING_ERROR.NO_SESSION);
    if (!sent.ok) this.sendRatingRefusal(session, sent.error);
  }

  private sendRatingRefusal(session: Session, code: RatingErrorCode): void {
    const text = this.localize(
      this.flow.texts.ratingRefused[String(code) as keyof typeof this.flow.texts.ratingRefused],
      session,
    );
    this.send(session, [textElem(text)], {
      role: 'robot',
      cloud: cloudData('robot', 'satisfactionRating', { errorCode: code }),
      note: text,
    });
  }

  // ---- agent actions (console API) ------------------------------------------------------------

  /** Accepts a queued (or still bot-served) user. */
  // ---- plumbing -------------------------------------------------------------------------------

  private get flow(): FlowConfig {
    return this.settings.flow;
  }

  private localize(value: Localized, session: Session): string {
    return localize(value, session.language);
  }

  private matches(keywords: string[], text: string): boolean {
    const typed = normalize(text);
    return keywords.some((keyword) => normalize(keyword) === typed);
  }

  /** Replaces `{assets}/file` references (card pictures, rich-text images). */
  private assetUrl(pic: string): string {
    const base = this.settings.assetBaseUrl;
    return pic.replace(/\{assets\}\/([\w.-]+)/g, (_whole, file: string) =>
      typeof base === 'function' ? base(file) : `${base}/${file}`,
    );
  }

  private sessionFor(serviceAccount: string, userID: string): Session {
    const key = `${serviceAccount}\u0000${userID}`;
    let session = this.sessions.get(key);
    if (!session) {
      const now = this.settings.scheduler.now();
      session = {
        key,
        serviceAccount,
        userID,
        state: 'bot',
        sessionId: this.settings.newSessionId(),
        language: 'zh',
        welcomed: false,
        offers: new Map(),
        vars: {},
        virtualAhead: 0,
        transcript: [],
        seatRefs: {},
        messageCount: 0,
        startedAt: now,
        updatedAt: now,
      };
      this.sessions.set(key, session);
    }
    return session;
  }

  private resolve(user: UserRef): Session | undefined {
    if (typeof user !== 'string') {
      if (!isRecord(user)) return undefined;
      return this.sessions.get(`${user.serviceAccount}\u0000${user.userID}`);
    }
    let best: Session | undefined;
    for (const session of this.sessions.values()) {
      if (session.userID === user && (!best || session.updatedAt > best.updatedAt)) best = session;
    }
    return best;
  }

  private botIdledOut(session: Session): boolean {
    const timeout = this.settings.sessionTimeoutMs;
    return (
      session.state === 'bot' &&
      timeout > 0 &&
      this.settings.scheduler.now() - session.updatedAt > timeout
    );
  }

  private startBotSession(session: Session): void {
    session.state = 'bot';
    session.sessionId = this.settings.newSessionId();
    session.agentName = undefined;
    session.welcomed = false;
    session.pending = undefined;
    session.offers.clear();
    session.vars = {};
    session.startedAt = this.settings.scheduler.now();
  }

  private sendText(session: Session, text: string, role: Role, messageType?: string): void {
    this.send(session, [textElem(text)], { role, messageType, note: text });
  }

  /**
   * Sends through the backend. `role` adds cloudCustomData (robot/seat) unless `cloud` is given; messages
   * without a role are protocol signals (23, 26, 19…) and carry none. Returns undefined if the backend failed.
   */
  private send(
    session: Session,
    elems: WireElem[],
    options: {
      role?: Role;
      messageType?: string;
      cloud?: string;
      note?: string;
      onlineOnly?: boolean;
    } = {},
  ): SentRef | undefined {
    const cloud =
      options.cloud ?? (options.role ? cloudData(options.role, options.messageType) : undefined);
    try {
      const ref = this.backend.send({
        serviceAccount: session.serviceAccount,
        userID: session.userID,
        elems,
        ...(cloud !== undefined ? { cloudCustomData: cloud } : {}),
        ...(options.onlineOnly ? { onlineOnly: true } : {}),
      });
      if (options.note !== undefined) this.note(session, options.role ?? 'system', options.note);
      else session.updatedAt = this.settings.scheduler.now();
      return ref;
    } catch (cause) {
      this.settings.logger.warn(`tccc: send to ${session.userID} failed: ${describeError(cause)}`);
      return undefined;
    }
  }

  private modify(ref: SentRef, elems: WireElem[], cloud?: string): boolean {
    try {
      const done = this.backend.modify(ref, elems, cloud);
      if (!done)
        this.settings.logger.info(
          `tccc: modify of ${ref.userID}#${ref.seq} refused by the backend`,
        );
      this.changed();
      return done;
    } catch (cause) {
      this.settings.logger.warn(`tccc: modify for ${ref.userID} failed: ${describeError(cause)}`);
      return false;
    }
  }

  private note(
    session: Session,
    from: TranscriptEntry['from'],
    text: string,
    image?: string,
  ): void {
    const time = this.settings.scheduler.now();
    session.messageCount += 1;
    const entry: TranscriptEntry = { seq: session.messageCount, from, text, time };
    if (image) entry.image = image;
    session.transcript.push(entry);
    if (session.transcript.length > TRANSCRIPT_LIMIT)
      session.transcript.splice(0, session.transcript.length - TRANSCRIPT_LIMIT);
    session.updatedAt = time;
  }

  private summarize(session: Session): SessionSummary {
    const summary: SessionSummary = {
      serviceAccount: session.serviceAccount,
      userID: session.userID,
      state: session.state,
      sessionId: session.sessionId,
      language: session.language,
      online: this.isOnline(session.userID),
      messageCount: session.messageCount,
      startedAt: session.startedAt,
      updatedAt: session.updatedAt,
    };
    if (session.agentName) summary.agentName = session.agentName;
    if (session.skillGroup) summary.skillGroup = session.skillGroup;
    if (session.state === 'queued') summary.queueAhead = this.queueAheadOf(session);
    const last = session.transcript[session.transcript.length - 1];
    if (last) summary.lastMessage = { ...last };
    if (session.rating) summary.rating = { ...session.rating };
    return summary;
  }

  private isOnline(userID: string): boolean {
    try {
      return this.backend.isUserOnline(userID);
    } catch {
      return false;
    }
  }

  private changed(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (cause) {
        this.settings.logger.warn(`tccc: change listener failed: ${describeError(cause)}`);
      }
    }
  }
}

/** Drops the keys `customElem` adds itself, so a stored body can be re-sent. */
function strip(body: Record<string, unknown>): Record<string, unknown> {
  const { customerServicePlugin: _flag, src: _src, ...rest } = body;
  return rest;
}

function stringField(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  return typeof value === 'string' ? value : '';
}

function describeError(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}

export const defaultSessionId = (): string => randomUUID();

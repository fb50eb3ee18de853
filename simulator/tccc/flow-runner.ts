/**
 * The flow runner: plays the configured service flow (`FlowConfig`) for a bot-served session: the welcome,
 * menus and forms, cards, streaming text and task flows, and what the user types or taps in answer.
 * Handing over to a human is the `transfer` callback's business.
 */
import type { FlowConfig, FlowItem, FlowNode, Localized } from './flow';
import { fill, localize, variants } from './flow';
import type { Outbox } from './outbox';
import type { WireElem } from './port';
import type { Role } from './protocol';
import { SRC, cloudData, customElem, isRecord } from './protocol';
import type { TimerSet } from './scheduler';
import type { Offer, Session } from './session';
import { normalize } from './session';
import type { EngineSettings } from './types';

const CHAIN_LIMIT = 8;

export class FlowRunner {
  constructor(
    private readonly out: Outbox,
    private readonly settings: EngineSettings,
    private readonly timers: TimerSet,
    /** A transfer request or a `transfer` node: queue the user for a human agent. */
    private readonly transfer: (session: Session) => void,
  ) {}

  private get flow(): FlowConfig {
    return this.settings.flow;
  }

  /** A text typed to the bot: a transfer request, the menu keyword, an offered item, an awaited input, an FAQ or the fallback. */
  reply(session: Session, text: string, isTransfer: boolean): void {
    if (isTransfer) return this.transfer(session);
    if (this.out.matches(this.flow.keywords.menu, text)) {
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
      const received = fill(this.out.localize(this.flow.texts.inputReceived, session), {
        input: text.trim(),
      });
      return this.out.sendText(session, received, 'robot', 'other');
    }
    const faq = this.flow.welcome.items.find((item) =>
      variants(item.content).some((variant) => normalize(variant) === normalize(text)),
    );
    if (faq)
      return this.out.sendText(session, this.out.localize(faq.answer, session), 'robot', 'faq');
    this.out.sendText(
      session,
      this.out.localize(this.flow.texts.fallback, session),
      'robot',
      'fallback',
    );
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
    return item ? { value: this.out.localize(item.content, session), next: item.next } : undefined;
  }

  private choose(session: Session, offer: Offer): void {
    if (offer.saveAs) session.vars[offer.saveAs] = offer.value;
    session.pending = undefined;
    const source = offer.source;
    if (source) {
      const content = isRecord(source.body.content) ? source.body.content : {};
      const body = { ...source.body, status: 2, content: { ...content, selected: source.item } };
      this.out.modify(source.ref, [customElem(SRC.TASK_BRANCH, strip(body))], source.cloud);
      for (const [key, other] of session.offers)
        if (other.source?.ref === source.ref) session.offers.delete(key);
    }
    if (offer.next) this.runNode(session, offer.next, 'robot');
  }

  /** src 33: the user submitted the awaited task form. */
  submitTaskForm(session: Session, body: Record<string, unknown>): void {
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
      const label = field.label ? this.out.localize(field.label, session) : field.name;
      const value = submitted.get(label) ?? submitted.get(field.name) ?? '';
      const options = field.options ? variants(field.options).flat() : undefined;
      const valid = value !== '' && (field.formType === 0 || !options || options.includes(value));
      if (valid) values.set(field.name, value);
      else if (field.required) missing.push(label);
    }
    this.out.note(session, 'user', `[表单] ${[...values.values()].join('，')}`);
    if (missing.length > 0) {
      this.out.sendText(
        session,
        fill(this.out.localize(this.flow.texts.taskFormMissing, session), {
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
    this.out.modify(pending.ref, [customElem(SRC.TASK_FORM, strip(submittedBody))], pending.cloud);
    if (node.next) this.runNode(session, node.next, 'robot');
  }

  runNode(session: Session, nodeId: string, role: Role, depth = 0): void {
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
    const t = (value: Localized): string => fill(this.out.localize(value, session), session.vars);
    const asset = (pic: string): string => this.assetUrl(pic);
    switch (node.type) {
      case 'menu': {
        const items = this.offerItems(session, node.items);
        const content: Record<string, unknown> = {
          header: node.header ? t(node.header) : '',
          items,
        };
        if (node.tail) content.tail = t(node.tail);
        this.out.send(session, [customElem(SRC.BRANCH, { content })], {
          role,
          note: `[菜单] ${content.header as string}`,
        });
        return undefined;
      }
      case 'choice-form': {
        const items = this.offerItems(session, node.items, node.saveAs);
        const content = { type: 1, header: t(node.header), items };
        this.out.send(session, [customElem(SRC.FORM, { content })], {
          role,
          messageType: 'standardTaskFlowInformationCollection',
          note: `[选择] ${content.header}`,
        });
        return undefined;
      }
      case 'input-form': {
        const content = { type: 2, header: t(node.header) };
        session.pending = { kind: 'input', nodeId };
        this.out.send(session, [customElem(SRC.FORM, { content })], {
          role,
          messageType: 'standardTaskFlowInformationCollection',
          note: `[输入] ${content.header}`,
        });
        return undefined;
      }
      case 'text':
        this.out.sendText(session, t(node.text), role, node.messageType);
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
        this.out.send(session, [customElem(SRC.PRODUCT_CARD, { content })], {
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
        this.out.send(session, [customElem(SRC.ORDER, { content })], {
          role,
          note: `[订单卡片] ${content.name as string}`,
        });
        return node.next;
      }
      case 'rich-text': {
        const content = this.assetUrl(t(node.content));
        this.out.send(session, [customElem(SRC.RICH_TEXT, { content })], {
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
        const ref = this.out.send(session, [customElem(SRC.TASK_BRANCH, body)], {
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
        const ref = this.out.send(session, [customElem(SRC.TASK_FORM, body)], {
          role,
          cloud,
          note: `[任务表单] ${t(node.tip)}`,
        });
        if (ref) session.pending = { kind: 'task-form', nodeId, ref, body, cloud };
        return undefined;
      }
      case 'tips': {
        const content = t(node.content);
        this.out.send(session, [customElem(SRC.TIPS, { content })], {
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
        content: this.out.localize(item.content, session),
        desc: item.desc ? this.out.localize(item.desc, session) : '',
      };
      this.offer(session, item, { value: shown.content, next: item.next, saveAs });
      return shown;
    });
  }

  private offer(session: Session, item: FlowItem, offer: Offer): void {
    for (const variant of variants(item.content)) session.offers.set(normalize(variant), offer);
  }

  sendWelcome(session: Session): void {
    const welcome = this.flow.welcome;
    const title = this.out.localize(welcome.title, session);
    const items = welcome.items.map((item, index) => ({
      content: this.out.localize(item.content, session),
      id: String(index + 1),
    }));
    if (welcome.style === 'robot-welcome') {
      this.out.send(
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
      this.out.sendText(session, lines.join('\n'), 'robot', 'welcome');
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
    const ref = this.out.send(session, build(1), {
      role,
      cloud,
      note: `[流式] ${chunks.join('')}`,
    });
    if (!ref || chunks.length === 1) return;
    let count = 1;
    const step = (): void => {
      count += 1;
      if (!this.out.modify(ref, build(count), cloud)) return;
      if (count < chunks.length) this.timers.after(this.settings.streamIntervalMs, step);
    };
    this.timers.after(this.settings.streamIntervalMs, step);
  }

  /** Replaces `{assets}/file` references (card pictures, rich-text images). */
  private assetUrl(pic: string): string {
    const base = this.settings.assetBaseUrl;
    return pic.replace(/\{assets\}\/([\w.-]+)/g, (_whole, file: string) =>
      typeof base === 'function' ? base(file) : `${base}/${file}`,
    );
  }
}

/** Drops the keys `customElem` adds itself, so a stored body can be re-sent. */
function strip(body: Record<string, unknown>): Record<string, unknown> {
  const { customerServicePlugin: _flag, src: _src, ...rest } = body;
  return rest;
}

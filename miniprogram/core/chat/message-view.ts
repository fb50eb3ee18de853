import { t } from '../i18n/index';
import type { Language, MessageKey } from '../i18n/index';
import type { AppError } from '../result';
import { previewText } from '../tccc/index';
import type { ClassifiedMessage, MenuItem, RatingCard, TaskForm } from '../tccc/index';
import { formatMessageTime } from '../view/time-format';
import { markdownToNodes } from '../view/rich-text';
import type { ChatEntry, FormLocal, NetworkState, RatingLocal } from './chat-store';
import type {
  ChatViewContext,
  MenuItemView,
  MessageView,
  RatingView,
  TaskFormView,
} from './view-types';

/** Time after the last separator before a new one is shown (5 minutes, in ms). */
export const TIME_SEPARATOR_GAP_MS = 5 * 60_000;

/** The user-facing text of an error, from the i18n table (`error.<code>`). */
export function errorText(error: AppError | null | undefined, language: Language): string {
  if (!error) return '';
  const cause = error.cause as { max?: unknown } | undefined;
  const max =
    cause && typeof cause.max === 'number'
      ? error.code === 'file-too-large'
        ? formatBytes(cause.max)
        : String(cause.max)
      : '';
  return t(`error.${error.code}` as MessageKey, { max }, language);
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}

function fit(
  width: number,
  height: number,
  box: number,
): { displayWidth: number; displayHeight: number } {
  if (!(width > 0 && height > 0)) return { displayWidth: box, displayHeight: box };
  const scale = Math.min(1, box / Math.max(width, height));
  return { displayWidth: Math.round(width * scale), displayHeight: Math.round(height * scale) };
}

function menuItems(items: readonly MenuItem[], selected: string): MenuItemView[] {
  return items.map((i) => ({
    content: i.content,
    desc: i.desc ?? '',
    selected: i.content === selected,
  }));
}

function ratingView(
  c: RatingCard,
  local: RatingLocal | undefined,
  expired: boolean,
  language: Language,
): RatingView {
  const selectedId = c.selectedId ?? local?.selectedId ?? '';
  const chosen = c.options.findIndex((o) => o.id === selectedId);
  const rated = selectedId !== '';
  return {
    title: t('tccc.rating.title', undefined, language),
    head: c.head,
    tail: c.tail,
    showTail: rated && c.tail !== '',
    style: c.style,
    options: c.options.map((o, i) => ({
      id: o.id,
      label: o.label,
      text: c.style === 'number' ? String(i + 1) : '',
      lit: chosen >= 0 && (c.style === 'star' ? i <= chosen : i === chosen),
    })),
    selectedId,
    label:
      chosen >= 0 ? c.options[chosen].label : t('tccc.rating.default-label', undefined, language),
    expired: expired && !rated,
    expiredText: expired && !rated ? t('tccc.rating.expired', undefined, language) : '',
    scaleLow: c.style === 'number' && c.options.length > 1 ? c.options[0].label : '',
    scaleHigh:
      c.style === 'number' && c.options.length > 1 ? c.options[c.options.length - 1].label : '',
    disabled: rated || expired || local?.submitting === true,
    submitting: local?.submitting === true,
  };
}

function taskFormView(c: TaskForm, local: FormLocal | undefined, language: Language): TaskFormView {
  const submitted = local?.submitted === true || !c.editable;
  return {
    tip: c.tip,
    editable: c.editable && !submitted,
    submitted,
    submitting: local?.submitting === true,
    submitText: t('tccc.form.submit', undefined, language),
    submittedText: submitted ? t('chat.form.submitted', undefined, language) : '',
    fields: c.fields.map((f) => {
      const typed = local?.values[f.name];
      const value =
        typed ?? (f.value !== '' ? f.value : f.formType === 'choice' ? (f.choices[0] ?? '') : '');
      const problem = local?.errors[f.name];
      return {
        name: f.name,
        formType: f.formType,
        placeholder: f.placeholder || t('chat.form.placeholder', undefined, language),
        required: f.required,
        value,
        choices: f.choices,
        choiceIndex: f.choices.indexOf(value),
        error: problem ? t(`tccc.form.${problem}`, { field: f.name }, language) : '',
      };
    }),
  };
}

/** `cloudCustomData.messageType` values that are the desk's own notices, not an answer. */
const SYSTEM_NOTICES: ReadonlySet<string> = new Set([
  'queuing',
  'connectingToAgent',
  'connectedToAgent',
  'failedToConnectAgent',
  'proactiveClosure',
  'timeoutAutoClosure',
]);

function noticeOf(c: ClassifiedMessage): 'queue' | 'system' | undefined {
  const meta = c.meta;
  if (!meta) return undefined;
  if (meta.messageType === 'queuing') return 'queue';
  if (SYSTEM_NOTICES.has(meta.messageType ?? '') || meta.scene === 'transferSession')
    return 'system';
  return undefined;
}

/** Who an incoming service message is from, by its `cloudCustomData.role`. */
function senderOf(
  m: ChatEntry['message'],
  c: ClassifiedMessage,
  isService: boolean,
): MessageView['sender'] {
  if (m.flow === 'out') return 'self';
  if (!isService) return 'peer';
  if (c.meta?.role === 'seat') return 'agent';
  if (c.meta?.role === 'robot') return 'bot';
  return 'peer';
}

/** The store-local state one message view depends on. */
export interface Locals {
  rating?: RatingLocal;
  choice?: string;
  form?: FormLocal;
  page?: number;
  /** The agent serving when the message came (for agent messages without their own nick). */
  agent?: string;
}

/** Kind-specific part of a view; `null` for invisible messages. */
export function kindView(
  c: ClassifiedMessage,
  entry: ChatEntry,
  locals: Locals,
  isService: boolean,
  ctx: ChatViewContext,
  expired: boolean,
): Partial<MessageView> | null {
  const { language } = ctx;
  const pageSize = ctx.menuPageSize ?? 5;
  const m = entry.message;
  // Our own protocol uplinks (a submitted task form, an old handshake) are not conversation items.
  if (
    isService &&
    m.flow === 'out' &&
    m.type === 'TIMCustomElem' &&
    c.kind !== 'product-card' &&
    c.kind !== 'unsupported' &&
    c.kind !== 'revoked'
  ) {
    return null;
  }
  switch (c.kind) {
    case 'signal':
    case 'hidden':
      if (isService) return null;
      return { kind: 'unsupported', unsupported: t('tccc.unsupported', undefined, language) };
    case 'revoked':
      return {
        kind: 'revoked',
        revokedText: t(
          m.flow === 'out' ? 'chat.revoked.self' : 'chat.revoked.peer',
          undefined,
          language,
        ),
      };
    case 'plain':
      if (c.messageType === 'text') {
        const text = c.text ?? m.payload.text ?? '';
        const notice = isService && m.flow === 'in' ? noticeOf(c) : undefined;
        // System notices (queue, connected, ended...) are centred lines, not someone's bubble.
        if (notice) return { kind: 'tip', tip: text, notice };
        return { kind: 'text', text };
      }
      if (c.messageType === 'image') {
        const url = m.image?.url || c.image?.url || '';
        const width = m.image?.width || c.image?.width || 0;
        const height = m.image?.height || c.image?.height || 0;
        return {
          kind: 'image',
          image: { url, width, height, ...fit(width, height, ctx.imageBox ?? 180) },
        };
      }
      return {
        kind: 'unsupported',
        unsupported: previewText(c, language) ?? t('tccc.unsupported', undefined, language),
      };
    case 'rating':
      return { kind: 'rating', rating: ratingView(c, locals.rating, expired, language) };
    case 'branch': {
      const selected = c.selected?.content ?? locals.choice ?? '';
      return {
        kind: 'menu',
        menu: {
          header: c.header,
          content: '',
          items: menuItems(c.items, selected),
          tail: c.tail ?? '',
          selected,
          canSelect: c.selected === undefined,
          paged: false,
          page: 0,
          pageCount: 1,
          refreshText: '',
        },
      };
    }
    case 'robot-menu': {
      const selected = c.selected?.content ?? locals.choice ?? '';
      const paged = c.subtype === 'welcome_msg' && c.items.length > pageSize;
      const pageCount = paged ? Math.ceil(c.items.length / pageSize) : 1;
      const page = paged ? (locals.page ?? 0) % pageCount : 0;
      const items = paged ? c.items.slice(page * pageSize, page * pageSize + pageSize) : c.items;
      return {
        kind: 'menu',
        menu: {
          header: c.title,
          content: c.content ?? '',
          items: menuItems(items, selected),
          tail: '',
          selected,
          canSelect: c.selected === undefined,
          paged,
          page,
          pageCount,
          refreshText: paged ? t('tccc.robot.refresh', undefined, language) : '',
        },
      };
    }
    case 'form': {
      const selected = c.selected?.content ?? (c.mode === 'choice' ? (locals.choice ?? '') : '');
      const submitted = c.mode === 'input' ? locals.form?.submitted === true : selected !== '';
      return {
        kind: 'form',
        form: {
          mode: c.mode,
          header: c.header,
          items: c.mode === 'choice' ? menuItems(c.items, selected) : [],
          selected,
          canSelect: c.mode === 'choice' && c.selected === undefined,
          placeholder: t('chat.form.placeholder', undefined, language),
          submitted,
          submitting: locals.form?.submitting === true,
          submitText: t('tccc.form.submit', undefined, language),
          submittedText: submitted ? t('chat.form.submitted', undefined, language) : '',
        },
      };
    }
    case 'product-card':
      return {
        kind: 'product-card',
        card: {
          header: c.header,
          desc: c.desc,
          pic: c.pic,
          url: c.url,
          customFields: c.customFields,
        },
      };
    case 'order-card':
      return {
        kind: 'order-card',
        order: {
          guide: c.guide,
          name: c.name,
          desc: c.desc,
          pic: c.pic,
          customFields: c.customFields,
        },
      };
    case 'rich-text':
      return { kind: 'rich-text', richText: markdownToNodes(c.content, { language }) };
    case 'stream':
      return {
        kind: 'stream',
        stream: { text: c.text, finished: c.finished, showCursor: !c.finished },
      };
    case 'task-branch': {
      const selected = c.selected?.content ?? locals.choice ?? '';
      return {
        kind: 'task-branch',
        taskBranch: {
          header: c.header,
          content: '',
          items: menuItems(c.items, selected),
          tail: c.tail,
          selected,
          canSelect: c.canSelect && locals.choice === undefined,
          paged: false,
          page: 0,
          pageCount: 1,
          refreshText: '',
        },
      };
    }
    case 'task-form':
      return { kind: 'task-form', taskForm: taskFormView(c, locals.form, language) };
    case 'tip':
      return { kind: 'tip', tip: c.text || (previewText(c, language) ?? '') };
    case 'unsupported':
      return { kind: 'unsupported', unsupported: t('tccc.unsupported', undefined, language) };
  }
}

/**
 * The whole view of one message: common fields (sender, status, time) plus its kind part; `null`
 * for messages that are not drawn.
 */
export function messageView(
  entry: ChatEntry,
  locals: Locals,
  chat: { isService: boolean; network: NetworkState },
  ctx: ChatViewContext,
  expired: boolean,
  showTimeAt: number,
): MessageView | null {
  const m = entry.message;
  const part = kindView(entry.derived, entry, locals, chat.isService, ctx, expired);
  if (part === null) return null;
  const { language } = ctx;
  const isMine = m.flow === 'out';
  const profile = isMine ? ctx.self : ctx.peer;
  const sender = senderOf(m, entry.derived, chat.isService);
  const ownNick = m.nick.trim() !== '' && m.nick !== ctx.peer.nick ? m.nick.trim() : '';
  const nick =
    sender === 'bot'
      ? t('chat.sender.bot', undefined, language)
      : sender === 'agent'
        ? ownNick || locals.agent || t('chat.sender.agent', undefined, language)
        : (isMine ? '' : m.nick) || profile.nick;
  const status = m.status;
  const timeMs = m.time * 1000;
  return {
    id: m.ID || entry.key,
    key: entry.key,
    clientId: m.clientId ?? '',
    kind: 'text',
    isMine,
    sender,
    senderLabel:
      sender === 'bot'
        ? t('chat.sender.botLabel', undefined, language)
        : sender === 'agent'
          ? t('chat.sender.agentLabel', undefined, language)
          : '',
    // The bot is not pictured as a person: its avatar is its initial, like the default.
    avatar: sender === 'bot' ? '' : (isMine ? '' : m.avatar) || profile.avatar,
    nick,
    status,
    statusText:
      status === 'sending'
        ? t(
            m.error || chat.network !== 'online' ? 'chat.status.queued' : 'chat.status.sending',
            undefined,
            language,
          )
        : '',
    errorText:
      status === 'failed' || status === 'blocked'
        ? errorText(
            m.error ?? {
              code: status === 'blocked' ? 'blocked-content' : 'send-failed',
              message: '',
            },
            language,
          )
        : '',
    canRetry: status === 'failed',
    canRemove: status === 'blocked',
    timeText: formatMessageTime(timeMs, ctx.now, language),
    showTime: timeMs - showTimeAt >= TIME_SEPARATOR_GAP_MS,
    revokedText: '',
    ...part,
  };
}

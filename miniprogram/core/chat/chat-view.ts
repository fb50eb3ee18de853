import { t } from '../i18n/index';
import type { Language, MessageKey } from '../i18n/index';
import type { MessageStatus } from '../model/message';
import type { AppError } from '../result';
import { isRatingExpired, previewText } from '../tccc/index';
import type { ClassifiedMessage, CustomField, MenuItem, RatingCard, TaskForm } from '../tccc/index';
import { formatMessageTime, localDayKey } from '../view/time-format';
import { markdownToNodes } from '../view/rich-text';
import type { RichTextNode } from '../view/rich-text';
import type { ChatEntry, ChatState, FormLocal, NetworkState, RatingLocal } from './chat-store';
import type { SessionPhase } from './service-session';

/** Time after the last separator before a new one is shown (5 minutes, in ms). */
export const TIME_SEPARATOR_GAP_MS = 5 * 60_000;

/** How a message is drawn; names the field that carries its render data. */
export type MessageViewKind =
  | 'text'
  | 'image'
  | 'rating'
  | 'menu'
  | 'form'
  | 'product-card'
  | 'order-card'
  | 'rich-text'
  | 'stream'
  | 'task-branch'
  | 'task-form'
  | 'tip'
  | 'revoked'
  | 'unsupported';

/** One tappable row; `selected` marks the row that was chosen. */
export interface MenuItemView {
  content: string;
  desc: string;
  selected: boolean;
}

/** Branch (15), robot menu (29), choice form (21) and task-flow branch (32) rows. */
export interface MenuView {
  header: string;
  /** Lead text under the header (robot menus), `''` when none. */
  content: string;
  /** The rows to draw now (one page of a paged welcome menu). */
  items: MenuItemView[];
  tail: string;
  /** Content of the chosen row, `''` when none. */
  selected: string;
  /** Rows may be tapped. */
  canSelect: boolean;
  /** A welcome menu with more than one page: show "换一换". */
  paged: boolean;
  page: number;
  pageCount: number;
  refreshText: string;
}

/** One level of a rating card. */
export interface RatingOptionView {
  id: string;
  label: string;
  /** What the control shows: `1…N` for numbers, `''` for stars. */
  text: string;
  /** Stars: lit up to the chosen one; numbers: only the chosen one. */
  lit: boolean;
}

/** A satisfaction-rating card (src 9), ready to draw as stars or numbers. */
export interface RatingView {
  title: string;
  head: string;
  /** Shown only once rated. */
  tail: string;
  showTail: boolean;
  style: 'star' | 'number';
  options: RatingOptionView[];
  selectedId: string;
  /** Label under the control: the chosen option's, or the default hint. */
  label: string;
  expired: boolean;
  expiredText: string;
  /** No more input: rated, submitting or expired. */
  disabled: boolean;
  submitting: boolean;
}

/** An information-collection form (src 21): a choice list or one text box. */
export interface FormView {
  mode: 'choice' | 'input';
  header: string;
  items: MenuItemView[];
  selected: string;
  canSelect: boolean;
  placeholder: string;
  submitted: boolean;
  submitting: boolean;
  submitText: string;
  submittedText: string;
}

/** One field of a task-flow form, with its current value and validation error text. */
export interface TaskFormFieldView {
  name: string;
  formType: 'input' | 'choice';
  placeholder: string;
  required: boolean;
  value: string;
  choices: string[];
  /** Index of `value` in `choices`, -1 when none (for a picker). */
  choiceIndex: number;
  error: string;
}

/** A task-flow form (src 33). */
export interface TaskFormView {
  tip: string;
  editable: boolean;
  submitted: boolean;
  submitting: boolean;
  submitText: string;
  submittedText: string;
  fields: TaskFormFieldView[];
}

/** A product card (src 22); tapping opens `url`. */
export interface CardView {
  header: string;
  desc: string;
  pic: string;
  url: string;
  customFields: CustomField[];
}

/** An order card (src 28). */
export interface OrderView {
  guide: string;
  name: string;
  desc: string;
  pic: string;
  customFields: CustomField[];
}

/** An image message. */
export interface ImageView {
  url: string;
  /** Natural size, 0 when unknown. */
  width: number;
  height: number;
  /** Size to draw at (px), fitted into the bubble box. */
  displayWidth: number;
  displayHeight: number;
}

/**
 * One visible message, flat and pre-formatted. Exactly one of the kind fields (`text`, `image`,
 * `rating`, ...) is present, named after `kind`; `revoked` items carry `revokedText` only.
 */
export interface MessageView {
  /** Message ID, or the client id while not yet created. Actions accept it. */
  id: string;
  /** Stable across send → sent: use as `wx:key`. */
  key: string;
  clientId: string;
  kind: MessageViewKind;
  isMine: boolean;
  avatar: string;
  nick: string;
  status: MessageStatus;
  statusText: string;
  errorText: string;
  canRetry: boolean;
  timeText: string;
  showTime: boolean;
  revokedText: string;
  text?: string;
  image?: ImageView;
  rating?: RatingView;
  menu?: MenuView;
  form?: FormView;
  card?: CardView;
  order?: OrderView;
  richText?: RichTextNode[];
  stream?: { text: string; finished: boolean; showCursor: boolean };
  taskBranch?: MenuView;
  taskForm?: TaskFormView;
  tip?: string;
  unsupported?: string;
}

/** The customer-service banner and its action buttons. */
export interface SessionView {
  isService: boolean;
  phase: SessionPhase;
  /** Banner line for the phase. */
  text: string;
  /** -1 when the prompt gave no number. */
  queuePosition: number;
  agentName: string;
  typing: boolean;
  thinking: boolean;
  /** "对方正在输入…" / "正在思考…", or `''`. */
  indicatorText: string;
  canTransfer: boolean;
  canRate: boolean;
  canEnd: boolean;
  transferText: string;
  rateText: string;
  endText: string;
}

/** Everything the chat page draws, flat and pre-formatted (feed it to `diffForSetData`). */
export interface ChatView {
  messages: MessageView[];
  session: SessionView;
  network: { state: NetworkState; visible: boolean; text: string };
  history: { loading: boolean; canLoadOlder: boolean; errorText: string };
  /** Text of the last action error, for a toast; `''` when none. */
  errorText: string;
}

/** A display name and avatar. */
export interface Profile {
  nick: string;
  avatar: string;
}

/** What the view needs besides the store state (time, language, display fallbacks). */
export interface ChatViewContext {
  /** Unix ms. */
  now: number;
  language: Language;
  self: Profile;
  /** Fallback nick/avatar for the peer (service-account display settings). */
  peer: Profile;
  /** Box the image bubble fits into (px). */
  imageBox?: number;
  menuPageSize?: number;
}

/** The user-facing text of an error, from the i18n table (`error.<code>`). */
export function errorText(error: AppError | null | undefined, language: Language): string {
  if (!error) return '';
  const cause = error.cause as { max?: unknown } | undefined;
  const max = cause && typeof cause.max === 'number' ? formatBytes(cause.max) : '';
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
        error: problem ? t('tccc.form.required', { field: f.name }, language) : '',
      };
    }),
  };
}

interface Locals {
  rating?: RatingLocal;
  choice?: string;
  form?: FormLocal;
  page?: number;
}

/** Kind-specific part of a view; `null` for invisible messages. */
function kindView(
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
      if (c.messageType === 'text') return { kind: 'text', text: c.text ?? m.payload.text ?? '' };
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

/** What a message view was built from; reused (mutated) across builds, never handed out. */
interface CacheSlot {
  entry: ChatEntry;
  rating: RatingLocal | undefined;
  choice: string | undefined;
  form: FormLocal | undefined;
  page: number | undefined;
  day: number;
  expired: boolean;
  ctxKey: string;
  view: MessageView | null;
  generation: number;
}

const SESSION_TEXT: Record<SessionPhase, MessageKey> = {
  bot: 'chat.session.bot',
  queueing: 'chat.session.queueing',
  agent: 'chat.session.agent',
  ended: 'chat.session.ended',
  'timed-out': 'chat.session.timedOut',
  rated: 'chat.session.rated',
};

/**
 * Makes a view-model function for one chat page. It remembers the previous result: an entry whose
 * inputs did not change keeps the same `MessageView` object, so `diffForSetData` skips it by
 * reference and one new message yields one `messages[i]` key.
 */
export function createChatViewBuilder(): (state: ChatState, ctx: ChatViewContext) => ChatView {
  const cache = new Map<string, CacheSlot>();
  let generation = 0;

  const build = (
    entry: ChatEntry,
    locals: Locals,
    state: ChatState,
    ctx: ChatViewContext,
    expired: boolean,
    showTimeAt: number,
  ): MessageView | null => {
    const m = entry.message;
    const part = kindView(entry.derived, entry, locals, state.isService, ctx, expired);
    if (part === null) return null;
    const { language } = ctx;
    const isMine = m.flow === 'out';
    const profile = isMine ? ctx.self : ctx.peer;
    const status = m.status;
    const timeMs = m.time * 1000;
    return {
      id: m.ID || entry.key,
      key: entry.key,
      clientId: m.clientId ?? '',
      kind: 'text',
      isMine,
      avatar: (isMine ? '' : m.avatar) || profile.avatar,
      nick: (isMine ? '' : m.nick) || profile.nick,
      status,
      statusText:
        status === 'sending'
          ? t(
              m.error || state.network !== 'online' ? 'chat.status.queued' : 'chat.status.sending',
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
      timeText: formatMessageTime(timeMs, ctx.now, language),
      showTime: timeMs - showTimeAt >= TIME_SEPARATOR_GAP_MS,
      revokedText: '',
      ...part,
    };
  };

  /** The previous build, so an append only builds the new tail (unchanged prefix reused as is). */
  let prev: {
    state: ChatState;
    ctxKey: string;
    day: number;
    /** Earliest `expireTime` among pending ratings (Infinity when none): past it, rebuild all. */
    expiryAt: number;
    messages: MessageView[];
    /** For entry index i: visible messages before it, separator time and rating-pending flag there. */
    visibleBefore: number[];
    shownBefore: number[];
    pendingBefore: boolean[];
    /** Separator time and rating-pending flag after the last entry. */
    lastShown: number;
    pending: boolean;
  } | null = null;

  return (state, ctx) => {
    const { language } = ctx;
    const day = localDayKey(ctx.now);
    const nowSec = Math.floor(ctx.now / 1000);
    // Everything besides the entry a message view depends on (the network only for unsent ones,
    // but it changes rarely enough to rebuild all).
    const ctxKey = `${language}|${ctx.self.nick}|${ctx.self.avatar}|${ctx.peer.nick}|${ctx.peer.avatar}|${ctx.imageBox ?? ''}|${ctx.menuPageSize ?? ''}|${state.network}`;
    generation += 1;
    const { entries, ratings, choices, forms, menuPages } = state;

    // Where this build starts: after the longest prefix of entries that is the same as last time,
    // when nothing else a view depends on changed.
    let start = 0;
    if (
      prev &&
      prev.ctxKey === ctxKey &&
      prev.day === day &&
      nowSec <= prev.expiryAt &&
      prev.state.ratings === ratings &&
      prev.state.choices === choices &&
      prev.state.forms === forms &&
      prev.state.menuPages === menuPages &&
      prev.state.isService === state.isService
    ) {
      const before = prev.state.entries;
      const limit = Math.min(before.length, entries.length);
      while (start < limit && before[start] === entries[start]) start += 1;
    }
    let messages: MessageView[] = [];
    let visibleBefore: number[] = [];
    let shownBefore: number[] = [];
    let pendingBefore: boolean[] = [];
    // The gap is measured from the last separator shown, like WeChat: a steady trickle of messages
    // still shows a time every five minutes.
    let lastShownTime = -Infinity;
    let ratingPending = false;
    let expiryAt = Infinity;
    if (prev && start > 0) {
      const atEnd = start === prev.state.entries.length;
      messages = prev.messages.slice(0, atEnd ? prev.messages.length : prev.visibleBefore[start]);
      lastShownTime = atEnd ? prev.lastShown : prev.shownBefore[start];
      ratingPending = atEnd ? prev.pending : prev.pendingBefore[start];
      expiryAt = prev.expiryAt;
      // The per-index arrays are internal: reused and cut back to the unchanged prefix.
      ({ visibleBefore, shownBefore, pendingBefore } = prev);
      visibleBefore.length = start;
      shownBefore.length = start;
      pendingBefore.length = start;
    }

    for (let i = start; i < entries.length; i += 1) {
      visibleBefore[i] = messages.length;
      shownBefore[i] = lastShownTime;
      pendingBefore[i] = ratingPending;
      const entry = entries[i];
      const m = entry.message;
      const c = entry.derived;
      const mid = m.ID;
      const rating = mid ? ratings[mid] : undefined;
      const choice = mid ? choices[mid] : undefined;
      const form = mid ? forms[mid] : undefined;
      const page = mid ? menuPages[mid] : undefined;
      let expired = false;
      if (c.kind === 'rating') {
        expired = isRatingExpired(c, nowSec);
        if (c.selectedId === undefined && !rating && !expired) {
          ratingPending = true;
          if (c.expireTime !== undefined) expiryAt = Math.min(expiryAt, c.expireTime);
        }
      }
      let slot = cache.get(entry.key);
      let view: MessageView | null;
      if (
        slot &&
        slot.entry === entry &&
        slot.rating === rating &&
        slot.choice === choice &&
        slot.form === form &&
        slot.page === page &&
        slot.day === day &&
        slot.expired === expired &&
        slot.ctxKey === ctxKey
      ) {
        view = slot.view;
        if (view) {
          const showTime = m.time * 1000 - lastShownTime >= TIME_SEPARATOR_GAP_MS;
          if (view.showTime !== showTime) view = slot.view = { ...view, showTime };
        }
      } else {
        view = build(entry, { rating, choice, form, page }, state, ctx, expired, lastShownTime);
        if (!slot) {
          slot = { entry, rating, choice, form, page, day, expired, ctxKey, view, generation };
          cache.set(entry.key, slot);
        } else {
          Object.assign(slot, { entry, rating, choice, form, page, day, expired, ctxKey, view });
        }
      }
      slot.generation = generation;
      if (view) {
        if (view.showTime) lastShownTime = m.time * 1000;
        messages.push(view);
      }
    }
    if (start === 0 && cache.size > entries.length) {
      // Only a full build knows every live key; stale slots (removed messages) go then.
      for (const [key, slot] of cache) if (slot.generation !== generation) cache.delete(key);
    }
    prev = {
      state,
      ctxKey,
      day,
      expiryAt,
      messages,
      visibleBefore,
      shownBefore,
      pendingBefore,
      lastShown: lastShownTime,
      pending: ratingPending,
    };

    const s = state.session;
    const typing = s.typingUntil > ctx.now;
    const thinking = s.thinkingUntil > ctx.now;
    const session: SessionView = {
      isService: state.isService,
      phase: s.phase,
      text: state.isService
        ? s.phase === 'queueing' && s.queuePosition !== null
          ? s.queuePosition === 0
            ? t('chat.session.queueingNext', undefined, language)
            : t('chat.session.queueingPosition', { position: s.queuePosition }, language)
          : s.phase === 'agent' && (s.agentName === '' || s.agentName === ctx.peer.nick)
            ? t('chat.session.agentNoName', undefined, language)
            : t(SESSION_TEXT[s.phase], { name: s.agentName }, language)
        : '',
      queuePosition: s.queuePosition ?? -1,
      agentName: s.agentName,
      typing,
      thinking,
      indicatorText: typing
        ? t('chat.session.typing', undefined, language)
        : thinking
          ? t('chat.session.thinking', undefined, language)
          : '',
      canTransfer: state.isService && (s.inSeat !== null ? !s.inSeat : s.phase === 'bot'),
      // Once rated, asking again would only be refused as a duplicate until a new session starts.
      canRate: state.isService && s.canUserRate && !ratingPending && s.phase !== 'rated',
      canEnd: state.isService && s.phase === 'agent',
      transferText: t('chat.action.transfer', undefined, language),
      rateText: t('chat.action.rate', undefined, language),
      endText: t('chat.action.end', undefined, language),
    };
    const network = {
      state: state.network,
      visible: state.network !== 'online',
      text:
        state.network === 'offline'
          ? t('chat.network.offline', undefined, language)
          : state.network === 'reconnecting'
            ? t('chat.network.reconnecting', undefined, language)
            : '',
    };
    return {
      messages,
      session,
      network,
      history: {
        loading: state.history.loading,
        canLoadOlder: state.history.loaded && !state.history.completed,
        errorText: errorText(state.history.error, language),
      },
      errorText: errorText(state.lastError, language),
    };
  };
}

/**
 * Plain-text readings of message views, for the things a template cannot compute: the screen-reader
 * label of a bubble, the text a long-press copies, and the links inside rich text (a `<rich-text>`
 * node cannot be tapped on its own, so links are offered as separate targets).
 */
import { t } from '../i18n/index';
import type { MessageView } from './chat-view';
import type { RichTextNode } from '../view/rich-text';

export interface RichTextLink {
  text: string;
  url: string;
}

const BLOCK_TAGS: ReadonlySet<string> = new Set([
  'p',
  'li',
  'blockquote',
  'pre',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'br',
]);

/** Depth cap: core limits node counts, but a template must never recurse without end. */
const MAX_DEPTH = 64;

function walkText(nodes: readonly RichTextNode[], out: string[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const node of nodes) {
    if ('type' in node) {
      out.push(node.text);
      continue;
    }
    if (node.name === 'br' || node.name === 'hr') {
      out.push('\n');
      continue;
    }
    if (node.children) walkText(node.children, out, depth + 1);
    if (BLOCK_TAGS.has(node.name)) out.push('\n');
  }
}

/**
 * The visible text of rich-text nodes: text nodes in order, a line break after each block, runs of
 * blank lines collapsed, trimmed. Images contribute nothing.
 */
export function richTextToPlain(nodes: readonly RichTextNode[] | undefined): string {
  if (!nodes || nodes.length === 0) return '';
  const out: string[] = [];
  walkText(nodes, out, 0);
  return out
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function walkLinks(nodes: readonly RichTextNode[], out: RichTextLink[], depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const node of nodes) {
    if ('type' in node) continue;
    const href = node.attrs?.href;
    if (node.name === 'a' && typeof href === 'string' && href !== '') {
      const text = richTextToPlain(node.children ?? []) || href;
      if (!out.some((l) => l.url === href)) out.push({ text, url: href });
      continue;
    }
    if (node.children) walkLinks(node.children, out, depth + 1);
  }
}

/**
 * The links of rich-text nodes in document order, each URL once. Only `a` elements with an `href`
 * count; core has already dropped every URL that is not http(s).
 */
export function richTextLinks(nodes: readonly RichTextNode[] | undefined, max = 5): RichTextLink[] {
  if (!nodes || nodes.length === 0) return [];
  const out: RichTextLink[] = [];
  walkLinks(nodes, out, 0);
  return out.slice(0, max);
}

/** The text a long-press copies; `''` for kinds that have nothing worth copying. */
export function copyTextOf(m: MessageView): string {
  switch (m.kind) {
    case 'text':
      return m.text ?? '';
    case 'rich-text':
      return richTextToPlain(m.richText);
    case 'stream':
      return m.stream?.text ?? '';
    default:
      return '';
  }
}

/** A one-line summary of what a message shows, for its screen-reader label. */
export function summaryOf(m: MessageView): string {
  switch (m.kind) {
    case 'text':
      return m.text ?? '';
    case 'image':
      return t('components.summary.image');
    case 'rating':
      return [m.rating?.head, m.rating?.title].filter(Boolean).join(' ');
    case 'menu':
      return m.menu?.header || m.menu?.content || '';
    case 'task-branch':
      return m.taskBranch?.header || '';
    case 'form':
      return m.form?.header ?? '';
    case 'task-form':
      return m.taskForm?.tip ?? '';
    case 'product-card':
      return t('components.summary.card', { title: m.card?.header ?? '' });
    case 'order-card':
      return t('components.summary.order', { title: m.order?.name ?? '' });
    case 'rich-text':
      return richTextToPlain(m.richText);
    case 'stream':
      return m.stream?.text ?? '';
    case 'tip':
      return m.tip ?? '';
    case 'revoked':
      return m.revokedText;
    case 'unsupported':
      return m.unsupported ?? '';
  }
}

/** "客服 小王 10:32：…" for the peer, "我 10:32：…" for one's own message. */
export function ariaLabelOf(m: MessageView): string {
  const content = summaryOf(m);
  const label = m.isMine
    ? t('components.aria.selfMessage', { time: m.timeText, content })
    : t('components.aria.peerMessage', { nick: m.nick, time: m.timeText, content });
  // An empty nick or time would leave a double space in the spoken label.
  return label.replace(/ {2,}/g, ' ');
}

/** The character drawn in place of a missing avatar picture. */
export function avatarInitial(m: MessageView): string {
  const name = m.nick || t('components.peer');
  return Array.from(name.trim())[0] ?? '';
}

/** Conversation-list preview text for classified messages (zh-CN and en via the i18n table). */
import type { Language, MessageKey } from '../i18n';
import { t } from '../i18n';
import { MAX_PREVIEW_LENGTH } from './constants';
import { clip } from './parse';
import type { ClassifiedMessage, PlainMessageType } from './types';

/** Markup is stripped from at most this much text: the preview only needs the first line. */
const MAX_STRIP_INPUT = 2_000;

const ENTITIES: Readonly<Record<string, string>> = {
  nbsp: ' ',
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

function decodeEntity(whole: string, name: string): string {
  if (name[0] === '#') {
    const code =
      name[1] === 'x' || name[1] === 'X'
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
    return Number.isInteger(code) && code > 0 && code <= 0x10ffff
      ? String.fromCodePoint(code)
      : whole;
  }
  return Object.prototype.hasOwnProperty.call(ENTITIES, name) ? ENTITIES[name] : whole;
}

/** One line of display text, clipped to the preview length. */
function oneLine(value: string): string {
  return clip(value.replace(/\s+/g, ' ').trim(), MAX_PREVIEW_LENGTH);
}

/**
 * Markdown/HTML to plain text, good enough for a one-line preview: tags dropped, images and links
 * reduced to their text, emphasis/heading/quote/list markers dropped, common entities decoded.
 */
export function stripMarkup(markup: string): string {
  return clip(markup, MAX_STRIP_INPUT)
    .replace(/<(?:br|\/p|\/div|\/li|\/h[1-6])\b[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/```[^\n]*/g, ' ')
    .replace(/^[ \t]*(?:#{1,6}|>+|[-*+]|\d+[.)])[ \t]+/gm, '')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, decodeEntity);
}

const PLAIN_KEYS: Readonly<Record<Exclude<PlainMessageType, 'text'>, MessageKey>> = {
  image: 'tccc.preview.image',
  file: 'tccc.preview.file',
  sound: 'tccc.preview.sound',
  video: 'tccc.preview.video',
  face: 'tccc.preview.face',
  location: 'tccc.preview.location',
  merger: 'tccc.preview.merger',
  'group-tip': 'tccc.preview.unsupported',
  'group-system': 'tccc.preview.unsupported',
  other: 'tccc.preview.unsupported',
};

/** `value` as one line, or the fallback text when it is empty. */
function orLabel(value: string | undefined, key: MessageKey, language?: Language): string {
  const line = value === undefined ? '' : oneLine(value);
  return line !== '' ? line : t(key, undefined, language);
}

/**
 * The conversation-list preview for `message`: `undefined` for invisible kinds (`signal`, `hidden`),
 * otherwise a non-empty single line of at most `MAX_PREVIEW_LENGTH` characters (an empty text
 * message gives `''`). Protocol kinds use the i18n labels (`[服务评价]`, `[商品卡片]`, `[订单]`,
 * `[表单]`); menus show their header, rich text its text without markup, streams their text so far.
 */
export function previewText(message: ClassifiedMessage, language?: Language): string | undefined {
  switch (message.kind) {
    case 'signal':
    case 'hidden':
      return undefined;
    case 'plain':
      if (message.messageType === 'text') return oneLine(message.text ?? '');
      return t(PLAIN_KEYS[message.messageType], undefined, language);
    case 'rating':
      return t('tccc.preview.rating', undefined, language);
    case 'product-card':
      return t('tccc.preview.product-card', undefined, language);
    case 'order-card':
      return t('tccc.preview.order-card', undefined, language);
    case 'form':
    case 'task-form':
      return t('tccc.preview.form', undefined, language);
    case 'branch':
    case 'task-branch':
      return orLabel(message.header || message.items[0]?.content, 'tccc.preview.menu', language);
    case 'robot-menu':
      return orLabel(message.title || message.content, 'tccc.preview.menu', language);
    case 'rich-text':
      return orLabel(stripMarkup(message.content), 'tccc.preview.rich-text', language);
    case 'stream':
      return orLabel(message.text, 'tccc.preview.stream', language);
    case 'tip':
      return orLabel(message.text, 'tccc.preview.tip', language);
    case 'revoked':
      return t('tccc.preview.revoked', undefined, language);
    case 'unsupported':
      return t('tccc.preview.unsupported', undefined, language);
  }
}

/**
 * The chat page URL an entry opens: `chatPagePath` (service + group) plus the product the user was
 * looking at, as a compact JSON card that `routeEntry` reads back from the `product` parameter.
 */
import { chatPagePath } from './route-entry';

/**
 * Longest `product` value, counted after URI encoding. `routeEntry` drops query values longer than
 * 256 characters, and whether WeChat hands the page the value decoded or still encoded differs
 * between routes, so the encoded length is the safe one to bound.
 */
export const MAX_PRODUCT_PARAM = 256;

export interface EntryLinkInput {
  /** Service account or alias; empty = the default account. */
  service?: string;
  group?: string;
  /** `{ id?, header, desc?, pic?, url? }`, or just an id string. */
  product?: unknown;
}

export interface EntryLink {
  url: string;
  /** The product (or part of it) did not fit or was not a card, and was left out. */
  productTrimmed: boolean;
}

const ID = /^[\w@#.\-:]{1,64}$/;

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, max) : undefined;
}

function httpUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\/[^\s"'<>]+$/i.test(value) ? value : undefined;
}

function encodedLength(card: Record<string, string>): number {
  return encodeURIComponent(JSON.stringify(card)).length;
}

/**
 * The `product` parameter (already URI-encoded), shrinking the card until it fits
 * {@link MAX_PRODUCT_PARAM}: first `desc`, then `pic`, then `url`, then a shorter `header`; a card
 * whose header still does not fit falls back to its id alone. `trimmed` says whether anything given
 * was dropped.
 */
export function productParam(product: unknown): { value?: string; trimmed: boolean } {
  if (product === undefined || product === null || product === '') return { trimmed: false };
  if (typeof product === 'string') {
    return ID.test(product)
      ? { value: encodeURIComponent(product), trimmed: false }
      : { trimmed: true };
  }
  if (typeof product !== 'object' || Array.isArray(product)) return { trimmed: true };
  const p = product as Record<string, unknown>;
  const header = text(p.header, 100);
  const id = text(p.id, 64);
  if (!header) {
    return id && ID.test(id) ? { value: encodeURIComponent(id), trimmed: true } : { trimmed: true };
  }
  const card: Record<string, string> = {};
  if (id) card.id = id;
  card.header = header;
  const desc = text(p.desc, 200);
  const pic = httpUrl(p.pic);
  const url = httpUrl(p.url);
  if (desc) card.desc = desc;
  if (pic) card.pic = pic;
  if (url) card.url = url;
  let trimmed = (p.pic !== undefined && !pic) || (p.url !== undefined && !url);
  for (const key of ['desc', 'pic', 'url']) {
    if (encodedLength(card) <= MAX_PRODUCT_PARAM) break;
    if (card[key] !== undefined) {
      delete card[key];
      trimmed = true;
    }
  }
  while (encodedLength(card) > MAX_PRODUCT_PARAM && card.header.length > 8) {
    card.header = card.header.slice(0, Math.floor(card.header.length * 0.75));
    trimmed = true;
  }
  if (encodedLength(card) > MAX_PRODUCT_PARAM) {
    return id && ID.test(id) ? { value: encodeURIComponent(id), trimmed: true } : { trimmed: true };
  }
  return { value: encodeURIComponent(JSON.stringify(card)), trimmed };
}

/** The URL for `wx.navigateTo`; never throws, whatever the host passes. */
export function buildEntryUrl(input: EntryLinkInput): EntryLink {
  const service = typeof input.service === 'string' ? input.service.trim() : '';
  const group = typeof input.group === 'string' ? input.group.trim() : '';
  let url = chatPagePath({ serviceAccount: service, ...(group ? { group } : {}) });
  const product = productParam(input.product);
  if (product.value !== undefined) url += `&product=${product.value}`;
  return { url, productTrimmed: product.trimmed };
}

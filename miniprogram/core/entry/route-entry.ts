/**
 * Entry routing: where a launch or page open should land. Users reach customer service from a scanned
 * QR code, a shared card, a 客服 message card, a subscribe-message notification, an official-account menu
 * or another mini-program; each arrives as a WeChat scene number plus a query. This pure function turns
 * that into the service account to open (always one of the configured accounts), the skill group and
 * the product the user came from. Malformed or unknown parameters fall back to the default account and
 * are reported in `warnings`, never thrown.
 */

/** Where the user came from, grouped from WeChat scene numbers. */
export type EntrySource =
  | 'qr-code'
  | 'share-card'
  | 'service-card'
  | 'subscribe-message'
  | 'official-account-menu'
  | 'mini-program'
  | 'other';

const SCENE_SOURCES: Record<number, EntrySource> = {
  1011: 'qr-code', // scan a QR code
  1012: 'qr-code', // long-press a QR code image
  1013: 'qr-code', // scan a QR code from the album
  1047: 'qr-code', // scan a mini-program code
  1048: 'qr-code', // long-press a mini-program code
  1049: 'qr-code', // mini-program code from the album
  1007: 'share-card', // card shared in a one-to-one chat
  1008: 'share-card', // card shared in a group chat
  1073: 'service-card', // 客服消息 card
  1014: 'subscribe-message', // subscribe message
  1107: 'subscribe-message', // subscribe message (mini-program page)
  1035: 'official-account-menu', // official-account custom menu
  1037: 'mini-program', // opened by another mini-program
};

/** A product the user came from, shown to the agent as a product card (src 22). */
export interface EntryProduct {
  /** Stable identity, used to send the card once per conversation. */
  id: string;
  header?: string;
  desc?: string;
  pic?: string;
  url?: string;
}

export interface EntryTarget {
  serviceAccount: string;
  conversationID: string;
  source: EntrySource;
  scene?: number;
  group?: string;
  product?: EntryProduct;
  /** What was ignored and why (for a log line); empty for a clean entry. */
  warnings: string[];
}

export interface EntryConfig {
  /** Configured service accounts (user IDs), the first is the default. Never empty. */
  serviceAccounts: readonly string[];
  /** Short names usable in QR scenes and links, e.g. `{ complaint: '@complaint_service' }`. */
  aliases?: Readonly<Record<string, string>>;
}

export interface LaunchInfo {
  scene?: number | string;
  /** Page query as WeChat passes it: values are strings, `scene` and `q` still URI-encoded. */
  query?: Readonly<Record<string, unknown>> | null;
  /** `referrerInfo.extraData` when another mini-program opened us (scene 1037). */
  extraData?: unknown;
}

/** WeChat limits a mini-program code's `scene` to 32 visible characters. */
export const MAX_SCENE_LENGTH = 32;
const MAX_PARAM_LENGTH = 256;
const MAX_Q_LENGTH = 2048;
const ID_PATTERN = /^[\w@#.\-:]{1,64}$/;

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Parses `a=1&b=2` (values URI-decoded); malformed pairs are skipped. */
function parseQueryString(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    if (key && value !== undefined) out[key] = value;
  }
  return out;
}

function stringParams(query: LaunchInfo['query'], warnings: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!query || typeof query !== 'object') return out;
  for (const [key, value] of Object.entries(query)) {
    if (typeof value !== 'string' && typeof value !== 'number') continue;
    const text = String(value);
    if (text.length > (key === 'q' ? MAX_Q_LENGTH : MAX_PARAM_LENGTH)) {
      warnings.push(`query ${key} too long (${text.length})`);
      continue;
    }
    out[key] = text;
  }
  return out;
}

/** Page-path parameters (query key → meaning); later ones win. */
const PATH_PARAMS: ReadonlyArray<[string, string]> = [
  ['account', 'service'],
  ['service', 'service'],
  ['group', 'group'],
  ['product', 'product'],
];

/** Short keys accepted inside a length-limited QR `scene`: `s`=service, `g`=group, `p`=product. */
const SCENE_KEYS: Record<string, string> = { s: 'service', g: 'group', p: 'product' };

function sceneParams(raw: string, warnings: string[]): Record<string, string> {
  const decoded = decode(raw);
  if (decoded === undefined) {
    warnings.push('scene is not valid URI encoding');
    return {};
  }
  if (decoded.length > MAX_SCENE_LENGTH) {
    warnings.push(`scene longer than ${MAX_SCENE_LENGTH} characters`);
    return {};
  }
  if (!decoded.includes('=')) return { service: decoded };
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseQueryString(decoded)))
    out[SCENE_KEYS[key] ?? key] = value;
  return out;
}

function urlParams(raw: string, warnings: string[]): Record<string, string> {
  const url = decode(raw);
  if (url === undefined || !/^https?:\/\//i.test(url)) {
    warnings.push('q is not an http(s) URL');
    return {};
  }
  const queryStart = url.indexOf('?');
  if (queryStart < 0) return {};
  const hash = url.indexOf('#', queryStart);
  const params = parseQueryString(url.slice(queryStart + 1, hash < 0 ? undefined : hash));
  // The short keys of a QR scene work in a QR URL too (`?s=…&g=…&p=…`); long names win.
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params))
    if (!(SCENE_KEYS[key] && SCENE_KEYS[key] in params)) out[SCENE_KEYS[key] ?? key] = value;
  return out;
}

function safeHttpUrl(value: unknown): string | undefined {
  return typeof value === 'string' && /^https?:\/\/[^\s"'<>]+$/i.test(value) && value.length <= 1024
    ? value
    : undefined;
}

function clip(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, max) : undefined;
}

/** `product` is an id, or a JSON card `{id?, header, desc, pic, url}` (share cards have room for it). */
function parseProduct(raw: string | undefined, warnings: string[]): EntryProduct | undefined {
  if (!raw) return undefined;
  if (raw.trim().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      warnings.push('product is not valid JSON');
      return undefined;
    }
    if (!parsed || typeof parsed !== 'object') return undefined;
    const card = parsed as Record<string, unknown>;
    const header = clip(card.header, 100);
    if (!header) {
      warnings.push('product card without header');
      return undefined;
    }
    const url = safeHttpUrl(card.url);
    const pic = safeHttpUrl(card.pic);
    const id = clip(card.id, 64) ?? url ?? header;
    return {
      id,
      header,
      ...(clip(card.desc, 200) ? { desc: clip(card.desc, 200) } : {}),
      ...(pic ? { pic } : {}),
      ...(url ? { url } : {}),
    };
  }
  if (!ID_PATTERN.test(raw)) {
    warnings.push('product id has unexpected characters');
    return undefined;
  }
  return { id: raw };
}

function extraParams(extraData: unknown): Record<string, string> {
  if (!extraData || typeof extraData !== 'object') return {};
  const out: Record<string, string> = {};
  for (const key of ['service', 'group', 'product']) {
    const value = (extraData as Record<string, unknown>)[key];
    if (typeof value === 'string') out[key] = value;
    else if (key === 'product' && value && typeof value === 'object') {
      try {
        out.product = JSON.stringify(value);
      } catch {
        // A cyclic object is not a product card.
      }
    }
  }
  return out;
}

/**
 * Decides which service conversation an entry opens. Precedence for each parameter: the page query,
 * then the decoded QR `scene`, then the URL QR `q`, then `extraData` from another mini-program.
 */
export function routeEntry(
  launch: LaunchInfo | null | undefined,
  config: EntryConfig,
): EntryTarget {
  const warnings: string[] = [];
  const defaultAccount = config.serviceAccounts[0] ?? '';
  const sceneNumber = Number(launch?.scene);
  const scene = Number.isInteger(sceneNumber) && sceneNumber > 0 ? sceneNumber : undefined;
  const source = (scene !== undefined && SCENE_SOURCES[scene]) || 'other';

  const query = stringParams(launch?.query, warnings);
  const fromScene = query.scene ? sceneParams(query.scene, warnings) : {};
  const fromUrl = query.q ? urlParams(query.q, warnings) : {};
  const params: Record<string, string> = {
    ...extraParams(launch?.extraData),
    ...fromUrl,
    ...fromScene,
  };
  // WeChat hands page-path parameters over still URI-encoded; `account` is the notification link's name.
  for (const [key, name] of PATH_PARAMS) {
    if (query[key] !== undefined) params[name] = decode(query[key]) ?? query[key];
  }

  let serviceAccount = defaultAccount;
  if (params.service) {
    const wanted = config.aliases?.[params.service] ?? params.service;
    if (config.serviceAccounts.includes(wanted)) serviceAccount = wanted;
    else warnings.push(`unknown service "${params.service.slice(0, 64)}"`);
  }
  const group = params.group && ID_PATTERN.test(params.group) ? params.group : undefined;
  if (params.group && !group) warnings.push('group has unexpected characters');
  const product = parseProduct(params.product, warnings);

  return {
    serviceAccount,
    conversationID: `C2C${serviceAccount}`,
    source,
    ...(scene !== undefined ? { scene } : {}),
    ...(group ? { group } : {}),
    ...(product ? { product } : {}),
    warnings,
  };
}

/** The chat page path that reopens the same service (used by share cards and notifications). */
export function chatPagePath(target: Pick<EntryTarget, 'serviceAccount' | 'group'>): string {
  const params = [`service=${encodeURIComponent(target.serviceAccount)}`];
  if (target.group) params.push(`group=${encodeURIComponent(target.group)}`);
  return `/pages/chat/chat?${params.join('&')}`;
}

/** Key under which "this product card was already sent in this conversation" is remembered. */
export function entryProductKey(conversationID: string, product: EntryProduct): string {
  return `${conversationID}|${product.id}`;
}

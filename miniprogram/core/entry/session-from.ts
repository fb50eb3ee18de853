/**
 * The entry context WeChat's native customer service receives as `session-from` (it arrives with the
 * user's messages as `SessionFrom`, so agents on WeChat's side see where the user came from and why
 * they were sent there). Only known, non-private fields are copied: never user IDs or tokens.
 */

/** WeChat's limit on `session-from`, in characters. */
export const MAX_SESSION_FROM = 1000;

/** Why the user is offered WeChat's customer service instead of ours. */
export type FallbackReason = 'im-unreachable' | 'login-failed';

/** What the host knows about the entry; an `EntryTarget` from `routeEntry` fits as it is. */
export interface FallbackContext {
  serviceAccount?: string;
  /** Alias or account, when there is no resolved `serviceAccount`. */
  service?: string;
  group?: string;
  source?: string;
  scene?: number | string;
  product?: { id?: string; header?: string } | null;
  reason?: FallbackReason | string;
}

const MAX_FIELD = 128;

function field(value: unknown, max = MAX_FIELD): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  // Control characters would corrupt the line WeChat logs; a user never types them in an entry.
  const text = String(value)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim();
  return text === '' ? undefined : text.slice(0, max);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Compact JSON of the context, at most {@link MAX_SESSION_FROM} characters whatever the input:
 * the product header goes first, then the product, and if needed every field is cut shorter.
 * `''` for a context with nothing usable.
 */
export function serializeSessionFrom(context: unknown): string {
  if (!isRecord(context)) return '';
  const out: Record<string, unknown> = {};
  const service = field(context.serviceAccount) ?? field(context.service);
  if (service) out.service = service;
  const group = field(context.group);
  if (group) out.group = group;
  const source = field(context.source, 32);
  if (source) out.source = source;
  const scene = Number(context.scene);
  if (Number.isInteger(scene) && scene > 0 && scene < 100000) out.scene = scene;
  const reason = field(context.reason, 32);
  if (reason) out.reason = reason;
  if (isRecord(context.product)) {
    const product: Record<string, string> = {};
    const id = field(context.product.id, 64);
    const header = field(context.product.header, 200);
    if (id) product.id = id;
    if (header) product.header = header;
    if (id || header) out.product = product;
  }
  if (Object.keys(out).length === 0) return '';
  let json = JSON.stringify(out);
  if (json.length <= MAX_SESSION_FROM) return json;
  if (isRecord(out.product)) {
    delete out.product.header;
    if (Object.keys(out.product).length === 0) delete out.product;
    json = JSON.stringify(out);
    if (json.length <= MAX_SESSION_FROM) return json;
    delete out.product;
  }
  // Only reachable with JSON escapes blowing up short fields (quotes, backslashes): cut them down.
  for (const key of Object.keys(out)) {
    if (typeof out[key] === 'string') out[key] = (out[key] as string).slice(0, 32);
  }
  json = JSON.stringify(out);
  return json.length <= MAX_SESSION_FROM ? json : '';
}

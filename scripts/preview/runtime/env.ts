/**
 * Who and where this preview tab is: the demo user, language, theme and launch query, all from the
 * page URL, so two tabs can be two users (`?user=alice`, `?user=bob`). Pure functions over the URL
 * and a session store, testable in node.
 */

/** Query keys the preview itself consumes; the rest form the mini-program's launch query. */
export const PREVIEW_KEYS: readonly string[] = [
  'user',
  'lang',
  'theme',
  'scene',
  'login',
  'proxy',
  'page',
  'platform',
  'fontScale',
];

export interface TabEnv {
  /** Demo user name: `[A-Za-z0-9_-]`, at most 32 chars. */
  user: string;
  /** WeChat-style language tag (`zh_CN`, `en`). */
  language: string;
  theme: 'light' | 'dark';
  platform: 'ios' | 'android';
  /** Text size multiple (`?fontScale=1.5`), 1 to 2; 1 = standard. */
  fontScale: number;
  scene: number;
  /** First page to open (root-relative, no leading slash), or '' for app.json's first page. */
  page: string;
  /** Launch query handed to the first page's onLoad and getLaunchOptionsSync. */
  query: Record<string, string>;
  /** Overrides of `__APP_CONFIG__` given in the URL (`?login=`, `?proxy=`). */
  loginEndpoint?: string;
  proxyServer?: string;
}

export interface SessionStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const USER_KEY = 'preview:user';

export function sanitizeUser(raw: string): string {
  return raw.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32);
}

function randomUser(random: () => number): string {
  return `u${Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0')}`;
}

/** Reads the tab's environment. A tab without `?user=` keeps one random name for its lifetime. */
export function readTabEnv(
  search: string,
  session: SessionStore,
  random: () => number = Math.random,
): TabEnv {
  const params = new URLSearchParams(search);
  let user = sanitizeUser(params.get('user') ?? '');
  if (!user) {
    user = sanitizeUser(session.getItem(USER_KEY) ?? '') || randomUser(random);
  }
  session.setItem(USER_KEY, user);
  const lang = (params.get('lang') ?? '').toLowerCase();
  const query: Record<string, string> = {};
  params.forEach((value, key) => {
    if (!PREVIEW_KEYS.includes(key)) query[key] = value;
  });
  const launchScene = readScene(params.get('scene') ?? '', query);
  const env: TabEnv = {
    user,
    language: lang.startsWith('en') ? 'en' : 'zh_CN',
    theme: params.get('theme') === 'dark' ? 'dark' : 'light',
    platform: params.get('platform') === 'android' ? 'android' : 'ios',
    fontScale: Math.min(2, Math.max(1, Number(params.get('fontScale')) || 1)),
    scene: launchScene,
    page: (params.get('page') ?? '').replace(/^\/+/, ''),
    query,
  };
  const login = params.get('login');
  const proxy = params.get('proxy');
  if (login && isLoopbackUrl(login)) env.loginEndpoint = login;
  if (proxy && isLoopbackUrl(proxy)) env.proxyServer = proxy;
  return env;
}

/** The scene of a scanned mini-program code (`wx.getUnlimitedQRCode`). */
export const QR_CODE_SCENE = 1047;

/**
 * `?scene=1047` is a launch scene number. Anything else is the `scene` string of a mini-program
 * code (`?scene=s%3Dafter_sales%26g%3Dvip`): the launch is then scene 1047 and, as WeChat does, the
 * string reaches the page query as `scene`, still URI-encoded. Without `scene` the launch is 1001.
 */
function readScene(raw: string, query: Record<string, string>): number {
  if (raw === '') return 1001;
  if (/^\d+$/.test(raw)) return Number(raw) || 1001;
  query.scene = encodeURIComponent(raw);
  return QR_CODE_SCENE;
}

/** Storage keys of one tab user live under this prefix, so users never see each other's data. */
export function storagePrefix(user: string): string {
  return `mp:${user}:`;
}

/** True for http(s)/ws(s) URLs on 127.0.0.0/8, localhost or [::1]: the only hosts the preview may reach. */
export function isLoopbackUrl(url: string, base?: string): boolean {
  let u: URL;
  try {
    u = base ? new URL(url, base) : new URL(url);
  } catch {
    return false;
  }
  if (!/^(https?|wss?):$/.test(u.protocol)) return false;
  const host = u.hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Parses `a=1&b=2` (the part after `?` in a wx navigation URL) into a query object. */
export function parseQuery(qs: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!qs) return out;
  for (const part of qs.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const key = eq >= 0 ? part.slice(0, eq) : part;
    const value = eq >= 0 ? part.slice(eq + 1) : '';
    try {
      out[decodeURIComponent(key)] = decodeURIComponent(value);
    } catch {
      out[key] = value;
    }
  }
  return out;
}

/**
 * Resolves a wx navigation URL (`/pages/a/a?x=1`, `../b/b`) against the current route. Returns the
 * root-relative route and its query.
 */
export function resolveNavUrl(
  url: string,
  currentRoute: string,
): { route: string; query: Record<string, string> } {
  const q = url.indexOf('?');
  const pathPart = q >= 0 ? url.slice(0, q) : url;
  const query = parseQuery(q >= 0 ? url.slice(q + 1) : '');
  let segments: string[];
  if (pathPart.startsWith('/')) {
    segments = pathPart.split('/');
  } else {
    segments = currentRoute.split('/').slice(0, -1).concat(pathPart.split('/'));
  }
  const out: string[] = [];
  for (const s of segments) {
    if (s === '' || s === '.') continue;
    if (s === '..') out.pop();
    else out.push(s);
  }
  return { route: out.join('/'), query };
}

/**
 * Entry of the preview runtime (bundled as `wx-shim.js`). Loaded after simulate.js and files.js and
 * before app.js, because the Chat SDK inspects `wx` once, when its module is evaluated:
 * 1. installs the browser `wx` shim onto simulate's mock (mutating it), the working built-ins, the
 *    `App`/`Page`/`getApp`/`getCurrentPages` globals and `__RUN__` (lazy module factories);
 * 2. `__PREVIEW__.boot()` (called by index.html after app.js) runs `App()` from app.ts, then
 *    opens the first page (or `?page=`) with the launch query.
 */
import { createWxShim } from '../wx-shim';
import { interceptBack, registerBuiltins } from './builtins';
import { readTabEnv } from './env';
import { Router } from './router';
import type { PageEntry } from './router';
import type { PreviewApp, Simulate } from './types';
import { isRecord } from './types';
import { convertUnits } from './units';

type Def = Record<string, unknown>;

interface PreviewGlobals {
  simulate: Simulate;
  wx?: Record<string, unknown>;
  Component: (def: Def) => unknown;
  Page?: (def: Def) => unknown;
  App?: (def: Def) => void;
  getApp?: () => Def;
  getCurrentPages?: () => unknown[];
  __FACTORIES__?: Record<string, () => unknown>;
  __PREVIEW_APP__: PreviewApp;
  __APP_CONFIG__?: Record<string, unknown>;
  __CS_CONFIG__?: Record<string, unknown>;
  __PREVIEW_ENV__?: Record<string, unknown>;
  __RUN__?: (path: string) => unknown;
  __PREVIEW_UNITS__?: (css: string) => string;
  __PREVIEW__?: unknown;
  __MARKS__?: Record<string, number>;
}

const w = window as unknown as PreviewGlobals;
const marks: Record<string, number> = { runtime: performance.now() };
w.__MARKS__ = marks;
const errors: string[] = [];
window.addEventListener('error', (e) => errors.push(String(e.message || e.error)));
window.addEventListener('unhandledrejection', (e) =>
  errors.push(`unhandled rejection: ${String(e.reason)}`),
);

const pageHost = document.getElementById('page-host') ?? document.body;
const phone = document.getElementById('phone') ?? document.body;
const statusBar = document.getElementById('status-bar');
const homeBar = document.getElementById('home-bar');
const metrics = {
  screenWidth: phone.clientWidth || 375,
  screenHeight: phone.clientHeight || 667,
  windowWidth: pageHost.clientWidth || 375,
  windowHeight: pageHost.clientHeight || 603,
  statusBarHeight: statusBar ? statusBar.offsetHeight : 20,
  safeBottom: homeBar ? homeBar.offsetHeight : 0,
};

const app = w.__PREVIEW_APP__;
const env = readTabEnv(location.search, sessionStorage);
const units = {
  width: metrics.windowWidth,
  height: metrics.windowHeight,
  fontScale: env.fontScale,
};
w.__PREVIEW_UNITS__ = (css: string) => convertUnits(css, units);
const config: Record<string, unknown> = { ...(w.__APP_CONFIG__ ?? {}) };
if (env.loginEndpoint) config.loginEndpoint = env.loginEndpoint;
if (env.proxyServer) config.proxyServer = env.proxyServer;
w.__APP_CONFIG__ = config;
// miniprogram/config.ts reads this name.
w.__CS_CONFIG__ = config;

const calls: Record<string, number> = {};
const router = new Router(w.simulate, app, pageHost, (entry: PageEntry, event) => {
  marks[`${event}:${entry.route}`] = performance.now();
});
router.setBackGuard((entry) => interceptBack(entry.el));
router.setThemeVars(app.themeVars?.[env.theme] ?? {});
const sampleImageUrl = new URL('sample.png', location.href).href;
registerBuiltins(
  w.simulate,
  (url, openType, delta) => {
    const mode =
      openType === 'redirect'
        ? 'redirectTo'
        : openType === 'reLaunch'
          ? 'reLaunch'
          : openType === 'navigateBack'
            ? 'navigateBack'
            : openType === 'switchTab'
              ? 'switchTab'
              : 'navigateTo';
    void router.navigate(mode, url, delta);
  },
  sampleImageUrl,
);

const shim = createWxShim({
  env,
  app,
  router,
  metrics,
  storage: localStorage,
  sampleImageUrl,
  calls,
});
if (!w.wx) w.wx = {};
// Mutate simulate's object: its own code holds a reference to it.
Object.assign(w.wx, shim);

/**
 * simulate runs a component's script on every `load`, but a bundled module evaluates once. Keep the
 * definition each module passes to `Component()` and register it again on later loads.
 */
const realComponent = w.Component;
const saved: Record<string, Def> = {};
const ran = new Set<string>();
let capturing: string | null = null;

function cloneDef(def: Def): Def {
  const copy: Def = { ...def };
  if (isRecord(def.relations)) {
    copy.relations = Object.fromEntries(
      Object.entries(def.relations).map(([k, v]) => [k, isRecord(v) ? { ...v } : v]),
    );
  }
  if (isRecord(def.options)) copy.options = { ...def.options };
  return copy;
}

w.Component = (def: Def) => {
  if (capturing) saved[capturing] = cloneDef(def);
  return realComponent(def);
};

w.__RUN__ = (rawPath: string) => {
  const p = rawPath.replace(/^\/+/, '');
  const factory = w.__FACTORIES__?.[p];
  if (!factory) throw new Error(`[preview] no script bundled for ${p}`);
  if (!ran.has(p)) {
    ran.add(p);
    const previous = capturing;
    capturing = p;
    try {
      return factory();
    } finally {
      capturing = previous;
    }
  }
  const def = saved[p];
  if (def) realComponent(cloneDef(def));
  return factory();
};

/** `Page({...})` as a Component: lifecycles and handlers become methods, other fields instance fields. */
w.Page = (def: Def) => {
  const { data, options, behaviors, ...rest } = def;
  const methods: Def = {};
  const extra: Def = {};
  for (const [k, v] of Object.entries(rest)) (typeof v === 'function' ? methods : extra)[k] = v;
  return w.Component({
    data,
    options,
    behaviors,
    methods,
    lifetimes: {
      created(this: Def) {
        Object.assign(this, extra);
      },
    },
  });
};

let appInstance: Def | null = null;
w.App = (def: Def) => {
  appInstance = def;
};
w.getApp = () => appInstance ?? { globalData: {} };
w.getCurrentPages = () => router.pages().map((p) => p.instance);

/**
 * app.wxss is global in WeChat. Pages are rendered with the class prefix `main--`, so each class
 * rule is added in both spellings.
 */
function installAppWxss(css: string): void {
  const style = document.createElement('style');
  style.id = 'app-wxss';
  style.textContent = convertUnits(css, units);
  document.head.appendChild(style);
  const visit = (rules: CSSRuleList): void => {
    for (const rule of Array.from(rules)) {
      if (rule instanceof CSSStyleRule) {
        const prefixed = rule.selectorText.replace(/\.([_a-zA-Z][-_a-zA-Z0-9]*)/g, '.main--$1');
        if (prefixed !== rule.selectorText) rule.selectorText = `${rule.selectorText}, ${prefixed}`;
      } else if ('cssRules' in rule) {
        visit((rule as CSSGroupingRule).cssRules);
      }
    }
  };
  if (style.sheet) visit(style.sheet.cssRules);
}

function renderSidePanel(): void {
  const side = document.getElementById('preview-side');
  if (!side) return;
  const consoleUrl =
    typeof w.__PREVIEW_ENV__?.consoleUrl === 'string' ? w.__PREVIEW_ENV__.consoleUrl : '';
  const h = document.createElement('h1');
  h.textContent = `demo user: ${env.user}`;
  side.appendChild(h);
  const link = (text: string, href: string): void => {
    const a = document.createElement('a');
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener';
    a.textContent = text;
    side.appendChild(a);
  };
  const other = new URL(location.href);
  other.searchParams.set('user', `u${Math.random().toString(36).slice(2, 8)}`);
  link('Open a second user in a new tab', other.href);
  if (consoleUrl) link('Agent console', consoleUrl);
  const p = document.createElement('p');
  p.textContent =
    'Each ?user= is its own WeChat user with its own storage. Add ?lang=en or ?theme=dark to try other settings.';
  side.appendChild(p);
}

async function boot(): Promise<void> {
  marks.boot = performance.now();
  installAppWxss(app.appWxss);
  renderSidePanel();
  if (app.hasApp) {
    w.__RUN__?.('app');
    const launch = (w.wx?.getLaunchOptionsSync as (() => unknown) | undefined)?.();
    const a = appInstance;
    for (const hook of ['onLaunch', 'onShow']) {
      const fn = a?.[hook];
      if (typeof fn === 'function') {
        try {
          (fn as (o: unknown) => unknown).call(a, launch);
        } catch (e) {
          console.error(`[preview] App.${hook} threw:`, e);
        }
      }
    }
  }
  const first = env.page && app.pages.includes(env.page) ? env.page : app.pages[0];
  const qs = new URLSearchParams(env.query).toString();
  const result = await router.navigate('reLaunch', `/${first}${qs ? `?${qs}` : ''}`);
  if (!result.ok) console.error(`[preview] could not open ${first}: ${result.reason}`);
  marks.firstPage = performance.now();
}

w.__PREVIEW__ = { boot, router, calls, env, errors, marks, metrics };

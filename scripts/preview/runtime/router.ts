/**
 * The preview's page stack: one `<page>` element per open page, WeChat's navigation semantics
 * (navigateTo / redirectTo / reLaunch / navigateBack, at most 10 pages) and page lifecycles in
 * WeChat's order (onLoad(query) → onShow → onReady; onHide when covered; onUnload when removed).
 * Also drives the navigation bar (title, colours, back arrow).
 */
import { resolveNavUrl } from './env';
import type { ComponentThis, PreviewApp, RootComponent, Simulate, WindowConfig } from './types';

export interface PageEntry {
  route: string;
  query: Record<string, string>;
  el: HTMLElement;
  comp: RootComponent;
  instance: ComponentThis;
  styleId: string;
  /** Set by wx.setNavigationBarTitle; otherwise the json title is shown. */
  title?: string;
  frontColor?: string;
  backgroundColor?: string;
  loading?: boolean;
}

export type NavMode = 'navigateTo' | 'redirectTo' | 'reLaunch' | 'switchTab' | 'navigateBack';

export type NavResult = { ok: true } | { ok: false; reason: string };

const MAX_STACK = 10;

function callHook(instance: ComponentThis, name: string, ...args: unknown[]): void {
  const fn = instance[name];
  if (typeof fn !== 'function') return;
  try {
    const out: unknown = (fn as (...a: unknown[]) => unknown).apply(instance, args);
    if (out instanceof Promise)
      out.catch((e: unknown) => console.error(`[preview] ${name} rejected:`, e));
  } catch (e) {
    console.error(`[preview] ${name} threw:`, e);
  }
}

export class Router {
  private readonly stack: PageEntry[] = [];
  private chain: Promise<unknown> = Promise.resolve();
  private patchedProto = false;
  /** Returns true when the page consumed the back press (an open page-container). */
  private backGuard: (entry: PageEntry) => boolean = () => false;
  /** theme.json values of the tab's scheme, for window settings written as `@name`. */
  private themeVars: Record<string, string> = {};

  constructor(
    private readonly simulate: Simulate,
    private readonly app: PreviewApp,
    private readonly host: HTMLElement,
    private readonly onPageEvent: (entry: PageEntry, event: 'open' | 'close') => void = () =>
      undefined,
  ) {
    const back = document.getElementById('nav-back');
    if (back) {
      const go = (e: Event): void => {
        e.preventDefault();
        const top = this.current();
        if (top && this.backGuard(top)) return;
        void this.navigate('navigateBack', '', 1);
      };
      back.addEventListener('click', go);
    }
  }

  /** The scheme's theme.json values, for window settings written as `@name`. */
  setThemeVars(vars: Record<string, string>): void {
    this.themeVars = vars;
    this.renderNavBar();
  }

  /** A window setting with `@name` resolved from theme.json (unknown names count as unset). */
  private themed(value: string | undefined): string | undefined {
    if (value === undefined || !value.startsWith('@')) return value;
    return this.themeVars[value.slice(1)];
  }

  /** What the user's back press asks the current page first (WeChat's page-container rule). */
  setBackGuard(guard: (entry: PageEntry) => boolean): void {
    this.backGuard = guard;
  }

  /** Open pages, bottom first (what getCurrentPages returns, as instances). */
  pages(): PageEntry[] {
    return this.stack.slice();
  }

  current(): PageEntry | undefined {
    return this.stack[this.stack.length - 1];
  }

  /**
   * Performs a navigation; resolves once the new page has run onLoad/onShow. Navigations queue:
   * a page may redirect from its own onLoad, which WeChat allows.
   */
  navigate(mode: NavMode, url: string, delta = 1): Promise<NavResult> {
    const run = this.chain.then(() => this.navigateNow(mode, url, delta));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private navigateNow(mode: NavMode, url: string, delta: number): NavResult {
    if (mode === 'navigateBack') {
      if (this.stack.length <= 1)
        return { ok: false, reason: 'cannot navigate back at first page.' };
      const n = Math.min(Math.max(1, Math.floor(delta) || 1), this.stack.length - 1);
      for (let i = 0; i < n; i += 1) this.close(this.stack.pop());
      const top = this.current();
      if (top) this.show(top);
      this.renderNavBar();
      return { ok: true };
    }
    const from = this.current()?.route ?? '';
    const { route, query } = resolveNavUrl(url, from);
    if (!this.app.pages.includes(route))
      return { ok: false, reason: `page "${route}" is not found` };
    if (mode === 'switchTab') return { ok: false, reason: 'can not switch to no-tabBar page' };
    if (mode === 'navigateTo' && this.stack.length >= MAX_STACK)
      return { ok: false, reason: 'webview count limit exceed' };
    if (mode === 'redirectTo') this.close(this.stack.pop());
    if (mode === 'reLaunch') while (this.stack.length > 0) this.close(this.stack.pop());
    const below = this.current();
    if (below) this.hide(below);
    this.open(route, query);
    return { ok: true };
  }

  private open(route: string, query: Record<string, string>): PageEntry {
    const id = this.simulate.load(route, 'main', { rootPath: '' });
    const comp = this.simulate.render(id);
    this.patchScrollDetail(comp);
    const el = document.createElement('page');
    el.dataset.route = route;
    this.host.appendChild(el);
    const instance = comp.instance;
    Object.assign(instance, { route, __route__: route, options: { ...query } });
    const entry: PageEntry = { route, query, el, comp, instance, styleId: id };
    this.stack.push(entry);
    comp.attach(el);
    el.addEventListener('scroll', () => this.onScroll(entry), { passive: true });
    this.onPageEvent(entry, 'open');
    this.renderNavBar();
    callHook(instance, 'onLoad', { ...query });
    callHook(instance, 'onShow');
    comp.triggerPageLifeTime('show');
    setTimeout(() => callHook(instance, 'onReady'), 0);
    return entry;
  }

  private hide(entry: PageEntry): void {
    callHook(entry.instance, 'onHide');
    entry.comp.triggerPageLifeTime('hide');
    entry.el.hidden = true;
  }

  private show(entry: PageEntry): void {
    entry.el.hidden = false;
    callHook(entry.instance, 'onShow');
    entry.comp.triggerPageLifeTime('show');
  }

  private close(entry: PageEntry | undefined): void {
    if (!entry) return;
    callHook(entry.instance, 'onUnload');
    try {
      entry.comp.detach();
    } catch (e) {
      console.error('[preview] detach failed:', e);
    }
    entry.el.remove();
    document.querySelectorAll(`style#${entry.styleId}`).forEach((s) => s.remove());
    this.onPageEvent(entry, 'close');
  }

  private onScroll(entry: PageEntry): void {
    const el = entry.el;
    callHook(entry.instance, 'onPageScroll', { scrollTop: el.scrollTop });
    const atBottom = el.scrollHeight - el.clientHeight - el.scrollTop <= 50;
    const wasAtBottom = el.dataset.atBottom === '1';
    el.dataset.atBottom = atBottom ? '1' : '0';
    if (atBottom && !wasAtBottom) callHook(entry.instance, 'onReachBottom');
  }

  /**
   * simulate forwards a DOM scroll as an exparser `scroll` event with an empty detail; WeChat's
   * scroll-view sends positions. Patch the (shared) root-component prototype once to add them.
   */
  private patchScrollDetail(comp: RootComponent): void {
    if (this.patchedProto) return;
    this.patchedProto = true;
    const proto = Object.getPrototypeOf(comp) as {
      _triggerExparserEvent?: (evt: Event, name: string, detail?: Record<string, unknown>) => void;
    };
    const original = proto._triggerExparserEvent;
    if (typeof original !== 'function') return;
    proto._triggerExparserEvent = function patched(
      this: unknown,
      evt: Event,
      name: string,
      detail?: Record<string, unknown>,
    ) {
      if (name === 'scroll' && evt.target instanceof HTMLElement) {
        const t = evt.target;
        const last = Number(t.dataset.lastTop ?? t.scrollTop);
        const lastLeft = Number(t.dataset.lastLeft ?? t.scrollLeft);
        t.dataset.lastTop = String(t.scrollTop);
        t.dataset.lastLeft = String(t.scrollLeft);
        const d = {
          scrollTop: t.scrollTop,
          scrollLeft: t.scrollLeft,
          scrollHeight: t.scrollHeight,
          scrollWidth: t.scrollWidth,
          deltaY: last - t.scrollTop,
          deltaX: lastLeft - t.scrollLeft,
        };
        return original.call(this, evt, name, d);
      }
      return original.call(this, evt, name, detail);
    };
  }

  /** Title/colours of the current page on the navigation bar; back arrow when there is a page below. */
  setBar(
    patch: Partial<Pick<PageEntry, 'title' | 'frontColor' | 'backgroundColor' | 'loading'>>,
  ): boolean {
    const top = this.current();
    if (!top) return false;
    Object.assign(top, patch);
    this.renderNavBar();
    return true;
  }

  renderNavBar(): void {
    const bar = document.getElementById('nav-bar');
    const title = document.getElementById('nav-title');
    const back = document.getElementById('nav-back');
    const status = document.getElementById('status-bar');
    const top = this.current();
    if (!bar || !title || !back || !top) return;
    const win: WindowConfig = this.app.pageWindows[top.route] ?? this.app.window;
    title.textContent = top.title ?? win.navigationBarTitleText ?? '';
    const bg = top.backgroundColor ?? this.themed(win.navigationBarBackgroundColor) ?? '#ffffff';
    const textStyle = this.themed(win.navigationBarTextStyle);
    const white =
      (top.frontColor ?? (textStyle === 'white' ? '#ffffff' : '#000000')).toLowerCase() ===
      '#ffffff';
    const fg = white ? '#ffffff' : '#000000';
    for (const el of [bar, status]) {
      if (!el) continue;
      el.style.background = bg;
      el.style.color = fg;
    }
    bar.classList.toggle('nav-white', white);
    bar.classList.toggle('nav-custom', win.navigationStyle === 'custom');
    bar.classList.toggle('nav-loading', Boolean(top.loading));
    back.hidden = this.stack.length <= 1;
    const pageHost = this.host;
    pageHost.style.background = win.backgroundColor ?? '';
    document.title = `${title.textContent || 'preview'} · preview`;
  }
}

/**
 * End-to-end rig: builds the preview once, starts the local stack (simulator, fake WeChat, login
 * server, preview server) on ephemeral ports, drives headless Chromium with touch taps, blocks and
 * counts every request that would leave loopback, saves screenshots to
 * `.artifacts/e2e/<test>/<step>.png`, and tears it all down.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, ConsoleMessage, Page } from 'playwright-core';
import { samplePng } from '../../scripts/preview/assets';
import { buildPreview, PROJECT_ROOT } from '../../scripts/preview/build';
import type { AppConfig, PreviewBuild } from '../../scripts/preview/build';
import { servePreview } from '../../scripts/preview/serve';
import type { PreviewServer } from '../../scripts/preview/serve';
import { startStack } from '../../scripts/preview/stack';
import type { RunningStack, StackOptions } from '../../scripts/preview/stack';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
export const ARTIFACTS = path.join(PROJECT_ROOT, '.artifacts', 'e2e');
export const FIXTURE_ROOT = path.join(__dirname, 'fixtures', 'mp');

/** Any http(s)/ws(s) URL whose host is not loopback. */
const NON_LOOPBACK =
  /^(https?|wss?):\/\/(?!(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])[:/])/;

export interface RigOptions {
  /** Mini-program root to build; default the project's `miniprogram/`. */
  root?: string;
  /** Start simulator + fake WeChat + login server (default true). Without it only the preview is served. */
  stack?: boolean;
  stackOptions?: Partial<Omit<StackOptions, 'ports' | 'previewDir'>>;
}

export interface PreviewTab {
  page: Page;
  context: BrowserContext;
  /** Non-loopback URLs the page tried (all were aborted). */
  blocked: string[];
  /** Uncaught page errors and console.error lines. */
  errors: string[];
  /** Every console line, for diagnosis in failure messages. */
  logs: string[];
  /** WebSocket URLs the page opened. */
  sockets: string[];
  /** Saves `.artifacts/e2e/<test>/<step>.png` after fonts are ready; returns its path. */
  shot(step: string): Promise<string>;
  /** A touch tap (simulate builds `tap` from touchstart/touchend, not from clicks). */
  tap(selector: string): Promise<void>;
  /** Waits until `route` is the top page and has rendered. */
  waitForRoute(route: string, timeoutMs?: number): Promise<void>;
  /** Text in the navigation bar title. */
  navTitle(): Promise<string>;
  /** Route of the top page. */
  route(): Promise<string>;
  /** wx calls made so far, by name. */
  wxCalls(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

export interface Rig {
  build: PreviewBuild;
  previewUrl: string;
  appConfig: AppConfig;
  stack: RunningStack | null;
  /** Opens a new browser context (fresh storage) on the preview, with `query` in the URL. */
  open(testName: string, query?: Record<string, string>): Promise<PreviewTab>;
  close(): Promise<void>;
}

function slug(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'test'
  );
}

/** Copies a fixture mini-program next to a copy of the packed npm folder, as WeChat expects. */
export function prepareFixture(fixture: string, into: string): string {
  const root = path.join(into, 'mp');
  fs.cpSync(fixture, root, { recursive: true });
  const npm = path.join(PROJECT_ROOT, 'miniprogram', 'miniprogram_npm');
  if (!fs.existsSync(npm))
    throw new Error('miniprogram/miniprogram_npm is missing: run npm run pack-npm');
  fs.cpSync(npm, path.join(root, 'miniprogram_npm'), { recursive: true });
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'assets', 'pic.png'), samplePng(120, 80));
  return root;
}

export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: apt-get install -y chromium (the e2e tests drive Debian's Chromium)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Builds and starts everything. Always `close()` the rig (in afterAll), also when a test failed.
 */
export async function createRig(options: RigOptions = {}): Promise<Rig> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-e2e-'));
  const cleanups: (() => Promise<void> | void)[] = [
    () => fs.rmSync(work, { recursive: true, force: true }),
  ];
  const close = async (): Promise<void> => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch (e) {
        console.error('e2e teardown step failed:', e);
      }
    }
  };
  try {
    const root = options.root ? prepareFixture(options.root, work) : undefined;
    const built = await buildPreview({
      root,
      outDir: path.join(work, 'preview'),
      sharedAssetsDir: path.join(ARTIFACTS, 'assets'),
    });
    if (!built.ok)
      throw new Error(`preview build failed (${built.error.stage}): ${built.error.message}`);
    let stack: RunningStack | null = null;
    let previewUrl: string;
    let appConfig: AppConfig;
    if (options.stack ?? true) {
      const started = await startStack({
        ports: { simulator: 0, wechat: 0, server: 0, preview: 0 },
        previewDir: built.value.outDir,
        quiet: true,
        ...options.stackOptions,
      });
      if (!started.ok)
        throw new Error(`stack failed (${started.error.component}): ${started.error.message}`);
      stack = started.value;
      cleanups.push(() => started.value.close());
      previewUrl = stack.urls.preview;
      appConfig = stack.appConfig;
    } else {
      // Nothing listens on port 9 (discard): requests fail fast, and nothing leaves loopback.
      appConfig = { loginEndpoint: 'http://127.0.0.1:9', proxyServer: 'ws://127.0.0.1:9' };
      const server: PreviewServer = await servePreview({
        dir: built.value.outDir,
        port: 0,
        appConfig,
      });
      cleanups.push(() => server.close());
      previewUrl = server.url;
    }
    const browser = await launchChromium();
    cleanups.push(() => browser.close());
    const tabs = new Set<PreviewTab>();
    cleanups.push(async () => {
      for (const t of tabs) await t.close();
    });

    const open = async (
      testName: string,
      query: Record<string, string> = {},
    ): Promise<PreviewTab> => {
      const context = await browser.newContext({
        viewport: { width: 375, height: 667 },
        deviceScaleFactor: 2,
        hasTouch: true,
        isMobile: false,
      });
      const page = await context.newPage();
      const blocked: string[] = [];
      const errors: string[] = [];
      const logs: string[] = [];
      const sockets: string[] = [];
      await page.route(NON_LOOPBACK, (r) => {
        blocked.push(r.request().url());
        return r.abort();
      });
      await page.routeWebSocket(NON_LOOPBACK, (ws) => {
        blocked.push(ws.url());
        return ws.close();
      });
      page.on('console', (m: ConsoleMessage) => {
        logs.push(`${m.type()}: ${m.text()}`);
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('websocket', (ws) => sockets.push(ws.url()));
      const dir = path.join(ARTIFACTS, slug(testName));
      fs.mkdirSync(dir, { recursive: true });
      const qs = new URLSearchParams(query).toString();
      await page.goto(`${previewUrl}${qs ? `?${qs}` : ''}`);
      await page.waitForFunction(
        () =>
          Boolean(
            (window as unknown as { __MARKS__?: { firstPage?: number } }).__MARKS__?.firstPage,
          ),
        null,
        { timeout: 15_000 },
      );
      const tab: PreviewTab = {
        page,
        context,
        blocked,
        errors,
        logs,
        sockets,
        async shot(step) {
          await page.evaluate(() => document.fonts.ready.then(() => undefined));
          const file = path.join(dir, `${slug(step)}.png`);
          await page.screenshot({ path: file });
          return file;
        },
        async tap(selector) {
          await page.tap(selector);
        },
        async waitForRoute(route, timeoutMs = 10_000) {
          await page.waitForFunction(
            (r) => {
              const pv = (
                window as unknown as {
                  __PREVIEW__?: {
                    router: { current(): { route: string; el: HTMLElement } | undefined };
                  };
                }
              ).__PREVIEW__;
              const top = pv?.router.current();
              return Boolean(
                top && top.route === r && top.el.querySelector('main')?.childElementCount,
              );
            },
            route,
            { timeout: timeoutMs },
          );
        },
        async navTitle() {
          return (await page.textContent('#nav-title')) ?? '';
        },
        async route() {
          return page.evaluate(
            () =>
              (
                window as unknown as {
                  __PREVIEW__: { router: { current(): { route: string } | undefined } };
                }
              ).__PREVIEW__.router.current()?.route ?? '',
          );
        },
        async wxCalls() {
          return page.evaluate(() => ({
            ...(window as unknown as { __PREVIEW__: { calls: Record<string, number> } }).__PREVIEW__
              .calls,
          }));
        },
        async close() {
          tabs.delete(tab);
          await context.close().catch(() => undefined);
        },
      };
      tabs.add(tab);
      return tab;
    };

    return { build: built.value, previewUrl, appConfig, stack, open, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * Builds the browser preview of the mini-program into a static folder (default `.artifacts/preview`):
 * the real pages and components, WXML compiled by the WeChat compiler (`wcc`), all scripts bundled
 * by esbuild, rendered by miniprogram-simulate's browser build inside a phone frame.
 *
 * Run: `npx tsx scripts/preview/build.ts [--out DIR] [--minify]`.
 */
import fs from 'fs';
import path from 'path';
import type { Result } from '../../miniprogram/core/result';
import { linkStaticAssets, writeStaticAssets } from './assets';
import { bundleApp, bundleRuntime } from './bundle';
import { readAppGraph } from './graph';
import type { AppGraph, WindowConfig } from './graph';
import { PREVIEW_CSS } from './preview-css';
import { readWxss } from './wxss';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const DEFAULT_OUT_DIR = path.join(PROJECT_ROOT, '.artifacts', 'preview');

export interface BuildOptions {
  /** Mini-program root; default `<project>/miniprogram`. */
  root?: string;
  outDir?: string;
  minify?: boolean;
  /**
   * Keep fonts and icons in this folder and symlink them into `outDir` (for throwaway builds).
   * Default: written into `outDir` itself.
   */
  sharedAssetsDir?: string;
  /** Written to `config.js` as `__APP_CONFIG__` defaults; the server may serve its own. */
  appConfig?: AppConfig;
}

/**
 * What the mini-program reads at run time, see miniprogram/config.ts: set before the app runs as
 * `globalThis.__APP_CONFIG__` and, the name config.ts reads, `globalThis.__CS_CONFIG__`.
 */
export interface AppConfig {
  loginEndpoint: string;
  proxyServer: string;
  /** The simulator's SDKAppID, when known. */
  sdkAppID?: number;
  /** Customer-service account userIDs, when known. */
  serviceAccounts?: string[];
  /** Subscribe-message templates the chat offers for reply notifications. */
  subscribeTemplateIds?: string[];
}

export interface PreviewBuild {
  outDir: string;
  pages: string[];
  components: number;
  /** Milliseconds per stage. */
  timings: { graph: number; wcc: number; bundle: number; assets: number; total: number };
  /** Bytes of the main scripts. */
  bytes: { simulate: number; files: number; app: number; runtime: number };
  warnings: string[];
}

export interface BuildFailure {
  stage: 'npm' | 'graph' | 'simulate' | 'wcc' | 'bundle' | 'assets';
  message: string;
}

export const DEFAULT_APP_CONFIG: AppConfig = {
  loginEndpoint: 'http://127.0.0.1:9500',
  proxyServer: 'ws://127.0.0.1:9300',
};

const RPX_FN_RE =
  /function transformRpx\(style\) \{\n\s*return style\.replace\(\/\(\\d\+\)rpx\/ig, '\$1px'\)\n\}/g;

/**
 * `theme.json` (app.json `themeLocation`, default name): the `@name` values of window settings per
 * scheme, so the preview's navigation bar follows `?theme=dark` as WeChat's does.
 */
function readThemeVars(root: string): {
  light: Record<string, string>;
  dark: Record<string, string>;
} {
  const empty = { light: {}, dark: {} };
  try {
    const appJson = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8')) as {
      themeLocation?: unknown;
    };
    const file = typeof appJson.themeLocation === 'string' ? appJson.themeLocation : 'theme.json';
    const theme = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as Record<
      string,
      unknown
    >;
    const pick = (v: unknown): Record<string, string> =>
      typeof v === 'object' && v !== null
        ? Object.fromEntries(
            Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'),
          )
        : {};
    return { light: pick(theme.light), dark: pick(theme.dark) };
  } catch {
    return empty;
  }
}

/**
 * simulate's browser build turns `1rpx` into `1px` (twice: its own copy and j-component's). The
 * preview routes both through `__PREVIEW_UNITS__` (runtime/units.ts): 750rpx = phone width, and vh
 * relative to the page area under the navigation bar, as in WeChat. Also writes WXML ids to the DOM
 * and applies `class` on virtual-host components as their external class.
 */
export function patchSimulate(source: string): Result<string, string> {
  let count = 0;
  const patched = source.replace(RPX_FN_RE, () => {
    count += 1;
    return 'function transformRpx(style) {\n  return window.__PREVIEW_UNITS__(style)\n}';
  });
  if (count !== 2) return { ok: false, error: `expected 2 transformRpx functions, found ${count}` };
  // WXML ids on the DOM (WeChat DevTools shows them too): tests and developers select `#login-button`.
  const ids = patched.split('writeIdToDOM: false,').length - 1;
  if (ids !== 1) return { ok: false, error: `expected 1 writeIdToDOM option, found ${ids}` };
  // tdesign components are virtual hosts whose `class` is an external class (`externalClasses:
  // ['class', ...]`), as WeChat treats it; j-component set it on the (absent) host element instead.
  const classAttr =
    "if (name === 'id' || name === 'slot' || (isComponentNode && name === 'class')) {";
  if (patched.split(classAttr).length !== 2)
    return { ok: false, error: 'j-component updateAttrs not found' };
  return {
    ok: true,
    value: patched
      .replace('writeIdToDOM: false,', 'writeIdToDOM: true,')
      .replace(
        classAttr,
        "if (isComponentNode && name === 'class' && exparserNode.hasExternalClass('class')) {\n" +
          "      exparserNode.setExternalClass('class', value || '')\n    } else " +
          classAttr,
      ),
  };
}

function jsString(value: string): string {
  // U+2028/2029 are legal in JSON but end a line in older JS parsers; escape them anyway.
  return JSON.stringify(value)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The page-area title and bar colours per page, as the navigation bar shows them. */
function windowsFor(graph: AppGraph): Record<string, WindowConfig> {
  return graph.pageWindows;
}

function filesJs(graph: AppGraph, wcc: string, appId: string): string {
  const out: string[] = [];
  out.push('(function () {');
  out.push('var $gwx = (function () {');
  out.push(wcc);
  out.push('})();');
  out.push('var m = {};');
  for (const c of graph.components) {
    const p = c.path;
    out.push(`m[${jsString(`${p}.json`)}] = ${jsString(JSON.stringify(c.json))};`);
    out.push(`m[${jsString(`${p}.wxml`)}] = $gwx(${jsString(`${p}.wxml`)});`);
    const wxss = readWxss(path.join(graph.root, `${p}.wxss`), graph.root);
    out.push(`m[${jsString(`${p}.wxss`)}] = ${jsString(wxss)};`);
    if (c.script)
      out.push(
        `m[${jsString(`${p}.js`)}] = ${jsString(`module.exports = window.__RUN__(${JSON.stringify(p)});`)};`,
      );
  }
  out.push('window.__FILE_MAP__ = m;');
  const appWxss = readWxss(path.join(graph.root, 'app.wxss'), graph.root);
  const app = {
    themeVars: readThemeVars(graph.root),
    appId,
    pages: graph.pages,
    window: graph.window,
    pageWindows: windowsFor(graph),
    appWxss,
    hasApp: graph.appScript !== null,
  };
  out.push(`window.__PREVIEW_APP__ = ${JSON.stringify(app)};`);
  // The Chat SDK reads `__wxConfig.pages`; WeChat's base library defines it before any app code.
  out.push(
    `window.__wxConfig = ${JSON.stringify({ pages: graph.pages, global: { window: graph.window }, appid: appId })};`,
  );
  out.push('})();');
  return out.join('\n');
}

function indexHtml(title: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>${title.replace(/[<&>]/g, '')} · preview</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="fonts.css">
<link rel="stylesheet" href="preview.css">
<link rel="stylesheet" href="icons.css">
</head>
<body>
<div id="preview-shell">
  <div id="phone">
    <div id="status-bar"><span class="sb-time">9:41</span><span class="sb-icons"><i class="sb-signal"></i><i class="sb-wifi"></i><i class="sb-battery"></i></span></div>
    <div id="nav-bar">
      <div id="nav-back" role="button" aria-label="返回" hidden></div>
      <div id="nav-title"></div>
      <div id="nav-capsule" aria-hidden="true"><i class="cap-dots"></i><i class="cap-sep"></i><i class="cap-close"></i></div>
    </div>
    <div id="page-host"></div>
    <div id="home-bar"><span></span></div>
    <div id="overlay-host"></div>
  </div>
  <aside id="preview-side"></aside>
</div>
<script src="config.js"></script>
<script src="simulate.js"></script>
<script src="files.js"></script>
<script src="wx-shim.js"></script>
<script src="app.js"></script>
<script>window.__PREVIEW__.boot();</script>
</body>
</html>
`;
}

/** `config.js` as served: run-time settings the page reads before the app starts. */
export function configJs(config: AppConfig, extra: Record<string, string> = {}): string {
  return (
    `window.__APP_CONFIG__ = ${JSON.stringify(config)};\n` +
    'window.__CS_CONFIG__ = window.__APP_CONFIG__;\n' +
    `window.__PREVIEW_ENV__ = ${JSON.stringify(extra)};\n`
  );
}

function readAppId(projectRoot: string): string {
  try {
    const parsed: unknown = JSON.parse(
      fs.readFileSync(path.join(projectRoot, 'project.config.json'), 'utf8'),
    );
    if (typeof parsed === 'object' && parsed !== null && 'appid' in parsed) {
      const appid = (parsed as { appid: unknown }).appid;
      if (typeof appid === 'string') return appid;
    }
  } catch {
    // No project config: the dummy id below is what DevTools uses too.
  }
  return 'touristappid';
}

const IMAGE_EXT = /\.(png|jpe?g|gif|webp|svg)$/i;

/**
 * Copies the mini-program's own images (not miniprogram_npm) to `<outDir>/mp/`, where the `image`
 * built-in finds root-absolute sources like `/assets/logo.png`. Returns the number of files.
 */
function copyMiniprogramImages(root: string, outDir: string): number {
  let n = 0;
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (
        entry.name === 'miniprogram_npm' ||
        entry.name === 'node_modules' ||
        entry.name.startsWith('.')
      )
        continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (IMAGE_EXT.test(entry.name)) {
        const target = path.join(outDir, 'mp', path.relative(root, full));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(full, target);
        n += 1;
      }
    }
  };
  walk(root);
  return n;
}

/** Writes via a temporary name so a server reading the folder never sees half a file. */
function writeAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/**
 * Builds the preview. Guarantees on success: `outDir` holds `index.html` and every file it loads;
 * nothing in it refers to a host outside loopback. Fails (as a value) when `miniprogram_npm` is
 * missing, a component can't be resolved, or wcc/esbuild reject the sources.
 */
export async function buildPreview(
  options: BuildOptions = {},
): Promise<Result<PreviewBuild, BuildFailure>> {
  const started = Date.now();
  const root = options.root ?? path.join(PROJECT_ROOT, 'miniprogram');
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const minify = options.minify ?? false;
  if (!fs.existsSync(path.join(root, 'miniprogram_npm'))) {
    return {
      ok: false,
      error: { stage: 'npm', message: `${root}/miniprogram_npm is missing: run npm run pack-npm` },
    };
  }
  const graphResult = readAppGraph(root);
  if (!graphResult.ok) {
    const message = graphResult.error
      .map((e) => `${path.relative(root, e.file)}: ${e.message}`)
      .join('\n');
    return { ok: false, error: { stage: 'graph', message } };
  }
  const graph = graphResult.value;
  const tGraph = Date.now();
  fs.mkdirSync(outDir, { recursive: true });

  const simulateSrc = fs.readFileSync(
    path.join(PROJECT_ROOT, 'node_modules', 'miniprogram-simulate', 'build.js'),
    'utf8',
  );
  const patched = patchSimulate(simulateSrc);
  if (!patched.ok) return { ok: false, error: { stage: 'simulate', message: patched.error } };
  writeAtomic(path.join(outDir, 'simulate.js'), patched.value);

  const scripts: Record<string, string> = {};
  if (graph.appScript) scripts.app = graph.appScript;
  for (const c of graph.components) if (c.script) scripts[c.path] = c.script;
  const tmpApp = path.join(outDir, `app.${process.pid}.build.js`);
  const bundles = Promise.all([
    bundleApp({ root, scripts, outFile: tmpApp, minify }),
    bundleRuntime(path.join(outDir, 'wx-shim.js'), minify),
  ]);

  let wcc: string;
  const tWcc0 = Date.now();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiler = require('miniprogram-compiler') as { wxmlToJs(root: string): string };
    wcc = compiler.wxmlToJs(root);
  } catch (e) {
    await bundles.catch(() => undefined);
    return {
      ok: false,
      error: { stage: 'wcc', message: e instanceof Error ? e.message : String(e) },
    };
  }
  const tWcc = Date.now() - tWcc0;
  const appId = readAppId(PROJECT_ROOT);
  const files = filesJs(graph, wcc, appId);
  writeAtomic(path.join(outDir, 'files.js'), files);

  let appBytes: number;
  let runtimeBytes: number;
  const warnings: string[] = [];
  const tBundle0 = Date.now();
  try {
    const [app, runtime] = await bundles;
    appBytes = app.bytes;
    runtimeBytes = runtime.bytes;
    warnings.push(...app.warnings);
    // esbuild names the map after the temporary file; point both at the final names.
    const map = fs.readFileSync(`${tmpApp}.map`, 'utf8');
    const js = fs
      .readFileSync(tmpApp, 'utf8')
      .replace(/sourceMappingURL=[^\s]+$/, 'sourceMappingURL=app.js.map');
    writeAtomic(path.join(outDir, 'app.js.map'), map);
    writeAtomic(path.join(outDir, 'app.js'), js);
  } catch (e) {
    return {
      ok: false,
      error: { stage: 'bundle', message: e instanceof Error ? e.message : String(e) },
    };
  } finally {
    fs.rmSync(tmpApp, { force: true });
    fs.rmSync(`${tmpApp}.map`, { force: true });
  }
  const tBundle = Date.now() - tBundle0;

  const tAssets0 = Date.now();
  try {
    if (options.sharedAssetsDir) linkStaticAssets(PROJECT_ROOT, options.sharedAssetsDir, outDir);
    else writeStaticAssets(PROJECT_ROOT, outDir);
    fs.rmSync(path.join(outDir, 'mp'), { recursive: true, force: true });
    copyMiniprogramImages(root, outDir);
  } catch (e) {
    return {
      ok: false,
      error: { stage: 'assets', message: e instanceof Error ? e.message : String(e) },
    };
  }
  writeAtomic(path.join(outDir, 'preview.css'), PREVIEW_CSS);
  writeAtomic(
    path.join(outDir, 'index.html'),
    indexHtml(graph.window.navigationBarTitleText ?? 'Mini-program'),
  );
  writeAtomic(path.join(outDir, 'config.js'), configJs(options.appConfig ?? DEFAULT_APP_CONFIG));
  const tAssets = Date.now() - tAssets0;

  return {
    ok: true,
    value: {
      outDir,
      pages: graph.pages,
      components: graph.components.length,
      timings: {
        graph: tGraph - started,
        wcc: tWcc,
        bundle: tBundle,
        assets: tAssets,
        total: Date.now() - started,
      },
      bytes: {
        simulate: patched.value.length,
        files: Buffer.byteLength(files),
        app: appBytes,
        runtime: runtimeBytes,
      },
      warnings,
    },
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf('--out');
  const outDir = outIndex >= 0 && args[outIndex + 1] ? path.resolve(args[outIndex + 1]) : undefined;
  const result = await buildPreview({ outDir, minify: args.includes('--minify') });
  if (!result.ok) {
    console.error(`preview build failed (${result.error.stage}): ${result.error.message}`);
    process.exitCode = 1;
    return;
  }
  const b = result.value;
  const kb = (n: number): string => `${Math.round(n / 1024)} KB`;
  console.log(
    `preview: ${b.pages.length} pages, ${b.components} components → ${path.relative(process.cwd(), b.outDir) || '.'} ` +
      `in ${b.timings.total} ms (wcc ${b.timings.wcc}, esbuild ${b.timings.bundle}, assets ${b.timings.assets}); ` +
      `app ${kb(b.bytes.app)}, files ${kb(b.bytes.files)}, simulate ${kb(b.bytes.simulate)}, runtime ${kb(b.bytes.runtime)}`,
  );
  for (const w of b.warnings) console.warn(`esbuild: ${w}`);
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  void main();
}

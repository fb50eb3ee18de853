/**
 * The mini-program's component graph as WeChat resolves it: pages from `app.json` (subpackage pages
 * included, as `<root>/<page>`), then every
 * `usingComponents` entry of every page and component, transitively. Paths are root-relative and
 * extension-less (`pages/chat/chat`, `miniprogram_npm/tdesign-miniprogram/button/button`).
 */
import fs from 'fs';
import path from 'path';
import type { Result } from '../../miniprogram/core/result';

/** The `window` keys of app.json / page json that the preview's navigation bar shows. */
export interface WindowConfig {
  navigationBarTitleText?: string;
  navigationBarBackgroundColor?: string;
  navigationBarTextStyle?: string;
  backgroundColor?: string;
  navigationStyle?: string;
}

export interface ComponentNode {
  /** Root-relative, no extension, `/` separators. */
  path: string;
  isPage: boolean;
  /** Tag → root-relative path of the component it maps to. */
  usingComponents: Record<string, string>;
  /** The raw JSON with `usingComponents` rewritten to root-absolute paths (`/x/y`). */
  json: Record<string, unknown>;
  /** Source file of the component's code: `.ts` preferred over `.js`, like the TS compiler plugin. */
  script: string | null;
}

export interface AppGraph {
  root: string;
  pages: string[];
  window: WindowConfig;
  /** Per page: app window merged with the page's own json. */
  pageWindows: Record<string, WindowConfig>;
  /** Every page and component, pages first, in discovery order. */
  components: ComponentNode[];
  /** The app script (`app.ts` or `app.js`), absolute. */
  appScript: string | null;
}

export interface GraphError {
  file: string;
  message: string;
}

const WINDOW_KEYS: readonly (keyof WindowConfig)[] = [
  'navigationBarTitleText',
  'navigationBarBackgroundColor',
  'navigationBarTextStyle',
  'backgroundColor',
  'navigationStyle',
];

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readJson(file: string): Result<Record<string, unknown>, GraphError> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return { ok: false, error: { file, message: 'missing' } };
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) return { ok: false, error: { file, message: 'not a JSON object' } };
    return { ok: true, value: parsed };
  } catch (e) {
    return { ok: false, error: { file, message: e instanceof Error ? e.message : String(e) } };
  }
}

function pickWindow(source: Record<string, unknown>): WindowConfig {
  const out: WindowConfig = {};
  for (const key of WINDOW_KEYS) {
    const v = source[key];
    if (typeof v === 'string') out[key] = v;
  }
  return out;
}

/** A component exists where WeChat would find it: `<p>.json`, or `<p>/index.json` for a folder. */
function componentAt(root: string, rel: string): string | null {
  const clean = path.posix.normalize(rel).replace(/^\/+/, '');
  if (clean.startsWith('..')) return null;
  if (fs.existsSync(path.join(root, `${clean}.json`))) return clean;
  if (fs.existsSync(path.join(root, clean, 'index.json'))) return `${clean}/index`;
  return null;
}

/**
 * Resolves one `usingComponents` value from the component at `from` (root-relative), as WeChat
 * does: `/abs` from the root, `./rel` and `../rel` from the component's folder, anything else
 * first as a relative path and then from the nearest `miniprogram_npm` up the folder tree.
 */
export function resolveComponentPath(root: string, from: string, target: string): string | null {
  if (target.startsWith('plugin://')) return null;
  if (target.startsWith('/')) return componentAt(root, target);
  const dir = path.posix.dirname(from);
  if (target.startsWith('.')) return componentAt(root, path.posix.join(dir, target));
  const relative = componentAt(root, path.posix.join(dir, target));
  if (relative) return relative;
  let cursor = dir;
  for (;;) {
    const candidate = componentAt(root, path.posix.join(cursor, 'miniprogram_npm', target));
    if (candidate) return candidate;
    if (cursor === '.' || cursor === '' || cursor === '/') return null;
    cursor = path.posix.dirname(cursor);
  }
}

function scriptOf(root: string, rel: string): string | null {
  for (const ext of ['.ts', '.js']) {
    const file = path.join(root, `${rel}${ext}`);
    if (fs.existsSync(file)) return file;
  }
  return null;
}

/**
 * Reads `app.json` and walks every page's and component's `usingComponents`. Unresolvable
 * components are errors (WeChat refuses to compile them too), reported all at once.
 */
export function readAppGraph(root: string): Result<AppGraph, GraphError[]> {
  const appJsonFile = path.join(root, 'app.json');
  const app = readJson(appJsonFile);
  if (!app.ok) return { ok: false, error: [app.error] };
  const pagesRaw = app.value.pages;
  if (
    !Array.isArray(pagesRaw) ||
    pagesRaw.length === 0 ||
    !pagesRaw.every((p) => typeof p === 'string')
  ) {
    return {
      ok: false,
      error: [{ file: appJsonFile, message: '"pages" must be a non-empty string array' }],
    };
  }
  // Subpackage pages are `<root>/<page>`, as WeChat routes them; the preview loads them eagerly.
  const subpackages = app.value.subpackages ?? app.value.subPackages;
  const subPages = (Array.isArray(subpackages) ? subpackages : []).flatMap((sub: unknown) => {
    if (!isObject(sub) || typeof sub.root !== 'string' || !Array.isArray(sub.pages)) return [];
    const subRoot = sub.root.replace(/^\/+|\/+$/g, '');
    return sub.pages
      .filter((p): p is string => typeof p === 'string')
      .map((p) => `${subRoot}/${p}`);
  });
  const pages = [...(pagesRaw as string[]), ...subPages];
  const appWindow = pickWindow(isObject(app.value.window) ? app.value.window : {});
  const errors: GraphError[] = [];
  const components: ComponentNode[] = [];
  const seen = new Set<string>();
  const pageWindows: Record<string, WindowConfig> = {};
  const queue: { path: string; isPage: boolean }[] = pages.map((p) => ({ path: p, isPage: true }));

  while (queue.length > 0) {
    const next = queue.shift();
    if (!next || seen.has(next.path)) continue;
    seen.add(next.path);
    const jsonFile = path.join(root, `${next.path}.json`);
    const json = readJson(jsonFile);
    if (!json.ok) {
      errors.push(json.error);
      continue;
    }
    const using = isObject(json.value.usingComponents) ? json.value.usingComponents : {};
    const resolved: Record<string, string> = {};
    for (const [tag, target] of Object.entries(using)) {
      if (typeof target !== 'string') continue;
      const hit = resolveComponentPath(root, next.path, target);
      if (!hit) {
        errors.push({ file: jsonFile, message: `component "${tag}" not found at "${target}"` });
        continue;
      }
      resolved[tag] = hit;
      if (!seen.has(hit)) queue.push({ path: hit, isPage: false });
    }
    const rewritten: Record<string, unknown> = { ...json.value };
    rewritten.usingComponents = Object.fromEntries(
      Object.entries(resolved).map(([tag, p]) => [tag, `/${p}`]),
    );
    if (next.isPage) pageWindows[next.path] = { ...appWindow, ...pickWindow(json.value) };
    components.push({
      path: next.path,
      isPage: next.isPage,
      usingComponents: resolved,
      json: rewritten,
      script: scriptOf(root, next.path),
    });
  }
  if (errors.length > 0) return { ok: false, error: errors };
  const appScript = scriptOf(root, 'app');
  return {
    ok: true,
    value: { root, pages, window: appWindow, pageWindows, components, appScript },
  };
}

/** Root-relative posix form of an absolute file under `root`. */
export function relativeTo(root: string, file: string): string {
  return toPosix(path.relative(root, file));
}

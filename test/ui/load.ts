/**
 * Loads a page or component of the mini-program into miniprogram-simulate with its own
 * `usingComponents` resolved the way WeChat does (npm names → miniprogram_npm, relative and
 * absolute paths → the source tree), so tests render real tdesign components.
 */
import fs from 'fs';
import path from 'path';
import simulate from 'miniprogram-simulate';

export const MP_ROOT = path.resolve(__dirname, '../../miniprogram');

function resolveUsing(ownPath: string): Record<string, string> {
  const json = JSON.parse(fs.readFileSync(`${ownPath}.json`, 'utf8')) as {
    usingComponents?: Record<string, string>;
  };
  const out: Record<string, string> = {};
  for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
    // simulate joins these root-absolute paths with `rootPath`, as WeChat resolves them.
    if (target.startsWith('/')) out[tag] = target;
    else if (target.startsWith('.'))
      out[tag] = '/' + path.relative(MP_ROOT, path.resolve(path.dirname(ownPath), target));
    else out[tag] = `/miniprogram_npm/${target}`;
  }
  return out;
}

/** `relPath` like `pages/login/login`; returns the simulate component id. */
export function loadMp(relPath: string): string {
  const abs = path.join(MP_ROOT, relPath);
  return simulate.load(abs, { rootPath: MP_ROOT, usingComponents: resolveUsing(abs) });
}

/** Renders and attaches a loaded page/component to a fresh parent element. */
export function renderMp(id: string, props?: Record<string, unknown>) {
  const comp = simulate.render(id, props);
  comp.attach(document.createElement('parent-wrapper'));
  return comp;
}

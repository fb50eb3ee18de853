/**
 * WXSS as the browser preview needs it: `@import`s inlined (simulate would otherwise look each one
 * up in the files map) and every remote URL removed, because nothing may leave loopback (tdesign's
 * icon font points at a CDN; the preview draws icons as local SVG masks instead).
 */
import fs from 'fs';
import path from 'path';

const IMPORT_RE = /@import\s+(?:"([^"]+)"|'([^']+)')\s*;?/g;
const REMOTE_FONT_FACE_RE = /@font-face\s*\{[^}]*url\(\s*['"]?(?:https?:)?\/\/[^}]*\}/g;
const REMOTE_URL_RE = /url\(\s*(['"]?)(?:https?:)?\/\/[^)]*\)/g;

/** Drops `@font-face` blocks that load remote fonts and blanks any other remote `url(...)`. */
export function stripRemoteUrls(css: string): string {
  return css.replace(REMOTE_FONT_FACE_RE, '').replace(REMOTE_URL_RE, 'none');
}

/**
 * Reads `file` (absolute; `/x.wxss` imports are taken from `root`) with its `@import`s inlined depth-first. An import cycle or a missing
 * import is left out rather than failing the build: WeChat reports those at compile time, and
 * `npm run compile` is that gate.
 */
export function readWxss(file: string, root: string, seen: Set<string> = new Set()): string {
  if (seen.has(file)) return '';
  seen.add(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
  const inlined = text.replace(
    IMPORT_RE,
    (_whole, dq: string | undefined, sq: string | undefined) => {
      const target = dq ?? sq ?? '';
      const withExt = target.endsWith('.wxss') ? target : `${target}.wxss`;
      const resolved = withExt.startsWith('/')
        ? path.join(root, withExt)
        : path.resolve(path.dirname(file), withExt);
      return readWxss(resolved, root, seen);
    },
  );
  return stripRemoteUrls(inlined);
}

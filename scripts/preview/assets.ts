/**
 * Static assets of the preview, all made from installed packages (nothing is downloaded):
 * tdesign icons as CSS masks over `tdesign-icons-svg`, the CJK font from
 * `@fontsource-variable/noto-sans-sc` under the family name tdesign asks for, and a generated
 * sample photo that the `chooseMedia` stub hands out.
 */
import fs from 'fs';
import path from 'path';
import { encodeRgbPng } from '../png';

export interface AssetStats {
  icons: number;
  fontFiles: number;
  copied: boolean;
}

const ICON_PREFIX = 't-icon';

/**
 * CSS drawing each tdesign icon (`<label class="t-icon-NAME t-icon-base">` inside `t-icon`, class
 * names prefixed `t-icon--` by simulate) as a `currentColor` box masked by its SVG, replacing the
 * CDN icon font. Two-class selectors so they win over tdesign's own `content:'\E...'` rules.
 */
export function iconCss(names: readonly string[]): string {
  const base = `.${ICON_PREFIX}--${ICON_PREFIX}-base`;
  const lines = [
    `${base}::before{content:''!important;display:inline-block;width:1em;height:1em;` +
      'vertical-align:top;background-color:currentColor;' +
      '-webkit-mask:var(--preview-icon) center/100% 100% no-repeat;' +
      'mask:var(--preview-icon) center/100% 100% no-repeat}',
  ];
  for (const name of names) {
    lines.push(`.${ICON_PREFIX}--${ICON_PREFIX}-${name}{--preview-icon:url(icons/${name}.svg)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** tdesign-icons-svg writes the React-style `view-box`; browsers only know `viewBox`. */
export function fixSvg(svg: string): string {
  return svg.replace(/\bview-box=/g, 'viewBox=');
}

/** The fontsource stylesheet renamed to `'PingFang SC'`, blocking (no fallback flash in shots). */
export function fontCss(css: string, fontDir: string): string {
  return css
    .replace(/font-family:\s*'[^']*';/g, "font-family: 'PingFang SC';")
    .replace(/font-display:\s*swap;/g, 'font-display: block;')
    .replace(/url\(\.\/files\//g, `url(${fontDir}/`);
}

function writeAtomic(file: string, content: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

function copyIfChanged(from: string, to: string): boolean {
  try {
    const a = fs.statSync(from);
    const b = fs.statSync(to);
    if (a.size === b.size && b.mtimeMs >= a.mtimeMs) return false;
  } catch {
    // `to` is missing: copy it.
  }
  const tmp = `${to}.${process.pid}.tmp`;
  fs.copyFileSync(from, tmp);
  fs.renameSync(tmp, to);
  return true;
}

/**
 * Makes `outDir/icons` and `outDir/fonts` symlinks into `sharedDir` (filled once), so throwaway
 * builds (tests) skip copying 7 MB of fonts and 2,000 icons. The small files are still copied.
 */
export function linkStaticAssets(
  projectRoot: string,
  sharedDir: string,
  outDir: string,
): AssetStats {
  const stats = writeStaticAssets(projectRoot, sharedDir);
  for (const dir of ['icons', 'fonts']) {
    const link = path.join(outDir, dir);
    fs.rmSync(link, { recursive: true, force: true });
    fs.symlinkSync(path.join(sharedDir, dir), link, 'dir');
  }
  for (const file of ['icons.css', 'fonts.css', 'sample.png']) {
    fs.copyFileSync(path.join(sharedDir, file), path.join(outDir, file));
  }
  return stats;
}

/**
 * Writes `icons/`, `icons.css`, `fonts/`, `fonts.css` and `sample.png` into `outDir`. Files that
 * are already there and unchanged are kept, so a rebuild costs a directory scan, not 7 MB.
 */
export function writeStaticAssets(projectRoot: string, outDir: string): AssetStats {
  const nm = path.join(projectRoot, 'node_modules');
  const iconSrc = path.join(nm, 'tdesign-icons-svg', 'src');
  const iconOut = path.join(outDir, 'icons');
  fs.mkdirSync(iconOut, { recursive: true });
  const names: string[] = [];
  let copied = false;
  for (const file of fs.readdirSync(iconSrc)) {
    if (!file.endsWith('.svg')) continue;
    const name = file.slice(0, -4);
    names.push(name);
    const target = path.join(iconOut, file);
    if (fs.existsSync(target)) continue;
    // Via a temporary name: several builds may fill a shared asset folder at once.
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, fixSvg(fs.readFileSync(path.join(iconSrc, file), 'utf8')));
    fs.renameSync(tmp, target);
    copied = true;
  }
  writeAtomic(path.join(outDir, 'icons.css'), iconCss(names));

  const fontPkg = path.join(nm, '@fontsource-variable', 'noto-sans-sc');
  const fontOut = path.join(outDir, 'fonts');
  fs.mkdirSync(fontOut, { recursive: true });
  let fontFiles = 0;
  for (const file of fs.readdirSync(path.join(fontPkg, 'files'))) {
    if (!file.endsWith('.woff2')) continue;
    fontFiles += 1;
    if (copyIfChanged(path.join(fontPkg, 'files', file), path.join(fontOut, file))) copied = true;
  }
  const css = fs.readFileSync(path.join(fontPkg, 'index.css'), 'utf8');
  writeAtomic(path.join(outDir, 'fonts.css'), fontCss(css, 'fonts'));

  const sample = path.join(outDir, 'sample.png');
  if (!fs.existsSync(sample)) writeAtomic(sample, samplePng(320, 240));
  return { icons: names.length, fontFiles, copied };
}

/**
 * A small landscape "photo" (sky gradient, sun, hills) as an RGB PNG, so image messages have
 * something real to upload and show without shipping a binary in git.
 */
export function samplePng(width: number, height: number): Buffer {
  const sunX = width * 0.72;
  const sunY = height * 0.3;
  const sunR = height * 0.12;
  return encodeRgbPng(width, height, (x, y) => {
    const t = y / height;
    const hill = height * (0.68 + 0.08 * Math.sin((x / width) * Math.PI * 2.2));
    if (y > hill) return [70 - Math.round(20 * t), 150 - Math.round(40 * t), 90];
    if ((x - sunX) ** 2 + (y - sunY) ** 2 < sunR ** 2) return [255, 214, 102];
    return [Math.round(90 + 110 * t), Math.round(150 + 70 * t), Math.round(235 - 20 * t)];
  });
}

/*
 * tdesign's icon.wxss declares ~2,350 icon classes (112 KB) and ships in the main package whatever
 * few icons the app shows. After packing npm, keep only the icon classes whose names appear as a
 * string in our code or in tdesign's own component code (its internal defaults such as the rate
 * stars), and drop the rest. Everything else in the file (font-face, base classes) stays.
 */
const fs = require('fs');
const path = require('path');

const ICON_RULE = /^\.t-icon-([a-z0-9-]+):before\{content:'\\[0-9A-F]+';\}$/;
const SOURCE_EXT = /\.(ts|js|wxml|json|wxs)$/;

function walk(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file, out);
    else if (SOURCE_EXT.test(entry.name)) out.push(file);
  }
  return out;
}

/** Every `word-like-token` inside quotes, `name="..."` values, and `t-icon-xxx` class names. */
function tokensOf(text, into) {
  for (const m of text.matchAll(/['"`]([a-z0-9][a-z0-9-]*)['"`]/g)) into.add(m[1]);
  for (const m of text.matchAll(/t-icon-([a-z0-9-]+)/g)) into.add(m[1]);
  for (const m of text.matchAll(/name="\{?\{?([^"}]+)\}?\}?"/g)) {
    for (const part of m[1].split(/[^a-z0-9-]+/)) if (part) into.add(part);
  }
  return into;
}

/** Returns the pruned stylesheet and which icons were kept. */
function pruneIconCss(css, usedTokens) {
  const kept = [];
  let dropped = 0;
  const lines = css.split('\n').filter((line) => {
    const m = line.match(ICON_RULE);
    if (!m) return true;
    if (usedTokens.has(m[1])) {
      kept.push(m[1]);
      return true;
    }
    dropped += 1;
    return false;
  });
  return { css: lines.join('\n'), kept, dropped };
}

/** Prunes miniprogram/miniprogram_npm/tdesign-miniprogram/icon/icon.wxss in place. */
function pruneIcons(miniprogramRoot) {
  const npm = path.join(miniprogramRoot, 'miniprogram_npm', 'tdesign-miniprogram');
  const file = path.join(npm, 'icon', 'icon.wxss');
  if (!fs.existsSync(file)) return undefined;
  const tokens = new Set();
  const ownFiles = walk(miniprogramRoot).filter(
    (f) => !f.includes(`${path.sep}miniprogram_npm${path.sep}`),
  );
  for (const f of [...ownFiles, ...walk(npm)]) {
    if (f === file) continue;
    tokensOf(fs.readFileSync(f, 'utf8'), tokens);
  }
  const before = fs.statSync(file).size;
  const result = pruneIconCss(fs.readFileSync(file, 'utf8'), tokens);
  fs.writeFileSync(file, result.css);
  return {
    before,
    after: Buffer.byteLength(result.css),
    kept: result.kept,
    dropped: result.dropped,
  };
}

module.exports = { pruneIcons, pruneIconCss, tokensOf };

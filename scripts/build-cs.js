#!/usr/bin/env node
/*
 * Builds the customer service as a folder a host mini-program mounts as a subpackage (default
 * `.artifacts/cs`): our pages, components and code from `miniprogram/` with TypeScript compiled to
 * JavaScript (the host needs no TypeScript plugin), the one Chat SDK chosen, and its own
 * `miniprogram_npm` (so WeChat puts the SDK and tdesign in the subpackage, not the host's main
 * package). The standalone app's shell (app.json, app.ts, sitemap, theme) stays out; app.wxss's
 * page styles are imported by each page instead, since a subpackage has no app.wxss of its own.
 *
 * Usage: node scripts/build-cs.js [--out DIR] [--sdk lite|chat]
 * Needs `npm run pack-npm` first (miniprogram/miniprogram_npm).
 */
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
const SOURCE = path.join(root, 'miniprogram');
const SDKS = ['lite', 'chat'];
/** The standalone app's shell: a host has its own. */
const SHELL = new Set(['app.json', 'app.ts', 'app.wxss', 'sitemap.json', 'theme.json']);
/** Styles every page imports in place of app.wxss (written at the package root). */
const PAGE_STYLES = 'cs-page.wxss';
/** npm folders each SDK choice leaves out of the package. */
const UNUSED_NPM = {
  lite: ['@tencentcloud/chat', 'tim-upload-plugin', '@tencentcloud/lite-chat/index.js'],
  chat: ['@tencentcloud/lite-chat'],
};

function parseArgs(argv) {
  const args = { out: path.join(root, '.artifacts', 'cs'), sdk: 'chat' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') args.out = path.resolve(argv[++i]);
    else if (argv[i] === '--sdk') args.sdk = argv[++i];
  }
  if (!SDKS.includes(args.sdk)) throw new Error(`--sdk must be one of ${SDKS.join(', ')}`);
  return args;
}

/** Pages of the package, as the standalone app.json lists them. */
function packagePages() {
  const app = JSON.parse(fs.readFileSync(path.join(SOURCE, 'app.json'), 'utf8'));
  return app.pages;
}

function copyNpm(from, to, skip) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const src = path.join(from, entry.name);
    const rel = path.relative(path.join(SOURCE, 'miniprogram_npm'), src).split(path.sep).join('/');
    if (skip.includes(rel) || entry.name.endsWith('.map') || entry.name.endsWith('.d.ts')) continue;
    const dest = path.join(to, entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(dest, { recursive: true });
      copyNpm(src, dest, skip);
    } else fs.copyFileSync(src, dest);
  }
}

const TD = 'tdesign-miniprogram';

/**
 * The tdesign component folders the package uses: every `usingComponents` from our pages and
 * components, then theirs, and the folders their scripts import. Folders that are not components
 * (common, mixins, locale, its own miniprogram_npm) are always kept.
 */
function usedTdesignDirs(out) {
  const td = path.join(out, 'miniprogram_npm', TD);
  const isComponentDir = (d) => fs.existsSync(path.join(td, d, `${d}.json`));
  const used = new Set();
  const queue = [];
  const addTd = (dir) => {
    if (!used.has(dir) && fs.existsSync(path.join(td, dir))) {
      used.add(dir);
      queue.push(dir);
    }
  };
  const ours = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'miniprogram_npm') continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.json')) ours.push(full);
    }
  };
  walk(out);
  for (const file of ours) {
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const target of Object.values(json.usingComponents || {})) {
      const m = typeof target === 'string' && target.match(/^tdesign-miniprogram\/([^/]+)\//);
      if (m) addTd(m[1]);
    }
  }
  while (queue.length) {
    const dir = queue.shift();
    for (const e of fs.readdirSync(path.join(td, dir))) {
      const full = path.join(td, dir, e);
      if (e.endsWith('.json')) {
        const json = JSON.parse(fs.readFileSync(full, 'utf8'));
        for (const target of Object.values(json.usingComponents || {})) {
          const m = typeof target === 'string' && target.match(/^\.\.\/([^/]+)\//);
          if (m) addTd(m[1]);
        }
      } else if (e.endsWith('.js') || e.endsWith('.wxml') || e.endsWith('.wxss')) {
        const text = fs.readFileSync(full, 'utf8');
        for (const m of text.matchAll(/['"]\.\.\/([\w-]+)\//g)) addTd(m[1]);
      }
    }
  }
  const all = fs.readdirSync(td, { withFileTypes: true }).filter((e) => e.isDirectory());
  return all.filter((e) => used.has(e.name) || !isComponentDir(e.name)).map((e) => e.name);
}

/** Removes the tdesign components the package does not use; returns how many were removed. */
function pruneTdesign(out) {
  const td = path.join(out, 'miniprogram_npm', TD);
  if (!fs.existsSync(td)) return 0;
  const keep = new Set(usedTdesignDirs(out));
  let removed = 0;
  for (const e of fs.readdirSync(td, { withFileTypes: true })) {
    if (e.isDirectory() && !keep.has(e.name)) {
      fs.rmSync(path.join(td, e.name), { recursive: true, force: true });
      removed += 1;
    }
  }
  for (const f of ['index.js', '.wechatide.ib.json']) fs.rmSync(path.join(td, f), { force: true });
  return removed;
}

function transpile(file) {
  const source = fs.readFileSync(file, 'utf8');
  return esbuild.transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'es2018',
    sourcefile: path.relative(root, file),
  }).code;
}

/**
 * Writes the package into `out` (emptied first). Returns what it wrote, for the caller's report.
 * @param {{ out: string, sdk: 'lite' | 'chat' }} options
 */
function buildCs(options) {
  const { out, sdk } = options;
  if (!fs.existsSync(path.join(SOURCE, 'miniprogram_npm'))) {
    throw new Error('miniprogram/miniprogram_npm is missing: run npm run pack-npm');
  }
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  let files = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const src = path.join(dir, entry.name);
      const rel = path.relative(SOURCE, src);
      if (dir === SOURCE && (SHELL.has(entry.name) || entry.name === 'miniprogram_npm')) continue;
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) {
        walk(src);
        continue;
      }
      const dest = path.join(out, rel);
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      if (entry.name.endsWith('.d.ts')) continue;
      if (entry.name.endsWith('.ts')) {
        fs.writeFileSync(dest.replace(/\.ts$/, '.js'), transpile(src));
      } else fs.copyFileSync(src, dest);
      files += 1;
    }
  };
  walk(SOURCE);

  // The SDK choice: only one SDK module is referenced, so only its npm package is packed.
  const choice = path.join(out, 'adapters', 'chat', 'sdk-choice.js');
  const chosen = sdk === 'lite' ? "'./sdk-lite'" : "'./sdk-chat'";
  const exported = sdk === 'lite' ? 'liteSdk' : 'chatSdk';
  fs.writeFileSync(
    choice,
    `"use strict";\n// Built with --sdk ${sdk}.\nObject.defineProperty(exports, "chosenSdk", { enumerable: true, get: function () { return require(${chosen}).${exported}; } });\n`,
  );
  for (const other of SDKS.filter((s) => s !== sdk)) {
    fs.rmSync(path.join(out, 'adapters', 'chat', `sdk-${other}.js`), { force: true });
  }

  // app.wxss (the theme variables and page defaults) for every page, relative to its folder.
  fs.writeFileSync(
    path.join(out, PAGE_STYLES),
    fs.readFileSync(path.join(SOURCE, 'app.wxss'), 'utf8'),
  );
  const pages = packagePages();
  for (const page of pages) {
    const wxss = path.join(out, `${page}.wxss`);
    const up = path.posix.relative(path.posix.dirname(page), PAGE_STYLES);
    const own = fs.existsSync(wxss) ? fs.readFileSync(wxss, 'utf8') : '';
    fs.writeFileSync(wxss, `@import '${up}';\n${own}`);
  }

  const npmOut = path.join(out, 'miniprogram_npm');
  fs.mkdirSync(npmOut, { recursive: true });
  copyNpm(path.join(SOURCE, 'miniprogram_npm'), npmOut, UNUSED_NPM[sdk]);
  const pruned = pruneTdesign(out);
  return { out, sdk, pages, files, pruned };
}

module.exports = { buildCs, packagePages };

if (require.main === module) {
  try {
    const args = parseArgs(process.argv.slice(2));
    const built = buildCs(args);
    console.log(
      `build-cs: ${built.files} files, pages ${built.pages.join(', ')}, SDK ${built.sdk}, ${built.pruned} unused tdesign components left out → ${path.relative(process.cwd(), built.out) || '.'}`,
    );
  } catch (e) {
    console.error('build-cs failed:', e && e.message ? e.message : e);
    process.exit(1);
  }
}

#!/usr/bin/env node
/* Builds miniprogram/miniprogram_npm from package.json dependencies, offline (miniprogram-ci packNpmManually). */
const fs = require('fs');
const path = require('path');
const ci = require('miniprogram-ci');
const { pruneIcons } = require('./prune-icons');

/**
 * packNpm bundles a package's `main` entry only; lite-chat's basic build and the plugins the
 * adapter imports (`adapters/chat/sdk-lite.ts`) are separate entry files, copied next to it where
 * WeChat resolves `@tencentcloud/lite-chat/basic` and `.../plugins/<name>`.
 */
const LITE_CHAT_FILES = [
  'basic.js',
  'plugins/conversation.js',
  'plugins/rich-media-message.js',
  'plugins/message-enhancer.js',
];

function copyLiteChatEntries(root) {
  const from = path.join(root, 'node_modules', '@tencentcloud', 'lite-chat');
  const to = path.join(root, 'miniprogram', 'miniprogram_npm', '@tencentcloud', 'lite-chat');
  if (!fs.existsSync(from) || !fs.existsSync(to)) return 0;
  for (const file of LITE_CHAT_FILES) {
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(path.join(from, file), path.join(to, file));
  }
  return LITE_CHAT_FILES.length;
}

async function main() {
  const root = path.resolve(__dirname, '..');
  const started = Date.now();
  const result = await ci.packNpmManually({
    packageJsonPath: path.join(root, 'package.json'),
    miniprogramNpmDistDir: path.join(root, 'miniprogram'),
  });
  const warnings = result.warnList || [];
  for (const w of warnings) console.warn(`pack-npm warning: ${w.msg || JSON.stringify(w)}`);
  console.log(
    `pack-npm: ${result.miniProgramPackNum} mini-program + ${result.otherNpmPackNum} other packages in ${Date.now() - started} ms`,
  );
  const lite = copyLiteChatEntries(root);
  if (lite) console.log(`pack-npm: ${lite} lite-chat entry files (basic build + plugins) copied`);
  const icons = pruneIcons(path.join(root, 'miniprogram'));
  if (icons) {
    console.log(
      `pack-npm: tdesign icons pruned to ${icons.kept.length} used (${(icons.before / 1024).toFixed(1)} KB → ${(icons.after / 1024).toFixed(1)} KB)`,
    );
  }
}

main().catch((e) => {
  console.error('pack-npm failed:', e && e.message ? e.message : e);
  process.exit(1);
});

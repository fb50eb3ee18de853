#!/usr/bin/env node
/* Builds miniprogram/miniprogram_npm from package.json dependencies, offline (miniprogram-ci packNpmManually). */
const path = require('path');
const ci = require('miniprogram-ci');
const { pruneIcons } = require('./prune-icons');

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

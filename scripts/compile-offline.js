#!/usr/bin/env node
/*
 * Offline WeChat compile (miniprogram-ci getCompiledResult): the real gate for WXML/WXSS syntax, bad
 * component paths, missing page files, and the main-package size budget. `project.attr()` needs
 * WeChat's servers, so it is stubbed with the CI defaults; the private key is a throwaway one made
 * here (never sent: nothing leaves the machine).
 * Usage: node scripts/compile-offline.js [--budget-kb 1300] [--json out.json]
 */
const nodeCrypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const ci = require('miniprogram-ci');

const root = path.resolve(__dirname, '..');
// 1,300 KB since the rich-text renderer uses the marked that tdesign ships (83 KB compiled).
const DEFAULT_BUDGET_KB = 1300;

function parseArgs(argv) {
  const args = {
    budgetKb: Number(process.env.MAIN_PACKAGE_BUDGET_KB) || DEFAULT_BUDGET_KB,
    json: '',
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--budget-kb') args.budgetKb = Number(argv[++i]);
    else if (argv[i] === '--json') args.json = argv[++i];
  }
  return args;
}

function throwawayKey(dir) {
  const { privateKey } = nodeCrypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = path.join(dir, 'ci-dummy.key');
  fs.writeFileSync(file, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  return file;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-compile-'));
  const started = Date.now();
  try {
    const projectConfig = JSON.parse(
      fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'),
    );
    const project = new ci.Project({
      appid: projectConfig.appid || 'touristappid',
      type: 'miniProgram',
      projectPath: root,
      privateKeyPath: throwawayKey(tmp),
      ignores: ['node_modules/**/*'],
    });
    project.attr = async () => ({ ...ci.DefaultProjectAttr });
    const zipPath = path.join(tmp, 'compiled.zip');
    const result = await ci.getCompiledResult(
      { project, version: '0.0.0', setting: { ...projectConfig.setting, minify: true } },
      zipPath,
    );
    const files = Object.entries(result).filter(([p]) => !p.endsWith('.map'));
    const bytes = (content) =>
      Buffer.isBuffer(content) ? content.length : Buffer.byteLength(String(content));
    const total = files.reduce((sum, [, c]) => sum + bytes(c), 0);
    const byGroup = {};
    for (const [p, c] of files) {
      const m = p.match(/miniprogram_npm\/((?:@[^/]+\/)?[^/]+)(?:\/([^/]+))?/);
      const key = m ? (m[1] === 'tdesign-miniprogram' ? `tdesign/${m[2]}` : m[1]) : 'app';
      byGroup[key] = (byGroup[key] || 0) + bytes(c);
    }
    const kb = (n) => (n / 1024).toFixed(1);
    const top = Object.entries(byGroup)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 12)
      .map(([k, v]) => `${k} ${kb(v)} KB`)
      .join(', ');
    console.log(
      `compile: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log(
      `compile: main package ${kb(total)} KB (budget ${args.budgetKb} KB; WeChat limit 2048 KB)`,
    );
    console.log(`compile: largest: ${top}`);
    if (args.json) {
      fs.writeFileSync(
        args.json,
        JSON.stringify({ totalBytes: total, files: files.length, byGroup }, null, 2),
      );
    }
    if (total > args.budgetKb * 1024) {
      console.error(`compile: main package ${kb(total)} KB exceeds the ${args.budgetKb} KB budget`);
      process.exitCode = 1;
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// miniprogram-ci leaves a network request (getwhiteextlist) pending that can hold the process for
// minutes on a machine without internet: exit as soon as the answer is known.
main()
  .then(() => process.exit(process.exitCode || 0))
  .catch((e) => {
    console.error('compile failed:', e && e.message ? e.message : e);
    process.exit(1);
  });

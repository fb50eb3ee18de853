#!/usr/bin/env node
/*
 * Offline WeChat compile (miniprogram-ci getCompiledResult): the real gate for WXML/WXSS syntax, bad
 * component paths, missing page files, and the package size budgets. `project.attr()` needs
 * WeChat's servers, so it is stubbed with the CI defaults; the private key is a throwaway one made
 * here (never sent: nothing leaves the machine).
 *
 *   node scripts/compile-offline.js [--sdk chat|lite] [--budget-kb 1300] [--json out.json]
 *     the standalone app (miniprogram/); `--sdk` compiles a copy built with that Chat SDK.
 *   node scripts/compile-offline.js --host test/e2e/fixtures/host [--sdk chat|lite]
 *     a host mini-program with the customer service built into its `cs` subpackage
 *     (scripts/build-cs.js). Budgets: the host's main package grows by at most 20 KB (against the
 *     same host compiled without the customer service), each subpackage stays within 2 MB.
 *     `--main-budget-kb N` checks the whole main package instead (the standalone thin host:
 *     `--host standalone --main-budget-kb 1024`).
 */
const nodeCrypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const ci = require('miniprogram-ci');
const { buildCs } = require('./build-cs');
const { bareHost } = require('./host-bare');

const root = path.resolve(__dirname, '..');
// 1,300 KB since the rich-text renderer uses the marked that tdesign ships (83 KB compiled).
const DEFAULT_BUDGET_KB = 1300;
const HOST_GROWTH_BUDGET_KB = 20;
const SUBPACKAGE_BUDGET_KB = 2048;
const CS_ROOT = 'cs';

function parseArgs(argv) {
  const args = {
    budgetKb: Number(process.env.MAIN_PACKAGE_BUDGET_KB) || DEFAULT_BUDGET_KB,
    json: '',
    sdk: '',
    host: '',
    /** With `--host`: check the host's whole main package against this instead of its growth. */
    mainBudgetKb: 0,
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--budget-kb') args.budgetKb = Number(argv[++i]);
    else if (argv[i] === '--json') args.json = argv[++i];
    else if (argv[i] === '--sdk') args.sdk = argv[++i];
    else if (argv[i] === '--host') args.host = path.resolve(argv[++i]);
    else if (argv[i] === '--main-budget-kb') args.mainBudgetKb = Number(argv[++i]);
  }
  if (args.sdk && !['chat', 'lite'].includes(args.sdk))
    throw new Error('--sdk must be chat or lite');
  return args;
}

function throwawayKey(dir) {
  const { privateKey } = nodeCrypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = path.join(dir, 'ci-dummy.key');
  fs.writeFileSync(file, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  return file;
}

const bytes = (content) =>
  Buffer.isBuffer(content) ? content.length : Buffer.byteLength(String(content));
const kb = (n) => (n / 1024).toFixed(1);

/** Compiles the project at `projectPath`; returns its compiled files (no source maps). */
async function compile(projectPath, tmp) {
  const projectConfig = JSON.parse(
    fs.readFileSync(path.join(projectPath, 'project.config.json'), 'utf8'),
  );
  const project = new ci.Project({
    appid: projectConfig.appid || 'touristappid',
    type: 'miniProgram',
    projectPath,
    privateKeyPath: throwawayKey(tmp),
    ignores: ['node_modules/**/*'],
  });
  project.attr = async () => ({ ...ci.DefaultProjectAttr });
  const zipPath = path.join(tmp, `compiled-${Date.now()}.zip`);
  const result = await ci.getCompiledResult(
    { project, version: '0.0.0', setting: { ...projectConfig.setting, minify: true } },
    zipPath,
  );
  return Object.entries(result).filter(([p]) => !p.endsWith('.map'));
}

/** Bytes per package: `main` and each subpackage root of app.json. */
function byPackage(files, roots) {
  const sizes = { main: 0 };
  for (const r of roots) sizes[r] = 0;
  for (const [p, c] of files) {
    const clean = p.replace(/^\/+/, '');
    const hit = roots.find((r) => clean.startsWith(`${r}/`));
    sizes[hit || 'main'] += bytes(c);
  }
  return sizes;
}

function byGroup(files) {
  const groups = {};
  for (const [p, c] of files) {
    const m = p.match(/miniprogram_npm\/((?:@[^/]+\/)?[^/]+)(?:\/([^/]+))?/);
    const key = m ? (m[1] === 'tdesign-miniprogram' ? `tdesign/${m[2]}` : m[1]) : 'app';
    groups[key] = (groups[key] || 0) + bytes(c);
  }
  return groups;
}

const largest = (groups) =>
  Object.entries(groups)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, v]) => `${k} ${kb(v)} KB`)
    .join(', ');

/** The standalone project, or a copy of it whose `sdk-choice.ts` picks `sdk`. */
function standaloneProject(sdk, tmp) {
  if (!sdk) return root;
  const copy = path.join(tmp, 'standalone');
  fs.mkdirSync(copy);
  fs.copyFileSync(path.join(root, 'project.config.json'), path.join(copy, 'project.config.json'));
  fs.cpSync(path.join(root, 'miniprogram'), path.join(copy, 'miniprogram'), {
    recursive: true,
    filter: (src) => !src.endsWith('.map'),
  });
  const exported = sdk === 'lite' ? 'liteSdk' : 'chatSdk';
  fs.writeFileSync(
    path.join(copy, 'miniprogram', 'adapters', 'chat', 'sdk-choice.ts'),
    `export { ${exported} as chosenSdk } from './sdk-${sdk}';\n`,
  );
  return copy;
}

/** Copies the host fixture into `dir` and builds the customer service into its `cs/`. */
function assembleHost(host, sdk, dir) {
  fs.cpSync(host, dir, { recursive: true });
  buildCs({ out: path.join(dir, CS_ROOT), sdk: sdk || 'chat' });
  return dir;
}

async function standalone(args, tmp) {
  const started = Date.now();
  const files = await compile(standaloneProject(args.sdk, tmp), tmp);
  const total = files.reduce((sum, [, c]) => sum + bytes(c), 0);
  const groups = byGroup(files);
  console.log(`compile: ${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(
    `compile: main package ${kb(total)} KB${args.sdk ? ` (SDK ${args.sdk})` : ''} (budget ${args.budgetKb} KB; WeChat limit 2048 KB)`,
  );
  console.log(`compile: largest: ${largest(groups)}`);
  if (args.json) {
    fs.writeFileSync(
      args.json,
      JSON.stringify({ totalBytes: total, files: files.length, byGroup: groups }, null, 2),
    );
  }
  const failures = [];
  if (total > args.budgetKb * 1024)
    failures.push(`main package ${kb(total)} KB exceeds the ${args.budgetKb} KB budget`);
  return failures;
}

async function hosted(args, tmp) {
  const started = Date.now();
  const withCs = assembleHost(args.host, args.sdk, path.join(tmp, 'host'));
  const app = JSON.parse(fs.readFileSync(path.join(withCs, 'app.json'), 'utf8'));
  const roots = (app.subpackages || app.subPackages || []).map((s) => s.root.replace(/\/+$/, ''));
  const files = await compile(withCs, tmp);
  const sizes = byPackage(files, roots);
  const bareFiles = args.mainBudgetKb
    ? []
    : await compile(bareHost(args.host, path.join(tmp, 'bare')), tmp);
  const bareMain = byPackage(bareFiles, []).main;
  const growth = sizes.main - bareMain;
  const subFiles = files.filter(([p]) => p.replace(/^\/+/, '').startsWith(`${CS_ROOT}/`));
  console.log(
    `compile: host ${path.relative(root, args.host)} in ${((Date.now() - started) / 1000).toFixed(1)} s (SDK ${args.sdk || 'chat'})`,
  );
  console.log(
    args.mainBudgetKb
      ? `compile: host main package ${kb(sizes.main)} KB (budget ${args.mainBudgetKb} KB)`
      : `compile: host main package ${kb(sizes.main)} KB, ${kb(bareMain)} KB without the customer service: +${kb(growth)} KB (budget ${HOST_GROWTH_BUDGET_KB} KB)`,
  );
  for (const r of roots) {
    console.log(`compile: subpackage ${r} ${kb(sizes[r])} KB (budget ${SUBPACKAGE_BUDGET_KB} KB)`);
  }
  console.log(`compile: ${CS_ROOT} largest: ${largest(byGroup(subFiles))}`);
  if (args.json) {
    fs.writeFileSync(
      args.json,
      JSON.stringify(
        {
          sizes,
          bareMain,
          growth,
          sdk: args.sdk || 'chat',
          mainFiles: files
            .filter(([p]) => !roots.some((r) => p.replace(/^\/+/, '').startsWith(`${r}/`)))
            .map(([p, c]) => [p, bytes(c)]),
          bareFiles: bareFiles.map(([p, c]) => [p, bytes(c)]),
        },
        null,
        2,
      ),
    );
  }
  const failures = [];
  if (!roots.includes(CS_ROOT)) failures.push(`app.json has no "${CS_ROOT}" subpackage`);
  if (args.mainBudgetKb && sizes.main > args.mainBudgetKb * 1024)
    failures.push(`host main package ${kb(sizes.main)} KB (budget ${args.mainBudgetKb} KB)`);
  if (!args.mainBudgetKb && growth > HOST_GROWTH_BUDGET_KB * 1024)
    failures.push(
      `host main package grows by ${kb(growth)} KB (budget ${HOST_GROWTH_BUDGET_KB} KB)`,
    );
  for (const r of roots) {
    if (sizes[r] > SUBPACKAGE_BUDGET_KB * 1024)
      failures.push(`subpackage ${r} is ${kb(sizes[r])} KB (budget ${SUBPACKAGE_BUDGET_KB} KB)`);
  }
  return failures;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-compile-'));
  try {
    const failures = args.host ? await hosted(args, tmp) : await standalone(args, tmp);
    for (const f of failures) console.error(`compile: ${f}`);
    if (failures.length) process.exitCode = 1;
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

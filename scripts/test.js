#!/usr/bin/env node
/*
 * `npm test`: every gate, in order. Each stage runs even when an earlier one failed (so one run shows
 * every problem), except where a stage needs an earlier one's output. The last line is the totals,
 * `N passed, N failed`: jest tests, plus one failure for each non-jest gate that failed.
 *
 *   1 typecheck  app (wx types), core (no wx types: purity), node side (tests, simulator, server)
 *   2 lint       ESLint (typescript-eslint, core purity rules) + Prettier (ts, json, wxml, wxss)
 *   3 pack-npm   miniprogram-ci packNpmManually → miniprogram/miniprogram_npm
 *   4 check-json app/page/component/project configs against miniprogram-ci's schemas
 *   5 jest       node project (core, simulator, server, real-SDK integration) + ui project (simulate)
 *   6 e2e        headless Chromium against the browser preview (when test/e2e exists)
 *   7 compile    offline WeChat compile: WXML/WXSS/paths + main-package size budget, then the
 *                host fixture with the customer service as its `cs` subpackage (growth, subpackage)
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const only = process.argv.slice(2);

let passed = 0;
let failed = 0;
const failures = [];

function run(label, cmd, args, options = {}) {
  if (only.length && !only.includes(label)) return true;
  const started = Date.now();
  console.log(`\n▶ ${label}: ${[path.basename(cmd), ...args].join(' ')}`);
  const res = spawnSync(cmd, args, {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FORCE_COLOR: '0' },
    ...options,
  });
  const ok = res.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

function gate(label, cmd, args) {
  const ok = run(label, cmd, args);
  if (!ok && !(only.length && !only.includes(label))) {
    failed += 1;
    failures.push(label);
  }
  return ok;
}

/** Runs jest with a JSON report and adds its test counts; a suite that fails to load counts as a failure. */
function jest(label, args) {
  if (only.length && !only.includes(label)) return;
  const out = path.join(os.tmpdir(), `jest-${label}-${process.pid}.json`);
  const ok = run(label, process.execPath, [
    require.resolve('jest/bin/jest'),
    ...args,
    '--json',
    `--outputFile=${out}`,
  ]);
  let report;
  try {
    report = JSON.parse(fs.readFileSync(out, 'utf8'));
    fs.rmSync(out, { force: true });
  } catch {
    report = undefined;
  }
  if (!report) {
    failed += 1;
    failures.push(`${label} (no report)`);
    return;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  const broken = report.numRuntimeErrorTestSuites || 0;
  if (broken) {
    failed += broken;
    failures.push(`${label}: ${broken} suite(s) failed to run`);
  }
  if (report.numFailedTests) failures.push(`${label}: ${report.numFailedTests} test(s)`);
  if (!ok && !report.numFailedTests && !broken) {
    failed += 1;
    failures.push(`${label} (exit status)`);
  }
}

gate('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
gate('typecheck', bin('tsc'), ['-p', 'tsconfig.core.json', '--noEmit']);
gate('typecheck', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']);
gate('lint', bin('eslint'), ['.', '--max-warnings', '0']);
gate('lint', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
const packed = gate('pack-npm', process.execPath, ['scripts/pack-npm.js']);
gate('check-json', process.execPath, ['scripts/check-json.js']);
jest('jest', packed ? [] : ['--selectProjects', 'node']);
if (fs.existsSync(path.join(root, 'test/e2e/jest.config.js'))) {
  jest('e2e', ['-c', 'test/e2e/jest.config.js', '--runInBand']);
}
if (packed) gate('compile', process.execPath, ['scripts/compile-offline.js']);
// A host mini-program with the customer service as its subpackage: main-package growth and
// subpackage budgets.
if (packed)
  gate('compile', process.execPath, [
    'scripts/compile-offline.js',
    '--host',
    'test/e2e/fixtures/host',
  ]);
// The standalone app as a thin host of the same subpackage: its whole main package ≤ 1 MB.
if (packed)
  gate('compile', process.execPath, [
    'scripts/compile-offline.js',
    '--host',
    'standalone',
    '--main-budget-kb',
    '1024',
  ]);

if (failures.length) console.log(`\nFailed: ${failures.join('; ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

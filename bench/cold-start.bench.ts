/**
 * Cold start in the browser preview: launch → the chat's first message rendered, for the
 * single-package app (`miniprogram/`), the thin standalone host (`standalone/`) and the shop host
 * (`test/e2e/fixtures/host`), the last two with the customer service as their `cs` subpackage,
 * each on both Chat SDKs. The user has logged in once; every run is then a page
 * reload (a fresh app start with the stored session) straight into the chat page, as a
 * notification or a shared card opens it. Measured from navigation start (`performance.now()`),
 * so it covers parsing the bundles, evaluating the SDK, the Chat login and the first page of
 * history. Not measured: WeChat's download of packages (the preview serves everything locally).
 *
 *   npx tsx bench/cold-start.bench.ts          (about 3 min; BENCH_RUNS=5 reloads per variant)
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PROJECT_ROOT } from '../scripts/preview/build';
import { createRig } from '../test/e2e/rig';
import { SEL, TOP } from '../test/e2e/scenario';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildCs } = require('../scripts/build-cs') as {
  buildCs(options: { out: string; sdk: Sdk }): unknown;
};

type Sdk = 'chat' | 'lite';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HARD_LIMIT_MS = 300_000;
const FIRST_MESSAGE = `${TOP} wx-scroll-view [id^="m-"]`;

const hardStop = setTimeout(() => {
  console.error('benchmark exceeded its time limit; aborting');
  process.exit(1);
}, HARD_LIMIT_MS);
hardStop.unref();

/** The standalone app with `sdk-choice.ts` picking `sdk`. */
function standalone(sdk: Sdk, dir: string): string {
  const root = path.join(dir, `standalone-${sdk}`);
  fs.cpSync(path.join(PROJECT_ROOT, 'miniprogram'), root, {
    recursive: true,
    filter: (src) => !src.includes(`${path.sep}miniprogram_npm`),
  });
  const name = sdk === 'lite' ? 'liteSdk' : 'chatSdk';
  fs.writeFileSync(
    path.join(root, 'adapters', 'chat', 'sdk-choice.ts'),
    `export { ${name} as chosenSdk } from './sdk-${sdk}';\n`,
  );
  return root;
}

/** A host (the shop fixture, or `standalone/`) with the customer service built into `cs/`. */
function host(from: string, name: string, sdk: Sdk, dir: string): string {
  const root = path.join(dir, `${name}-${sdk}`);
  fs.cpSync(from, root, { recursive: true, filter: (src) => path.basename(src) !== 'cs' });
  buildCs({ out: path.join(root, 'cs'), sdk });
  return root;
}
const SHOP = path.join(PROJECT_ROOT, 'test', 'e2e', 'fixtures', 'host');
const THIN = path.join(PROJECT_ROOT, 'standalone');

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)];
  return `median ${median.toFixed(0)} ms  min ${s[0].toFixed(0)}  max ${s[s.length - 1].toFixed(0)}  (n=${s.length})`;
}

async function measure(name: string, root: string, chatRoute: string): Promise<string> {
  const rig = await createRig({ root });
  try {
    const tab = await rig.open(`cold-start ${name}`, { page: chatRoute, user: 'bench' });
    await tab.waitForRoute(`${chatRoute.replace(/chat\/chat$/, 'login/login')}`, 15_000);
    await tab.tap(SEL.loginButton);
    await tab.page.waitForSelector(FIRST_MESSAGE, { timeout: 15_000 });
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      await tab.page.reload();
      const handle = await tab.page.waitForFunction(
        (sel) => (document.querySelector(sel) ? performance.now() : 0),
        FIRST_MESSAGE,
        { polling: 'raf', timeout: 15_000 },
      );
      samples.push(Number(await handle.jsonValue()));
    }
    if (tab.errors.length) console.warn(`${name}: page errors: ${tab.errors.join(' | ')}`);
    return `${name.padEnd(22)} ${stats(samples)}`;
  } finally {
    await rig.close();
  }
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cold-start-'));
  const lines: string[] = [];
  try {
    for (const sdk of ['chat', 'lite'] as const) {
      lines.push(await measure(`single package ${sdk}`, standalone(sdk, dir), 'pages/chat/chat'));
      console.log(lines[lines.length - 1]);
      for (const [name, from] of [
        ['thin standalone', THIN],
        ['shop host', SHOP],
      ] as const) {
        const root = host(from, name.replace(' ', '-'), sdk, dir);
        lines.push(await measure(`${name} ${sdk}`, root, 'cs/pages/chat/chat'));
        console.log(lines[lines.length - 1]);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('\ncold start, launch → first chat message rendered (browser preview):');
  for (const l of lines) console.log(`  ${l}`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);

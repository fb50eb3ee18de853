/**
 * `npm start`: the whole mini-program in a browser against the local stack.
 * Packs npm (if `miniprogram/miniprogram_npm` is missing), builds the preview, starts the simulator
 * (9300), the fake WeChat API (9301), the login server (9500) and the preview (PREVIEW_PORT, 9400),
 * prints the URLs and runs until Ctrl-C, which stops everything and exits 0.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { buildPreview, PROJECT_ROOT } from './preview/build';
import { defaultPreviewPort } from './preview/serve';
import { DEFAULT_PORTS, startStack } from './preview/stack';
import type { RunningStack } from './preview/stack';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    console.error(`${name}=${raw} is not a port number; using ${fallback}`);
    return fallback;
  }
  return n;
}

function packNpmIfMissing(): boolean {
  if (fs.existsSync(path.join(PROJECT_ROOT, 'miniprogram', 'miniprogram_npm'))) return true;
  console.log('miniprogram/miniprogram_npm is missing: packing npm dependencies…');
  const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'scripts', 'pack-npm.js')], {
    cwd: PROJECT_ROOT,
    stdio: 'inherit',
  });
  return r.status === 0;
}

async function main(): Promise<number> {
  if (!packNpmIfMissing()) {
    console.error('npm start: pack-npm failed (see above)');
    return 1;
  }
  const built = await buildPreview();
  if (!built.ok) {
    console.error(
      `npm start: preview build failed (${built.error.stage}):\n${built.error.message}`,
    );
    return 1;
  }
  const b = built.value;
  console.log(
    `preview built: ${b.pages.length} pages, ${b.components} components in ${b.timings.total} ms`,
  );

  const dataDir = path.join(PROJECT_ROOT, '.artifacts', 'start');
  fs.mkdirSync(dataDir, { recursive: true });
  const started = await startStack({
    ports: {
      simulator: portFromEnv('SIMULATOR_PORT', DEFAULT_PORTS.simulator),
      wechat: portFromEnv('WECHAT_PORT', DEFAULT_PORTS.wechat),
      server: portFromEnv('SERVER_PORT', DEFAULT_PORTS.server),
      preview: defaultPreviewPort(),
    },
    previewDir: b.outDir,
    // Accounts and history survive restarts of `npm start` (delete the file to start afresh).
    persistFile: path.join(dataDir, 'simulator.json'),
  });
  if (!started.ok) {
    console.error(`npm start: ${started.error.component} failed: ${started.error.message}`);
    return 1;
  }
  const stack: RunningStack = started.value;
  const u = stack.urls;
  console.log(`
  App preview     ${u.preview}
  Second user     ${u.preview}?user=bob   (each ?user= is its own WeChat user; try ?lang=en)
  Agent console   ${u.console}
  Login server    ${u.server}
  Simulator       ${u.simulator}   (SDK proxyServer ${stack.appConfig.proxyServer})
  Fake WeChat API ${u.wechat}

  Ctrl-C stops everything.
`);

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        console.error(`${signal} again: exiting without waiting`);
        resolve(1);
        return;
      }
      stopping = true;
      console.log(`\n${signal}: stopping…`);
      void stack.close().then(() => resolve(0));
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('npm start failed:', e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(1);
  },
);

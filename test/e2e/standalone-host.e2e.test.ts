/**
 * The standalone app as a thin host (`standalone/`): its main package is only a launcher, which
 * hands over to the customer service in the `cs` subpackage (here the login page, for a new user).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PROJECT_ROOT } from '../../scripts/preview/build';
import { SEL } from './scenario';
import { createRig } from './rig';
import type { Rig } from './rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildCs } = require('../../scripts/build-cs') as {
  buildCs(options: { out: string; sdk: 'chat' | 'lite' }): unknown;
};

let rig: Rig;
let work: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'standalone-e2e-'));
  const root = path.join(work, 'standalone');
  fs.cpSync(path.join(PROJECT_ROOT, 'standalone'), root, {
    recursive: true,
    filter: (src) => path.basename(src) !== 'cs',
  });
  buildCs({ out: path.join(root, 'cs'), sdk: 'chat' });
  rig = await createRig({ root });
}, 120_000);

afterAll(async () => {
  await rig?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('its cs subpackage lists every page of the app', () => {
  const read = (file: string): Record<string, unknown> =>
    JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8')) as Record<string, unknown>;
  const thin = read('standalone/app.json') as { subpackages: { root: string; pages: string[] }[] };
  const app = read('miniprogram/app.json') as { pages: string[] };
  expect(thin.subpackages.find((s) => s.root === 'cs')?.pages).toEqual(app.pages);
});

test('the launcher hands over to the subpackage: login, then the conversation list', async () => {
  const tab = await rig.open('standalone host');
  await tab.waitForRoute('cs/pages/login/login', 15_000);
  await tab.shot('01-login');
  await tab.tap(SEL.loginButton);
  await tab.waitForRoute('cs/pages/conversations/conversations', 15_000);
  await tab.page.waitForSelector(SEL.rows, { timeout: 15_000 });
  await tab.shot('02-list');
  expect(tab.errors).toEqual([]);
  expect(tab.blocked).toEqual([]);
}, 60_000);

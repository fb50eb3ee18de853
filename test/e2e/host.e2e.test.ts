/**
 * The customer service inside another mini-program: the shop fixture (`fixtures/host`) mounts it as
 * its `cs` subpackage, built by scripts/build-cs.js exactly as a company would add it. From the
 * shop's home page, `<service-entry>` opens the chat in the subpackage (logging in on the way), the
 * welcome menu arrives, a message goes out, and back returns to the shop's page.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { PROJECT_ROOT } from '../../scripts/preview/build';
import { SEL, TOP, stepper, typeAndSend, waitForMessages, waitForStill } from './scenario';
import { createRig } from './rig';
import type { Rig } from './rig';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildCs } = require('../../scripts/build-cs') as {
  buildCs(options: { out: string; sdk: 'chat' | 'lite' }): { pages: string[] };
};

const HOST = path.join(__dirname, 'fixtures', 'host');
let rig: Rig;
let work: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'host-e2e-'));
  const host = path.join(work, 'host');
  fs.cpSync(HOST, host, { recursive: true });
  buildCs({ out: path.join(host, 'cs'), sdk: 'chat' });
  rig = await createRig({ root: host });
}, 120_000);

afterAll(async () => {
  await rig?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the fixture host is the documented integration: cs subpackage, preload, placeholder', () => {
  const app = JSON.parse(fs.readFileSync(path.join(HOST, 'app.json'), 'utf8')) as {
    pages: string[];
    subpackages: { root: string; pages: string[] }[];
    preloadRule: Record<string, { packages: string[] }>;
  };
  const standalone = JSON.parse(
    fs.readFileSync(path.join(PROJECT_ROOT, 'miniprogram', 'app.json'), 'utf8'),
  ) as { pages: string[] };
  const cs = app.subpackages.find((s) => s.root === 'cs');
  expect(cs?.pages.sort()).toEqual([...standalone.pages].sort());
  expect(app.preloadRule[app.pages[0]].packages).toContain('cs');
  const home = JSON.parse(fs.readFileSync(path.join(HOST, `${app.pages[0]}.json`), 'utf8')) as {
    usingComponents: Record<string, string>;
    componentPlaceholder: Record<string, string>;
  };
  expect(home.usingComponents['service-entry']).toBe('/cs/components/service-entry/service-entry');
  expect(home.componentPlaceholder['service-entry']).toBe('view');
});

test('host page → <service-entry> → chat in the subpackage → welcome menu → message → back', async () => {
  const tab = await rig.open('host journey', { page: 'pages/index/index' });
  const step = stepper(tab);

  await step('host-home', async () => {
    await tab.waitForRoute('pages/index/index', 15_000);
    await tab.page.waitForSelector(`${TOP} #service-entry`, { timeout: 10_000 });
    expect(await tab.page.locator(`${TOP} #service-entry`).innerText()).toContain('咨询客服');
  });

  await step('login-in-subpackage', async () => {
    await tab.tap(`${TOP} #service-entry`);
    await tab.waitForRoute('cs/pages/login/login', 15_000);
  });

  await step('welcome-menu', async () => {
    await tab.tap(SEL.loginButton);
    await tab.waitForRoute('cs/pages/chat/chat', 15_000);
    await tab.page.waitForSelector(SEL.menuRow('查看商品'), { timeout: 15_000 });
  });

  await step('message', async () => {
    await typeAndSend(tab, '你好，想问保温杯');
    await waitForMessages(tab, 'my message', (list) =>
      list.some((m) => m.mine && m.text.includes('想问保温杯') && m.status === ''),
    );
    await waitForStill(tab);
    // The screenshot shows the sent bubble itself.
    await tab.page.locator(TOP).getByText('你好，想问保温杯').last().scrollIntoViewIfNeeded();
  });

  await step('back-to-host', async () => {
    await tab.page.tap('#nav-back');
    await tab.waitForRoute('pages/index/index', 10_000);
    expect(await tab.page.locator(`${TOP} #opened`).innerText()).toContain('opened=1');
  });

  expect(tab.errors).toEqual([]);
  expect(tab.blocked).toEqual([]);
  expect(await tab.route()).toBe('pages/index/index');
}, 120_000);

/**
 * Smoke test of the real mini-program in the preview, against the whole local stack: the first page
 * renders under its own title, nothing errors, and no request leaves loopback.
 */
import fs from 'fs';
import path from 'path';
import { PROJECT_ROOT } from '../../scripts/preview/build';
import { createRig } from './rig';
import type { Rig } from './rig';

let rig: Rig;

beforeAll(async () => {
  rig = await createRig();
});

afterAll(async () => {
  await rig?.close();
});

function jsonTitle(route: string): string {
  const root = path.join(PROJECT_ROOT, 'miniprogram');
  const read = (file: string): Record<string, unknown> =>
    JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  const page = read(path.join(root, `${route}.json`));
  const app = read(path.join(root, 'app.json'));
  const win = (app.window ?? {}) as Record<string, unknown>;
  return String(page.navigationBarTitleText ?? win.navigationBarTitleText ?? '');
}

test('the app opens its first page in the preview', async () => {
  const tab = await rig.open('app smoke');
  const pages = (
    JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'miniprogram', 'app.json'), 'utf8')) as {
      pages: string[];
    }
  ).pages;
  // The app may redirect on launch (e.g. to login); whichever page is on top must have rendered.
  await tab.page.waitForFunction(
    () => {
      const pv = (
        window as unknown as {
          __PREVIEW__: { router: { current(): { el: HTMLElement } | undefined } };
        }
      ).__PREVIEW__;
      return Boolean(pv.router.current()?.el.querySelector('main')?.childElementCount);
    },
    null,
    { timeout: 15_000 },
  );
  await tab.page.waitForTimeout(300);
  const route = await tab.route();
  expect(pages).toContain(route);
  const title = await tab.navTitle();
  const calls = await tab.wxCalls();
  if (calls.setNavigationBarTitle) expect(title).not.toBe('');
  else expect(title).toBe(jsonTitle(route));
  expect((await tab.page.locator('page:not([hidden]) main').innerText()).trim()).not.toBe('');
  await tab.shot('first-page');
  expect(tab.errors).toEqual([]);
  expect(tab.blocked).toEqual([]);
});

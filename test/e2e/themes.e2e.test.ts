/**
 * Light and dark: the demo user's journey in each scheme (`?theme=`), every screen measured for
 * text contrast against what is really behind it (WCAG AA), with a screenshot of each.
 *
 * Screenshots: `.artifacts/e2e/theme-light/` and `.artifacts/e2e/theme-dark/`.
 */
import fs from 'fs';
import path from 'path';
import { findLowContrast } from './contrast';
import { walkJourney } from './journey';
import { ARTIFACTS, createRig } from './rig';
import type { Rig } from './rig';
import { TOP } from './scenario';

let rig: Rig;

beforeAll(async () => {
  for (const theme of ['light', 'dark'])
    fs.rmSync(path.join(ARTIFACTS, `theme-${theme}`), { recursive: true, force: true });
  rig = await createRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

test.each(['light', 'dark'])(
  '%s: every screen of the journey has readable text and named controls',
  async (theme) => {
    const tab = await rig.open(`theme-${theme}`, { user: `theme${theme}`, theme });
    await walkJourney(rig, tab, async (step) => {
      await tab.page.waitForTimeout(200);
      if (step === 'login') {
        // The scheme really applies: the page background is dark in dark mode.
        const bg = await tab.page.$eval(
          `${TOP} .main--theme-root`,
          (el) => getComputedStyle(el).backgroundColor,
        );
        expect(bg === 'rgb(24, 24, 24)').toBe(theme === 'dark');
        // So does the navigation bar, from theme.json.
        const bar = await tab.page.$eval('#nav-bar', (el) => getComputedStyle(el).backgroundColor);
        expect(bar === 'rgb(255, 255, 255)').toBe(theme === 'light');
      }
      expect({ step, low: await findLowContrast(tab) }).toEqual({ step, low: [] });
      // Everything announced as a control has a name a screen reader can read out.
      const unnamed = await tab.page.$$eval(`${TOP} [role]`, (els) =>
        els
          .filter((el) =>
            ['button', 'radio', 'link', 'checkbox'].includes(el.getAttribute('role') ?? ''),
          )
          .filter((el) => !el.getAttribute('aria-label') && !(el as HTMLElement).innerText.trim())
          .map((el) => el.outerHTML.slice(0, 120)),
      );
      expect({ step, unnamed }).toEqual({ step, unnamed: [] });
      // The login page's only control is a native button; every other screen has ours.
      if (step !== 'login') {
        const controls = await tab.page.locator(`${TOP} [role="button"]`).count();
        expect({ step, controls: controls > 0 }).toEqual({ step, controls: true });
      }
    });
    expect(tab.errors).toEqual([]);
  },
);

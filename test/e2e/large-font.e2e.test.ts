/**
 * Large text: the demo user's whole journey with every font 1.5× its size (`?fontScale=1.5`, what
 * Android's larger system font sizes and WeChat's own text-size setting do to a mini-program's
 * text; fixed heights and line-heights stay as written). On every screen no text may be cut off
 * or spill over its neighbours; single-line truncations with an ellipsis are allowed only where
 * the design truncates on purpose (long names and previews in the list).
 *
 * Screenshots: `.artifacts/e2e/large-font-zh/` and `.artifacts/e2e/large-font-en/`, `NN-<step>.png`.
 */
import fs from 'fs';
import path from 'path';
import { findClippedText } from './clipping';
import type { ClippedText } from './clipping';
import { ARTIFACTS, createRig } from './rig';
import type { PreviewTab, Rig } from './rig';
import { walkJourney } from './journey';
import { TOP } from './scenario';

const TEST = 'large-font';

/** Where a one-line ellipsis is the design: the list row's name and last-message preview. */
const DESIGNED_TRUNCATION = /\.main--row__(title|preview|name|text)/;

let rig: Rig;

beforeAll(async () => {
  for (const lang of ['zh', 'en'])
    fs.rmSync(path.join(ARTIFACTS, `${TEST}-${lang}`), { recursive: true, force: true });
  rig = await createRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

/** Everything unreadable on the page on top, except designed truncations. */
async function unreadable(tab: PreviewTab): Promise<ClippedText[]> {
  // Let layout settle (fonts, images) before measuring.
  await tab.page.waitForTimeout(250);
  const found = await findClippedText(tab);
  return found.filter((c) => !(c.how === 'ellipsis' && DESIGNED_TRUNCATION.test(c.where)));
}

test.each([
  ['zh', '22.5px'],
  ['en', '22.5px'],
] as const)(
  'at 1.5× text size (%s) no screen cuts text off: login, list, chat cards, prompts, rating',
  async (lang, composerSize) => {
    const tab = await rig.open(`${TEST}-${lang}`, {
      user: `bigtext${lang}`,
      fontScale: '1.5',
      lang,
    });
    await walkJourney(
      rig,
      tab,
      async (step) => {
        if (step === 'welcome-and-menu') {
          // The scale really applies: the composer's 30rpx text is 22.5px, not 15px.
          const size = await tab.page.$eval(
            `${TOP} .main--composer__input`,
            (el) => getComputedStyle(el).fontSize,
          );
          expect(size).toBe(composerSize);
        }
        expect({ step, cut: await unreadable(tab) }).toEqual({ step, cut: [] });
      },
      lang,
    );
    expect(tab.errors).toEqual([]);
  },
);

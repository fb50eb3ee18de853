/**
 * Large text: the demo user's whole journey with every font 1.5× its size (`?fontScale=1.5`, what
 * Android's larger system font sizes and WeChat's own text-size setting do to a mini-program's
 * text; fixed heights and line-heights stay as written). On every screen no text may be cut off
 * or spill over its neighbours; single-line truncations with an ellipsis are allowed only where
 * the design truncates on purpose (long names and previews in the list).
 *
 * Screenshots: `.artifacts/e2e/large-font/NN-<step>.png`.
 */
import fs from 'fs';
import path from 'path';
import { agentApi } from './agent-api';
import { findClippedText } from './clipping';
import type { ClippedText } from './clipping';
import { ARTIFACTS, createRig } from './rig';
import type { PreviewTab, Rig } from './rig';
import { SEL, TOP, logIn, stepper, tapStill, waitForMessages } from './scenario';

const TEST = 'large-font';

/** Where a one-line ellipsis is the design: the list row's name and last-message preview. */
const DESIGNED_TRUNCATION = /\.main--row__(title|preview|name|text)/;

let rig: Rig;

beforeAll(async () => {
  fs.rmSync(path.join(ARTIFACTS, TEST), { recursive: true, force: true });
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

test('at 1.5× text size no screen cuts text off: login, list, chat cards, prompts, rating', async () => {
  const stack = rig.stack;
  if (!stack) throw new Error('the rig has no stack');
  const account = stack.appConfig.serviceAccounts?.[0];
  if (!account) throw new Error('no service account configured');
  const conversationID = `C2C${account}`;
  const agent = agentApi(() => stack.urls.simulator);

  const tab = await rig.open(TEST, { user: 'bigtext', fontScale: '1.5' });
  const step = stepper(tab);

  // The scale really applies: the composer's 30rpx text is 22.5px, not 15px.
  await step('login', async () => {
    await tab.waitForRoute('pages/login/login', 15_000);
    expect(await unreadable(tab)).toEqual([]);
    await logIn(tab);
  });

  await step('list', async () => {
    await tab.page.waitForSelector(SEL.row(conversationID), { timeout: 15_000 });
    expect(await unreadable(tab)).toEqual([]);
  });

  await step('welcome-and-menu', async () => {
    await tab.tap(SEL.row(conversationID));
    await tab.waitForRoute('pages/chat/chat');
    await tab.page.waitForSelector(SEL.menuRow('查看商品'), { timeout: 10_000 });
    const size = await tab.page.$eval(
      `${TOP} .main--composer__input`,
      (el) => getComputedStyle(el).fontSize,
    );
    expect(size).toBe('22.5px');
    expect(await unreadable(tab)).toEqual([]);
  });

  await step('product-card', async () => {
    await tapStill(tab, SEL.menuRow('查看商品'));
    await waitForMessages(tab, 'the product card', (m) =>
      m.some((x) => x.text.includes('TCCC 智能音箱 X1')),
    );
    expect(await unreadable(tab)).toEqual([]);
  });

  let userID = '';
  await step('queued-with-prompt', async () => {
    await tapStill(tab, `${SEL.menuRow('转人工')} >> nth=-1`);
    const session = await agent.waitForSession((all) =>
      all.find((s) => s.serviceAccount === account && s.state === 'queued'),
    );
    userID = session.userID;
    await tab.page.waitForSelector(`${TOP} .main--subscribe`, { timeout: 5_000 });
    expect(await unreadable(tab)).toEqual([]);
  });

  await step('leave-sheet', async () => {
    await tab.tap(SEL.navBack);
    await tab.page.waitForSelector(SEL.leaveStay, { timeout: 5_000 });
    expect(await unreadable(tab)).toEqual([]);
    await tapStill(tab, SEL.leaveStay);
  });

  await step('rating-card', async () => {
    await agent.act('accept', { userID, serviceAccount: account });
    await tab.page.waitForSelector(`${SEL.bannerPhase}:has-text("为您服务")`, { timeout: 10_000 });
    await agent.act('end', { userID, serviceAccount: account });
    await tab.page.waitForSelector(SEL.ratingCard, { timeout: 10_000 });
    expect(await unreadable(tab)).toEqual([]);
  });

  expect(tab.errors).toEqual([]);
});

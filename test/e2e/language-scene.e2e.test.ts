/**
 * English everywhere, switched at once; and a mini-program code's `scene` reaching the chat whole.
 *
 * 1. In Chinese, log in; switch to English in the app (no rebuild): the list, its 置顶 tag and the
 *    navigation title are English at once; the chat opened from it is English too (banner,
 *    composer, title).
 * 2. A launch from a scanned mini-program code (scene 1047, `?scene=g%3Dafter_sales`): through the
 *    login page the chat opens on the service account, and the desk sees the skill group.
 *
 * Screenshots: `.artifacts/e2e/language-scene/NN-<step>.png`.
 */
import fs from 'fs';
import path from 'path';
import { ARTIFACTS, createRig } from './rig';
import type { Rig } from './rig';
import type { AgentSession } from './agent-api';
import { SEL, TOP, demoService, logIn, stepper, tapStill } from './scenario';

const TEST = 'language-scene';
const CJK = /[\u3400-\u9fff]/;
const LANGUAGE_EN = `${TOP} .main--languages__item:has-text("English")`;
const PLACEHOLDER = `${TOP} .main--composer__input`;

let rig: Rig;

beforeAll(async () => {
  fs.rmSync(path.join(ARTIFACTS, TEST), { recursive: true, force: true });
  rig = await createRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

/** The visible text of the top page, without the user's and the desk's own words. */
async function pageText(tab: Awaited<ReturnType<Rig['open']>>): Promise<string> {
  return (await tab.page.locator(TOP).first().innerText()).trim();
}

test('an in-app switch to English re-renders the list and the chat at once', async () => {
  const { conversationID } = demoService(rig);
  const tab = await rig.open(TEST, { user: 'lang-switch' });
  const step = stepper(tab);

  await step('list-zh', async () => {
    await logIn(tab);
    await tab.page.waitForSelector(SEL.row(conversationID), { timeout: 15_000 });
    expect(await tab.navTitle()).toBe('消息');
    expect(await pageText(tab)).toContain('置顶');
  });

  await step('list-en', async () => {
    await tapStill(tab, LANGUAGE_EN);
    await tab.page.waitForSelector(`${TOP} :text("Pinned")`, { timeout: 10_000 });
    expect(await tab.navTitle()).toBe('Messages');
    const text = await pageText(tab);
    expect(text).not.toContain('置顶');
    // Still the same page: switched in place, not rebuilt.
    expect(await tab.page.locator(SEL.row(conversationID)).count()).toBe(1);
  });

  await step('chat-en', async () => {
    await tapStill(tab, SEL.row(conversationID));
    await tab.waitForRoute('pages/chat/chat', 15_000);
    await tab.page.waitForSelector(SEL.bannerPhase, { timeout: 15_000 });
    const phase = (await tab.page.textContent(SEL.bannerPhase)) ?? '';
    expect(phase).not.toMatch(CJK);
    expect(await tab.page.textContent(SEL.composerSend)).toContain('Send');
    const placeholder = await tab.page
      .locator(`${PLACEHOLDER} input`)
      .first()
      .getAttribute('placeholder');
    expect(placeholder).toBe('Type a message…');
    const title = await tab.navTitle();
    expect(title).not.toBe('');
    expect(title).not.toMatch(CJK);
  });
}, 120_000);

test('a mini-program code scene opens the chat on the service account with its group', async () => {
  const { agent, account } = demoService(rig);
  const tab = await rig.open(TEST, {
    user: 'scene-entry',
    page: 'pages/chat/chat',
    scene: 'g=after_sales',
  });
  const step = stepper(tab);

  await step('scene-login', async () => {
    await tab.waitForRoute('pages/login/login', 15_000);
  });

  await step('scene-chat', async () => {
    const known = new Set((await agent.sessions()).map((s) => s.userID));
    await tapStill(tab, SEL.loginButton);
    await tab.waitForRoute('pages/chat/chat', 15_000);
    const session = (await agent.waitForSession((all) =>
      all.find(
        (s) =>
          s.serviceAccount === account &&
          !known.has(s.userID) &&
          (s as AgentSession & { skillGroup?: string }).skillGroup !== undefined,
      ),
    )) as AgentSession & { skillGroup?: string };
    expect(session.skillGroup).toBe('after_sales');
    await tab.page.waitForSelector(SEL.bannerPhase, { timeout: 15_000 });
    const launch = await tab.page.evaluate(() => {
      const w = globalThis as unknown as {
        wx: { getLaunchOptionsSync(): { scene: number; query: Record<string, string> } };
      };
      return w.wx.getLaunchOptionsSync();
    });
    expect(launch.scene).toBe(1047);
    expect(decodeURIComponent(launch.query.scene ?? '')).toBe('g=after_sales');
  });
}, 120_000);

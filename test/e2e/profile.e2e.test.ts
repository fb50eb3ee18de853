/**
 * The user's own avatar and nickname: a neutral silhouette until they choose, WeChat's avatar and
 * nickname fill-in from a tap on their own avatar, the picture on their messages at once and after
 * reopening, the nickname on the agent's console. In dark mode, measured for contrast like every
 * other screen.
 *
 * Screenshots: `.artifacts/e2e/profile/NN-<step>.png`.
 */
import fs from 'fs';
import path from 'path';
import { findLowContrast } from './contrast';
import { ARTIFACTS, createRig } from './rig';
import type { Rig } from './rig';
import {
  SEL,
  TOP,
  demoService,
  logIn,
  stepper,
  tapStill,
  typeAndSend,
  waitForMessages,
  waitForStill,
} from './scenario';

const TEST = 'profile';
const MY_AVATAR = `${TOP} .tccc-message--cs-msg--mine .tccc-message--cs-msg__avatar--self`;
const SHEET = `${TOP} profile-sheet .profile-sheet--cs-profile__sheet`;

let rig: Rig;

beforeAll(async () => {
  fs.rmSync(path.join(ARTIFACTS, TEST), { recursive: true, force: true });
  rig = await createRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

test('neutral default, WeChat fill-in, own picture on messages, nickname to the agent', async () => {
  const { agent, account, conversationID } = demoService(rig);
  const tab = await rig.open(TEST, { user: 'profile', theme: 'dark' });
  const step = stepper(tab);
  const ownAvatarImages = () => tab.page.locator(`${MY_AVATAR} img`).count();

  await step('neutral-default', async () => {
    await logIn(tab);
    await tab.tap(SEL.row(conversationID));
    await tab.waitForRoute('pages/chat/chat');
    await typeAndSend(tab, '你好');
    await waitForMessages(tab, 'my message', (m) => m.some((x) => x.mine && x.text === '你好'));
    await waitForStill(tab);
    // No "我" block standing in for a face: a silhouette icon, no picture yet.
    const avatar = tab.page.locator(MY_AVATAR).first();
    expect((await avatar.innerText()).trim()).toBe('');
    expect(await avatar.locator('[class*="t-icon-user"]').count()).toBe(1);
    expect(await ownAvatarImages()).toBe(0);
    expect(await avatar.getAttribute('aria-label')).toBe('我的头像，点按设置头像和昵称');
  });

  await step('sheet', async () => {
    await tapStill(tab, MY_AVATAR);
    await tab.page.waitForSelector(SHEET, { timeout: 5_000 });
    expect(await tab.page.textContent(SHEET)).toContain('客服会看到您的昵称');
    expect(await findLowContrast(tab)).toEqual([]);
  });

  await step('chosen', async () => {
    await tapStill(tab, `${TOP} #profile-avatar`);
    await tab.page.waitForSelector(`${SHEET} img`, { timeout: 5_000 });
    await tab.page.fill(`${TOP} #profile-nick input`, '  小明\u200b同学 ');
    expect(await findLowContrast(tab)).toEqual([]);
  });

  await step('saved', async () => {
    await tapStill(tab, `${SHEET} wx-button:has-text("保存")`);
    await tab.page.waitForSelector(SHEET, { state: 'detached', timeout: 5_000 });
    await tab.page.waitForFunction(
      (sel) => document.querySelectorAll(sel).length > 0,
      `${MY_AVATAR} img`,
      {
        timeout: 5_000,
      },
    );
    expect(await tab.page.getAttribute(`${MY_AVATAR} img >> nth=0`, 'src')).toMatch(/sample\.png$/);
    // The agent sees the nickname (normalised), not the phone's picture path.
    const session = await agent.waitForSession((all) =>
      all.find((s) => s.serviceAccount === account && s.userNick === '小明同学'),
    );
    expect(session.userNick).toBe('小明同学');
  });

  await step('kept-after-reopen', async () => {
    await tab.tap(SEL.navBack);
    await tab.waitForRoute('pages/conversations/conversations');
    await tab.tap(SEL.row(conversationID));
    await tab.waitForRoute('pages/chat/chat');
    await waitForMessages(tab, 'my message again', (m) =>
      m.some((x) => x.mine && x.text === '你好'),
    );
    expect(await ownAvatarImages()).toBeGreaterThan(0);
    // Opening the sheet again starts from what was saved.
    await tapStill(tab, MY_AVATAR);
    await tab.page.waitForSelector(SHEET, { timeout: 5_000 });
    expect(await tab.page.inputValue(`${TOP} #profile-nick input`)).toBe('小明同学');
    await tapStill(tab, `${SHEET} wx-button:has-text("取消")`);
    await tab.page.waitForSelector(SHEET, { state: 'detached', timeout: 5_000 });
  });
  expect(tab.errors).toEqual([]);
}, 120_000);

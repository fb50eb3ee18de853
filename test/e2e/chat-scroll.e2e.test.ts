/**
 * Nothing grows out of sight, end to end: at the bottom the list follows the agent's messages;
 * scrolled up, a new message raises the "new messages" pill instead of a jump, and tapping it
 * brings the newest message into view.
 *
 * Screenshots of every step: `.artifacts/e2e/chat-scroll/NN-<step>.png`.
 */
import fs from 'fs';
import path from 'path';
import { ARTIFACTS, createRig } from './rig';
import type { Rig } from './rig';
import { SEL, TOP, demoService, logIn, stepper, tapStill, waitForMessages } from './scenario';

const TEST = 'chat-scroll';
const LIST = `${TOP} .main--chat__list`;
const PILL = `${TOP} #new-messages`;

let rig: Rig;

beforeAll(async () => {
  fs.rmSync(path.join(ARTIFACTS, TEST), { recursive: true, force: true });
  rig = await createRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

test('follows at the bottom, a pill when scrolled up, the pill scrolls down', async () => {
  const { account, conversationID, agent } = demoService(rig);
  const tab = await rig.open(TEST, { user: 'scroller' });
  const step = stepper(tab);
  /** Distance of the list's end below its visible part (px). */
  const belowEnd = () =>
    tab.page.$eval(LIST, (el) => el.scrollHeight - el.scrollTop - el.clientHeight);
  const untilAtBottom = () =>
    tab.page.waitForFunction(
      (sel) => {
        const el = document.querySelector(sel);
        return !!el && el.scrollHeight - el.scrollTop - el.clientHeight <= 80;
      },
      LIST.replace(`${TOP} `, 'page:not([hidden]) '),
      { timeout: 10_000 },
    );
  let userID = '';

  await step('agent-serving', async () => {
    const known = new Set((await agent.sessions()).map((s) => s.userID));
    await logIn(tab);
    await tab.page.waitForSelector(SEL.row(conversationID), { timeout: 15_000 });
    userID = (
      await agent.waitForSession((all) =>
        all.find((s) => s.serviceAccount === account && !known.has(s.userID)),
      )
    ).userID;
    await tapStill(tab, SEL.row(conversationID));
    await tab.waitForRoute('pages/chat/chat');
    await tapStill(tab, `${TOP} session-banner >> text="转人工"`);
    await agent.waitForSession((all) => all.find((s) => s.userID === userID));
    await agent.act('accept', { userID, serviceAccount: account, agentName: '小王' });
    await tab.page.waitForSelector(`${SEL.bannerPhase}:has-text("小王")`, { timeout: 10_000 });
  });

  await step('followed-at-bottom', async () => {
    for (let i = 1; i <= 8; i += 1)
      await agent.act('reply', {
        userID,
        serviceAccount: account,
        text: `第 ${i} 条：您的订单正在处理中，我们会尽快为您安排发货，请耐心等待，谢谢。`,
      });
    await waitForMessages(tab, 'eight agent replies', (m) =>
      m.some((x) => x.text.startsWith('第 8 条')),
    );
    await untilAtBottom();
    expect(await tab.page.locator(PILL).count()).toBe(0);
  });

  await step('scrolled-up-pill', async () => {
    await tab.page.$eval(LIST, (el) => el.scrollTo({ top: 0 }));
    await tab.page.waitForTimeout(300);
    await agent.act('reply', { userID, serviceAccount: account, text: '请问还有其他问题吗？' });
    await tab.page.waitForSelector(PILL, { timeout: 10_000 });
    // No jump: the list stayed up.
    expect(await belowEnd()).toBeGreaterThan(200);
    expect(await tab.page.getAttribute(PILL, 'aria-label')).toBe('有新消息，点按回到最新消息');
  });

  await step('pill-tapped-newest-in-view', async () => {
    await tapStill(tab, PILL);
    await untilAtBottom();
    await tab.page.waitForSelector(PILL, { state: 'detached', timeout: 5_000 });
  });
});

/**
 * Reply notifications end to end: queued user leaves → the leaving sheet → "notify me" (WeChat's
 * dialog, accepted) → back on the list, the app reports the answer and, after the grace period,
 * "away" → the agent answers → the simulator's after-send callback reaches the login server → the
 * fake WeChat receives one subscribe message with the chat's page → opening that page (scene 1014)
 * lands in the chat with the agent's answer.
 *
 * Screenshots: `.artifacts/e2e/notify/NN-<step>.png`.
 */
import fs from 'fs';
import path from 'path';
import { ARTIFACTS, createRig } from './rig';
import type { Rig } from './rig';
import { SEL, TOP, demoService, logIn, stepper, tapStill, waitForMessages } from './scenario';

const TEST = 'notify';
const REPLY = '您好，我是小王，看到您的留言了，订单已为您加急处理。';

let rig: Rig;

beforeAll(async () => {
  fs.rmSync(path.join(ARTIFACTS, TEST), { recursive: true, force: true });
  rig = await createRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

test('notify me on leaving: the agent’s reply becomes a WeChat notification that opens the chat', async () => {
  const { stack, account, agent } = demoService(rig);
  const tab = await rig.open(TEST, { user: 'notify' });
  const step = stepper(tab);
  let userID = '';

  await step('queued', async () => {
    await logIn(tab);
    await tab.tap(SEL.row(`C2C${account}`));
    await tab.waitForRoute('pages/chat/chat');
    await tab.page.waitForSelector(SEL.menuRow('转人工'), { timeout: 10_000 });
    await tapStill(tab, `${SEL.menuRow('转人工')} >> nth=-1`);
    userID = (
      await agent.waitForSession((all) =>
        all.find((s) => s.serviceAccount === account && s.state === 'queued'),
      )
    ).userID;
  });

  await step('notify-me-and-leave', async () => {
    await tab.tap(SEL.navBack);
    await tab.page.waitForSelector(`${TOP} #leave-notify`, { timeout: 5_000 });
    await tapStill(tab, `${TOP} #leave-notify`);
    await tab.waitForRoute('pages/conversations/conversations');
    expect((await tab.wxCalls()).requestSubscribeMessage).toBe(1);
    expect(stack.notificationsSent()).toHaveLength(0);
  });

  await step('agent-replies-notification-sent', async () => {
    // Past the presence grace period the user counts as away.
    await tab.page.waitForTimeout(2_500);
    await agent.act('accept', { userID, serviceAccount: account });
    await agent.act('reply', { userID, serviceAccount: account, text: REPLY });
    const deadline = Date.now() + 10_000;
    while (stack.notificationsSent().length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    const sent = stack.notificationsSent();
    // One accepted template buys one notification, however many messages follow.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(stack.notificationsSent()).toHaveLength(1);
    expect(sent[0].page).toMatch(/^pages\/chat\/chat\?/);
  });

  await step('notification-opens-the-chat', async () => {
    const [pagePath, query = ''] = (stack.notificationsSent()[0].page ?? '').split('?');
    const url = new URL(stack.urls.preview);
    url.search = new URLSearchParams({ user: 'notify', scene: '1014', page: pagePath }).toString();
    for (const [k, v] of new URLSearchParams(query)) url.searchParams.set(k, v);
    // A cold start from the notification, with the same WeChat user's storage.
    await tab.page.goto(url.href);
    await tab.waitForRoute('pages/chat/chat', 15_000);
    await waitForMessages(tab, 'the agent reply', (m) => m.some((x) => x.text.includes(REPLY)));
    await tab.page.waitForSelector(`${SEL.bannerPhase}:has-text("小王")`, { timeout: 5_000 });
  });

  expect(tab.errors).toEqual([]);
});

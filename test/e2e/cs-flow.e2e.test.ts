/**
 * The product's main journey, end to end in headless Chromium: the real mini-program against the
 * whole local stack (login server, Chat simulator, simulated TCCC), driven like a user with touch
 * taps and typing; the agent works in the simulator's console in a second tab.
 *
 * log in as the demo user → the service account is pinned with an unread badge → open it → the
 * handshake brings the welcome and the menu → tap a branch → transfer to a human → the agent
 * accepts and types (typing shows), then replies → the agent ends the session → the rating card
 * → 5 stars → tail shown, card disabled → back and reopen: history intact, nothing duplicated.
 *
 * Screenshots of every step: `.artifacts/e2e/cs-flow/NN-<step>.png` (+ `console-*.png`).
 */
import fs from 'fs';
import path from 'path';
import { openAgentConsole } from './agent-console';
import type { AgentConsole } from './agent-console';
import { ARTIFACTS, createRig } from './rig';
import type { Rig } from './rig';
import {
  SEL,
  demoService,
  logIn,
  shownMessages,
  stepper,
  storedTextsFrom,
  tapStill,
  waitForMessages,
} from './scenario';
import type { ShownMessage } from './scenario';

const TEST = 'cs-flow';
const AGENT_REPLY = '您好，我是小王，已看到您的咨询，请问有什么可以帮您？';

let rig: Rig;
let agentConsole: AgentConsole | undefined;

beforeAll(async () => {
  fs.rmSync(path.join(ARTIFACTS, TEST), { recursive: true, force: true });
  rig = await createRig();
}, 60_000);

afterAll(async () => {
  await agentConsole?.close();
  await rig?.close();
});

test('demo user: welcome, branch, human agent, typing, reply, end, 5-star rating, reopen', async () => {
  const { stack, account, conversationID, agent } = demoService(rig);

  const tab = await rig.open(TEST, { user: 'demo' });
  const step = stepper(tab, async (label) => {
    await agentConsole?.shot(label);
  });
  let userID = '';
  let historyBefore: ShownMessage[] = [];

  await step('login', async () => {
    await tab.waitForRoute('pages/login/login', 15_000);
    await tab.shot('00-login-page');
    await logIn(tab);
  });

  await step('list-pinned-unread', async () => {
    await tab.page.waitForSelector(SEL.badge(conversationID), { timeout: 15_000 });
    const row = tab.page.locator(SEL.row(conversationID));
    expect(await row.getAttribute('class')).toContain('main--row--pinned');
    // Pinned service rows come first.
    const firstRowId = await tab.page.locator(SEL.rows).first().getAttribute('data-id');
    expect(firstRowId).toBe(conversationID);
    const badge = Number(await tab.page.textContent(SEL.badge(conversationID)));
    expect(badge).toBeGreaterThan(0);
    // A fresh stack: the login activated the service for this user only.
    const sessions = await agent.waitForSession((all) =>
      all.find((s) => s.serviceAccount === account),
    );
    userID = sessions.userID;
    expect((await agent.sessions()).map((s) => s.userID)).toEqual([userID]);
  });

  await step('welcome-and-menu', async () => {
    await tab.tap(SEL.row(conversationID));
    await tab.waitForRoute('pages/chat/chat');
    // The robot's welcome (src 29) and the main menu (src 15), each once.
    await tab.page.waitForSelector(SEL.menuRow('查看商品'), { timeout: 10_000 });
    const shown = await waitForMessages(tab, 'welcome + menu', (m) =>
      m.some((x) => x.text.includes('猜您想问')),
    );
    expect(shown.filter((m) => m.text.includes('猜您想问'))).toHaveLength(1);
    expect(shown.filter((m) => m.text.includes('请选择您要咨询的业务'))).toHaveLength(1);
    expect(await tab.page.textContent(SEL.bannerPhase)).toContain('智能客服');
    expect(await tab.navTitle()).toBe('在线客服');
  });

  await step('branch-product', async () => {
    await tapStill(tab, SEL.menuRow('查看商品'));
    // The choice goes up as a text message, and the flow answers with the product card.
    await waitForMessages(tab, 'my 查看商品 and the product card', (m) => {
      const mine = m.findIndex((x) => x.mine && x.text === '查看商品' && x.status === '');
      return mine >= 0 && m.slice(mine + 1).some((x) => x.text.includes('TCCC 智能音箱 X1'));
    });
  });

  await step('transfer-queued', async () => {
    await tapStill(tab, `${SEL.menuRow('转人工')} >> nth=-1`);
    await agent.waitForSession((all) =>
      all.find((s) => s.userID === userID && s.state === 'queued'),
    );
    await waitForMessages(tab, 'the queue prompt', (m) => m.some((x) => x.text.includes('排在第')));
    await tab.page.waitForSelector(`${SEL.bannerPhase}:has-text("排队")`, { timeout: 5_000 });
  });

  await step('leave-asks-for-notifications', async () => {
    // Queued: leaving now would miss the agent, so the back arrow asks once before it leaves.
    await tab.tap(SEL.navBack);
    await tab.page.waitForSelector(SEL.leaveStay, { timeout: 5_000 });
    expect(await tab.route()).toBe('pages/chat/chat');
    expect(await tab.page.textContent(SEL.leaveSheet)).toContain('通知您');
    await tab.shot('leave-sheet');
    await tapStill(tab, SEL.leaveStay);
    await tab.page.waitForSelector(SEL.leaveStay, { state: 'detached', timeout: 5_000 });
    expect(await tab.route()).toBe('pages/chat/chat');
  });

  await step('agent-accepts', async () => {
    const browser = tab.context.browser();
    if (!browser) throw new Error('no browser');
    agentConsole = await openAgentConsole({
      browser,
      consoleUrl: stack.urls.console,
      testDir: TEST,
    });
    await agentConsole.select(userID);
    await agentConsole.accept();
    await waitForMessages(tab, 'the agent joining', (m) =>
      m.some((x) => x.text.includes('小王 为您服务')),
    );
    // The banner names the agent from TCCC's "connected" prompt.
    await tab.page.waitForSelector(`${SEL.bannerPhase}:has-text("小王")`, { timeout: 5_000 });
  });

  await step('agent-typing', async () => {
    await agentConsole?.type(AGENT_REPLY);
    await tab.page.waitForSelector(`${SEL.bannerIndicator}:has-text("正在输入")`, {
      timeout: 5_000,
    });
    await agentConsole?.shot('typing');
  });

  await step('agent-reply', async () => {
    await agentConsole?.send();
    await waitForMessages(tab, 'the agent reply', (m) =>
      m.some((x) => !x.mine && x.text.includes(AGENT_REPLY)),
    );
    const shown = await shownMessages(tab);
    expect(shown.filter((m) => m.text.includes(AGENT_REPLY))).toHaveLength(1);
    // The agent replied, so "typing" is over.
    await tab.page.waitForSelector(SEL.bannerIndicator, { state: 'detached', timeout: 5_000 });
  });

  await step('agent-ends-rating-card', async () => {
    await agentConsole?.end();
    await tab.page.waitForSelector(SEL.ratingCard, { timeout: 10_000 });
    await tab.page.waitForSelector(`${SEL.bannerPhase}:has-text("已结束")`, { timeout: 5_000 });
    expect(await tab.page.locator(SEL.ratingLitStars).count()).toBe(0);
    expect(await tab.page.locator(SEL.ratingDisabled).count()).toBe(0);
    expect(await tab.page.locator(SEL.ratingTail).count()).toBe(0);
    await agentConsole?.shot('ended');
  });

  await step('rated-5-stars', async () => {
    await tapStill(tab, SEL.ratingStar(5));
    await tab.page.waitForSelector(SEL.ratingTail, { timeout: 10_000 });
    await tab.page.waitForSelector(SEL.ratingDisabled, { timeout: 5_000 });
    expect(await tab.page.locator(SEL.ratingLitStars).count()).toBe(5);
    expect(await tab.page.textContent(SEL.ratingLabel)).toBe('非常满意');
    const rated = await agent.waitForSession((all) =>
      all.find((s) => s.userID === userID && s.rating !== undefined),
    );
    expect(rated.rating).toEqual({ id: '105', content: '非常满意' });
    // A disabled card ignores further taps: still five stars, still the same rating.
    await tapStill(tab, SEL.ratingStar(1));
    await tab.page.waitForTimeout(300);
    expect(await tab.page.locator(SEL.ratingLitStars).count()).toBe(5);
    historyBefore = await shownMessages(tab);
    await agentConsole?.shot('rated');
  });

  await step('back-to-list', async () => {
    await tab.tap(SEL.navBack);
    await tab.waitForRoute('pages/conversations/conversations');
    await tab.page.waitForSelector(SEL.row(conversationID));
    // Everything was read in the chat.
    await tab.page.waitForSelector(SEL.badge(conversationID), {
      state: 'detached',
      timeout: 5_000,
    });
  });

  await step('reopened-history', async () => {
    await tab.tap(SEL.row(conversationID));
    await tab.waitForRoute('pages/chat/chat');
    // Own messages are keyed by their client id while the page that sent them is open and by the
    // server's id after a reload, so history is compared by sender and text.
    const said = (m: ShownMessage): string => `${m.mine ? 'me' : 'cs'}: ${m.text}`;
    const before = historyBefore.map(said);
    await waitForMessages(tab, 'the earlier history', (m) => m.length >= before.length);
    await tab.page.waitForSelector(SEL.ratingTail, { timeout: 5_000 });
    // The session had ended, so opening the chat again starts a new one: its welcome and menu
    // come after the history. Wait for both before judging duplicates.
    const now = await waitForMessages(tab, 'the new session welcome', (m) =>
      m.slice(before.length).some((x) => x.text.includes('请选择您要咨询的业务')),
    );
    const ids = now.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(now.slice(0, before.length).map(said)).toEqual(before);
    const extra = now.slice(before.length);
    expect(extra.map((m) => (m.mine ? 'me' : 'cs'))).toEqual(['cs', 'cs']);
    expect(extra[0].text).toContain('猜您想问');
    expect(extra[1].text).toContain('请选择您要咨询的业务');
    // The rating survived the reload: five stars, disabled.
    expect(await tab.page.locator(SEL.ratingLitStars).count()).toBe(5);
    expect(await tab.page.locator(SEL.ratingDisabled).count()).toBe(1);
    // Each of the user's texts reached the server once.
    const sent = storedTextsFrom(stack, userID, account);
    expect(sent.filter((t) => t === '查看商品')).toHaveLength(1);
    expect(sent.filter((t) => t === '转人工')).toHaveLength(1);
  });

  expect(tab.errors).toEqual([]);
  expect(tab.blocked).toEqual([]);
});

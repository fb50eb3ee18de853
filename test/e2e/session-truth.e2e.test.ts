/**
 * The chat tells the truth about the session, end to end against the whole local stack:
 *
 * bot: no rate button → transfer → queued: a "leave queue" button, which leaves it → transfer again
 * → the agent accepts: banner names the agent, rate and end buttons → rate during the live chat:
 * the card changes, the session goes on → end asks first (cancel keeps it) → a new agent session,
 * then the simulator restarts (the desk keeps its sessions: the same agent still serves) → it
 * restarts again having lost its TCCC sessions: back online the chat says hello again, the desk
 * welcomes, and the banner no longer names an agent who is gone → the list row previews
 * the last visible message.
 *
 * Screenshots of every step: `.artifacts/e2e/session-truth/NN-<step>.png`.
 */
import fs from 'fs';
import path from 'path';
import { ARTIFACTS, createRig } from './rig';
import type { Rig } from './rig';
import { SEL, TOP, demoService, logIn, tapStill, typeAndSend, waitForMessages } from './scenario';

const TEST = 'session-truth';
/** Banner buttons by their text (tdesign buttons are virtual hosts: their ids draw no node). */
const bannerButton = (text: string) => `${TOP} session-banner >> text="${text}"`;
const BUTTON = {
  rate: bannerButton('服务评价'),
  end: bannerButton('结束会话'),
  leaveQueue: bannerButton('退出排队'),
  transfer: bannerButton('转人工'),
};
const MODAL_CONFIRM = '.pv-modal-confirm';
const MODAL_CANCEL = '.pv-modal-cancel';

let rig: Rig;

beforeAll(async () => {
  fs.rmSync(path.join(ARTIFACTS, TEST), { recursive: true, force: true });
  rig = await createRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

test('bot, queue, agent, rating mid-chat, end confirmation, desk restart', async () => {
  const { stack, account, conversationID, agent } = demoService(rig);
  const tab = await rig.open(TEST, { user: 'truth' });
  let n = 0;
  const step = async (name: string, run: () => Promise<void>): Promise<void> => {
    n += 1;
    const label = `${String(n).padStart(2, '0')}-${name}`;
    try {
      await run();
    } catch (e) {
      await tab.shot(`${label}-failed`).catch(() => undefined);
      throw new Error(`step ${label} failed: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      });
    }
    await tab.shot(label);
  };
  const phase = async (text: string) =>
    tab.page.waitForSelector(`${SEL.bannerPhase}:has-text("${text}")`, { timeout: 10_000 });
  const count = (selector: string) => tab.page.locator(selector).count();
  let userID = '';

  const transfer = async () => {
    await tapStill(tab, BUTTON.transfer);
    await agent.waitForSession((all) =>
      all.find((s) => s.userID === userID && s.state === 'queued'),
    );
    await phase('排队');
  };

  await step('bot-no-rate', async () => {
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
    await tab.page.waitForSelector(SEL.menuRow('查看商品'), { timeout: 10_000 });
    await phase('智能客服');
    // No agent session: nothing to rate, nothing to end.
    expect(await count(BUTTON.rate)).toBe(0);
    expect(await count(BUTTON.end)).toBe(0);
  });

  await step('queued-can-leave', async () => {
    await transfer();
    expect(await count(BUTTON.leaveQueue)).toBe(1);
    expect(await count(BUTTON.rate)).toBe(0);
  });

  await step('left-queue', async () => {
    await tapStill(tab, BUTTON.leaveQueue);
    await agent.waitForSession((all) =>
      all.find((s) => s.userID === userID && s.state !== 'queued'),
    );
    await tab.page.waitForSelector(BUTTON.leaveQueue, { state: 'detached', timeout: 10_000 });
  });

  await step('agent-serving', async () => {
    await transfer();
    await agent.act('accept', { userID, serviceAccount: account, agentName: '小王' });
    await phase('小王');
    await tab.page.waitForSelector(BUTTON.end, { timeout: 5_000 });
    await tab.page.waitForSelector(BUTTON.rate, { timeout: 5_000 });
  });

  await step('rated-mid-chat-still-live', async () => {
    await tapStill(tab, BUTTON.rate);
    await tab.page.waitForSelector(SEL.ratingCard, { timeout: 10_000 });
    await tapStill(tab, SEL.ratingStar(5));
    await tab.page.waitForSelector(SEL.ratingTail, { timeout: 10_000 });
    // Rating is an event: the agent still serves, the session can still be ended.
    await phase('小王');
    expect(await count(BUTTON.end)).toBe(1);
    expect(await count(BUTTON.rate)).toBe(0);
    await agent.act('reply', { userID, serviceAccount: account, text: '感谢评价，还有问题吗？' });
    await waitForMessages(tab, 'the agent keeps chatting', (m) =>
      m.some((x) => !x.mine && x.text.includes('感谢评价')),
    );
    await phase('小王');
  });

  await step('end-asks-first', async () => {
    await tapStill(tab, BUTTON.end);
    await tab.page.waitForSelector(MODAL_CONFIRM, { timeout: 5_000 });
    expect(await tab.page.textContent('.pv-modal-title')).toBe('结束本次会话？');
  });

  await step('end-cancelled', async () => {
    await tapStill(tab, MODAL_CANCEL);
    await tab.page.waitForSelector(MODAL_CONFIRM, { state: 'detached', timeout: 5_000 });
    // Still live on both sides.
    expect((await agent.sessions()).find((s) => s.userID === userID)?.state).toBe('active');
    await phase('小王');
  });

  await step('end-confirmed', async () => {
    await tapStill(tab, BUTTON.end);
    await tapStill(tab, MODAL_CONFIRM);
    await agent.waitForSession((all) =>
      all.find((s) => s.userID === userID && s.state === 'ended'),
    );
    await tab.page.waitForSelector(BUTTON.end, { state: 'detached', timeout: 10_000 });
  });

  await step('desk-restart-keeps-agent', async () => {
    await transfer();
    await agent.act('accept', { userID, serviceAccount: account, agentName: '小李' });
    await phase('小李');
    // The desk keeps its sessions across a restart: the same agent still serves.
    await stack.stopSimulator();
    await tab.page.waitForSelector(SEL.networkBanner, { timeout: 10_000 });
    await stack.startSimulator();
    await tab.page.waitForSelector(SEL.networkBanner, { state: 'detached', timeout: 30_000 });
    await phase('小李');
    const session = (await agent.sessions()).find((s) => s.userID === userID);
    expect(session?.state).toBe('active');
  });

  await step('desk-restart-no-ghost-agent', async () => {
    // A desk that lost its sessions: whatever answers now, the banner does not name the agent.
    await stack.stopSimulator();
    await tab.page.waitForSelector(SEL.networkBanner, { timeout: 10_000 });
    await stack.startSimulator({ forgetTcccState: true });
    await tab.page.waitForSelector(SEL.networkBanner, { state: 'detached', timeout: 30_000 });
    await typeAndSend(tab, '还在吗');
    await tab.page.waitForFunction(
      (sel) => !(document.querySelector(sel)?.textContent ?? '小李').includes('小李'),
      SEL.bannerPhase,
      { timeout: 20_000 },
    );
    const session = (await agent.sessions()).find((s) => s.userID === userID);
    expect(session?.state).not.toBe('active');
    await phase('智能客服');
    // The bot serves: the user can ask for a human again.
    await tab.page.waitForSelector(BUTTON.transfer, { timeout: 5_000 });
  });

  await step('list-preview-last-visible', async () => {
    // The handshake's hidden answers (src 23 ...) came after the welcome menu: the row still
    // previews the menu, never a hidden signal.
    await tab.tap(SEL.navBack);
    await tab.waitForRoute('pages/conversations/conversations');
    const preview = `${SEL.row(conversationID)} .main--row__preview`;
    await tab.page.waitForSelector(preview, { timeout: 5_000 });
    const text = (await tab.page.textContent(preview))?.trim() ?? '';
    expect(text).not.toBe('');
    expect(text).not.toContain('[服务评价]');
    expect(text).not.toContain('自定义消息');
    // Everything was read in the chat, even what came just before leaving.
    await tab.page.waitForSelector(SEL.badge(conversationID), {
      state: 'detached',
      timeout: 5_000,
    });
  });
}, 180_000);

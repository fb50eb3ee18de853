/**
 * What works in the standalone app works from a host: the shop fixture (`fixtures/host`) mounts the
 * customer service as its `cs` subpackage, with two service accounts and the login server's
 * `CHAT_PAGE_PATH` set to the subpackage's chat page, as the README tells a company to. An entry's
 * query reaches its service account; a share card from the chat stays inside `cs/` and opens the
 * same service for a friend; a reply notification opens the chat in the subpackage; and when login
 * keeps failing, WeChat's own customer service is offered with a card back into `cs/`.
 *
 * Screenshots: `.artifacts/e2e/host-entries-*` /NN-<step>.png.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { ARTIFACTS, createRig } from './rig';
import type { PreviewTab, Rig } from './rig';
import { SEL, TOP, stepper, tapStill, waitForMessages } from './scenario';
import { agentApi } from './agent-api';
import type { AgentApi } from './agent-api';
import type { RunningStack } from '../../scripts/preview/stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildCs } = require('../../scripts/build-cs') as {
  buildCs(options: { out: string; sdk: 'chat' | 'lite' }): { pages: string[] };
};

const HOST = path.join(__dirname, 'fixtures', 'host');
const DEFAULT_ACCOUNT = '@customer_service_account';
const AFTER_SALE = '@cs_after_sale';
const REPLY = '您好，我是小王，看到您的留言了，退货已为您登记。';

let rig: Rig;
let stack: RunningStack;
let agent: AgentApi;
let work: string;

beforeAll(async () => {
  for (const name of ['entry', 'share', 'notify', 'fallback'])
    fs.rmSync(path.join(ARTIFACTS, `host-entries-${name}`), { recursive: true, force: true });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'host-entries-'));
  const host = path.join(work, 'host');
  fs.cpSync(HOST, host, { recursive: true });
  buildCs({ out: path.join(host, 'cs'), sdk: 'chat' });
  rig = await createRig({
    root: host,
    stackOptions: {
      simulatorOptions: {
        serviceAccounts: [
          { userID: DEFAULT_ACCOUNT, nick: '在线客服', avatar: '' },
          { userID: AFTER_SALE, nick: '售后客服', avatar: '' },
        ],
      },
      serverEnv: { CHAT_PAGE_PATH: 'cs/pages/chat/chat' },
    },
  });
  if (!rig.stack) throw new Error('the rig has no stack');
  stack = rig.stack;
  agent = agentApi(() => stack.urls.simulator);
}, 120_000);

afterAll(async () => {
  await rig?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

/** Logs in from the subpackage's login page; resolves with the new session of `account`. */
async function logInTo(tab: PreviewTab, account: string): Promise<string> {
  await tab.waitForRoute('cs/pages/login/login', 15_000);
  const known = new Set((await agent.sessions()).map((s) => s.userID));
  await tapStill(tab, SEL.loginButton);
  await tab.waitForRoute('cs/pages/chat/chat', 15_000);
  return (
    await agent.waitForSession((all) =>
      all.find((s) => s.serviceAccount === account && !known.has(s.userID)),
    )
  ).userID;
}

/** What the top page's `onShareAppMessage` returns (what WeChat puts on the card). */
async function shareCard(tab: PreviewTab): Promise<{ title: string; path: string }> {
  return tab.page.evaluate(() => {
    const pages = (globalThis as unknown as { getCurrentPages(): unknown[] }).getCurrentPages();
    const top = pages[pages.length - 1] as { onShareAppMessage(): { title: string; path: string } };
    return top.onShareAppMessage();
  });
}

/** The data of the component rendered at `selector` (the exparser element behind the DOM node). */
async function componentData(tab: PreviewTab, selector: string): Promise<Record<string, unknown>> {
  return tab.page.evaluate((sel) => {
    const el = document.querySelector(sel) as { __wxElement?: { data?: unknown } } | null;
    if (!el?.__wxElement) throw new Error(`no component at ${sel}`);
    return JSON.parse(JSON.stringify(el.__wxElement.data)) as Record<string, unknown>;
  }, selector);
}

/** The preview query that opens `pagePath` (`path?query`) as WeChat does from a card or message. */
function entryQuery(pagePath: string, extra: Record<string, string>): Record<string, string> {
  const [page, query = ''] = pagePath.replace(/^\//, '').split('?');
  return { ...extra, page, ...Object.fromEntries(new URLSearchParams(query)) };
}

test('an entry query (QR code, scene 1011) reaches its service account in the subpackage', async () => {
  const tab = await rig.open('host-entries-entry', {
    user: 'host-entry',
    page: 'cs/pages/chat/chat',
    scene: '1011',
    service: AFTER_SALE,
  });
  const step = stepper(tab);
  await step('login-then-after-sale-chat', async () => {
    await logInTo(tab, AFTER_SALE);
    await tab.page.waitForSelector(SEL.menuRow('转人工'), { timeout: 15_000 });
  });
  expect(tab.errors).toEqual([]);
  expect(tab.blocked).toEqual([]);
}, 90_000);

test('a share card from the chat stays inside cs/ and opens the same service for a friend', async () => {
  const tab = await rig.open('host-entries-share', {
    user: 'host-sharer',
    page: 'cs/pages/chat/chat',
    scene: '1011',
    service: AFTER_SALE,
  });
  const step = stepper(tab);
  let card = { title: '', path: '' };
  await step('chat-to-share', async () => {
    await logInTo(tab, AFTER_SALE);
    await tab.page.waitForSelector(SEL.menuRow('转人工'), { timeout: 15_000 });
    card = await shareCard(tab);
    expect(card.path).toBe(`/cs/pages/chat/chat?service=${encodeURIComponent(AFTER_SALE)}`);
    expect(card.title).not.toBe('');
  });

  // The friend taps the card in a chat (scene 1007): a cold start on that path.
  const friend = await rig.open(
    'host-entries-share',
    entryQuery(card.path, { user: 'host-friend', scene: '1007' }),
  );
  await stepper(friend)('friend-opens-card', async () => {
    await logInTo(friend, AFTER_SALE);
    await friend.page.waitForSelector(SEL.menuRow('转人工'), { timeout: 15_000 });
  });
  expect([...tab.errors, ...friend.errors]).toEqual([]);
}, 120_000);

test('a reply notification (CHAT_PAGE_PATH=cs/pages/chat/chat) opens the chat in the subpackage', async () => {
  const tab = await rig.open('host-entries-notify', { user: 'host-notify' });
  const step = stepper(tab);
  let userID = '';

  await step('host-entry-queued', async () => {
    await tab.waitForRoute('pages/index/index', 15_000);
    await tab.tap(`${TOP} #service-entry`);
    userID = await logInTo(tab, DEFAULT_ACCOUNT);
    await tab.page.waitForSelector(SEL.menuRow('转人工'), { timeout: 15_000 });
    await tapStill(tab, `${SEL.menuRow('转人工')} >> nth=-1`);
    await agent.waitForSession((all) =>
      all.find((s) => s.userID === userID && s.state === 'queued'),
    );
  });

  await step('notify-me-back-to-shop', async () => {
    await tab.tap(SEL.navBack);
    await tab.page.waitForSelector(`${TOP} #leave-notify`, { timeout: 5_000 });
    await tapStill(tab, `${TOP} #leave-notify`);
    await tab.waitForRoute('pages/index/index', 10_000);
    expect((await tab.wxCalls()).requestSubscribeMessage).toBe(1);
  });

  await step('agent-replies-notification-sent', async () => {
    // Past the presence grace period the user counts as away.
    await tab.page.waitForTimeout(2_500);
    await agent.act('accept', { userID, serviceAccount: DEFAULT_ACCOUNT });
    await agent.act('reply', { userID, serviceAccount: DEFAULT_ACCOUNT, text: REPLY });
    const deadline = Date.now() + 10_000;
    while (stack.notificationsSent().length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(stack.notificationsSent()).toHaveLength(1);
    expect(stack.notificationsSent()[0].page).toBe(
      `cs/pages/chat/chat?account=${encodeURIComponent(DEFAULT_ACCOUNT)}&from=subscribe`,
    );
  });

  await step('notification-opens-the-chat', async () => {
    const url = new URL(stack.urls.preview);
    const query = entryQuery(stack.notificationsSent()[0].page ?? '', {
      user: 'host-notify',
      scene: '1014',
    });
    url.search = new URLSearchParams(query).toString();
    // A cold start from the notification, with the same WeChat user's storage.
    await tab.page.goto(url.href);
    await tab.waitForRoute('cs/pages/chat/chat', 15_000);
    await waitForMessages(tab, 'the agent reply', (m) => m.some((x) => x.text.includes(REPLY)));
  });
  expect(tab.errors).toEqual([]);
}, 120_000);

test('login keeps failing in the subpackage: WeChat’s own customer service is offered', async () => {
  const tab = await rig.open('host-entries-fallback', { user: 'host-fallback' });
  const step = stepper(tab);
  // The login server cannot be reached (the browser refuses the request).
  await tab.page.route(`${stack.appConfig.loginEndpoint}/**`, (r) => r.abort('connectionrefused'));
  const fallback = `${TOP} #contact-fallback`;

  await step('first-failure-retry', async () => {
    await tab.waitForRoute('pages/index/index', 15_000);
    await tab.tap(`${TOP} #service-entry`);
    await tab.waitForRoute('cs/pages/login/login', 15_000);
    await tapStill(tab, SEL.loginButton);
    await tab.page.waitForSelector(`${TOP} wx-button:has-text("重试")`, { timeout: 10_000 });
    expect(await tab.page.$(fallback)).toBeNull();
  });

  await step('wechat-customer-service-offered', async () => {
    await tapStill(tab, `${TOP} wx-button:has-text("重试")`);
    await tab.page.waitForSelector(fallback, { timeout: 10_000 });
    // WeChat opens its own customer service only from a native open-type="contact" button.
    const data = await componentData(tab, `${fallback} contact-fallback`);
    expect(data.text).toBe('联系微信客服');
    expect(await tab.page.textContent(fallback)).toContain('微信客服');
  });
  expect(await tab.route()).toBe('cs/pages/login/login');
}, 90_000);

test('chat unreachable in the host: the fallback card reopens the chat inside cs/', async () => {
  const tab = await rig.open('host-entries-fallback', {
    user: 'host-fallback-card',
    page: 'cs/pages/chat/chat',
    service: AFTER_SALE,
  });
  const step = stepper(tab);
  await step('chat-open', async () => {
    await logInTo(tab, AFTER_SALE);
    await tab.page.waitForSelector(SEL.menuRow('转人工'), { timeout: 15_000 });
  });
  await step('chat-fallback-card-in-cs', async () => {
    await stack.stopSimulator();
    try {
      // Unreachable for 20 s: WeChat's own customer service, with a card that reopens our chat.
      await tab.page.waitForSelector(SEL.chatFallback, { timeout: 30_000 });
      const data = await componentData(tab, `${SEL.chatFallback} contact-fallback`);
      expect(data.showMessageCard).toBe(true);
      expect(data.cardPath).toBe(`/cs/pages/chat/chat?service=${encodeURIComponent(AFTER_SALE)}`);
    } finally {
      await stack.startSimulator();
    }
  });
}, 120_000);

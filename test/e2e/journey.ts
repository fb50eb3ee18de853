/**
 * The demo user's journey through every screen, for checks that look at each screen as a whole
 * (text size, colours): login page, conversation list, welcome menu, product card, queue with the
 * notification prompt, the leaving sheet, the rating card. `look(step)` runs on each screen once it
 * is shown; the stepper saves the step's screenshot afterwards.
 */
import type { PreviewTab, Rig } from './rig';
import { SEL, TOP, demoService, stepper, tapStill, waitForMessages } from './scenario';

/** What the journey taps and waits for, in the tab's language (`?lang=`). */
const TEXTS = {
  zh: {
    login: '微信一键登录',
    products: '查看商品',
    product: 'TCCC 智能音箱 X1',
    transfer: '转人工',
    agent: '为您服务',
  },
  en: {
    login: 'Log in with WeChat',
    products: 'Products',
    product: 'TCCC Smart Speaker X1',
    transfer: 'Human agent',
    agent: 'serving you',
  },
} as const;

export type JourneyLanguage = keyof typeof TEXTS;

export async function walkJourney(
  rig: Rig,
  tab: PreviewTab,
  look: (step: string) => Promise<void>,
  language: JourneyLanguage = 'zh',
): Promise<void> {
  const text = TEXTS[language];
  const { account, conversationID, agent } = demoService(rig);
  const step = stepper(tab);

  await step('login', async () => {
    await tab.waitForRoute('pages/login/login', 15_000);
    await look('login');
  });

  await step('list', async () => {
    await tab.tap(`wx-button:has-text("${text.login}")`);
    await tab.waitForRoute('pages/conversations/conversations', 15_000);
    await tab.page.waitForSelector(SEL.row(conversationID), { timeout: 15_000 });
    await look('list');
  });

  await step('welcome-and-menu', async () => {
    await tab.tap(SEL.row(conversationID));
    await tab.waitForRoute('pages/chat/chat');
    await tab.page.waitForSelector(SEL.menuRow(text.products), { timeout: 10_000 });
    await look('welcome-and-menu');
  });

  await step('product-card', async () => {
    await tapStill(tab, SEL.menuRow(text.products));
    await waitForMessages(tab, 'the product card', (m) =>
      m.some((x) => x.text.includes(text.product)),
    );
    await look('product-card');
  });

  let userID = '';
  await step('queued-with-prompt', async () => {
    await tapStill(tab, `${SEL.menuRow(text.transfer)} >> nth=-1`);
    const session = await agent.waitForSession((all) =>
      all.find((s) => s.serviceAccount === account && s.state === 'queued'),
    );
    userID = session.userID;
    await tab.page.waitForSelector(`${TOP} .main--subscribe`, { timeout: 5_000 });
    await look('queued-with-prompt');
  });

  await step('leave-sheet', async () => {
    await tab.tap(SEL.navBack);
    await tab.page.waitForSelector(SEL.leaveStay, { timeout: 5_000 });
    await look('leave-sheet');
    await tapStill(tab, SEL.leaveStay);
  });

  await step('rating-card', async () => {
    await agent.act('accept', { userID, serviceAccount: account });
    await tab.page.waitForSelector(`${SEL.bannerPhase}:has-text("${text.agent}")`, {
      timeout: 10_000,
    });
    await agent.act('end', { userID, serviceAccount: account });
    await tab.page.waitForSelector(SEL.ratingCard, { timeout: 10_000 });
    await look('rating-card');
  });
}

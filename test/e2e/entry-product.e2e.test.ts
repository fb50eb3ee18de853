/**
 * An entry reaches the chat whole: a share card opens the chat page (through the login page) with a
 * product and a group. The product is offered as a card above the composer with a "send to agent"
 * button (not sent without asking); tapped, it goes to the agent as a product card (src 22). (The
 * group in the handshake is checked in the page test.)
 *
 * Screenshots: `.artifacts/e2e/entry-product/NN-<step>.png`.
 */
import fs from 'fs';
import path from 'path';
import { ARTIFACTS, createRig } from './rig';
import type { Rig } from './rig';
import { TOP, demoService, stepper, tapStill, waitForMessages } from './scenario';

const TEST = 'entry-product';
const OFFER = `${TOP} #product-offer`;
const OFFER_SEND = `${TOP} #product-offer-send`;

let rig: Rig;

beforeAll(async () => {
  fs.rmSync(path.join(ARTIFACTS, TEST), { recursive: true, force: true });
  rig = await createRig();
}, 60_000);

afterAll(async () => {
  await rig?.close();
});

test('share card with a product: offered, sent to the agent on request', async () => {
  const { agent, account } = demoService(rig);
  const product = JSON.stringify({ id: 'sku-42', header: '智能音箱 X2', desc: '限时优惠 ¥199' });
  const tab = await rig.open(TEST, {
    user: 'entry',
    page: 'pages/chat/chat',
    scene: '1007',
    product,
    group: 'after-sale',
  });
  const step = stepper(tab);
  let userID = '';

  await step('login-then-chat', async () => {
    await tab.waitForRoute('pages/login/login', 15_000);
    const known = new Set((await agent.sessions()).map((s) => s.userID));
    await tapStill(tab, 'wx-button:has-text("微信一键登录")');
    // The login page comes back to the entry's chat, with its query.
    await tab.waitForRoute('pages/chat/chat', 15_000);
    userID = (
      await agent.waitForSession((all) =>
        all.find((s) => s.serviceAccount === account && !known.has(s.userID)),
      )
    ).userID;
  });

  await step('product-offered-not-sent', async () => {
    await tab.page.waitForSelector(OFFER, { timeout: 10_000 });
    expect(await tab.page.textContent(OFFER)).toContain('智能音箱 X2');
    const transcript = await agent.transcript(userID, account);
    expect(JSON.stringify(transcript)).not.toContain('智能音箱 X2');
  });

  await step('product-sent', async () => {
    await tapStill(tab, OFFER_SEND);
    await tab.page.waitForSelector(OFFER, { state: 'detached', timeout: 10_000 });
    await waitForMessages(tab, 'my product card', (m) =>
      m.some((x) => x.mine && x.text.includes('智能音箱 X2')),
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      const transcript = JSON.stringify(await agent.transcript(userID, account));
      if (transcript.includes('智能音箱 X2')) break;
      if (Date.now() > deadline) throw new Error(`the agent never saw the card: ${transcript}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
}, 120_000);

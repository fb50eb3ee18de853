/**
 * The agent console in headless Chromium: a person accepts a queued user, replies, sends a card and ends
 * the session, while the fake backend plays the user. Leaves a screenshot in .artifacts/console.png.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';
import type { Browser, Locator, Page } from 'playwright-core';

import { createTcccService } from '../../../simulator/tccc';
import type { TcccService } from '../../../simulator/tccc';
import { ACCOUNT, FakeBackend, kinds } from '../tccc/support/fake-backend';
import { serve } from './support';
import type { Served } from './support';

const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(__dirname, '../../../.artifacts');
// Locally a machine without Chromium skips this page test; CI (which installs Chromium) never does.
const describeIfChromium = existsSync(CHROMIUM) || process.env.CI ? describe : describe.skip;

jest.setTimeout(60_000);

describeIfChromium('agent console page', () => {
  let backend: FakeBackend;
  let service: TcccService;
  let served: Served;
  let browser: Browser;
  let page: Page;
  const blocked: string[] = [];
  const pageErrors: string[] = [];
  const fontFiles: string[] = [];

  beforeAll(async () => {
    backend = new FakeBackend();
    backend.online.add('wx_alice');
    service = createTcccService(backend, {
      logger: { info: () => undefined, warn: () => undefined },
    });
    served = await serve(service);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1180, height: 760 } });
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (/\/console\/fonts\/.+\.woff2$/.test(url)) fontFiles.push(url);
      if (url.startsWith(served.origin)) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await browser?.close();
    service?.close();
    await served?.close();
  });

  it('lets a person accept, reply, send a card and end a session, live', async () => {
    backend.handshake('wx_alice');
    backend.userText('wx_alice', '查询订单');
    backend.userText('wx_alice', '人工');
    backend.handshake('wx_bob');
    backend.userText('wx_bob', '智能问答');
    backend.take('wx_alice');

    await page.goto(`${served.origin}/console`);
    await page.getByText('实时').waitFor();
    const queued = page.locator('.session-list[data-state="queued"]');
    await queued.getByText('wx_alice').waitFor();
    await page.locator('.session-list[data-state="bot"]').getByText('wx_bob').waitFor();

    await queued.getByText('wx_alice').click();
    await page.getByLabel('坐席名称').fill('小美');
    await page.getByRole('button', { name: '接入' }).click();
    await page.locator('#transcript').getByText('客服 小美 为您服务').waitFor();
    await page.locator('.session-list[data-state="active"]').getByText('wx_alice').waitFor();
    expect(kinds(backend.take('wx_alice'))).toEqual(['text', '26']);

    const reply = page.getByLabel('回复');
    await reply.fill('您好，订单已经发货');
    await reply.dispatchEvent('input');
    await reply.press('Enter');
    await page.locator('#transcript').getByText('您好，订单已经发货').waitFor();
    await waitForValue(reply, '');

    await page.getByRole('button', { name: '发送商品卡片' }).click();
    await page.locator('#transcript').getByText('[商品卡片] TCCC 智能音箱 X1').waitFor();
    const sent = backend.take('wx_alice');
    expect(kinds(sent)).toEqual(['12', 'text', '22']);
    expect(sent[1].cloud).toEqual({ role: 'seat' });

    backend.userText('wx_alice', '好的，谢谢！预计哪天到？');
    await page.locator('#transcript').getByText('好的，谢谢！预计哪天到？').waitFor();
    // An image the user sends shows as a thumbnail (same-origin /files/ path), not "[图片]".
    backend.deliver({
      serviceAccount: ACCOUNT,
      userID: 'wx_alice',
      elems: [
        {
          MsgType: 'TIMImageElem',
          MsgContent: {
            ImageInfoArray: [
              {
                Type: 3,
                URL: `${served.origin}/files/${'ab'.repeat(12)}.png`,
                Width: 1,
                Height: 1,
              },
            ],
          },
        },
      ],
    });
    const thumb = page.locator('#transcript img.entry-image');
    await thumb.waitFor();
    expect(await thumb.getAttribute('src')).toBe(`/files/${'ab'.repeat(12)}.png`);
    expect(await thumb.getAttribute('alt')).toBe('[图片]');

    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    // The console brings its own CJK font (no machine font needed): the subsets for the
    // characters on the page were fetched and the text renders in it.
    expect(fontFiles.length).toBeGreaterThan(0);
    expect(
      await page.evaluate(() => {
        let loaded = false;
        document.fonts.forEach((f) => {
          if (f.family.replace(/['"]/g, '') === 'Noto Sans SC Variable' && f.status === 'loaded')
            loaded = true;
        });
        return loaded && document.fonts.check("14px 'Noto Sans SC Variable'", '坐席工作台');
      }),
    ).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'console.png') });

    await page.getByRole('button', { name: '结束会话' }).click();
    await page.locator('.session-list[data-state="ended"]').getByText('wx_alice').waitFor();
    expect(kinds(backend.take('wx_alice'))).toEqual(['text', '19', '26', '9']);
    const card = backend.sentTo('wx_alice').filter((message) => message.src === '9')[0];
    await page.getByRole('button', { name: '邀请评价' }).click();
    await page.locator('#transcript').getByText('[评价卡片]').nth(1).waitFor();
    expect(kinds(backend.take('wx_alice'))).toEqual(['9']);
    const { sessionId } = card.body.menuContent as { sessionId: string };
    backend.userCustom('wx_alice', {
      src: '10',
      menuSelected: { id: '105', content: '非常满意', sessionId },
    });
    await page.getByText('评价：非常满意').waitFor();
    await page.getByRole('button', { name: '邀请评价' }).click();
    await page
      .locator('#notice')
      .getByText('无法邀请评价：用户已评价过本次服务（10152）')
      .waitFor();
    expect(await page.getByLabel('回复').isDisabled()).toBe(true);

    expect(blocked).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

/** Polls a field until it holds `value` (playwright-core ships no `expect`). */
async function waitForValue(field: Locator, value: string): Promise<void> {
  for (let attempt = 0; attempt < 50 && (await field.inputValue()) !== value; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(await field.inputValue()).toBe(value);
}

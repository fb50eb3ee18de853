/**
 * The preview harness itself, on a fixture mini-program that uses what the real pages will:
 * App(), tdesign components and icons, a custom component, native input/textarea/image,
 * rich-text, scroll-view, navigation with query and back, toast.
 */
import { createRig, FIXTURE_ROOT } from './rig';
import type { PreviewTab, Rig } from './rig';

let rig: Rig;

beforeAll(async () => {
  rig = await createRig({ root: FIXTURE_ROOT, stack: false });
});

afterAll(async () => {
  await rig?.close();
});

function textOf(tab: PreviewTab, selector: string): Promise<string> {
  return tab.page.locator(selector).first().innerText();
}

test('first page renders with App() run, title, icons, custom component, hidden and rich-text', async () => {
  const tab = await rig.open('harness first page', { user: 'alice' });
  await tab.waitForRoute('pages/home/home');
  expect(await tab.navTitle()).toBe('首页 Home');
  expect(await tab.page.isHidden('#nav-back')).toBe(true);
  await tab.page.waitForFunction(() =>
    document.querySelector('page')?.textContent?.includes('user=demo-alice.'),
  );
  expect(await textOf(tab, 'page main')).toContain('launched=true');
  // tdesign icon drawn through the local SVG mask, never through the CDN font.
  const mask = await tab.page.evaluate(() => {
    const label = document.querySelector('[class*="t-icon--t-icon-check-circle-filled"]');
    return label ? getComputedStyle(label, '::before').getPropertyValue('--preview-icon') : null;
  });
  expect(mask).toContain('icons/check-circle-filled.svg');
  expect(await tab.page.isVisible('text=should not show')).toBe(false);
  expect(await tab.page.isVisible('text=人工客服')).toBe(true);
  // rich-text: nodes and html both render, scripts and handlers never run, remote images never load.
  expect(await tab.page.isVisible('text=富文本 nodes')).toBe(true);
  expect(await tab.page.isVisible('text=bold')).toBe(true);
  const richColor = await tab.page.evaluate(() => {
    const el = Array.from(document.querySelectorAll('wx-rich-text span')).find(
      (s) => s.textContent === '富文本 nodes',
    );
    return el ? getComputedStyle(el).color : '';
  });
  expect(richColor).toBe('rgb(213, 73, 65)');
  expect(
    await tab.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
  ).toBeUndefined();
  await tab.page.waitForFunction(() =>
    document.body.textContent?.includes('image=120x80 remote=true'),
  );
  await tab.shot('home');
  expect(tab.blocked).toEqual([]);
  expect(tab.errors).toEqual([]);
});

test('native input and textarea reach bindinput/bindconfirm', async () => {
  const tab = await rig.open('harness inputs');
  await tab.waitForRoute('pages/home/home');
  const input = tab.page.locator('wx-input input').first();
  expect(await input.getAttribute('placeholder')).toBe('输入名字');
  await input.tap();
  await tab.page.keyboard.type('小明');
  await tab.page.keyboard.press('Enter');
  await tab.page.waitForFunction(() =>
    document.body.textContent?.includes('name=小明 confirmed=小明'),
  );
  await tab.page.locator('wx-textarea textarea').first().fill('第一行');
  expect(await tab.page.locator('wx-textarea textarea').first().getAttribute('placeholder')).toBe(
    '备注',
  );
  await tab.shot('typed');
  expect(tab.errors).toEqual([]);
});

test('scroll-view: scroll-into-view from the query, bindscroll positions, scrolltoupper', async () => {
  const tab = await rig.open('harness scroll', { row: '12' });
  await tab.waitForRoute('pages/home/home');
  const list = tab.page.locator('wx-scroll-view').first();
  // row 12 of 20 rows of 40 px: brought to the top of the 100 px list.
  await tab.page.waitForFunction(
    () => (document.querySelector('wx-scroll-view')?.scrollTop ?? 0) >= 400,
  );
  await tab.page.waitForFunction(() => /scrollTop=\d{3,}/.test(document.body.textContent ?? ''));
  await list.evaluate((el) => el.scrollTo({ top: 0 }));
  await tab.page.waitForFunction(() => /upper=[1-9]/.test(document.body.textContent ?? ''));
  expect(tab.errors).toEqual([]);
});

test('navigateTo with query, page stack, back arrow, navigateBack, toast overlay', async () => {
  const tab = await rig.open('harness navigation');
  await tab.waitForRoute('pages/home/home');
  // t-button is a virtual host (no element of its own): tap the button inside the card.
  await tab.page.locator('#toast wx-button').scrollIntoViewIfNeeded();
  await tab.tap('#toast wx-button');
  await tab.page.waitForSelector('.pv-toast-wrap .pv-icon-success');
  expect(await textOf(tab, '.pv-toast')).toBe('已发送');
  await tab.shot('toast');
  await tab.page.locator('#open-detail').scrollIntoViewIfNeeded();
  await tab.tap('#open-detail wx-view');
  await tab.waitForRoute('pages/detail/detail');
  expect(await tab.navTitle()).toBe('详情 Detail');
  expect(await textOf(tab, 'page:not([hidden]) main')).toContain('id=7 pages=2');
  expect(await tab.page.isVisible('#nav-back')).toBe(true);
  await tab.shot('detail');
  await tab.tap('#nav-back');
  await tab.waitForRoute('pages/home/home');
  expect(await tab.page.locator('page').count()).toBe(1);
  expect(await tab.navTitle()).toBe('首页 Home');
  // The home page kept its state under the detail page.
  expect(await textOf(tab, 'page main')).toContain('launched=true');
  await tab.shot('back');
  expect(tab.errors).toEqual([]);
  expect(tab.blocked).toEqual([]);
});

test('storage is per demo user: two tabs, two users', async () => {
  const a = await rig.open('harness storage a', { user: 'alice' });
  const b = await rig.open('harness storage b', { user: 'bob' });
  await a.page.evaluate(() =>
    (
      window as unknown as { wx: { setStorageSync(k: string, v: unknown): void } }
    ).wx.setStorageSync('k', { n: 1 }),
  );
  const read = (tab: PreviewTab) =>
    tab.page.evaluate(() =>
      (window as unknown as { wx: { getStorageSync(k: string): unknown } }).wx.getStorageSync('k'),
    );
  expect(await read(a)).toEqual({ n: 1 });
  expect(await read(b)).toBe('');
  const other = await a.context.newPage();
  await other.goto(`${rig.previewUrl}?user=bob`);
  expect(
    await other.evaluate(() =>
      (window as unknown as { wx: { getStorageSync(k: string): unknown } }).wx.getStorageSync('k'),
    ),
  ).toBe('');
  const sameUser = await a.context.newPage();
  await sameUser.goto(`${rig.previewUrl}?user=alice`);
  expect(
    await sameUser.evaluate(() =>
      (window as unknown as { wx: { getStorageSync(k: string): unknown } }).wx.getStorageSync('k'),
    ),
  ).toEqual({ n: 1 });
});

test('wx.request and connectSocket refuse non-loopback URLs without a request leaving', async () => {
  const tab = await rig.open('harness loopback only');
  const result = await tab.page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const wx = (window as unknown as { wx: WechatMiniprogram.Wx }).wx;
        const out: string[] = [];
        wx.request({ url: 'https://api.example.com/x', fail: (e) => out.push(e.errMsg) });
        const task = wx.connectSocket({ url: 'wss://example.com/s' });
        task.onError((e) => {
          out.push(`socket ${e.errMsg}`);
          resolve(out);
        });
      }),
  );
  expect(result[0]).toMatch(/^request:fail url not in domain list/);
  expect(result[1]).toMatch(/^socket connectSocket:fail/);
  expect(tab.blocked).toEqual([]);
});

test('system info, launch options and the small APIs follow the URL (?lang, ?theme, query)', async () => {
  const tab = await rig.open('harness system', {
    lang: 'en',
    theme: 'dark',
    platform: 'android',
    scene: '1047',
    entry: 'qr',
  });
  const info = await tab.page.evaluate(async () => {
    const wx = (window as unknown as { wx: WechatMiniprogram.Wx }).wx;
    const sys = wx.getSystemInfoSync();
    const sub = await wx.requestSubscribeMessage({ tmplIds: ['tpl-1'] });
    const launch = wx.getLaunchOptionsSync();
    const net = await wx.getNetworkType();
    return {
      fontSizeSetting: sys.fontSizeSetting,
      platform: sys.platform,
      language: sys.language,
      theme: sys.theme,
      windowWidth: sys.windowWidth,
      windowHeight: sys.windowHeight,
      base: wx.getAppBaseInfo().language,
      sub: (sub as unknown as Record<string, string>)['tpl-1'],
      scene: launch.scene,
      query: launch.query,
      network: net.networkType,
      appId: wx.getAccountInfoSync().miniProgram.appId,
    };
  });
  expect(info).toEqual({
    fontSizeSetting: 16,
    platform: 'android',
    language: 'en',
    theme: 'dark',
    windowWidth: 375,
    windowHeight: 667 - 20 - 44 - 16,
    base: 'en',
    sub: 'accept',
    scene: 1047,
    query: { entry: 'qr' },
    network: 'wifi',
    appId: expect.any(String) as unknown as string,
  });
});

test('showModal, showLoading and setClipboardData show real overlays', async () => {
  const tab = await rig.open('harness overlays');
  const modal = tab.page.evaluate(() =>
    (window as unknown as { wx: WechatMiniprogram.Wx }).wx.showModal({
      title: '结束会话',
      content: '确定结束本次服务吗？',
    }),
  );
  await tab.page.waitForSelector('.pv-modal');
  expect(await tab.page.innerText('.pv-modal-title')).toBe('结束会话');
  await tab.shot('modal');
  await tab.tap('.pv-modal-confirm');
  expect(await modal).toMatchObject({ confirm: true, cancel: false });
  expect(await tab.page.locator('.pv-modal').count()).toBe(0);

  await tab.page.evaluate(() =>
    (window as unknown as { wx: WechatMiniprogram.Wx }).wx.showLoading({ title: '加载中' }),
  );
  await tab.page.waitForSelector('.pv-kind-loading .pv-icon-loading');
  await tab.page.evaluate(() =>
    (window as unknown as { wx: WechatMiniprogram.Wx }).wx.hideLoading(),
  );
  expect(await tab.page.locator('.pv-kind-loading').count()).toBe(0);

  await tab.page.evaluate(() =>
    (window as unknown as { wx: WechatMiniprogram.Wx }).wx.setClipboardData({
      data: 'SF1234567890',
    }),
  );
  await tab.page.waitForSelector('.pv-toast:has-text("内容已复制")');
  const pasted = await tab.page.evaluate(() =>
    (window as unknown as { wx: WechatMiniprogram.Wx }).wx.getClipboardData(),
  );
  expect(pasted.data).toBe('SF1234567890');
  expect(tab.errors).toEqual([]);
});

test('going offline reaches wx.onNetworkStatusChange and getNetworkType', async () => {
  const tab = await rig.open('harness offline');
  await tab.page.evaluate(() => {
    const w = window as unknown as { wx: WechatMiniprogram.Wx; netEvents: boolean[] };
    w.netEvents = [];
    w.wx.onNetworkStatusChange((r) => w.netEvents.push(r.isConnected));
  });
  await tab.context.setOffline(true);
  await tab.page.waitForFunction(
    () => (window as unknown as { netEvents: boolean[] }).netEvents.length > 0,
  );
  const offline = await tab.page.evaluate(() =>
    (window as unknown as { wx: WechatMiniprogram.Wx }).wx.getNetworkType(),
  );
  expect(offline.networkType).toBe('none');
  await tab.context.setOffline(false);
  await tab.page.waitForFunction(
    () => (window as unknown as { netEvents: boolean[] }).netEvents.length > 1,
  );
  expect(
    await tab.page.evaluate(() => (window as unknown as { netEvents: boolean[] }).netEvents),
  ).toEqual([false, true]);
});

import { loadMp, renderMp } from '../load';
import { SERVICE, settle, useFakeServices } from '../fake-services';
import { getServices } from '../../../miniprogram/services/index';

jest.mock('@tencentcloud/chat', () => ({
  __esModule: true,
  default: { create: jest.fn(), TYPES: {}, EVENT: {} },
}));

type Wx = Record<string, unknown>;
const pageId = loadMp('pages/conversations/conversations');

async function loggedIn() {
  const fakes = useFakeServices();
  (wx as unknown as Wx).redirectTo = jest.fn();
  (wx as unknown as Wx).navigateTo = jest.fn();
  (wx as unknown as Wx).stopPullDownRefresh = jest.fn();
  (wx as unknown as Wx).onNetworkStatusChange = jest.fn();
  (wx as unknown as Wx).offNetworkStatusChange = jest.fn();
  expect((await getServices().session.login()).ok).toBe(true);
  return fakes;
}

async function openPage(clock: Parameters<typeof settle>[0]) {
  const page = renderMp(pageId);
  const instance = page.instance as unknown as { onLoad(): Promise<void> };
  await instance.onLoad();
  await settle(clock, 1500);
  return page;
}

describe('conversations page', () => {
  it('pins the service account on top with a preview and an unread badge', async () => {
    const { clock, transport } = await loggedIn();
    transport.seedHistory('user1', 'friend', [
      { text: 'see you', time: Math.floor(clock.now() / 1000) - 10 },
    ]);
    transport.peerSends(SERVICE, 'user1', { text: '您好，请问有什么可以帮您？' });
    transport.peerSends(SERVICE, 'user1', {
      data: JSON.stringify({
        customerServicePlugin: 0,
        src: '9',
        menuContent: { menu: [{ id: '1', content: 'ok' }] },
      }),
    });
    transport.seedHistory('user1', 'other', [
      { text: 'newer', time: Math.floor(clock.now() / 1000) + 5 },
    ]);
    const page = await openPage(clock);

    const items = page.data.list.items as Array<Record<string, unknown>>;
    expect(items[0]).toMatchObject({
      conversationID: `C2C${SERVICE}`,
      isPinned: true,
      canDelete: false,
      unreadText: '2',
    });
    expect(items[0].preview).toBe('[服务评价]');
    expect(items.map((i) => i.conversationID)).toEqual([`C2C${SERVICE}`, 'C2Cother', 'C2Cfriend']);
    const html = page.dom!.innerHTML;
    expect(html).toContain('row__badge');
    expect(html).not.toContain('[自定义消息]');
  });

  it('lists the service account even before any message, and opens it on tap', async () => {
    const { clock } = await loggedIn();
    const page = await openPage(clock);
    const items = page.data.list.items as Array<{ conversationID: string; isPinned: boolean }>;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ conversationID: `C2C${SERVICE}`, isPinned: true });
    page.querySelector('.row')!.dispatchEvent('tap');
    await settle(clock);
    expect((wx as unknown as Wx).navigateTo).toHaveBeenCalledWith({
      url: `/pages/chat/chat?conversationID=${encodeURIComponent(`C2C${SERVICE}`)}`,
    });
  });

  it('shows the offline banner when the network drops', async () => {
    const { clock } = await loggedIn();
    const page = await openPage(clock);
    const listener = ((wx as unknown as Wx).onNetworkStatusChange as jest.Mock).mock.calls[0][0];
    listener({ isConnected: false, networkType: 'none' });
    await settle(clock);
    expect(page.data.banner).toBe('网络不可用，请检查网络设置');
    listener({ isConnected: true, networkType: 'wifi' });
    await settle(clock);
    expect(page.data.banner).toBe('');
  });

  it('offers WeChat customer service once Chat has been unreachable for 20 s', async () => {
    const { clock, transport } = await loggedIn();
    const page = await openPage(clock);
    expect(page.data.showFallback).toBe(false);
    transport.dropNetwork();
    await settle(clock, 19_000);
    expect(page.data.showFallback).toBe(false);
    await settle(clock, 1_500);
    expect(page.data.showFallback).toBe(true);
    expect(page.querySelector('#list-fallback')).toBeDefined();
    expect(page.data.fallbackContext).toMatchObject({
      serviceAccount: SERVICE,
      reason: 'im-unreachable',
    });
    transport.restoreNetwork();
    await settle(clock, 1_500);
    expect(page.data.showFallback).toBe(false);
    (page.instance as unknown as { onUnload(): void }).onUnload();
  });

  it('refuses to delete the service account but deletes others', async () => {
    const { clock, transport } = await loggedIn();
    transport.seedHistory('user1', 'friend', [{ text: 'hi' }]);
    transport.peerSends(SERVICE, 'user1', { text: 'hello' });
    const page = await openPage(clock);
    const instance = page.instance as unknown as { onDelete(e: unknown): Promise<void> };
    const tap = (id: string) => ({ currentTarget: { dataset: { id } } });
    (wx as unknown as Wx).showToast = jest.fn();
    await instance.onDelete(tap(`C2C${SERVICE}`));
    await instance.onDelete(tap('C2Cfriend'));
    await settle(clock, 1500);
    const ids = (page.data.list.items as Array<{ conversationID: string }>).map(
      (i) => i.conversationID,
    );
    expect(ids).toEqual([`C2C${SERVICE}`]);
    expect((wx as unknown as Wx).showToast).toHaveBeenCalled();
  });
});

describe('language override', () => {
  it('offers the languages, remembers the choice and re-renders the page in it at once', async () => {
    const { clock, storage, transport } = await loggedIn();
    (wx as unknown as Wx).reLaunch = jest.fn();
    const titles: string[] = [];
    (wx as unknown as Wx).setNavigationBarTitle = (o: { title: string }) => titles.push(o.title);
    transport.peerSends(SERVICE, 'user1', { text: 'hello' });
    const page = await openPage(clock);
    const languages = page.data.languages as Array<{ value: string; active: boolean }>;
    expect(languages.map((l) => l.value)).toEqual(['auto', 'zh-CN', 'en']);
    expect(languages.find((l) => l.active)!.value).toBe('auto');
    expect(titles).toEqual(['消息']);
    expect(page.dom!.innerHTML).toContain('置顶');
    const { setLanguage } = await import('../../../miniprogram/core/i18n/index');
    try {
      const instance = page.instance as unknown as { onLanguage(e: unknown): void };
      instance.onLanguage({ currentTarget: { dataset: { value: 'en' } } });
      await settle(clock);
      expect(storage.get('cs.language')).toBe('en');
      // No rebuild: the open page follows at once.
      expect((wx as unknown as Wx).reLaunch).not.toHaveBeenCalled();
      expect(titles.at(-1)).toBe('Messages');
      const html = page.dom!.innerHTML;
      expect(html).toContain('Pinned');
      expect(html).not.toContain('置顶');
      expect(html).not.toContain('在线客服');
      const active = (page.data.languages as Array<{ value: string; active: boolean }>).find(
        (l) => l.active,
      );
      expect(active!.value).toBe('en');
    } finally {
      setLanguage('zh-CN');
    }
  });
});

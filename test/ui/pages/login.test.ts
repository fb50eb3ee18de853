import simulate from 'miniprogram-simulate';
import { loadMp, renderMp } from '../load';
import { settle, useFakeServices } from '../fake-services';

jest.mock('@tencentcloud/chat', () => ({
  __esModule: true,
  default: { create: jest.fn(), TYPES: {}, EVENT: {} },
}));

type Wx = Record<string, unknown>;
const loginId = loadMp('pages/login/login');

function open(query: Record<string, string> = {}) {
  const page = renderMp(loginId);
  (page.instance as unknown as { onLoad(q: Record<string, string>): void }).onLoad(query);
  return page;
}

const tapLogin = (page: ReturnType<typeof open>) =>
  page.querySelector('#login-button')!.querySelector('.t-button')!.dispatchEvent('tap');

describe('login page', () => {
  let redirectTo: jest.Mock;
  beforeEach(() => {
    redirectTo = jest.fn();
    (wx as unknown as Wx).redirectTo = redirectTo;
  });

  it('shows one-tap login when there is no session, logs in and goes to the list', async () => {
    const { clock, auth } = useFakeServices();
    const page = open();
    await settle(clock);
    expect(page.data.status).toBe('idle');
    expect(page.dom!.innerHTML).toContain('微信一键登录');

    tapLogin(page);
    await settle(clock, 10);
    expect(auth.loginCalls).toBe(1);
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/conversations/conversations' });
  });

  it('comes back to the chat page it was sent from, and only to our own pages', async () => {
    const { clock } = useFakeServices();
    const page = open({ redirect: encodeURIComponent('/pages/chat/chat?service=complaint') });
    await settle(clock);
    tapLogin(page);
    await settle(clock, 10);
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/chat/chat?service=complaint' });

    redirectTo.mockClear();
    const fresh = useFakeServices();
    const evil = open({ redirect: encodeURIComponent('https://evil.example/') });
    await settle(fresh.clock);
    tapLogin(evil);
    await settle(fresh.clock, 10);
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/conversations/conversations' });
  });

  /** What `wx.getNetworkType` reports ('none' = offline), answered at once. */
  const networkType = (type: string) => {
    (wx as unknown as Wx).getNetworkType = (o: { success(res: { networkType: string }): void }) =>
      o.success({ networkType: type });
  };

  it('shows a clear error with retry, then offers WeChat customer service after repeated failures', async () => {
    const { clock, auth } = useFakeServices();
    networkType('none');
    auth.failures.push('network', 'server-refused');
    const page = open();
    await settle(clock);

    tapLogin(page);
    await settle(clock, 10);
    expect(page.data.status).toBe('error');
    expect(page.data.errorText).toBe('网络不可用，请检查网络后重试');
    expect(page.dom!.innerHTML).toContain('重试');
    expect(page.querySelector('#contact-fallback')).toBeFalsy();

    tapLogin(page);
    await settle(clock, 10);
    expect(page.data.errorText).toContain('服务器拒绝');
    expect(page.querySelector('#contact-fallback')).toBeTruthy();
    expect(redirectTo).not.toHaveBeenCalled();

    tapLogin(page);
    await settle(clock, 10);
    expect(redirectTo).toHaveBeenCalledTimes(1);
  });

  it('does not blame the network when the device is online: the login service is unreachable', async () => {
    const { clock, auth } = useFakeServices();
    networkType('wifi');
    auth.failures.push('network', 'timeout', 'server-refused');
    const page = open();
    await settle(clock);
    for (const expected of [
      '暂时无法连接登录服务，请稍后重试',
      '暂时无法连接登录服务，请稍后重试',
    ]) {
      tapLogin(page);
      await settle(clock, 10);
      expect(page.data.errorText).toBe(expected);
      expect(page.data.errorText).not.toContain('网络');
    }
    tapLogin(page);
    await settle(clock, 10);
    expect(page.data.errorText).toContain('服务器拒绝');
  });

  it('re-says its texts, the error and the title in a new language at once', async () => {
    const { clock, auth } = useFakeServices();
    networkType('wifi');
    const titles: string[] = [];
    (wx as unknown as Wx).setNavigationBarTitle = (o: { title: string }) => titles.push(o.title);
    auth.failures.push('network');
    const page = open();
    await settle(clock);
    expect(titles).toEqual(['登录']);
    tapLogin(page);
    await settle(clock, 10);
    const { setLanguage } = await import('../../../miniprogram/core/i18n/index');
    try {
      setLanguage('en');
      await simulate.sleep(0);
      expect(titles.at(-1)).toBe('Log in');
      expect(page.data.errorText).toBe(
        "Can't reach the login service right now. Please try again later.",
      );
      expect(page.dom!.innerHTML).toContain('Login failed');
      expect(page.dom!.innerHTML).not.toContain('登录失败');
    } finally {
      setLanguage('zh-CN');
    }
  });

  it('goes straight on when a session is already stored', async () => {
    const first = useFakeServices();
    const { getServices } = await import('../../../miniprogram/services/index');
    expect((await getServices().session.login()).ok).toBe(true);
    await settle(first.clock);
    open();
    await settle(first.clock, 10);
    await simulate.sleep(0);
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/conversations/conversations' });
  });
});

describe('dark mode', () => {
  it('applies the dark class from the system theme and follows changes', async () => {
    const { clock } = useFakeServices();
    (wx as unknown as Wx).redirectTo = jest.fn();
    (wx as unknown as Wx).getAppBaseInfo = () => ({ theme: 'dark' });
    let listener: ((res: { theme: string }) => void) | undefined;
    (wx as unknown as Wx).onThemeChange = (l: (res: { theme: string }) => void) => (listener = l);
    (wx as unknown as Wx).offThemeChange = jest.fn();
    const page = open();
    await settle(clock);
    expect(page.data.themeClass).toBe('theme-dark');
    expect(page.querySelector('.login')!.dom!.className).toContain('theme-dark');
    listener!({ theme: 'light' });
    await simulate.sleep(0);
    expect(page.data.themeClass).toBe('');
    (page.instance as unknown as { onUnload(): void }).onUnload();
    expect((wx as unknown as Wx).offThemeChange).toHaveBeenCalledWith(listener);
  });
});

import {
  configure,
  DEFAULT_CONFIG,
  getConfig,
  mergeConfig,
  resolveAppLanguage,
} from '../../miniprogram/config';

const g = globalThis as unknown as Record<string, unknown>;

afterEach(() => {
  delete g.__CS_CONFIG__;
  delete g.wx;
  configure(null);
});

describe('config', () => {
  it('defaults to the local simulator', () => {
    expect(getConfig()).toMatchObject({
      sdkAppID: 1400000000,
      serviceAccounts: ['@customer_service_account'],
      loginEndpoint: 'http://127.0.0.1:9500',
      proxyServer: 'ws://127.0.0.1:9300',
      language: 'auto',
      loginTimeoutMs: 15_000,
    });
  });

  it('takes ext.json, then the preview global, then configure()', () => {
    g.wx = { getExtConfigSync: () => ({ csConfig: { sdkAppID: 1400000002, language: 'en' } }) };
    g.__CS_CONFIG__ = { proxyServer: 'ws://127.0.0.1:1234', sdkAppID: 1400000003 };
    configure({
      serviceAccounts: [{ userID: '@a', nick: 'A 客服', avatar: 'https://a/a.png' }, '@b'],
    });
    const c = getConfig();
    expect(c).toMatchObject({
      sdkAppID: 1400000003,
      language: 'en',
      proxyServer: 'ws://127.0.0.1:1234',
      serviceAccounts: ['@a', '@b'],
    });
    expect(c.serviceDisplay['@a']).toEqual({ nick: 'A 客服', avatar: 'https://a/a.png' });
  });

  it('ignores wrong types and unknown keys', () => {
    const c = mergeConfig(DEFAULT_CONFIG, {
      sdkAppID: 'abc',
      proxyServer: 'http://x',
      loginEndpoint: 'ftp://x',
      language: 'fr',
      imageMaxBytes: -1,
      serviceAccounts: [],
      nonsense: 1,
    });
    expect(c).toEqual(mergeConfig(DEFAULT_CONFIG, {}));
    expect(mergeConfig(DEFAULT_CONFIG, { proxyServer: '' }).proxyServer).toBe('');
  });

  it('resolves the language', () => {
    expect(resolveAppLanguage({ ...DEFAULT_CONFIG, language: 'en' })).toBe('en');
    expect(resolveAppLanguage(DEFAULT_CONFIG, 'en_US')).toBe('en');
    expect(resolveAppLanguage(DEFAULT_CONFIG, 'zh_CN')).toBe('zh-CN');
    g.wx = { getAppBaseInfo: () => ({ language: 'en' }) };
    expect(resolveAppLanguage(DEFAULT_CONFIG)).toBe('en');
  });
});

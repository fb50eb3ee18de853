import {
  LANGUAGE_STORAGE_KEY,
  applyLanguage,
  readLanguagePreference,
  switchLanguage,
  systemLanguageTag,
} from '../../miniprogram/adapters/language';
import { getLanguage, setLanguage, t } from '../../miniprogram/core/i18n/index';
import { MemoryStorage } from '../fakes/memory-storage';

const g = globalThis as unknown as { wx?: unknown };

afterEach(() => {
  delete g.wx;
  setLanguage('zh-CN');
});

describe('systemLanguageTag', () => {
  it('prefers getAppBaseInfo, falls back to getSystemInfoSync, and tolerates neither', () => {
    g.wx = {
      getAppBaseInfo: () => ({ language: 'en' }),
      getSystemInfoSync: () => ({ language: 'zh_CN' }),
    };
    expect(systemLanguageTag()).toBe('en');
    g.wx = { getSystemInfoSync: () => ({ language: 'zh_CN' }) };
    expect(systemLanguageTag()).toBe('zh_CN');
    g.wx = {
      getAppBaseInfo: () => {
        throw new Error('not here');
      },
    };
    expect(systemLanguageTag()).toBeUndefined();
    delete g.wx;
    expect(systemLanguageTag()).toBeUndefined();
  });
});

describe('applyLanguage', () => {
  it('follows WeChat when the user never chose', () => {
    const storage = new MemoryStorage();
    expect(applyLanguage({ storage, systemLanguage: () => 'en_US' })).toBe('en');
    expect(getLanguage()).toBe('en');
    expect(t('entry.contact')).toBe('Contact us');
    expect(applyLanguage({ storage, systemLanguage: () => 'zh_CN' })).toBe('zh-CN');
    expect(t('entry.contact')).toBe('联系客服');
  });

  it('reads wx when no system language source is injected', () => {
    g.wx = { getAppBaseInfo: () => ({ language: 'en' }) };
    expect(applyLanguage({ storage: new MemoryStorage() })).toBe('en');
  });

  it('lets the configured language and then the stored choice win', () => {
    const storage = new MemoryStorage();
    expect(applyLanguage({ storage, configured: 'en', systemLanguage: () => 'zh_CN' })).toBe('en');
    storage.set(LANGUAGE_STORAGE_KEY, 'zh-CN');
    expect(applyLanguage({ storage, configured: 'en', systemLanguage: () => 'en' })).toBe('zh-CN');
  });
});

describe('switchLanguage', () => {
  it('persists the override and applies it at once', () => {
    const storage = new MemoryStorage();
    expect(switchLanguage('en', { storage, systemLanguage: () => 'zh_CN' })).toEqual({
      ok: true,
      value: 'en',
    });
    expect(getLanguage()).toBe('en');
    expect(readLanguagePreference({ storage })).toBe('en');
    // Next launch: the stored choice beats WeChat's language.
    setLanguage('zh-CN');
    expect(applyLanguage({ storage, systemLanguage: () => 'zh_CN' })).toBe('en');
  });

  it('auto forgets the override and follows WeChat again', () => {
    const storage = new MemoryStorage();
    switchLanguage('en', { storage, systemLanguage: () => 'zh_CN' });
    expect(switchLanguage('auto', { storage, systemLanguage: () => 'zh_CN' })).toEqual({
      ok: true,
      value: 'zh-CN',
    });
    expect(storage.get(LANGUAGE_STORAGE_KEY)).toBeUndefined();
    expect(readLanguagePreference({ storage })).toBe('auto');
  });

  it('still applies the language when storage is full, and says so', () => {
    const storage = new MemoryStorage();
    storage.failWrites = true;
    const res = switchLanguage('en', { storage, systemLanguage: () => 'zh_CN' });
    expect(res.ok).toBe(false);
    expect(getLanguage()).toBe('en');
  });

  it('reads garbage in storage as no choice', () => {
    const storage = new MemoryStorage();
    storage.set(LANGUAGE_STORAGE_KEY, { lang: 'en' });
    expect(readLanguagePreference({ storage })).toBe('auto');
  });
});

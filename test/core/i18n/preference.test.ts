import { t } from '../../../miniprogram/core/i18n/index';
import {
  LANGUAGE_CHOICES,
  LANGUAGE_PREFERENCES,
  languageFromPreference,
  parseLanguagePreference,
  protocolLanguage,
} from '../../../miniprogram/core/i18n/preference';

describe('parseLanguagePreference', () => {
  it.each([
    ['auto', 'auto'],
    ['zh-CN', 'zh-CN'],
    ['en', 'en'],
    [' AUTO ', 'auto'],
    ['zh_CN', 'zh-CN'],
    ['zh_HK', 'zh-CN'],
    ['en_US', 'en'],
    ['EN', 'en'],
    ['fr', undefined],
    ['', undefined],
    ['english', undefined],
    [42, undefined],
    [null, undefined],
    [{ lang: 'en' }, undefined],
  ])('%j → %s', (value, preference) => {
    expect(parseLanguagePreference(value)).toBe(preference);
  });
});

describe('languageFromPreference', () => {
  it('follows WeChat when nothing is chosen', () => {
    expect(languageFromPreference({ system: 'en' })).toBe('en');
    expect(languageFromPreference({ system: 'en_US' })).toBe('en');
    expect(languageFromPreference({ system: 'zh_CN' })).toBe('zh-CN');
    expect(languageFromPreference({ system: 'zh_TW' })).toBe('zh-CN');
    expect(languageFromPreference({})).toBe('zh-CN');
    expect(languageFromPreference({ system: null })).toBe('zh-CN');
  });

  it('lets the configured language override WeChat', () => {
    expect(languageFromPreference({ configured: 'en', system: 'zh_CN' })).toBe('en');
    expect(languageFromPreference({ configured: 'auto', system: 'en' })).toBe('en');
  });

  it('lets the in-app choice override both', () => {
    expect(languageFromPreference({ stored: 'zh-CN', configured: 'en', system: 'en' })).toBe(
      'zh-CN',
    );
    expect(languageFromPreference({ stored: 'en', configured: 'zh-CN', system: 'zh_CN' })).toBe(
      'en',
    );
  });

  it('treats a stored auto or garbage as no choice', () => {
    expect(languageFromPreference({ stored: 'auto', configured: 'en', system: 'zh_CN' })).toBe(
      'en',
    );
    expect(languageFromPreference({ stored: '{bad', system: 'en' })).toBe('en');
  });
});

describe('choices', () => {
  it('offers every preference once, each with a translated label', () => {
    expect(LANGUAGE_CHOICES.map((c) => c.value)).toEqual([...LANGUAGE_PREFERENCES]);
    for (const choice of LANGUAGE_CHOICES) {
      expect(t(choice.labelKey, undefined, 'zh-CN')).not.toBe(choice.labelKey);
      expect(t(choice.labelKey, undefined, 'en')).not.toBe(choice.labelKey);
    }
    // Language names are written in their own language whatever the UI language.
    expect(t('entry.language.en', undefined, 'zh-CN')).toBe('English');
    expect(t('entry.language.zh', undefined, 'en')).toBe('简体中文');
  });

  it('maps to the handshake language code', () => {
    expect(protocolLanguage('zh-CN')).toBe('zh');
    expect(protocolLanguage('en')).toBe('en');
  });
});

import {
  LANGUAGES,
  TABLES,
  resolveLanguage,
  setLanguage,
  t,
} from '../../miniprogram/core/i18n/index';

describe('i18n table', () => {
  it('has every key in every language, non-empty', () => {
    const keys = Object.keys(TABLES['zh-CN']);
    expect(keys.length).toBeGreaterThan(10);
    for (const lang of LANGUAGES) {
      const table = TABLES[lang] as Record<string, string>;
      expect(Object.keys(table).sort()).toEqual([...keys].sort());
      for (const key of keys) {
        expect([lang, key, table[key].trim() === '']).toEqual([lang, key, false]);
      }
    }
  });

  it('translates with placeholders and follows the current language', () => {
    expect(t('error.file-too-large', { max: '10 MB' }, 'zh-CN')).toBe(
      '文件过大，请选择小于 10 MB 的文件',
    );
    setLanguage('en');
    expect(t('error.file-too-large', { max: '10 MB' })).toBe(
      'The file is too large. Please choose one under 10 MB.',
    );
    setLanguage('zh-CN');
    expect(t('error.network')).toContain('网络');
  });

  it('maps system language tags', () => {
    expect(resolveLanguage('en_US')).toBe('en');
    expect(resolveLanguage('zh_CN')).toBe('zh-CN');
    expect(resolveLanguage('fr')).toBe('zh-CN');
    expect(resolveLanguage(undefined)).toBe('zh-CN');
  });
});

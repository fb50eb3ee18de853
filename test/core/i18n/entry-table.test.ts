import { LANGUAGES, TABLES, t } from '../../../miniprogram/core/i18n/index';
import * as entry from '../../../miniprogram/core/i18n/tables/entry';

const placeholders = (text: string): string[] => (text.match(/\{\w+\}/g) ?? []).sort();

describe('entry strings', () => {
  it('are all prefixed entry. and complete, non-empty, in both languages', () => {
    const keys = Object.keys(entry.zh);
    expect(keys.length).toBeGreaterThan(20);
    expect(keys.filter((k) => !k.startsWith('entry.'))).toEqual([]);
    expect(Object.keys(entry.en).sort()).toEqual([...keys].sort());
    for (const table of [entry.zh, entry.en] as Record<string, string>[]) {
      expect(keys.filter((k) => typeof table[k] !== 'string' || table[k].trim() === '')).toEqual(
        [],
      );
    }
  });

  it('are merged into the app table', () => {
    for (const lang of LANGUAGES) {
      const table = TABLES[lang] as Record<string, string>;
      const source = (lang === 'en' ? entry.en : entry.zh) as Record<string, string>;
      for (const [key, text] of Object.entries(source))
        expect([key, table[key]]).toEqual([key, text]);
    }
  });

  it('have English that is really English (no CJK outside language names)', () => {
    const cjk = /[\u3400-\u9fff]/;
    const offenders = Object.entries(entry.en)
      .filter(([key, text]) => key !== 'entry.language.zh' && cjk.test(text))
      .map(([key]) => key);
    expect(offenders).toEqual([]);
  });

  it('fill placeholders in both languages', () => {
    expect(t('entry.open.aria', { label: '我要投诉' }, 'zh-CN')).toBe('我要投诉，打开在线客服会话');
    expect(t('entry.open.aria', { label: 'Complaints' }, 'en')).toBe(
      'Complaints, opens the customer service chat',
    );
  });

  it('use the same placeholders in both languages (a translation cannot drop one)', () => {
    const zh = entry.zh as Record<string, string>;
    const en = entry.en as Record<string, string>;
    const mismatched = Object.keys(zh).filter(
      (key) => placeholders(zh[key]).join() !== placeholders(en[key]).join(),
    );
    expect(mismatched).toEqual([]);
    expect(placeholders(zh['entry.open.aria'])).toEqual(['{label}']);
  });
});

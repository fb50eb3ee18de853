/**
 * The one table of user-visible strings (zh-CN first, en complete). Each domain owns a file in
 * `tables/` exporting `zh` and `en: Record<keyof typeof zh, string>`, so a missing English key is a
 * type error; `test/core/i18n.test.ts` also checks both languages at run time.
 */
import * as chat from './tables/chat';
import * as common from './tables/common';
import * as components from './tables/components';
import * as entry from './tables/entry';
import * as pages from './tables/pages';
import * as tccc from './tables/tccc';

export type Language = 'zh-CN' | 'en';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en'];

const zhCN = { ...common.zh, ...tccc.zh, ...pages.zh, ...chat.zh, ...entry.zh, ...components.zh };
export type MessageKey = keyof typeof zhCN;

const en: Record<MessageKey, string> = {
  ...common.en,
  ...tccc.en,
  ...pages.en,
  ...chat.en,
  ...entry.en,
  ...components.en,
};

export const TABLES: Record<Language, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };

let current: Language = 'zh-CN';

/** Maps a WeChat/system language tag (`zh_CN`, `zh-TW`, `en-US`...) to a supported language. */
export function resolveLanguage(tag: string | undefined | null): Language {
  const t = String(tag ?? '').toLowerCase();
  if (t.startsWith('en')) return 'en';
  return 'zh-CN';
}

const listeners = new Set<(language: Language) => void>();

/** Makes `language` current and tells every {@link onLanguageChange} listener when it changed. */
export function setLanguage(language: Language): void {
  if (language === current) return;
  current = language;
  for (const listener of [...listeners]) listener(language);
}

/**
 * Calls `listener` after each change of the current language, so that every open page and
 * component re-renders its texts at once. Returns the unsubscribe function (safe to call twice).
 */
export function onLanguageChange(listener: (language: Language) => void): () => void {
  const own = (language: Language) => listener(language);
  listeners.add(own);
  return () => {
    listeners.delete(own);
  };
}

export function getLanguage(): Language {
  return current;
}

/** Translates `key`, replacing `{name}` placeholders from `params`. Unknown keys come back as the key. */
export function t(
  key: MessageKey,
  params?: Record<string, string | number>,
  language: Language = current,
): string {
  const text = TABLES[language][key] ?? TABLES['zh-CN'][key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

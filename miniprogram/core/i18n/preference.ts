/**
 * Which language the UI speaks. Three sources, strongest first: the user's in-app choice, the
 * deployment's configured language, then WeChat's own language. `'auto'` at any level defers to the
 * next one, so a user who picks "follow the system" goes back to WeChat's language even when the
 * deployment pinned one.
 */
import { resolveLanguage } from './index';
import type { Language, MessageKey } from './index';

/** A stored or configured choice: a concrete language, or `'auto'` (follow the next source). */
export type LanguagePreference = 'auto' | Language;

export const LANGUAGE_PREFERENCES: readonly LanguagePreference[] = ['auto', 'zh-CN', 'en'];

/** Picker rows in display order; labels of concrete languages are in that language. */
export const LANGUAGE_CHOICES: readonly { value: LanguagePreference; labelKey: MessageKey }[] = [
  { value: 'auto', labelKey: 'entry.language.auto' },
  { value: 'zh-CN', labelKey: 'entry.language.zh' },
  { value: 'en', labelKey: 'entry.language.en' },
];

/**
 * Narrows a stored value to a preference. Older or hand-edited values (`'zh_CN'`, `'EN'`) are
 * read through {@link resolveLanguage}; anything unreadable is `undefined`, never an exception.
 */
export function parseLanguagePreference(value: unknown): LanguagePreference | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if ((LANGUAGE_PREFERENCES as readonly string[]).includes(text)) return text as LanguagePreference;
  if (text.toLowerCase() === 'auto') return 'auto';
  return /^(zh|en)([-_].*)?$/i.test(text) ? resolveLanguage(text) : undefined;
}

export interface LanguageSources {
  /** What the user picked in the app (storage), if anything. */
  stored?: unknown;
  /** The deployment's `config.language`. */
  configured?: LanguagePreference;
  /** WeChat's language tag (`zh_CN`, `zh_HK`, `en`, `en_US`…); missing outside WeChat. */
  system?: string | null;
}

/**
 * The language to show. Guarantees a supported language for every input: invalid stored values are
 * ignored, and a missing system tag reads as Chinese (the default of {@link resolveLanguage}).
 */
export function languageFromPreference(sources: LanguageSources): Language {
  const stored = parseLanguagePreference(sources.stored);
  if (stored !== undefined && stored !== 'auto') return stored;
  if (sources.configured !== undefined && sources.configured !== 'auto') return sources.configured;
  return resolveLanguage(sources.system ?? undefined);
}

/** The language code the TCCC handshake carries (`triggeredContent.language`). */
export function protocolLanguage(language: Language): 'zh' | 'en' {
  return language === 'en' ? 'en' : 'zh';
}

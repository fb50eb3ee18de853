import { getLanguage, setLanguage } from '../core/i18n/index';
import type { Language } from '../core/i18n/index';
import { languageFromPreference, parseLanguagePreference } from '../core/i18n/preference';
import type { LanguagePreference } from '../core/i18n/preference';
import type { KeyValueStorage } from '../core/ports/storage';
import { ok } from '../core/result';
import type { Result } from '../core/result';
import { createWxStorage } from './wx-storage';

/** Storage key of the in-app language choice. */
export const LANGUAGE_STORAGE_KEY = 'cs.language';

export interface LanguageDeps {
  /** Defaults to wx storage. */
  storage?: KeyValueStorage;
  /** The deployment's `config.language`. */
  configured?: LanguagePreference;
  /** Defaults to {@link systemLanguageTag}. */
  systemLanguage?: () => string | undefined;
}

/**
 * WeChat's language tag (`zh_CN`, `en`…): `wx.getAppBaseInfo()` where the base library has it,
 * else the older `wx.getSystemInfoSync()`; `undefined` outside WeChat.
 */
export function systemLanguageTag(): string | undefined {
  try {
    if (typeof wx === 'undefined') return undefined;
    if (typeof wx.getAppBaseInfo === 'function') {
      const tag = wx.getAppBaseInfo().language;
      if (typeof tag === 'string' && tag !== '') return tag;
    }
    if (typeof wx.getSystemInfoSync === 'function') {
      const tag = wx.getSystemInfoSync().language;
      if (typeof tag === 'string' && tag !== '') return tag;
    }
  } catch {
    // Some hosts (preview, tests) throw from these: treat as unknown.
  }
  return undefined;
}

/** The in-app choice; `'auto'` when the user never chose (or storage holds something unreadable). */
export function readLanguagePreference(
  deps: Pick<LanguageDeps, 'storage'> = {},
): LanguagePreference {
  const storage = deps.storage ?? createWxStorage();
  return parseLanguagePreference(storage.get(LANGUAGE_STORAGE_KEY)) ?? 'auto';
}

/**
 * Resolves the language from the stored choice, the configuration and WeChat, and makes it current
 * (`setLanguage`). Call in `App.onLaunch` before any page builds its texts; returns it.
 */
export function applyLanguage(deps: LanguageDeps = {}): Language {
  const storage = deps.storage ?? createWxStorage();
  const language = languageFromPreference({
    stored: storage.get(LANGUAGE_STORAGE_KEY),
    configured: deps.configured,
    system: (deps.systemLanguage ?? systemLanguageTag)(),
  });
  if (language !== getLanguage()) setLanguage(language);
  return language;
}

/**
 * The user picked `preference` in the app: remembers it (`'auto'` forgets the override) and makes
 * the resulting language current at once. Pages built before keep their texts until they rebuild
 * them (e.g. `wx.reLaunch` to the current page). A storage failure comes back as `err`; the
 * language still applies for this run.
 */
export function switchLanguage(
  preference: LanguagePreference,
  deps: LanguageDeps = {},
): Result<Language> {
  const storage = deps.storage ?? createWxStorage();
  let saved: Result<void> = ok(undefined);
  if (preference === 'auto') storage.remove(LANGUAGE_STORAGE_KEY);
  else saved = storage.set(LANGUAGE_STORAGE_KEY, preference);
  const language = languageFromPreference({
    stored: preference,
    configured: deps.configured,
    system: (deps.systemLanguage ?? systemLanguageTag)(),
  });
  setLanguage(language);
  return saved.ok ? ok(language) : saved;
}

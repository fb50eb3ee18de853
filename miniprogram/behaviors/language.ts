import { getLanguage, onLanguageChange } from '../core/i18n/index';
import type { Language } from '../core/i18n/index';

const following = new WeakMap<object, () => void>();

/**
 * Runs `apply` now and after every change of the UI language, until {@link unfollowLanguage}: a page
 * or component re-renders its texts at once when the user switches language in the app. Calling it
 * again for the same owner replaces the previous `apply`.
 */
export function followLanguage(owner: object, apply: (language: Language) => void): void {
  unfollowLanguage(owner);
  apply(getLanguage());
  following.set(owner, onLanguageChange(apply));
}

/** Stops {@link followLanguage} for `owner`; safe to call when it never followed. */
export function unfollowLanguage(owner: object): void {
  const stop = following.get(owner);
  following.delete(owner);
  stop?.();
}

/** The page's navigation bar title (WeChat keeps `navigationBarTitleText` of the json otherwise). */
export function setPageTitle(title: string): void {
  if (typeof wx === 'undefined' || typeof wx.setNavigationBarTitle !== 'function') return;
  wx.setNavigationBarTitle({ title });
}

interface Observed {
  data: Record<string, unknown>;
  setData(data: Record<string, unknown>): void;
}

/**
 * For a component whose texts come from `observers`: on every language change, sets `fields` again
 * to their current values, which runs their observers (WeChat runs an observer on each `setData` of
 * its field, changed or not). Call from `attached`; {@link unfollowLanguage} from `detached`.
 */
export function rerenderOnLanguage(component: Observed, fields: readonly string[]): void {
  unfollowLanguage(component);
  following.set(
    component,
    onLanguageChange(() => {
      const again: Record<string, unknown> = {};
      for (const field of fields) again[field] = component.data[field];
      component.setData(again);
    }),
  );
}

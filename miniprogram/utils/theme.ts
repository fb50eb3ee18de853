/**
 * The page-level dark-mode class. WeChat applies `prefers-color-scheme` itself where it can; the
 * class covers hosts and previews where the media query does not reach (styles/theme.wxss).
 */
export type ThemeClass = 'theme-dark' | '';

export function currentThemeClass(): ThemeClass {
  try {
    const info = wx.getAppBaseInfo ? wx.getAppBaseInfo() : wx.getSystemInfoSync();
    return (info as { theme?: string }).theme === 'dark' ? 'theme-dark' : '';
  } catch {
    return '';
  }
}

type Themed = { setData(data: Record<string, unknown>): void };
const listeners = new WeakMap<Themed, WechatMiniprogram.OnThemeChangeCallback>();

/** Keeps `data.themeClass` of `page` in step with the system theme until `unfollowTheme`. */
export function followTheme(page: Themed): void {
  page.setData({ themeClass: currentThemeClass() });
  if (!wx.onThemeChange || listeners.has(page)) return;
  const listener: WechatMiniprogram.OnThemeChangeCallback = (res) =>
    page.setData({ themeClass: res.theme === 'dark' ? 'theme-dark' : '' });
  listeners.set(page, listener);
  wx.onThemeChange(listener);
}

export function unfollowTheme(page: Themed): void {
  const listener = listeners.get(page);
  if (!listener) return;
  listeners.delete(page);
  if (wx.offThemeChange) wx.offThemeChange(listener);
}

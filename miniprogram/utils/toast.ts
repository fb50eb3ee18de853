/** The one place that shows toasts, so pages stay free of wx UI details. */
export function toast(text: string, icon: 'none' | 'success' | 'error' = 'none'): void {
  if (!text) return;
  wx.showToast({ title: text, icon, duration: 2000 });
}

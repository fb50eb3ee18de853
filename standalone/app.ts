/*
 * The standalone app as a thin host: its main package is this shell and a launcher page; the
 * customer service is the `cs` subpackage (scripts/build-cs.js --out standalone/cs).
 */
App({
  globalData: { csConfig: { packageRoot: 'cs' } },
  // Codes, share cards and notifications made for the single-package app name `pages/…`: the same
  // page now lives in the subpackage.
  onPageNotFound(res: WechatMiniprogram.App.PageNotFoundOption) {
    if (!/^pages\//.test(res.path)) return;
    const query = Object.entries(res.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    wx.redirectTo({ url: `/cs/${res.path}${query ? `?${query}` : ''}` });
  },
});

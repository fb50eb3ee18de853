/*
 * Launcher: the first page must be in the main package. It hands over to the conversation list
 * in the `cs` subpackage (preloaded from here), keeping the launch query.
 */
Page({
  onLoad(query: Record<string, string | undefined>) {
    const pairs = Object.entries(query)
      .filter((pair): pair is [string, string] => typeof pair[1] === 'string')
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    wx.reLaunch({
      url: `/cs/pages/conversations/conversations${pairs.length ? `?${pairs.join('&')}` : ''}`,
    });
  },
});

import type { LaunchInfo } from './core/entry/route-entry';

/**
 * App shell: remembers how the user arrived (scene + query) so the first page can route the entry to
 * the right service account. Services are built lazily by the first page that needs them.
 */
App<IAppOption>({
  globalData: { launch: null },
  onLaunch(options) {
    this.globalData.launch = launchInfo(options);
  },
  onShow(options) {
    // A hot start from a QR code or a card carries a new scene.
    this.globalData.launch = launchInfo(options);
  },
});

function launchInfo(options: WechatMiniprogram.App.LaunchShowOption | undefined): LaunchInfo {
  if (!options) return {};
  return {
    scene: options.scene,
    query: options.query as Record<string, unknown>,
    extraData: options.referrerInfo ? options.referrerInfo.extraData : undefined,
  };
}

/// <reference types="miniprogram-api-typings" />

interface IAppOption {
  globalData: {
    /** How the user arrived (scene, query, extraData), for entry routing. */
    launch: import('../miniprogram/core/entry/route-entry').LaunchInfo | null;
  };
}

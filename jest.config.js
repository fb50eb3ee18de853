/*
 * Two tiers: node (core, simulator, server, real-SDK integration) and ui (miniprogram-simulate +
 * tdesign). The real-SDK integration tests also run on @tencentcloud/lite-chat with
 * `CHAT_SDK=lite` (test/support/real-sdk.ts; README "Chat SDK").
 */
const tsTransform = ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', diagnostics: false }];
/*
 * core/view/rich-text.ts imports the marked that tdesign-miniprogram ships (an ES module inside the
 * package's miniprogram_npm, as WeChat resolves it); outside WeChat it is read from node_modules.
 */
const MARKED = 'tdesign-miniprogram/miniprogram_dist/miniprogram_npm/marked/';
const common = {
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': tsTransform, [`${MARKED}index\\.js$`]: tsTransform },
  transformIgnorePatterns: [`/node_modules/(?!${MARKED})`],
  moduleNameMapper: {
    '^tdesign-miniprogram/miniprogram_npm/marked/index$': `<rootDir>/node_modules/${MARKED}index.js`,
  },
};
module.exports = {
  projects: [
    {
      ...common,
      displayName: 'node',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/ui/', '<rootDir>/test/e2e/'],
    },
    {
      ...common,
      displayName: 'ui',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/ui/**/*.test.ts'],
      moduleDirectories: ['node_modules', 'miniprogram_npm'],
      moduleNameMapper: {
        ...common.moduleNameMapper,
        '^@tencentcloud/chat$': '<rootDir>/node_modules/@tencentcloud/chat',
      },
      transform: {
        ...common.transform,
        '^.+/miniprogram_npm/.+\\.js$': tsTransform,
      },
      setupFiles: ['<rootDir>/test/ui/setup.ts'],
    },
  ],
};

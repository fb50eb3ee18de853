/*
 * Two tiers: node (core, simulator, server, real-SDK integration) and ui (miniprogram-simulate +
 * tdesign). The real-SDK integration tests also run on @tencentcloud/lite-chat with
 * `CHAT_SDK=lite` (test/support/real-sdk.ts; README "Chat SDK").
 */
const tsTransform = ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', diagnostics: false }];
const common = {
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': tsTransform },
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
      moduleNameMapper: { '^@tencentcloud/chat$': '<rootDir>/node_modules/@tencentcloud/chat' },
      transform: {
        '^.+\\.ts$': tsTransform,
        '^.+/miniprogram_npm/.+\\.js$': tsTransform,
      },
      setupFiles: ['<rootDir>/test/ui/setup.ts'],
    },
  ],
};

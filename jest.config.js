/*
 * Two tiers: node (core, simulator, server, real-SDK integration) and ui (miniprogram-simulate +
 * tdesign); the integration tests run a second time on @tencentcloud/lite-chat.
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
      // The real-SDK integration tests again on @tencentcloud/lite-chat (the adapter supports both).
      ...common,
      displayName: 'integration-lite',
      testEnvironment: 'node',
      // Only the suites lite-chat 4.2.1 passes whole against the simulator; the gaps (no
      // MESSAGE_MODIFIED, kick-out, uploads, profiles, history page size) are listed in the README.
      testMatch: [
        '<rootDir>/test/integration/tccc-handshake.test.ts',
        '<rootDir>/test/integration/chat-persistence.test.ts',
      ],
      setupFiles: ['<rootDir>/test/integration/lite-sdk.setup.ts'],
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

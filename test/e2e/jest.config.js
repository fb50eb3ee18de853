/* End-to-end tier: headless Chromium against the preview and the local stack (`npm run e2e`).
 * Kept out of the main jest run; one worker, because each file builds the preview and drives a browser. */
const path = require('path');

module.exports = {
  rootDir: path.resolve(__dirname, '../..'),
  displayName: 'e2e',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json', diagnostics: false }],
  },
  testTimeout: 60_000,
  maxWorkers: 1,
};

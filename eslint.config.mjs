// ESLint flat config: typescript-eslint everywhere, purity rules for miniprogram/core, and the
// simulator kept independent of the client it plays against. Formatting is Prettier's job.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const wxGlobals = {
  wx: 'readonly',
  App: 'readonly',
  Page: 'readonly',
  Component: 'readonly',
  Behavior: 'readonly',
  getApp: 'readonly',
  getCurrentPages: 'readonly',
  requirePlugin: 'readonly',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'miniprogram/miniprogram_npm/**',
      '.artifacts/**',
      'coverage/**',
      '**/*.min.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { globals: { ...wxGlobals, ...globals.es2021 } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'smart'],
      'prefer-const': 'error',
      'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
    },
  },
  {
    files: ['miniprogram/core/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'wx',
          'getApp',
          'getCurrentPages',
          'Page',
          'Component',
          'Behavior',
          'App',
          'requirePlugin',
        ].map((name) => ({
          name,
          message: 'miniprogram/core is pure TypeScript: no WeChat globals.',
        })),
        { name: 'process', message: 'miniprogram/core runs in WeChat: no Node APIs.' },
        { name: 'require', message: 'miniprogram/core uses ES imports of core modules only.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tencentcloud/*', 'tim-upload-plugin'],
              message: 'Only the adapter imports the Chat SDK.',
            },
            { group: ['tdesign-miniprogram', 'tdesign-miniprogram/*'], message: 'No UI in core.' },
            {
              group: ['**/adapters/**', '**/services/**', '**/pages/**', '**/components/**'],
              message: 'core imports only core.',
            },
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http', 'zlib'],
              message: 'No Node APIs in core.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['miniprogram/**/*.ts'],
    ignores: ['miniprogram/adapters/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tencentcloud/chat'],
              message: 'Only miniprogram/adapters imports the Chat SDK.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['simulator/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/miniprogram/**', '../miniprogram*', '../../miniprogram*'],
              message: 'The simulator plays the other side: it never imports client code.',
            },
          ],
        },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['server/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['scripts/**/*.js', 'jest.config.js', 'test/**/*.js', '.ci/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off', 'no-console': 'off' },
  },
  {
    files: ['simulator/console/**/*.js', 'scripts/preview/runtime/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
    rules: { 'no-console': 'off' },
  },
  {
    // Ambient declarations cannot import at the top without turning into modules.
    files: ['typings/**/*.d.ts'],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['test/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: { 'no-console': 'off' },
  },
  prettier,
);

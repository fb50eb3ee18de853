/**
 * The customer service mounted as a host's subpackage: its page URLs gain the configured root, a
 * host's own pages and foreign URLs do not, and the host's `globalData.csConfig` configures it.
 */
import { DEFAULT_CONFIG, configure, getConfig, mergeConfig } from '../../miniprogram/config';
import { inPackage, packageRelative } from '../../miniprogram/utils/package-path';
import { safeRedirect } from '../../miniprogram/utils/session-guard';

afterEach(() => {
  configure(null);
  delete (globalThis as { getApp?: unknown }).getApp;
});

test('our page URLs gain the package root; others are left alone', () => {
  expect(inPackage('/pages/chat/chat?service=a', 'cs')).toBe('/cs/pages/chat/chat?service=a');
  expect(inPackage('/pages/chat/chat?service=a', '')).toBe('/pages/chat/chat?service=a');
  expect(inPackage('/shop/pages/item', 'cs')).toBe('/shop/pages/item');
  expect(inPackage('https://example.com/pages/x', 'cs')).toBe('https://example.com/pages/x');
  expect(packageRelative('/cs/pages/chat/chat?x=1', 'cs')).toBe('/pages/chat/chat?x=1');
  expect(packageRelative('/other/pages/chat/chat', 'cs')).toBe('/other/pages/chat/chat');
});

test('packageRoot is validated: a path of names, slashes at the ends dropped', () => {
  expect(mergeConfig(DEFAULT_CONFIG, { packageRoot: 'cs' }).packageRoot).toBe('cs');
  expect(mergeConfig(DEFAULT_CONFIG, { packageRoot: '/packages/cs/' }).packageRoot).toBe(
    'packages/cs',
  );
  for (const bad of ['../cs', 'cs?x=1', 'c s', 42]) {
    expect(mergeConfig(DEFAULT_CONFIG, { packageRoot: bad }).packageRoot).toBe('');
  }
});

test("the host's globalData.csConfig configures the package, and login redirects stay inside it", () => {
  (globalThis as { getApp?: unknown }).getApp = () => ({
    globalData: { csConfig: { packageRoot: 'cs', loginEndpoint: 'https://cs.example.com' } },
  });
  configure({});
  expect(getConfig().packageRoot).toBe('cs');
  expect(getConfig().loginEndpoint).toBe('https://cs.example.com');
  const back = encodeURIComponent('/cs/pages/chat/chat?service=a');
  expect(safeRedirect(back)).toBe('/cs/pages/chat/chat?service=a');
  expect(safeRedirect(encodeURIComponent('/pages/chat/chat'))).toBe('/cs/pages/chat/chat');
  // Anything else lands on the package's conversation list, never a foreign page.
  expect(safeRedirect(encodeURIComponent('/shop/pages/pay'))).toBe(
    '/cs/pages/conversations/conversations',
  );
});

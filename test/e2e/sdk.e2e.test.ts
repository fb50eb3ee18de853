/**
 * The real @tencentcloud/chat SDK, bundled into a preview page, takes its WeChat mini-program path:
 * it opens a `platform=8` socket through the wx shim (not a browser Worker) to the simulator and
 * logs in there.
 */
import { createRig, FIXTURE_ROOT } from './rig';
import type { Rig } from './rig';

let rig: Rig;

beforeAll(async () => {
  rig = await createRig({ root: FIXTURE_ROOT });
});

afterAll(async () => {
  await rig?.close();
});

test('the SDK logs in to the simulator over a platform=8 socket opened with wx.connectSocket', async () => {
  const stack = rig.stack;
  if (!stack) throw new Error('the rig has no stack');
  const sim = stack.simulator;
  const genUserSig = sim.genUserSig;
  if (typeof genUserSig !== 'function') throw new Error('simulator handle has no genUserSig()');
  const userSig = String((genUserSig as (id: string) => unknown).call(sim, 'e2e_sdk_user'));
  const tab = await rig.open('sdk platform 8', {
    page: 'pages/detail/detail',
    sdk: '1',
    sdkappid: String(sim.sdkAppID),
    userid: 'e2e_sdk_user',
    usersig: userSig,
  });
  await tab.waitForRoute('pages/detail/detail');
  await tab.page.waitForFunction(
    () => /sdk=(ready|failed)/.test(document.body.textContent ?? ''),
    null,
    { timeout: 15_000 },
  );
  expect(await tab.page.locator('page main').innerText()).toContain('sdk=ready');
  const socket = tab.sockets.find((u) => u.startsWith(stack.appConfig.proxyServer));
  expect(socket).toBeDefined();
  expect(new URL(socket ?? 'ws://x').searchParams.get('platform')).toBe('8');
  const calls = await tab.wxCalls();
  expect(calls.connectSocket).toBeGreaterThanOrEqual(1);
  expect(calls.getSystemInfoSync).toBeGreaterThanOrEqual(1);
  await tab.shot('logged-in');
  expect(tab.errors).toEqual([]);
  expect(tab.blocked).toEqual([]);
});

test('an image message goes out: chooseMedia sample → wx.uploadFile to the simulator → sent', async () => {
  const stack = rig.stack;
  if (!stack) throw new Error('the rig has no stack');
  const sim = stack.simulator;
  const userSig = String((sim.genUserSig as (id: string) => unknown).call(sim, 'e2e_image_user'));
  const tab = await rig.open('sdk image', {
    page: 'pages/detail/detail',
    sdk: '1',
    image: '1',
    sdkappid: String(sim.sdkAppID),
    userid: 'e2e_image_user',
    usersig: userSig,
  });
  await tab.page.waitForFunction(
    () => /image=(sent|failed|choose)/.test(document.body.textContent ?? ''),
    null,
    {
      timeout: 20_000,
    },
  );
  expect(await tab.page.locator('page main').innerText()).toContain('image=sent');
  const calls = await tab.wxCalls();
  expect(calls.chooseMedia).toBe(1);
  expect(calls.uploadFile).toBeGreaterThanOrEqual(1);
  expect(tab.errors).toEqual([]);
  expect(tab.blocked).toEqual([]);
});

test('the SDK reconnects through the shim after the simulator restarts on the same port', async () => {
  const stack = rig.stack;
  if (!stack) throw new Error('the rig has no stack');
  const sim = stack.simulator;
  const userSig = String((sim.genUserSig as (id: string) => unknown).call(sim, 'e2e_restart_user'));
  const tab = await rig.open('sdk restart', {
    page: 'pages/detail/detail',
    sdk: '1',
    sdkappid: String(sim.sdkAppID),
    userid: 'e2e_restart_user',
    usersig: userSig,
  });
  await tab.page.waitForFunction(() => document.body.textContent?.includes('sdk=ready'), null, {
    timeout: 15_000,
  });
  const before = tab.sockets.length;
  await stack.stopSimulator();
  await stack.startSimulator();
  // The SDK notices the dropped socket and dials again (its own back-off, a few seconds at most).
  await tab.page.waitForFunction(
    (n) =>
      ((window as unknown as { __PREVIEW__: { calls: Record<string, number> } }).__PREVIEW__.calls
        .connectSocket ?? 0) > n,
    before,
    { timeout: 30_000 },
  );
  for (let i = 0; i < 50 && tab.sockets.length <= before; i += 1)
    await tab.page.waitForTimeout(100);
  expect(tab.sockets.length).toBeGreaterThan(before);
  expect(tab.sockets.every((u) => u.includes('platform=8'))).toBe(true);
  expect(tab.blocked).toEqual([]);
});

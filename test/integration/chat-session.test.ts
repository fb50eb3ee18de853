/**
 * The real @tencentcloud/chat SDK against the simulator: login, refused logins with Tencent's codes,
 * kick-out by a second login, UserSig expiry while online, logout, and the PC WeChat text-frame path.
 */
import { type RunningSimulator, startSimulator } from '../../simulator';
import { genUserSig } from '../../simulator/chat/usersig';
import { type SdkClient, createSdkClient, sleep } from '../support/real-sdk';

jest.setTimeout(30_000);

let sim: RunningSimulator;
let clients: SdkClient[] = [];

const client = (
  userID: string,
  extra: Partial<Parameters<typeof createSdkClient>[0]> = {},
): SdkClient => {
  const c = createSdkClient({ simulator: sim, userID, ...extra });
  clients.push(c);
  return c;
};

beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true, service: false, env: false });
});
afterEach(async () => {
  for (const c of clients) await c.destroy();
  clients = [];
});
afterAll(() => sim.close());

const errorCode = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return (e as { code?: unknown }).code;
  }
};

describe('login', () => {
  it('logs in with a valid UserSig, reaches SDK_READY and gets the server identity', async () => {
    const alice = client('alice');
    const res = (await alice.login()) as {
      code: number;
      data: { tinyID: string; instanceID: number };
    };
    expect(res.code).toBe(0);
    expect(res.data.tinyID).toBe(sim.backend.store.getUser('alice')?.tinyId);
    expect(res.data.instanceID).not.toBe(0);
    expect(alice.chat.isReady()).toBe(true);
    expect(sim.backend.isUserOnline('alice')).toBe(true);
    // The SDK dialled the simulator with the mini-program platform over binary frames.
    expect(alice.wx.sockets[0].url).toMatch(/\/binfo\?.*platform=8/);
    // Nothing tried to leave loopback (error texts, net checks, stats over HTTP).
    expect(alice.wx.blocked).toEqual([]);
  });

  it.each([
    ['a wrong key', 70009, () => genUserSig(sim.sdkAppID, 'not-the-key', 'mallory', 3600)],
    [
      'an expired UserSig',
      70001,
      () =>
        genUserSig(
          sim.sdkAppID,
          sim.secretKey,
          'mallory',
          60,
          Math.floor(Date.now() / 1000) - 3600,
        ),
    ],
    [
      'a UserSig for another SDKAppID',
      70014,
      () => genUserSig(1400000001, sim.secretKey, 'mallory', 3600),
    ],
    ['a UserSig for another user', 70013, () => sim.genUserSig('somebody-else')],
    ['garbage', 70003, () => 'not-a-usersig'],
  ])('refuses %s with %i and never becomes ready', async (_name, code, makeSig) => {
    const mallory = client('mallory', { userSig: makeSig() });
    expect(await errorCode(mallory.login())).toBe(code);
    expect(mallory.events.some((e) => e.name === mallory.TencentCloudChat.EVENT.SDK_READY)).toBe(
      false,
    );
    expect(sim.backend.isUserOnline('mallory')).toBe(false);
  });

  it('refuses an SDK created for an SDKAppID the simulator does not serve (70020)', async () => {
    const foreign = client('mallory', {
      sdkAppID: 1400000001,
      userSig: genUserSig(1400000001, sim.secretKey, 'mallory', 3600),
    });
    expect(await errorCode(foreign.login())).toBe(70020);
  });

  it('logs out: SDK_NOT_READY, and the simulator sees the user offline', async () => {
    const alice = client('alice');
    await alice.login();
    const since = alice.mark();
    await alice.chat.logout();
    await alice.waitFor(alice.TencentCloudChat.EVENT.SDK_NOT_READY, undefined, 3000, since);
    await sleep(100);
    expect(sim.backend.isUserOnline('alice')).toBe(false);
  });

  it('works over /info text frames (PC WeChat)', async () => {
    const pc = client('pc-user', { wx: { platform: 'windows' } });
    await pc.login();
    expect(pc.wx.sockets[0].url).toMatch(/\/info\?/);
    sim.backend.store.ensureUser('someone');
    const msg = pc.chat.createTextMessage({
      to: 'someone',
      conversationType: pc.TencentCloudChat.TYPES.CONV_C2C,
      payload: { text: 'from the desktop' },
    });
    const res = await pc.chat.sendMessage(msg);
    expect(res.code).toBe(0);
  });
});

describe('kick-out', () => {
  it('a second login of the same user kicks the first with multipleDevice', async () => {
    const first = client('kate');
    await first.login();
    const second = client('kate');
    await second.login();
    const kicked = await first.waitFor<{ type: string }>(first.TencentCloudChat.EVENT.KICKED_OUT);
    expect(kicked.type).toBe(first.TencentCloudChat.TYPES.KICKED_OUT_MULT_DEVICE);
    await first.waitFor(first.TencentCloudChat.EVENT.SDK_NOT_READY);
    expect(second.chat.isReady()).toBe(true);
    // The kicked instance is locked out of the API; the new one keeps working.
    expect(await errorCode(first.chat.getConversationList())).toBe(3002);
    expect(await errorCode(second.chat.getConversationList())).toBe('resolved');
    expect(sim.backend.isUserOnline('kate')).toBe(true);
  });

  it('kick(user, 3) is a REST API kick', async () => {
    const ken = client('ken');
    await ken.login();
    sim.kick('ken', 3);
    const kicked = await ken.waitFor<{ type: string }>(ken.TencentCloudChat.EVENT.KICKED_OUT);
    expect(kicked.type).toBe(ken.TencentCloudChat.TYPES.KICKED_OUT_REST_API);
  });
});

describe('UserSig expiry while online', () => {
  it('fires KICKED_OUT userSigExpired exactly once, without a reconnect storm', async () => {
    const forced = client('ursula');
    await forced.login();
    // A UserSig that runs out 2 s after login: expiry reached the natural way.
    const natural = client('victor', { userSig: sim.genUserSig('victor', 2) });
    await natural.login();
    sim.expireUserSig('ursula');

    const EXPIRED = forced.TencentCloudChat.TYPES.KICKED_OUT_USERSIG_EXPIRED;
    const isExpired = (d: { type: string }): boolean => d.type === EXPIRED;
    // The SDK pings after 10 s without traffic; that heartbeat carries the news.
    await Promise.all([
      forced.waitFor(forced.TencentCloudChat.EVENT.KICKED_OUT, isExpired, 20_000),
      natural.waitFor(natural.TencentCloudChat.EVENT.KICKED_OUT, isExpired, 20_000),
    ]);
    const framesBefore = sim.backend.counters.frames;
    await sleep(3000);
    for (const c of [forced, natural]) {
      expect(c.events.filter((e) => e.name === c.TencentCloudChat.EVENT.KICKED_OUT)).toHaveLength(
        1,
      );
      expect(c.chat.isReady()).toBe(false);
    }
    // A storm would be hundreds of frames a second.
    expect(sim.backend.counters.frames - framesBefore).toBeLessThan(30);
    expect(sim.backend.isUserOnline('ursula')).toBe(false);
    // The expired UserSig stays refused; a fresh one works.
    const again = client('ursula', { userSig: forced.userSig });
    expect(await errorCode(again.login())).toBe(70001);
    const fresh = client('ursula', { userSig: sim.genUserSig('ursula', 3600) });
    await fresh.login();
    expect(fresh.chat.isReady()).toBe(true);
  });
});

describe('reconnect', () => {
  it('re-logs in silently with the A2 ticket after a drop and delivers what was missed', async () => {
    const rita = client('rita');
    await rita.login();
    // Let the login-time sync finish: a drop during it makes the SDK redo a first sync, which
    // primes its cache (conversation + unread) without MESSAGE_RECEIVED.
    await sleep(1500);
    const since = rita.mark();
    sim.disconnect('rita');
    expect(sim.backend.isUserOnline('rita')).toBe(false);
    sim.backend.send({
      serviceAccount: '@customer_service_account',
      userID: 'rita',
      elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'sent while you were away' } }],
    });
    // The SDK reconnects on its own schedule (at once, or after ~17 s), then syncs with its cookie.
    const [missed] = await rita.waitFor<{ payload: { text: string } }[]>(
      'onMessageReceived',
      undefined,
      25_000,
      since,
    );
    expect(missed.payload.text).toBe('sent while you were away');
    expect(sim.backend.isUserOnline('rita')).toBe(true);
    expect(rita.wx.sockets.length).toBeGreaterThanOrEqual(2);
    expect(rita.chat.isReady()).toBe(true);
    expect(rita.events.slice(since).some((e) => e.name === 'sdkStateNotReady')).toBe(false);
  }, 40_000);
});

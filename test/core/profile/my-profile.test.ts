import {
  NICK_MAX_LENGTH,
  createProfileStore,
  isShareableAvatar,
  normaliseNick,
} from '../../../miniprogram/core/profile/my-profile';
import { FakeClock, flushMicrotasks } from '../../fakes/fake-clock';
import { FakeFiles } from '../../fakes/fake-files';
import { FakeTransport } from '../../fakes/fake-transport';
import { RecordingLogger } from '../../fakes/harness';
import { MemoryStorage } from '../../fakes/memory-storage';

async function setup(userID = 'u1') {
  const storage = new MemoryStorage();
  const files = new FakeFiles();
  const transport = new FakeTransport(new FakeClock());
  const logger = new RecordingLogger();
  await transport.login({ userID, userSig: `sig-${userID}` });
  const profile = createProfileStore({ storage, files, transport, logger });
  profile.useAccount(userID);
  return { storage, files, transport, logger, profile };
}

const profileCalls = (t: FakeTransport) => t.calls.filter((c) => c.method === 'updateMyProfile');

describe('normaliseNick', () => {
  it('trims, folds spaces and drops invisible characters', () => {
    expect(normaliseNick('  小\u200b明 \t 同学 ')).toEqual({ ok: true, value: '小明 同学' });
    expect(normaliseNick('\u202eevil')).toEqual({ ok: true, value: 'evil' });
  });

  it(`refuses more than ${NICK_MAX_LENGTH} characters, counting an emoji as one`, () => {
    expect(normaliseNick('😀'.repeat(NICK_MAX_LENGTH)).ok).toBe(true);
    const long = normaliseNick('a'.repeat(NICK_MAX_LENGTH + 1));
    expect(!long.ok && long.error.code).toBe('text-too-long');
  });
});

describe('isShareableAvatar', () => {
  it('takes short http(s) URLs, not local files', () => {
    expect(isShareableAvatar('https://cdn.example.com/a.png')).toBe(true);
    expect(isShareableAvatar('wxfile://usr/cs-avatar.jpg')).toBe(false);
    expect(isShareableAvatar(`https://x.example/${'a'.repeat(500)}`)).toBe(false);
    expect(isShareableAvatar('javascript:alert(1)')).toBe(false);
  });
});

describe('profile store', () => {
  it('starts with the neutral default: no nickname, no avatar', async () => {
    const { profile } = await setup();
    expect(profile.getState()).toMatchObject({ userID: 'u1', nick: '', avatar: '' });
  });

  it('keeps the chosen avatar file, stores the profile and shares only the nickname', async () => {
    const { profile, files, transport, storage } = await setup();
    const saved = await profile.save({ nick: ' 小明 ', avatarTempPath: 'http://tmp/a.jpg' });
    expect(saved.ok).toBe(true);
    const avatar = profile.getState().avatar;
    expect(avatar).toMatch(/^wxfile:\/\/usr\/cs-avatar-1-a\.jpg$/);
    expect(files.kept.has(avatar)).toBe(true);
    expect(profile.getState().nick).toBe('小明');
    await flushMicrotasks();
    expect(profileCalls(transport).map((c) => c.args[0])).toEqual([{ nick: '小明' }]);
    expect(storage.get('cs.profile.u1')).toEqual({ nick: '小明', avatar, shared: true });
  });

  it('shares an avatar that is a URL', async () => {
    const { profile, transport, storage } = await setup();
    storage.set('cs.profile.u1', {
      nick: 'A',
      avatar: 'https://cdn.example.com/a.png',
      shared: false,
    });
    profile.useAccount('u1');
    profile.shareIfPending();
    await flushMicrotasks();
    expect(profileCalls(transport).map((c) => c.args[0])).toEqual([
      { nick: 'A', avatar: 'https://cdn.example.com/a.png' },
    ]);
  });

  it('a new avatar replaces the kept file; the old one is deleted', async () => {
    const { profile, files } = await setup();
    await profile.save({ nick: 'A', avatarTempPath: 'http://tmp/1.jpg' });
    const first = profile.getState().avatar;
    await profile.save({ nick: 'A', avatarTempPath: 'http://tmp/2.jpg' });
    expect(files.kept.has(first)).toBe(false);
    expect([...files.kept]).toEqual([profile.getState().avatar]);
    // Saving only the nickname keeps the avatar.
    await profile.save({ nick: 'B' });
    expect(profile.getState()).toMatchObject({ nick: 'B', avatar: [...files.kept][0] });
  });

  it('a refused nickname changes nothing', async () => {
    const { profile, storage, transport } = await setup();
    const res = await profile.save({ nick: 'x'.repeat(NICK_MAX_LENGTH + 1) });
    expect(!res.ok && res.error.code).toBe('text-too-long');
    expect(storage.get('cs.profile.u1')).toBeUndefined();
    expect(profileCalls(transport)).toEqual([]);
  });

  it('a file that cannot be kept fails the save and keeps the old profile', async () => {
    const { profile, files } = await setup();
    await profile.save({ nick: 'A' });
    files.failKeep = true;
    const res = await profile.save({ nick: 'B', avatarTempPath: 'http://tmp/1.jpg' });
    expect(res.ok).toBe(false);
    expect(profile.getState()).toMatchObject({ nick: 'A', avatar: '', saving: false });
  });

  it('a profile the server did not take is sent again at the next login', async () => {
    const { profile, transport, storage, logger } = await setup();
    await transport.logout();
    const res = await profile.save({ nick: '离线' });
    expect(res.ok).toBe(true);
    await flushMicrotasks();
    expect(storage.get('cs.profile.u1')).toMatchObject({ nick: '离线', shared: false });
    expect(
      logger.lines.some((l) => l.level === 'warn' && /sharing the profile/.test(l.message)),
    ).toBe(true);
    await transport.login({ userID: 'u1', userSig: 'sig' });
    profile.shareIfPending();
    await flushMicrotasks();
    expect(transport.profiles.get('u1')).toEqual({ nick: '离线' });
    expect(storage.get('cs.profile.u1')).toMatchObject({ shared: true });
    // Nothing pending any more: no further call.
    const calls = profileCalls(transport).length;
    profile.shareIfPending();
    await flushMicrotasks();
    expect(profileCalls(transport)).toHaveLength(calls);
  });

  it('each WeChat user on the device has their own profile', async () => {
    const { profile } = await setup();
    await profile.save({ nick: 'One' });
    profile.useAccount('u2');
    expect(profile.getState()).toMatchObject({ userID: 'u2', nick: '', avatar: '' });
    profile.useAccount('u1');
    expect(profile.getState().nick).toBe('One');
    profile.useAccount('');
    const res = await profile.save({ nick: 'x' });
    expect(!res.ok && res.error.code).toBe('not-logged-in');
  });
});

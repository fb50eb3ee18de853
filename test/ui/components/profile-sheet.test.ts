import { find, fire, mountHost, tap } from './host';
import type { Hosted } from './host';

const PATH = 'components/profile-sheet/profile-sheet';
const mount = (props: Record<string, unknown>): Promise<Hosted> =>
  mountHost(PATH, { show: false, nick: '', avatar: '', saving: false, errorText: '', ...props }, [
    'save',
    'cancel',
  ]);

const button = (h: Hosted, id: string) => find(find(h.subject, id), '.t-button');

describe('profile-sheet', () => {
  it('draws nothing while closed', async () => {
    const h = await mount({});
    expect(h.subject.querySelector('.cs-profile')).toBeUndefined();
  });

  it('opens from what is saved, with a silhouette when there is no picture', async () => {
    const h = await mount({});
    await h.update({ show: true, nick: '小明' });
    expect(h.subject.data.draftNick).toBe('小明');
    expect(find(h.subject, '.cs-profile__avatar--empty')).toBeDefined();
    expect(h.subject.data.texts.avatarAria).toBe('选择头像，可用微信头像');
  });

  it('saves the typed nickname and the chosen picture', async () => {
    const h = await mount({});
    await h.update({ show: true });
    await fire(find(h.subject, '#profile-avatar'), 'chooseavatar', {
      avatarUrl: 'http://tmp/a.jpg',
    });
    expect(h.subject.querySelector('.cs-profile__avatar--empty')).toBeUndefined();
    await fire(find(h.subject, '#profile-nick'), 'input', { value: '小明' });
    await tap(button(h, '#profile-save'));
    expect(h.events).toEqual([
      { type: 'save', detail: { nick: '小明', avatarTempPath: 'http://tmp/a.jpg' } },
    ]);
  });

  it('without a new picture, saves the nickname only', async () => {
    const h = await mount({ avatar: 'wxfile://usr/a.jpg' });
    await h.update({ show: true, nick: 'A' });
    await tap(button(h, '#profile-save'));
    expect(h.events).toEqual([{ type: 'save', detail: { nick: 'A' } }]);
  });

  it("says why WeChat's review cleared the nickname; a review timeout keeps it", async () => {
    const h = await mount({});
    await h.update({ show: true });
    const nick = find(h.subject, '#profile-nick');
    await fire(nick, 'input', { value: '坏名字' });
    await fire(nick, 'nicknamereview', { pass: false, timeout: true });
    expect(h.subject.data.draftNick).toBe('坏名字');
    await fire(nick, 'nicknamereview', { pass: false, timeout: false });
    expect(h.subject.data.draftNick).toBe('');
    expect(find(h.subject, '.cs-profile__error').dom!.textContent).toBe(
      '这个昵称未通过微信的安全检测，请换一个',
    );
  });

  it('shows the page error, ignores a second save while saving, and cancels', async () => {
    const h = await mount({});
    await h.update({ show: true, saving: true, errorText: '头像保存失败，请重试' });
    expect(find(h.subject, '.cs-profile__error').dom!.textContent).toBe('头像保存失败，请重试');
    await tap(button(h, '#profile-save'));
    expect(h.events).toEqual([]);
    await tap(find(h.subject, '.cs-profile__mask'));
    expect(h.events).toEqual([{ type: 'cancel', detail: {} }]);
  });
});

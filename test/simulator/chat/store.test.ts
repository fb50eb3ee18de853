import { ChatStore } from '../../../simulator/chat/store';

const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];

function seeded() {
  const store = new ChatStore();
  store.ensureUser('alice');
  store.ensureUser('bob');
  store.ensureUser('carol');
  let seq = 0;
  const send = (from: string, to: string, t: string, time = 1000, extra = {}) =>
    store.addMessage({
      from,
      to,
      seq: ++seq,
      random: seq * 7,
      time,
      clientTime: time,
      tinyId: store.getUser(from)?.tinyId ?? '',
      elems: text(t),
      cloudCustomData: '',
      version: 0,
      nick: '',
      avatar: '',
      ...extra,
    });
  return { store, send };
}

describe('ChatStore', () => {
  it('gives every user a distinct, stable numeric TinyId and keeps profiles on re-import', () => {
    const store = new ChatStore();
    const a = store.ensureUser('a', { nick: 'A' });
    const b = store.ensureUser('b');
    expect(a.tinyId).toMatch(/^\d+$/);
    expect(a.tinyId).not.toBe(b.tinyId);
    expect(store.ensureUser('a').nick).toBe('A');
    expect(store.ensureUser('a', { nick: 'A2' }).tinyId).toBe(a.tinyId);
  });

  it('counts unread messages from the peer only, up to the read position', () => {
    const { store, send } = seeded();
    send('bob', 'alice', '1', 1000);
    send('bob', 'alice', '2', 1001);
    send('alice', 'bob', 'mine', 1001);
    expect(store.unreadCount('alice', 'bob')).toBe(2);
    expect(store.unreadCount('bob', 'alice')).toBe(1);
    store.markRead('alice', 'bob', 1000);
    expect(store.unreadCount('alice', 'bob')).toBe(1);
    expect(store.peekView('alice', 'bob')?.readTime).toBe(1000);
    store.markRead('alice', 'bob', 1001);
    expect(store.unreadCount('alice', 'bob')).toBe(0);
  });

  it('does not count revoked or NoUnread messages', () => {
    const { store, send } = seeded();
    send('bob', 'alice', 'quiet', 1000, { noUnread: true });
    const m = send('bob', 'alice', 'revoked', 1000);
    m.revoked = { by: 'bob', reason: '' };
    expect(store.unreadCount('alice', 'bob')).toBe(0);
  });

  it('lists conversations with a last message; NoLastMsg messages never become it', () => {
    const { store, send } = seeded();
    send('bob', 'alice', 'hello', 1000);
    send('bob', 'alice', 'silent', 1001, { noLastMsg: true });
    expect(store.listedPeers('alice')).toEqual(['bob']);
    expect(store.lastVisible('alice', 'bob')?.elems).toEqual(text('hello'));
    expect(store.listedPeers('carol')).toEqual([]);
  });

  it('deletes a conversation for one side only; with ClearRamble its history is gone too', () => {
    const { store, send } = seeded();
    send('bob', 'alice', 'old', 1000);
    store.deleteConversation('alice', 'bob', true);
    expect(store.listedPeers('alice')).toEqual([]);
    expect(store.visibleMessages('alice', 'bob')).toEqual([]);
    expect(store.unreadCount('alice', 'bob')).toBe(0);
    expect(store.listedPeers('bob')).toEqual(['alice']);
    send('bob', 'alice', 'new', 1001);
    expect(store.listedPeers('alice')).toEqual(['bob']);
    expect(store.visibleMessages('alice', 'bob').map((m) => m.elems)).toEqual([text('new')]);
    expect(store.unreadCount('alice', 'bob')).toBe(1);
  });

  it('keeps history after a delete without ClearRamble, but hides the conversation', () => {
    const { store, send } = seeded();
    send('bob', 'alice', 'old', 1000);
    store.deleteConversation('alice', 'bob', false);
    expect(store.listedPeers('alice')).toEqual([]);
    expect(store.visibleMessages('alice', 'bob')).toHaveLength(1);
  });

  it('hides SyncOtherMachine 2 messages from their sender only', () => {
    const { store, send } = seeded();
    send('alice', 'bob', 'admin-made', 1000, { hiddenFromSender: true });
    expect(store.listedPeers('alice')).toEqual([]);
    expect(store.listedPeers('bob')).toEqual(['alice']);
  });

  it('finds messages by sender, recipient, seq, random and time; finds resent duplicates', () => {
    const { store, send } = seeded();
    const m = send('alice', 'bob', 'x', 1234);
    expect(store.find({ from: 'alice', to: 'bob', seq: m.seq, random: m.random, time: 1234 })).toBe(
      m,
    );
    expect(
      store.find({ from: 'alice', to: 'bob', seq: m.seq, random: m.random, time: 1235 }),
    ).toBeUndefined();
    expect(store.find({ from: 'bob', to: 'alice', seq: m.seq, random: m.random })).toBeUndefined();
    expect(store.findDuplicate('alice', 'bob', m.seq, m.random)).toBe(m);
  });

  it('returns messages to a user after a sync cookie, oldest first', () => {
    const { store, send } = seeded();
    send('bob', 'alice', '1');
    const cookie = store.maxId();
    const m2 = send('carol', 'alice', '2');
    send('alice', 'bob', 'own');
    const m4 = send('bob', 'alice', '4');
    expect(store.messagesForSince('alice', cookie)).toEqual([m2, m4]);
  });

  it('round-trips through a snapshot', () => {
    const { store, send } = seeded();
    send('bob', 'alice', 'persisted', 1000);
    store.setPinned('alice', 'bob', true);
    store.setProfileTag('alice', 'Tag_Profile_IM_Nick', 'Alice');
    store.setProfileTag('alice', 'Tag_Profile_IM_Gender', 'Gender_Type_Female');
    const copy = new ChatStore();
    copy.loadSnapshot(JSON.parse(JSON.stringify(store.toSnapshot())));
    expect(copy.toSnapshot()).toEqual(store.toSnapshot());
    expect(copy.peekView('alice', 'bob')?.pinned).toBe(true);
    const next = copy.ensureUser('dave');
    expect(next.tinyId).not.toBe(copy.getUser('carol')?.tinyId);
  });

  it('rebases local URLs minted under a previous origin', () => {
    const { store, send } = seeded();
    store.rebaseOrigin('http://127.0.0.1:1111');
    store.ensureUser('alice', { avatar: 'http://127.0.0.1:1111/assets/service-avatar.svg' });
    const m = send('alice', 'bob', 'x', 1000, {
      avatar: 'http://127.0.0.1:1111/assets/service-avatar.svg',
      elems: [
        {
          MsgType: 'TIMImageElem',
          MsgContent: { ImageInfoArray: [{ URL: 'http://127.0.0.1:1111/files/a.png' }] },
        },
      ],
    });
    const copy = new ChatStore();
    copy.loadSnapshot(JSON.parse(JSON.stringify(store.toSnapshot())));
    copy.rebaseOrigin('http://127.0.0.1:2222');
    expect(copy.getUser('alice')?.avatar).toBe('http://127.0.0.1:2222/assets/service-avatar.svg');
    const moved = copy.find({ from: 'alice', to: 'bob', seq: m.seq, random: m.random });
    expect(moved?.avatar).toBe('http://127.0.0.1:2222/assets/service-avatar.svg');
    expect(JSON.stringify(moved?.elems)).toContain('http://127.0.0.1:2222/files/a.png');
    expect(copy.toSnapshot().origin).toBe('http://127.0.0.1:2222');
  });

  it('bumps its revision on every change (the persistence trigger)', () => {
    const { store, send } = seeded();
    const r0 = store.revision;
    send('bob', 'alice', 'x');
    expect(store.revision).toBeGreaterThan(r0);
    const r1 = store.revision;
    store.getUser('alice');
    store.unreadCount('alice', 'bob');
    expect(store.revision).toBe(r1);
  });
});

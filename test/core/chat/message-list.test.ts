import { MessageList } from '../../../miniprogram/core/chat/message-list';
import type { ChatMessage } from '../../../miniprogram/core/model/message';

let n = 0;
const msg = (over: Partial<ChatMessage> = {}): ChatMessage => ({
  ID: `id${(n += 1)}`,
  conversationID: 'C2Cpeer',
  type: 'TIMTextElem',
  flow: 'in',
  from: 'peer',
  to: 'me',
  time: 100,
  sequence: 0,
  nick: '',
  avatar: '',
  payload: { text: 't' },
  cloudCustomData: '',
  isRevoked: false,
  version: 0,
  status: 'sent',
  ...over,
});

describe('MessageList', () => {
  let derives = 0;
  const make = () =>
    new MessageList<string>((m) => {
      derives += 1;
      return m.payload.text ?? '';
    });
  beforeEach(() => {
    derives = 0;
  });

  it('sorts by time and keeps arrival order within a second', () => {
    const list = make();
    list.upsert([
      msg({ ID: 'b', time: 200, payload: { text: 'b' } }),
      msg({ ID: 'a', time: 100, payload: { text: 'a' } }),
    ]);
    list.upsert([msg({ ID: 'c', time: 200, payload: { text: 'c' } })]);
    expect(list.entries.map((e) => e.message.ID)).toEqual(['a', 'b', 'c']);
  });

  it('never holds the same ID twice', () => {
    const list = make();
    const m = msg({ ID: 'x' });
    list.upsert([m]);
    list.upsert([{ ...m }, { ...m }]);
    expect(list.size).toBe(1);
  });

  it('returns false and keeps the same array when nothing changed', () => {
    const list = make();
    const m = msg({ ID: 'x' });
    list.upsert([m]);
    const before = list.entries;
    expect(list.upsert([{ ...m, payload: { ...m.payload } }])).toBe(false);
    expect(list.entries).toBe(before);
  });

  it('replaces only the changed entry (others keep their identity)', () => {
    const list = make();
    list.upsert([msg({ ID: 'a', time: 1 }), msg({ ID: 'b', time: 2 }), msg({ ID: 'c', time: 3 })]);
    const [a, , c] = list.entries;
    list.upsert([msg({ ID: 'b', time: 2, version: 1, payload: { text: 'new' } })]);
    expect(list.entries[0]).toBe(a);
    expect(list.entries[2]).toBe(c);
    expect(list.entries[1].derived).toBe('new');
  });

  it('ignores stale versions and never un-revokes', () => {
    const list = make();
    list.upsert([msg({ ID: 'a', version: 3, payload: { text: 'v3' } })]);
    list.upsert([msg({ ID: 'a', version: 2, payload: { text: 'v2' } })]);
    expect(list.get('a')?.derived).toBe('v3');
    list.upsert([msg({ ID: 'a', version: 3, isRevoked: true })]);
    list.upsert([msg({ ID: 'a', version: 4, isRevoked: false })]);
    expect(list.get('a')?.message.isRevoked).toBe(true);
  });

  it('merges the server copy of an own message into the optimistic one', () => {
    const list = make();
    list.upsert([msg({ ID: '', clientId: 'c1', flow: 'out', status: 'sending', time: 500 })]);
    list.patch('c1', (m) => ({ ...m, ID: 'srv1' }));
    list.upsert([msg({ ID: 'srv1', flow: 'out', status: 'sent', time: 501 })]);
    expect(list.size).toBe(1);
    expect(list.entries[0]).toMatchObject({
      key: 'c1',
      message: { ID: 'srv1', clientId: 'c1', status: 'sent', time: 501 },
    });
    expect(list.get('srv1')).toBe(list.get('c1'));
  });

  it('does not let the SDK local copy override a pending own message', () => {
    const list = make();
    list.upsert([msg({ ID: 'm1', clientId: 'c1', flow: 'out', status: 'failed' })]);
    list.upsert([msg({ ID: 'm1', flow: 'out', status: 'sending' })]);
    expect(list.get('c1')?.message.status).toBe('failed');
  });

  it('ranks older pages before everything, in page order', () => {
    const list = make();
    list.upsert([msg({ ID: 'n1', time: 50 }), msg({ ID: 'n2', time: 50 })]);
    list.upsert([msg({ ID: 'o1', time: 50 }), msg({ ID: 'o2', time: 50 })], 'older');
    list.upsert([msg({ ID: 'p1', time: 50 })], 'older');
    expect(list.entries.map((e) => e.message.ID)).toEqual(['p1', 'o1', 'o2', 'n1', 'n2']);
  });

  it('repositions an entry whose time changes', () => {
    const list = make();
    list.upsert([msg({ ID: 'a', time: 1 }), msg({ ID: 'b', time: 2 }), msg({ ID: 'c', time: 3 })]);
    list.patch('a', (m) => ({ ...m, time: 10 }));
    expect(list.entries.map((e) => e.message.ID)).toEqual(['b', 'c', 'a']);
  });

  it('removes entries', () => {
    const list = make();
    list.upsert([msg({ ID: 'a' }), msg({ ID: 'b' })]);
    expect(list.remove('a')).toBe(true);
    expect(list.remove('a')).toBe(false);
    expect(list.entries.map((e) => e.message.ID)).toEqual(['b']);
  });

  it('handles 10,000 messages arriving out of order without duplicates', () => {
    const list = make();
    const all = Array.from({ length: 10_000 }, (_, i) =>
      msg({ ID: `m${i}`, time: 1_000 + ((i * 7919) % 10_000) }),
    );
    for (let i = 0; i < all.length; i += 100) list.upsert(all.slice(i, i + 100));
    list.upsert(all.slice(0, 500));
    expect(list.size).toBe(10_000);
    const times = list.entries.map((e) => e.message.time);
    expect(times.every((t, i) => i === 0 || times[i - 1] <= t)).toBe(true);
    expect(derives).toBe(10_000);
  });
});

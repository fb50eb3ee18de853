import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Persistence } from '../../../simulator/chat/persistence';
import { ChatStore } from '../../../simulator/chat/store';

let tmp: string;
const log = { info: jest.fn(), warn: jest.fn(), once: jest.fn() };
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sim-persist-'));
  log.info.mockReset();
  log.warn.mockReset();
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
function message(store: ChatStore, from: string, to: string, t: string) {
  return store.addMessage({
    from,
    to,
    seq: store.allocServerSeq(),
    random: 7,
    time: 100,
    clientTime: 100,
    tinyId: '1',
    elems: text(t),
    cloudCustomData: '',
    version: 0,
    nick: '',
    avatar: '',
  });
}

it('journals each change synchronously and replays it after a crash (no compaction, no close)', () => {
  const file = join(tmp, 'chat.json');
  const store = new ChatStore();
  new Persistence(file, store, log).open();
  store.ensureUser('a', { nick: 'Ann' });
  store.ensureUser('b');
  const m = message(store, 'a', 'b', 'hello');
  store.setPinned('b', 'a', true);
  m.revoked = { by: 'a', reason: '' };
  store.markChanged(m);
  // Crash: nothing flushed; the journal alone holds the changes.
  expect(
    readFileSync(`${file}.journal`, 'utf8').split('\n').filter(Boolean).length,
  ).toBeGreaterThan(4);

  const again = new ChatStore();
  new Persistence(file, again, log).open();
  expect(again.getUser('a')?.nick).toBe('Ann');
  expect(again.visibleMessages('b', 'a').map((x) => [x.elems, x.revoked])).toEqual([
    [text('hello'), { by: 'a', reason: '' }],
  ]);
  expect(again.peekView('b', 'a')?.pinned).toBe(true);
  expect(again.maxId()).toBe(1);
  // Opening compacted: the snapshot holds everything and the journal is empty.
  expect(readFileSync(`${file}.journal`, 'utf8')).toBe('');
  expect(readFileSync(file, 'utf8')).toContain('hello');
});

it('replays a journal over a snapshot that already holds part of it without duplicates, skipping a torn line', () => {
  const file = join(tmp, 'chat.json');
  const store = new ChatStore();
  const p = new Persistence(file, store, log);
  p.open();
  store.ensureUser('a');
  store.ensureUser('b');
  message(store, 'a', 'b', 'one');
  const journal = readFileSync(`${file}.journal`, 'utf8');
  p.flush(); // snapshot written, journal emptied
  // A crash between the snapshot's rename and the journal's truncation leaves both.
  appendFileSync(`${file}.journal`, journal);
  message(store, 'a', 'b', 'two');
  appendFileSync(`${file}.journal`, '{"n":[9,9,9],"m":{"id":');

  const again = new ChatStore();
  new Persistence(file, again, log).open();
  expect(again.visibleMessages('a', 'b').map((x) => x.elems)).toEqual([text('one'), text('two')]);
  expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('skipped 1'));
  expect(existsSync(`${file}.journal`)).toBe(true);
});

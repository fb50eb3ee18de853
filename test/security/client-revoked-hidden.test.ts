/**
 * Invisible stays invisible: a protocol message the user never saw (src 7 handshake, 10 rating
 * submission, 12 typing, ...) that is then revoked must not appear as "对方撤回了一条消息" in the
 * chat or as "[撤回]" in the list, as Tencent's plugin keeps it hidden. A revoked message that was
 * visible still shows as revoked.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { createChatViewBuilder } from '../../miniprogram/core/chat/chat-view';
import { classifyWithVisibility } from '../../miniprogram/core/tccc';
import { createHarness, loggedIn, SERVICE, USER } from '../fakes/harness';

const FIXTURES = join(__dirname, '../fixtures/tccc');
const fixture = (name: string): string =>
  JSON.stringify(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')));

const HIDDEN = [
  'src-7-handshake',
  'src-10-rating-submission',
  'src-12-typing',
  'src-19-session-end',
];
const SHOWN = ['src-15-branch', 'src-30-rich-text'];

describe('client: a revoked hidden protocol message stays hidden', () => {
  it.each(HIDDEN)('%s, revoked, is classified invisible and inert', (name) => {
    const result = classifyWithVisibility({
      ID: 'm-1',
      type: 'TIMCustomElem',
      flow: 'in',
      from: SERVICE,
      time: 1_700_000_000,
      isRevoked: true,
      payload: { data: fixture(name) },
    });
    expect(result.visible).toBe(false);
    // Hidden, not the signal itself: a revoked "session ended" must not end anything.
    expect(result.message.kind).toBe('hidden');
  });

  it('through the chat: revoking hidden messages adds no line, revoking a visible one does', async () => {
    const h = createHarness();
    await loggedIn(h);
    const chat = h.chat();
    await chat.open();
    const hidden = HIDDEN.map((name) =>
      h.transport.peerSends(SERVICE, USER, { data: fixture(name) }),
    );
    const shown = SHOWN.map((name) =>
      h.transport.peerSends(SERVICE, USER, { data: fixture(name) }),
    );
    const build = createChatViewBuilder();
    const ctx = {
      now: h.clock.now(),
      language: 'zh-CN' as const,
      self: { nick: '我', avatar: '' },
      peer: { nick: '在线客服', avatar: '' },
    };
    expect(build(chat.getState(), ctx).messages.map((m) => m.kind)).toEqual(['menu', 'rich-text']);
    for (const message of [...hidden, ...shown]) h.transport.revoke(USER, message.ID);
    const kinds = build(chat.getState(), ctx).messages.map((m) => m.kind);
    expect(kinds).toEqual(['revoked', 'revoked']);
  });
});

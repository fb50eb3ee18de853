import type { ChatView, MessageView } from '../../../miniprogram/core/chat/chat-view';
import {
  RENDER_KEEP,
  RENDER_MAX,
  RENDER_STEP,
  trimmedFirstKey,
  widenedFirstKey,
  windowChatView,
} from '../../../miniprogram/core/chat/render-window';

const messages = (n: number): MessageView[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k${i}` }) as MessageView);

const view = (n: number, canLoadOlder = false): ChatView =>
  ({
    messages: messages(n),
    history: { loading: false, canLoadOlder, errorText: '' },
  }) as unknown as ChatView;

describe('render window', () => {
  it('renders everything from an empty key, and from the key on otherwise, sharing message objects', () => {
    const v = view(10);
    expect(windowChatView(v, '').messages).toBe(v.messages);
    const w = windowChatView(v, 'k4');
    expect(w.messages.map((m) => m.key)).toEqual(['k4', 'k5', 'k6', 'k7', 'k8', 'k9']);
    expect(w.messages[0]).toBe(v.messages[4]);
    expect(w.history).toMatchObject({ hidden: 4, canLoadOlder: true });
    expect(windowChatView(v, '').history).toMatchObject({ hidden: 0, canLoadOlder: false });
    // An anchor that is gone renders everything rather than nothing.
    expect(windowChatView(v, 'gone').messages).toHaveLength(10);
  });

  it('trims to the newest messages only past the maximum and only at the bottom', () => {
    expect(trimmedFirstKey(messages(RENDER_MAX), '', true)).toBe('');
    const many = messages(RENDER_MAX + 1);
    expect(trimmedFirstKey(many, '', false)).toBe('');
    const first = trimmedFirstKey(many, '', true);
    expect(windowChatView({ ...view(0), messages: many }, first).messages).toHaveLength(
      RENDER_KEEP,
    );
    // Appends after a trim do not move the window until it is full again.
    const more = messages(RENDER_MAX + 50);
    expect(trimmedFirstKey(more, first, true)).toBe(first);
  });

  it('widens by a step over loaded messages, down to the first one', () => {
    const all = messages(150);
    expect(widenedFirstKey(all, 'k100')).toBe(`k${100 - RENDER_STEP}`);
    expect(widenedFirstKey(all, 'k10')).toBe('');
    expect(widenedFirstKey(all, '')).toBe('');
  });
});

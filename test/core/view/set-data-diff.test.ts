import { diffForSetData, isEmptyPayload } from '../../../miniprogram/core/view/set-data-diff';

/** Applies a setData payload the way WeChat does (path keys). */
function apply(
  target: Record<string, unknown>,
  payload: Record<string, unknown>,
): Record<string, unknown> {
  const out = JSON.parse(JSON.stringify(target)) as Record<string, unknown>;
  for (const [path, value] of Object.entries(payload)) {
    const parts = path.match(/[^.[\]]+/g)!;
    let node: Record<string, unknown> = out;
    parts.forEach((part, i) => {
      const key = /^\d+$/.test(part) && Array.isArray(node) ? Number(part) : part;
      if (i === parts.length - 1)
        (node as Record<string | number, unknown>)[key] = JSON.parse(JSON.stringify(value ?? null));
      else {
        const next = (node as Record<string | number, unknown>)[key];
        node = (next ?? ((node as Record<string | number, unknown>)[key] = {})) as Record<
          string,
          unknown
        >;
      }
    });
  }
  return out;
}

describe('diffForSetData', () => {
  const item = (i: number, status = 'sent') => ({ id: `m${i}`, status, text: `t${i}` });

  it('sends everything the first time', () => {
    expect(diffForSetData(null, { a: 1, b: [1] })).toEqual({ a: 1, b: [1] });
  });

  it('sends one key for one appended message', () => {
    const messages = Array.from({ length: 1000 }, (_, i) => item(i));
    const prev = { messages, session: { typing: false } };
    const next = { messages: [...messages, item(1000)], session: prev.session };
    expect(diffForSetData(prev, next)).toEqual({ 'messages[1000]': item(1000) });
  });

  it('sends a path for a changed field', () => {
    const messages = [item(0), item(1, 'sending')];
    const next = {
      messages: [messages[0], { ...messages[1], status: 'sent' }],
      session: { typing: true },
    };
    expect(diffForSetData({ messages, session: { typing: false } }, next)).toEqual({
      'messages[1].status': 'sent',
      'session.typing': true,
    });
  });

  it('sends a shorter array whole, removed keys as null, undefined as null', () => {
    const payload = diffForSetData({ list: [1, 2, 3], gone: 1, x: 1 }, { list: [1], x: undefined });
    expect(payload).toEqual({ list: [1], gone: null, x: null });
  });

  it('is empty when nothing changed', () => {
    const state = { a: { b: [1, { c: 'x' }] } };
    expect(
      isEmptyPayload(diffForSetData(state, JSON.parse(JSON.stringify(state)) as typeof state)),
    ).toBe(true);
  });

  it('round-trips: applying the payload to prev gives next (random states)', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const value = (depth: number): unknown => {
      const k = rnd(depth > 2 ? 3 : 5);
      if (k === 0) return rnd(10);
      if (k === 1) return `s${rnd(5)}`;
      if (k === 2) return rnd(2) === 0;
      if (k === 3) return Array.from({ length: rnd(4) }, () => value(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = 0; i < rnd(4); i += 1) o[`k${rnd(5)}`] = value(depth + 1);
      return o;
    };
    for (let i = 0; i < 500; i += 1) {
      const prev = { root: value(0), other: value(0) };
      const next = { root: value(0), other: rnd(2) ? prev.other : value(0) };
      const applied = apply(prev, diffForSetData(prev, next));
      expect(applied).toEqual(JSON.parse(JSON.stringify(next)));
    }
  });
});

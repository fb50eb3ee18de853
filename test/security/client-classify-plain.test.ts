/**
 * Classification results are plain data: whatever an already-parsed `cloudCustomData` holds
 * (getters, proxies, cycles, functions), the result survives structuredClone and JSON, and holds no
 * reference into the message it came from.
 */
import { classifyMessage } from '../../miniprogram/core/tccc';

function withMeta(cloudCustomData: unknown): Record<string, unknown> {
  return {
    ID: 'm-1',
    type: 'TIMTextElem',
    flow: 'in',
    from: 'agent',
    time: 1_700_000_000,
    payload: { text: 'hi' },
    cloudCustomData,
  };
}

function hostileMetas(): Record<string, unknown> {
  const cycle: Record<string, unknown> = { messageType: 'queuing' };
  cycle.self = cycle;
  const getter = { messageType: 'queuing' };
  Object.defineProperty(getter, 'role', {
    enumerable: true,
    get: () => {
      throw new Error('getter');
    },
  });
  const live = { messageType: 'queuing' };
  Object.defineProperty(live, 'role', { enumerable: true, get: () => 'robot' });
  const deep: Record<string, unknown> = { messageType: 'queuing' };
  let cursor = deep;
  for (let i = 0; i < 10_000; i += 1) cursor = cursor.next = {} as Record<string, unknown>;
  return {
    cycle,
    'throwing getter': getter,
    'live getter': live,
    proxy: new Proxy({ messageType: 'queuing' }, {}),
    'throwing proxy': new Proxy(
      {},
      {
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    ),
    function: { messageType: 'queuing', callback: () => 1 },
    symbol: { messageType: 'queuing', nested: [Symbol('s')] },
    bigint: { messageType: 'queuing', n: 1n },
    'deep chain': deep,
    'wide object': Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i])),
    date: new Date(0),
    map: new Map([['messageType', 'queuing']]),
  };
}

describe('client classification: plain data only', () => {
  it.each(Object.entries(hostileMetas()))(
    '%s cloudCustomData: the result clones',
    (_name, meta) => {
      const result = classifyMessage(withMeta(meta));
      expect(result.kind).toBe('plain');
      expect(() => structuredClone(result)).not.toThrow();
      expect(() => JSON.stringify(result)).not.toThrow();
      if (result.meta) expect(result.meta.raw).not.toBe(meta);
    },
  );

  it('keeps plain already-parsed data, as a copy', () => {
    const meta = { messageType: 'queuing', role: 'robot', extra: { list: [1, 'a', null, true] } };
    const result = classifyMessage(withMeta(meta));
    expect(result.meta?.messageType).toBe('queuing');
    expect(result.meta?.raw).toEqual(meta);
    expect(result.meta?.raw).not.toBe(meta);
    meta.extra.list.push(2);
    expect(result.meta?.raw).toEqual({ ...meta, extra: { list: [1, 'a', null, true] } });
  });

  it('copies a live getter value, and drops data it cannot copy', () => {
    const metas = hostileMetas();
    expect(classifyMessage(withMeta(metas['live getter'])).meta?.role).toBe('robot');
    for (const name of ['cycle', 'throwing getter', 'function', 'symbol', 'bigint', 'deep chain'])
      expect([name, classifyMessage(withMeta(metas[name])).meta]).toEqual([name, undefined]);
  });
});

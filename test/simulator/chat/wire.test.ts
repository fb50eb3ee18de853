import { parseFrame, textsOf, toElems } from '../../../simulator/chat/wire';

describe('parseFrame', () => {
  it('accepts {head:{servcmd, seq}, body} and defaults a missing body to {}', () => {
    expect(parseFrame('{"head":{"servcmd":"heartbeat.alive","seq":3}}')).toEqual({
      servcmd: 'heartbeat.alive',
      seq: 3,
      head: { servcmd: 'heartbeat.alive', seq: 3 },
      body: {},
    });
  });

  it.each([
    ['not JSON', 'hello'],
    ['a JSON array', '[1,2]'],
    ['null', 'null'],
    ['no head', '{"body":{}}'],
    ['head without servcmd', '{"head":{"seq":1}}'],
    ['head without seq', '{"head":{"servcmd":"x"}}'],
    ['an object seq', '{"head":{"servcmd":"x","seq":{}}}'],
    ['a numeric servcmd', '{"head":{"servcmd":5,"seq":1}}'],
  ])('rejects %s', (_name, text) => {
    expect(parseFrame(text)).toBeUndefined();
  });

  it('treats a non-object body as empty', () => {
    expect(parseFrame('{"head":{"servcmd":"x","seq":"9"},"body":[1]}')?.body).toEqual({});
  });
});

describe('toElems', () => {
  it('keeps text and custom elements and passes other types through', () => {
    expect(
      toElems([
        { MsgType: 'TIMTextElem', MsgContent: { Text: 'hi', Extra: 1 } },
        { MsgType: 'TIMCustomElem', MsgContent: { Data: '{}', Desc: 'd' } },
        { MsgType: 'TIMImageElem', MsgContent: { UUID: 'u' } },
      ]),
    ).toEqual([
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } },
      { MsgType: 'TIMCustomElem', MsgContent: { Data: '{}', Desc: 'd' } },
      { MsgType: 'TIMImageElem', MsgContent: { UUID: 'u' } },
    ]);
  });

  it.each([
    ['missing', undefined],
    ['empty', []],
    ['not an array', { MsgType: 'TIMTextElem' }],
    ['a text without Text', [{ MsgType: 'TIMTextElem', MsgContent: {} }]],
    ['an element without content', [{ MsgType: 'TIMTextElem' }]],
    [
      'too many elements',
      Array.from({ length: 21 }, () => ({ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } })),
    ],
  ])('rejects a body that is %s', (_name, body) => {
    expect(toElems(body)).toBeUndefined();
  });

  it('collects the texts for moderation', () => {
    const elems = toElems([
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'a' } },
      { MsgType: 'TIMCustomElem', MsgContent: { Data: 'b' } },
      { MsgType: 'TIMTextElem', MsgContent: { Text: 'c' } },
    ]);
    expect(textsOf(elems ?? [])).toEqual(['a', 'c']);
  });
});

import {
  RATING_ERROR,
  customElem,
  parseUserInput,
  requestedLanguage,
} from '../../../simulator/tccc/protocol';
import { RatingBook, ratingMenuContent } from '../../../simulator/tccc/rating';

const custom = (Data: unknown) => [{ MsgType: 'TIMCustomElem', MsgContent: { Data } }];

describe('parseUserInput', () => {
  it('reads protocol messages with string or numeric src, flag optional', () => {
    expect(parseUserInput(custom('{"src":"7"}'))).toEqual({
      kind: 'protocol',
      src: '7',
      body: { src: '7' },
    });
    expect(parseUserInput(custom('{"customerServicePlugin":0,"src":24}'))).toMatchObject({
      kind: 'protocol',
      src: '24',
    });
  });

  it('joins text elements and summarises everything else', () => {
    expect(
      parseUserInput([
        { MsgType: 'TIMTextElem', MsgContent: { Text: '你' } },
        { MsgType: 'TIMTextElem', MsgContent: { Text: '好' } },
      ]),
    ).toEqual({ kind: 'text', text: '你好' });
    expect(parseUserInput([{ MsgType: 'TIMImageElem', MsgContent: {} }])).toEqual({
      kind: 'other',
      summary: '[图片]',
    });
    const info = (Type: number, URL: unknown) => ({ Type, URL, Width: 1, Height: 1 });
    expect(
      parseUserInput([
        {
          MsgType: 'TIMImageElem',
          MsgContent: {
            ImageInfoArray: [
              info(1, 'http://127.0.0.1:9/files/a.png'),
              info(3, 'http://127.0.0.1:9/files/a.png?imageView2/3/w/198'),
            ],
          },
        },
      ]),
    ).toEqual({
      kind: 'other',
      summary: '[图片]',
      image: 'http://127.0.0.1:9/files/a.png?imageView2/3/w/198',
    });
    expect(
      parseUserInput([
        {
          MsgType: 'TIMImageElem',
          MsgContent: { ImageInfoArray: [info(3, 'javascript:x'), info(1, 7)] },
        },
      ]),
    ).toEqual({ kind: 'other', summary: '[图片]' });
    expect(parseUserInput(custom('{"businessID":"order"}'))).toEqual({
      kind: 'other',
      summary: '[自定义消息]',
    });
  });

  it.each([
    undefined,
    null,
    [],
    'x',
    [null],
    custom(5),
    custom('{oops'),
    custom('"7"'),
    custom('{"src":null}'),
    custom('{"src":[7]}'),
  ])('treats %p as other, without throwing', (elems) => {
    expect(parseUserInput(elems).kind).toBe('other');
  });

  it('reduces triggeredContent.language to zh/en', () => {
    expect(requestedLanguage({ triggeredContent: { language: 'en-US' } })).toBe('en');
    expect(requestedLanguage({ triggeredContent: { language: 'zh' } })).toBe('zh');
    expect(requestedLanguage({ triggeredContent: { language: 'ja' } })).toBeUndefined();
    expect(requestedLanguage({ triggeredContent: 'en' })).toBeUndefined();
  });

  it('builds custom elements with the flag first', () => {
    const elem = customElem('15', { content: { items: [] } });
    expect((elem.MsgContent as { Data: string }).Data).toBe(
      '{"customerServicePlugin":0,"src":"15","content":{"items":[]}}',
    );
  });
});

describe('RatingBook', () => {
  const options = [
    { id: '101', content: '差' },
    { id: '105', content: '好' },
  ];
  const card = (sessionId: string, expireTime: number) => ({
    sessionId,
    expireTime,
    options,
    refs: [],
    menuContent: ratingMenuContent({
      head: 'h',
      tail: 't',
      options,
      style: 'number',
      sessionId,
      effectiveHour: 1,
      expireTime,
    }),
  });

  it('checks in order: no card, data, duplicate, expiry, option', () => {
    const book = new RatingBook();
    const submit = (menuSelected: unknown, now = 100) =>
      book.validate('u', { src: '10', menuSelected }, now);
    expect(submit({ id: '105', sessionId: 's1' })).toEqual({
      ok: false,
      error: RATING_ERROR.NO_SESSION,
    });
    book.add('u', card('s1', 200));
    expect(submit('x')).toEqual({ ok: false, error: RATING_ERROR.DATA_ERROR });
    expect(submit({ id: '105', sessionId: 's2' })).toEqual({
      ok: false,
      error: RATING_ERROR.DATA_ERROR,
    });
    expect(submit({ id: '102', sessionId: 's1' })).toEqual({
      ok: false,
      error: RATING_ERROR.DATA_ERROR,
    });
    expect(submit({ id: '105', sessionId: 's1' }, 201)).toEqual({
      ok: false,
      error: RATING_ERROR.EXPIRED,
    });
    expect(submit({ id: '105', sessionId: 's1' }, 200)).toMatchObject({
      ok: true,
      value: { option: { id: '105' } },
    });
    const stored = book.get('u', 's1');
    if (stored) stored.selected = options[1];
    expect(submit({ id: '101', sessionId: 's1' }, 300)).toEqual({
      ok: false,
      error: RATING_ERROR.DUPLICATE,
    });
  });

  it('builds menuContent with type 1 for stars and 2 for numbers', () => {
    expect(card('s', 1).menuContent).toMatchObject({
      type: 2,
      menu: options,
      sessionId: 's',
      expireTime: 1,
      effectiveHour: 1,
    });
    const star = ratingMenuContent({
      head: '',
      tail: '',
      options,
      style: 'star',
      sessionId: 's',
      effectiveHour: 1,
      expireTime: 1,
    });
    expect(star.type).toBe(1);
  });
});

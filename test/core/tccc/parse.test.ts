import {
  MAX_DATA_LENGTH,
  classifyMessage,
  parseMessageMeta,
  parseTcccPayload,
  previewText,
} from '../../../miniprogram/core/tccc';
import { customMessage, fixtureMessage, imageMessage, textMessage } from './sdk-message';

describe('parseTcccPayload', () => {
  it('recognises a protocol message and normalises src and flag', () => {
    expect(parseTcccPayload('{"customerServicePlugin":0,"src":"15","content":{}}')).toEqual({
      status: 'protocol',
      src: '15',
      flagged: true,
      body: { customerServicePlugin: 0, src: '15', content: {} },
    });
    expect(parseTcccPayload('{"src":15}')).toMatchObject({
      status: 'protocol',
      src: '15',
      flagged: false,
    });
  });

  it.each([
    [{ customerServicePlugin: 0 }, true],
    [{ customerServicePlugin: '0' }, true],
    [{ customerServicePlugin: ' 0 ' }, true],
    [{ chatbotPlugin: 1 }, true],
    [{ chatbotPlugin: '1' }, true],
    [{ customerServicePlugin: 1 }, false],
    [{ customerServicePlugin: '' }, false],
    [{ customerServicePlugin: null }, false],
    [{ customerServicePlugin: false }, false],
    [{ customerServicePlugin: [] }, false],
    [{}, false],
  ])('flag %j → flagged %s', (flags, flagged) => {
    expect(parseTcccPayload(JSON.stringify({ ...flags, src: '9' }))).toMatchObject({ flagged });
  });

  it('tells no-src, invalid and too-large apart', () => {
    expect(parseTcccPayload('{"businessID":"x"}')).toMatchObject({ status: 'no-src' });
    expect(parseTcccPayload('not json')).toEqual({ status: 'invalid' });
    expect(parseTcccPayload('   [1]')).toEqual({ status: 'invalid' });
    expect(parseTcccPayload(undefined)).toEqual({ status: 'invalid' });
    expect(parseTcccPayload(7)).toEqual({ status: 'invalid' });
    expect(parseTcccPayload(' '.repeat(MAX_DATA_LENGTH + 1))).toEqual({
      status: 'too-large',
      length: MAX_DATA_LENGTH + 1,
    });
  });

  it('accepts surrounding JSON whitespace', () => {
    expect(parseTcccPayload('\n\t {"src":"12"} \n')).toMatchObject({
      status: 'protocol',
      src: '12',
    });
  });
});

describe('parseMessageMeta', () => {
  it('lifts messageType, role and scene', () => {
    expect(parseMessageMeta('{"messageType":"queuing","role":"robot"}')).toEqual({
      messageType: 'queuing',
      role: 'robot',
      raw: { messageType: 'queuing', role: 'robot' },
    });
  });

  it('returns undefined for empty, invalid or huge input', () => {
    expect(parseMessageMeta('')).toBeUndefined();
    expect(parseMessageMeta('{')).toBeUndefined();
    expect(parseMessageMeta(null)).toBeUndefined();
    expect(parseMessageMeta(`{"messageType":"${'x'.repeat(20_000)}"}`)).toBeUndefined();
  });
});

describe('JSON.parse runs once per message', () => {
  const fixtures = [
    'src-9-rating',
    'src-10-rating-submission',
    'src-15-branch',
    'src-21-form-choice',
    'src-22-product-card',
    'src-23-rating-settings',
    'src-26-seat-in',
    'src-29-robot-welcome',
    'src-30-rich-text',
    'src-31-stream-finished',
    'src-32-task-branch',
    'src-33-task-form',
    'src-37-timeout-warning',
  ];

  it('classify + visibility + preview parse each payload.data exactly once', () => {
    const messages = fixtures.map((name) => fixtureMessage(name));
    const parse = jest.spyOn(JSON, 'parse');
    try {
      for (const message of messages) {
        const classified = classifyMessage(message);
        // Downstream helpers work on the classified value and must not parse again.
        previewText(classified);
        const data = (message.payload as { data: string }).data;
        const calls = parse.mock.calls.filter(([text]) => text === data);
        expect(calls).toHaveLength(1);
        parse.mockClear();
      }
    } finally {
      parse.mockRestore();
    }
  });

  it('a message with cloudCustomData costs exactly two parses: data once, metadata once', () => {
    const message = fixtureMessage('src-15-branch', {
      cloudCustomData: '{"messageType":"chooseGroup"}',
    });
    const parse = jest.spyOn(JSON, 'parse');
    try {
      classifyMessage(message);
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
  });

  it('plain messages without cloudCustomData, and non-object data, are never parsed', () => {
    const messages = [
      textMessage('hi'),
      imageMessage(),
      customMessage('plain words'),
      customMessage(''),
    ];
    const parse = jest.spyOn(JSON, 'parse');
    try {
      for (const message of messages) classifyMessage(message);
      expect(parse).not.toHaveBeenCalled();
    } finally {
      parse.mockRestore();
    }
  });
});

import {
  imageOf,
  statusOf,
  toChatMessage,
  toConversation,
} from '../../miniprogram/adapters/chat/sdk-convert';

/** A received text message with the SDK's runtime keys (chat-sdk.md §2). */
const sdkMessage = {
  ID: '144115000000009999-1700000000-5010',
  conversationID: 'C2C@customer_service_account',
  conversationType: 'C2C',
  time: 1700000000,
  sequence: 501,
  clientSequence: 501,
  random: 5010,
  priority: 'Normal',
  nick: '客服',
  avatar: 'https://a/cs.png',
  isPeerRead: false,
  hasRiskContent: false,
  isRevoked: false,
  from: '@customer_service_account',
  to: 'user1',
  flow: 'in',
  status: 'success',
  cloudCustomData: '{"messageType":"welcome","role":"robot"}',
  isModified: false,
  version: 0,
  payload: { text: '您好' },
  type: 'TIMTextElem',
  _elements: [{}],
};

describe('toChatMessage', () => {
  it('keeps the fields core reads and nothing else', () => {
    expect(toChatMessage(sdkMessage)).toEqual({
      ID: sdkMessage.ID,
      conversationID: sdkMessage.conversationID,
      type: 'TIMTextElem',
      flow: 'in',
      from: '@customer_service_account',
      to: 'user1',
      time: 1700000000,
      sequence: 501,
      nick: '客服',
      avatar: 'https://a/cs.png',
      payload: { text: '您好' },
      cloudCustomData: sdkMessage.cloudCustomData,
      isRevoked: false,
      version: 0,
      status: 'sent',
    });
  });

  it('maps custom payloads, own failed sends, moderation and client ids', () => {
    const custom = toChatMessage({
      ...sdkMessage,
      type: 'TIMCustomElem',
      payload: { data: '{"src":"9"}', description: '', extension: '' },
    });
    expect(custom.payload).toEqual({ data: '{"src":"9"}', description: '', extension: '' });
    expect(toChatMessage({ ...sdkMessage, flow: 'out', status: 'fail' }, 'c1')).toMatchObject({
      status: 'failed',
      clientId: 'c1',
      flow: 'out',
    });
    expect(
      toChatMessage({ ...sdkMessage, flow: 'out', status: 'fail', hasRiskContent: true }).status,
    ).toBe('blocked');
    expect(toChatMessage({ ...sdkMessage, status: 'unSend' }).status).toBe('sending');
  });

  it('picks the large image rendition', () => {
    const image = toChatMessage({
      ...sdkMessage,
      type: 'TIMImageElem',
      payload: {
        imageInfoArray: [
          { type: 0, width: 3000, height: 2000, url: 'https://f/orig' },
          { type: 1, width: 720, height: 480, url: 'https://f/large' },
          { type: 2, width: 198, height: 132, url: 'https://f/thumb' },
        ],
      },
    });
    expect(image.image).toEqual({ url: 'https://f/large', width: 720, height: 480 });
    expect(
      imageOf({ imageInfoArray: [{ url: '', imageUrl: 'https://f/x', width: 5000 }] }),
    ).toEqual({ url: 'https://f/x', width: 5000, height: 0 });
    expect(imageOf({})).toBeUndefined();
  });

  it('never throws on garbage', () => {
    for (const value of [
      null,
      undefined,
      42,
      'x',
      [],
      { payload: 'x', time: 'soon', version: {} },
    ]) {
      const m = toChatMessage(value);
      expect(m).toMatchObject({ ID: expect.any(String), time: expect.any(Number), payload: {} });
    }
    expect(statusOf({})).toBe('sent');
  });
});

describe('toConversation', () => {
  it('maps a C2C conversation with its lastMessage shape', () => {
    const conv = toConversation({
      conversationID: 'C2C@customer_service_account',
      unreadCount: 3,
      type: 'C2C',
      isPinned: true,
      remark: '',
      userProfile: {
        userID: '@customer_service_account',
        nick: '客服',
        avatar: 'https://a/cs.png',
      },
      lastMessage: {
        lastTime: 1700000000,
        lastSequence: 9,
        fromAccount: '@customer_service_account',
        type: 'TIMCustomElem',
        payload: { data: '{"src":"9"}', description: '' },
        cloudCustomData: '',
        isRevoked: false,
        messageForShow: '[自定义消息]',
      },
    });
    expect(conv).toEqual({
      conversationID: 'C2C@customer_service_account',
      type: 'C2C',
      peerID: '@customer_service_account',
      name: '客服',
      avatar: 'https://a/cs.png',
      unreadCount: 3,
      isPinned: true,
      lastMessage: {
        type: 'TIMCustomElem',
        payload: { data: '{"src":"9"}', description: '' },
        cloudCustomData: '',
        isRevoked: false,
        time: 1700000000,
        fromAccount: '@customer_service_account',
        messageForShow: '[自定义消息]',
      },
    });
  });

  it('handles placeholders, groups and the system conversation', () => {
    expect(
      toConversation({
        conversationID: 'C2Cnew',
        type: 'C2C',
        lastMessage: { lastTime: 0, type: '' },
      }),
    ).toMatchObject({ peerID: 'new', lastMessage: null, unreadCount: 0 });
    expect(
      toConversation({ conversationID: 'GROUPg', type: 'GROUP', groupProfile: { name: 'G' } }),
    ).toMatchObject({ type: 'GROUP', name: 'G', peerID: '' });
    expect(toConversation({ conversationID: '@TIM#SYSTEM', type: '@TIM#SYSTEM' }).type).toBe(
      'SYSTEM',
    );
  });
});

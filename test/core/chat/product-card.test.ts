import { createChatViewBuilder } from '../../../miniprogram/core/chat/chat-view';
import { buildProductCard, classifyMessage } from '../../../miniprogram/core/tccc/index';
import { createHarness, loggedIn, SERVICE, USER } from '../../fakes/harness';

describe('product card from an entry (src 22 uplink)', () => {
  it('builds the documented payload and reads back as a product card', () => {
    const data = buildProductCard({
      header: '保温杯',
      desc: '500 ml',
      pic: 'https://img.example.com/cup.png',
      url: 'javascript:alert(1)',
      customField: [{ name: '价格', value: '¥99' }],
    });
    expect(JSON.parse(data)).toEqual({
      customerServicePlugin: 0,
      src: '22',
      content: {
        header: '保温杯',
        desc: '500 ml',
        pic: 'https://img.example.com/cup.png',
        url: '',
        customField: [{ name: '价格', value: '¥99' }],
      },
    });
    const back = classifyMessage({ type: 'TIMCustomElem', flow: 'out', payload: { data } });
    expect(back).toMatchObject({ kind: 'product-card', header: '保温杯' });
  });

  it('goes out through the outbox, stays in the list as a card, and is refused outside service chats', async () => {
    const h = createHarness();
    await loggedIn(h);
    const chat = h.chat();
    await chat.open();
    const res = await chat.sendProductCard({
      header: '保温杯',
      url: 'https://shop.example.com/p/1',
    });
    expect(res.ok).toBe(true);
    const sent = h.transport
      .serverMessages(USER, SERVICE)
      .filter((m) => m.type === 'TIMCustomElem');
    expect(sent).toHaveLength(1);
    const view = createChatViewBuilder()(chat.getState(), {
      now: Date.now(),
      language: 'zh-CN',
      self: { nick: 'me', avatar: '' },
      peer: { nick: 'CS', avatar: '' },
    });
    expect(view.messages.map((m) => [m.kind, m.isMine, m.status])).toEqual([
      ['product-card', true, 'sent'],
    ]);

    const other = h.chat('C2Cfriend');
    await other.open();
    const refused = await other.sendProductCard({ header: 'x' });
    expect(refused.ok).toBe(false);
    expect(await chat.sendProductCard({ header: '  ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
  });
});

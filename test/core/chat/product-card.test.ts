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

describe('product offer', () => {
  it('is offered until sent, sent once, then never offered again for that key', async () => {
    const h = createHarness();
    await loggedIn(h);
    const chat = h.chat();
    await chat.open();
    const card = { header: '保温杯', url: 'https://shop.example.com/p/1' };
    chat.offerProduct(card, 'C2C@customer_service_account|p1');
    const view = () =>
      createChatViewBuilder()(chat.getState(), {
        now: h.clock.now(),
        language: 'en',
        self: { nick: '', avatar: '' },
        peer: { nick: '', avatar: '' },
      }).productOffer;
    expect(view()).toMatchObject({ visible: true, header: '保温杯', sendText: 'Send to agent' });
    const sent = () =>
      h.transport.received.filter((r) => String(r.message.payload.data).includes('"src":"22"'));
    expect(sent()).toHaveLength(0);
    expect((await chat.sendProductOffer()).ok).toBe(true);
    expect(sent()).toHaveLength(1);
    expect(view().visible).toBe(false);
    expect((await chat.sendProductOffer()).ok).toBe(false);
    // Recorded in storage: a new store (an app restart) does not offer it again.
    const next = h.restart();
    await loggedIn(next);
    const again = next.chat();
    again.offerProduct(card, 'C2C@customer_service_account|p1');
    expect(again.getState().productOffer).toBeNull();
    again.offerProduct(card, 'C2C@customer_service_account|p2');
    again.dismissProductOffer();
    expect(again.getState().productOffer).toBeNull();
  });
});

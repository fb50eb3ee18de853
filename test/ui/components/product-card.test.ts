import { find, findAll, mountHost, tap } from './host';
import type { Hosted } from './host';
import { cardView, orderView } from './fixtures';

const PATH = 'components/product-card/product-card';
const mount = (props: Record<string, unknown>): Promise<Hosted> =>
  mountHost(PATH, { card: null, order: null, ...props }, ['openurl', 'previewimage']);

describe('product-card', () => {
  it('product (22): picture, header, desc and custom fields; tap → openurl', async () => {
    const h = await mount({ card: cardView() });
    expect(find(h.subject, '.cs-card__title').dom!.textContent).toBe('智能空调 KFR-35GW');
    expect(find(h.subject, '.cs-card__desc').dom!.textContent).toBe('1.5 匹 新一级能效');
    expect(h.subject.querySelector('.cs-card__pic')).toBeTruthy();
    const field = find(h.subject, '.cs-card__field');
    expect(field.dom!.textContent).toContain('价格');
    expect(field.dom!.textContent).toContain('¥2999');
    expect(h.subject.data.openLabel).toBe('打开商品：智能空调 KFR-35GW');
    await tap(find(h.subject, '.cs-card'));
    expect(h.events).toEqual([{ type: 'openurl', detail: { url: 'https://example.com/item/35' } }]);
  });

  it('product without a URL: nothing to open', async () => {
    const h = await mount({ card: cardView({ url: '', pic: '', customFields: [] }) });
    expect(h.subject.querySelector('.cs-card__pic')).toBeUndefined();
    expect(h.subject.querySelector('.cs-card__fields')).toBeUndefined();
    await tap(find(h.subject, '.cs-card'));
    expect(h.events).toEqual([]);
  });

  it('order (28): guide, name, desc, fields; the card body opens nothing, the picture previews', async () => {
    const h = await mount({ order: orderView() });
    expect(find(h.subject, '.cs-card__guide').dom!.textContent).toBe('您是否要咨询以下订单？');
    expect(find(h.subject, '.cs-card__title').dom!.textContent).toBe('订单 202611050001');
    expect(find(h.subject, '.cs-card__desc').dom!.textContent).toBe('已发货');
    expect(findAll(h.subject, '.cs-card__field')[0].dom!.textContent).toContain('顺丰 SF123');
    await tap(find(h.subject, '.cs-card'));
    await tap(find(h.subject, '.cs-card__pic'));
    expect(h.events).toEqual([
      { type: 'previewimage', detail: { url: 'https://example.com/o.png' } },
    ]);
  });
});

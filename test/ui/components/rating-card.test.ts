import { find, findAll, mountHost, tap } from './host';
import type { Hosted } from './host';
import { ratingView } from './fixtures';
import type { RatingView } from '../../../miniprogram/core/chat/chat-view';

const PATH = 'components/rating-card/rating-card';
const mount = (rating: RatingView): Promise<Hosted> => mountHost(PATH, { rating }, ['rate']);

/** A finger tap on t-rate's star row (it reads the touch position, so one must be given). */
async function tapStars(h: Hosted): Promise<void> {
  const wrapper = find(find(h.subject, '#stars'), '.t-rate__wrapper');
  wrapper.dispatchEvent('tap', { changedTouches: [{ pageX: 10, pageY: 10 }] });
  await new Promise((r) => setTimeout(r, 20));
}

/** Picks star `n` (1-based) the way t-rate reports a tap: its `change` event. */
async function pickStar(h: Hosted, n: number): Promise<void> {
  const stars = find(h.subject, '#stars');
  stars.instance.triggerEvent('change', { value: n });
  await new Promise((r) => setTimeout(r, 0));
}

describe('rating-card, star style', () => {
  it('draws head, title, one t-rate star per option and the default label; no tail yet', async () => {
    const h = await mount(ratingView());
    const text = h.subject.dom!.textContent!;
    expect(text).toContain('感谢您使用我们的服务');
    expect(text).toContain('请对本次服务进行评价');
    expect(find(h.subject, '.cs-rating__label').dom!.textContent).toBe('如果满意请给好评哦～');
    const stars = find(h.subject, '#stars');
    expect(stars.data.count).toBe(5);
    expect(findAll(stars, '.t-rate__icon')).toHaveLength(5);
    expect(h.subject.querySelector('.cs-rating__tail')).toBeUndefined();
    expect(h.subject.querySelector('.cs-rating__numbers')).toBeUndefined();
  });

  it('follows the number of options (no fixed five)', async () => {
    const three = ratingView();
    three.options = three.options.slice(0, 3);
    const h = await mount(three);
    expect(find(h.subject, '#stars').data.count).toBe(3);
  });

  it('a real tap on the stars emits rate once, then the control locks', async () => {
    const h = await mount(ratingView());
    await tapStars(h);
    expect(h.events).toHaveLength(1);
    expect(h.events[0].type).toBe('rate');
    await pickStar(h, 2);
    await tapStars(h);
    expect(h.events).toHaveLength(1);
    expect(find(h.subject, '#stars').data.disabled).toBe(true);
  });

  it('star n → rate with the n-th option id, lit up to n, its label shown at once', async () => {
    const h = await mount(ratingView());
    await pickStar(h, 4);
    expect(h.events).toEqual([{ type: 'rate', detail: { optionId: '104' } }]);
    expect(find(h.subject, '#stars').data.value).toBe(4);
    expect(find(h.subject, '.cs-rating__label').dom!.textContent).toBe('满意');
  });

  it('expired: disabled with the expired text, and a tap emits nothing', async () => {
    const h = await mount(ratingView({ expired: true, expiredText: '评价已过期', disabled: true }));
    // It looks expired: a tag by the title and the control greyed out.
    expect(find(h.subject, '.cs-rating__expired-tag').dom!.textContent).toBe('评价已过期');
    expect(find(h.subject, '.cs-rating__card').dom!.className).toContain(
      'cs-rating__card--expired',
    );
    expect(find(h.subject, '#stars').data.disabled).toBe(true);
    await tapStars(h);
    await pickStar(h, 3);
    expect(h.events).toEqual([]);
  });

  it('already rated: preselected, disabled, tail shown, no event', async () => {
    const rated = ratingView({
      selectedId: '105',
      label: '非常满意',
      disabled: true,
      showTail: true,
    });
    rated.options = rated.options.map((o) => ({ ...o, lit: true }));
    const h = await mount(rated);
    expect(find(h.subject, '#stars').data.value).toBe(5);
    expect(find(h.subject, '.cs-rating__tail').dom!.textContent).toBe(
      '感谢您的评价，祝您生活愉快！',
    );
    expect(find(h.subject, '.cs-rating__label').dom!.textContent).toBe('非常满意');
    await pickStar(h, 1);
    expect(h.events).toEqual([]);
  });

  it('unlocks when the store rolls a failed submission back', async () => {
    const h = await mount(ratingView());
    await pickStar(h, 5);
    await h.update({ rating: ratingView({ selectedId: '105', disabled: true, submitting: true }) });
    expect(h.subject.dom!.textContent).toContain('正在提交评价');
    await h.update({ rating: ratingView() });
    await pickStar(h, 3);
    expect(h.events).toEqual([
      { type: 'rate', detail: { optionId: '105' } },
      { type: 'rate', detail: { optionId: '103' } },
    ]);
  });

  it('stays locked while the page has not yet passed the busy view back', async () => {
    const h = await mount(ratingView());
    await pickStar(h, 2);
    await h.update({ rating: ratingView() });
    await pickStar(h, 3);
    expect(h.events).toEqual([{ type: 'rate', detail: { optionId: '102' } }]);
  });
});

describe('rating-card, number style', () => {
  const numbers = (over: Partial<RatingView> = {}): RatingView =>
    ratingView({ style: 'number', ...over });

  it('draws buttons 1..N instead of stars', async () => {
    const h = await mount(numbers());
    expect(h.subject.querySelector('#stars')).toBeUndefined();
    const buttons = findAll(h.subject, '.cs-rating__number');
    expect(buttons.map((b) => b.dom!.textContent)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('labels the ends of the scale', async () => {
    const h = await mount(numbers({ scaleLow: '非常不满意', scaleHigh: '非常满意' }));
    const ends = findAll(h.subject, '.cs-rating__scale-end').map((e) => e.dom!.textContent);
    expect(ends).toEqual(['1 非常不满意', '5 非常满意']);
  });

  it('a tap emits rate with that option once, lights only it and locks the rest', async () => {
    const h = await mount(numbers());
    const buttons = findAll(h.subject, '.cs-rating__number');
    await tap(buttons[2]);
    await tap(buttons[4]);
    expect(h.events).toEqual([{ type: 'rate', detail: { optionId: '103' } }]);
    const lit = findAll(h.subject, '.cs-rating__number--lit');
    expect(lit.map((b) => b.dom!.textContent)).toEqual(['3']);
    expect(find(h.subject, '.cs-rating__label').dom!.textContent).toBe('一般');
  });

  it('expired: numbers emit nothing', async () => {
    const h = await mount(numbers({ expired: true, expiredText: '评价已过期', disabled: true }));
    await tap(findAll(h.subject, '.cs-rating__number')[0]);
    expect(h.events).toEqual([]);
    expect(h.subject.dom!.textContent).toContain('评价已过期');
  });
});

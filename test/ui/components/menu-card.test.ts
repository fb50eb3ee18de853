import { find, findAll, mountHost, tap } from './host';
import type { Hosted } from './host';
import { menuView } from './fixtures';
import type { MenuView } from '../../../miniprogram/core/chat/chat-view';

const PATH = 'components/menu-card/menu-card';
const mount = (menu: MenuView): Promise<Hosted> =>
  mountHost(PATH, { menu }, ['choose', 'nextpage']);

const rowTexts = (h: Hosted): string[] =>
  findAll(h.subject, '.cs-menu__row-content').map((r) => r.dom!.textContent ?? '');

describe('menu-card', () => {
  it('draws header, lead content, rows with their descriptions and the tail', async () => {
    const h = await mount(
      menuView({
        header: '猜你想问',
        content: '您好，我是智能助手',
        tail: '以上都不是？请直接输入问题',
      }),
    );
    expect(find(h.subject, '.cs-menu__header').dom!.textContent).toBe('猜你想问');
    expect(find(h.subject, '.cs-menu__lead').dom!.textContent).toBe('您好，我是智能助手');
    expect(rowTexts(h)).toEqual(['订单查询', '退换货', '人工']);
    expect(findAll(h.subject, '.cs-menu__row-desc').map((d) => d.dom!.textContent)).toEqual([
      '查看物流与订单状态',
      '转接人工客服',
    ]);
    expect(find(h.subject, '.cs-menu__tail').dom!.textContent).toBe('以上都不是？请直接输入问题');
    expect(h.subject.data.rows[0].label).toBe('订单查询，查看物流与订单状态');
  });

  it('a tap on a row emits choose with its content', async () => {
    const h = await mount(menuView());
    await tap(findAll(h.subject, '.cs-menu__row')[2]);
    expect(h.events).toEqual([{ type: 'choose', detail: { content: '人工' } }]);
  });

  it('marks the selected row', async () => {
    const menu = menuView({ selected: '退换货' });
    menu.items = menu.items.map((i) => ({ ...i, selected: i.content === '退换货' }));
    const h = await mount(menu);
    const selected = findAll(h.subject, '.cs-menu__row--selected');
    expect(selected).toHaveLength(1);
    expect(selected[0].dom!.textContent).toContain('退换货');
  });

  it('rows are inert when the view says they cannot be selected', async () => {
    const menu = menuView({ canSelect: false, selected: '订单查询' });
    menu.items = menu.items.map((i) => ({ ...i, selected: i.content === '订单查询' }));
    const h = await mount(menu);
    expect(findAll(h.subject, '.cs-menu__row--inert')).toHaveLength(3);
    for (const row of findAll(h.subject, '.cs-menu__row')) await tap(row);
    expect(h.events).toEqual([]);
  });

  it('a choice becomes inert once the view reports the selection', async () => {
    const h = await mount(menuView());
    await tap(findAll(h.subject, '.cs-menu__row')[0]);
    const answered = menuView({ canSelect: false, selected: '订单查询' });
    await h.update({ menu: answered });
    await tap(findAll(h.subject, '.cs-menu__row')[1]);
    expect(h.events).toEqual([{ type: 'choose', detail: { content: '订单查询' } }]);
  });

  it('paged: "换一换" with the page position emits nextpage; new rows follow the view', async () => {
    const h = await mount(menuView({ paged: true, page: 0, pageCount: 3, refreshText: '换一换' }));
    const refresh = find(h.subject, '.cs-menu__refresh');
    expect(refresh.dom!.textContent).toContain('换一换');
    expect(find(h.subject, '.cs-menu__page').dom!.textContent).toBe('1/3');
    await tap(refresh);
    expect(h.events).toEqual([{ type: 'nextpage', detail: {} }]);
    await h.update({
      menu: menuView({
        paged: true,
        page: 1,
        pageCount: 3,
        refreshText: '换一换',
        items: [{ content: '发票问题', desc: '', selected: false }],
      }),
    });
    expect(rowTexts(h)).toEqual(['发票问题']);
    expect(find(h.subject, '.cs-menu__page').dom!.textContent).toBe('2/3');
  });

  it('not paged: no "换一换" button', async () => {
    const h = await mount(menuView());
    expect(h.subject.querySelector('.cs-menu__refresh')).toBeUndefined();
  });
});

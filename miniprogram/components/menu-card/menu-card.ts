import { t } from '../../core/i18n/index';
import type { MenuItemView, MenuView } from '../../core/chat/chat-view';
import { rerenderOnLanguage, unfollowLanguage } from '../../behaviors/language';

interface RowView extends MenuItemView {
  label: string;
}

/**
 * `menu-card`: a list of tappable answers — branch (src 15), robot menu (29), choice form (21 type 1)
 * and task-flow branch (32) all arrive as one `MenuView`. A tap on a row emits `choose {content}`
 * only while `menu.canSelect`; "换一换" emits `nextpage` when the menu is paged. Events do not
 * bubble.
 */
Component({
  options: { virtualHost: false },
  properties: {
    menu: { type: Object, value: null as MenuView | null },
  },
  data: {
    rows: [] as RowView[],
    pageText: '',
    selectedLabel: t('components.menu.selected'),
  },
  lifetimes: {
    attached() {
      rerenderOnLanguage(this, ['menu']);
    },
    detached() {
      unfollowLanguage(this);
    },
  },
  observers: {
    menu(menu: MenuView | null) {
      if (!menu) return;
      this.setData({
        rows: menu.items.map((item) => ({
          ...item,
          label: item.desc
            ? t('components.menu.row', { content: item.content, desc: item.desc })
            : item.content,
        })),
        pageText: menu.paged
          ? t('components.menu.page', { page: menu.page + 1, count: menu.pageCount })
          : '',
        selectedLabel: t('components.menu.selected'),
      });
    },
  },
  methods: {
    onChoose(e: WechatMiniprogram.TouchEvent) {
      const menu = this.data.menu as MenuView | null;
      const index: unknown = e.currentTarget.dataset.index;
      if (!menu || !menu.canSelect || typeof index !== 'number') return;
      const item = menu.items[index];
      if (item) this.triggerEvent('choose', { content: item.content });
    },
    onNextPage() {
      const menu = this.data.menu as MenuView | null;
      if (menu && menu.paged) this.triggerEvent('nextpage', {});
    },
  },
});

import { t } from '../../core/i18n/index';
import type { CardView, OrderView } from '../../core/chat/chat-view';
import { rerenderOnLanguage, unfollowLanguage } from '../../behaviors/language';

/**
 * `product-card`: a product card (src 22, from `card`) or an order card (src 28, from `order`); give
 * one of the two. Tapping a product card emits `openurl {url}` when it has a URL; an order card has
 * no URL in the protocol, so only its picture is tappable (`previewimage {url}`). Events do not
 * bubble.
 */
Component({
  options: { virtualHost: false },
  properties: {
    card: { type: Object, value: null as CardView | null },
    order: { type: Object, value: null as OrderView | null },
  },
  data: {
    openLabel: '',
    picLabel: '',
  },
  lifetimes: {
    attached() {
      rerenderOnLanguage(this, ['card', 'order']);
    },
    detached() {
      unfollowLanguage(this);
    },
  },
  observers: {
    'card, order'(card: CardView | null, order: OrderView | null) {
      const title = card ? card.header : order ? order.name : '';
      this.setData({
        openLabel: t('components.card.open', { title }),
        picLabel: t('components.card.pic', { title }),
      });
    },
  },
  methods: {
    onOpen() {
      const card = this.data.card as CardView | null;
      if (card && card.url) this.triggerEvent('openurl', { url: card.url });
    },
    onPreview() {
      const order = this.data.order as OrderView | null;
      if (order && order.pic) this.triggerEvent('previewimage', { url: order.pic });
    },
  },
});

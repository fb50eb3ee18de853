import { t } from '../../core/i18n/index';
import type { RichTextNode } from '../../core/view/rich-text';
import { richTextLinks } from '../../core/chat/message-text';
import { rerenderOnLanguage, unfollowLanguage } from '../../behaviors/language';

interface LinkItem {
  text: string;
  url: string;
  label: string;
}

/**
 * `rich-message`: a rich-text answer (src 30) drawn from nodes that core has already sanitized.
 * `<rich-text>` swallows taps on its inner nodes, so every link is repeated below the text as its
 * own tappable row. Emits `openurl {url}` (not bubbling).
 */
Component({
  options: { virtualHost: false },
  properties: {
    nodes: { type: Array, value: [] as RichTextNode[] },
  },
  data: {
    links: [] as LinkItem[],
  },
  lifetimes: {
    attached() {
      rerenderOnLanguage(this, ['nodes']);
    },
    detached() {
      unfollowLanguage(this);
    },
  },
  observers: {
    nodes(nodes: RichTextNode[] | null) {
      const links = richTextLinks(nodes ?? []).map((l) => ({
        ...l,
        label: t('components.link.open', { text: l.text }),
      }));
      this.setData({ links });
    },
  },
  methods: {
    onOpenLink(e: WechatMiniprogram.TouchEvent) {
      const url: unknown = e.currentTarget.dataset.url;
      if (typeof url === 'string' && url !== '') this.triggerEvent('openurl', { url });
    },
  },
});

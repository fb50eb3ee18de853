/**
 * The "anywhere entry": a host page drops `<service-entry service="complaint" label="我要投诉"/>`
 * anywhere, and a tap opens the chat with that service account (account or configured alias), skill
 * group and product card. Properties: `service`, `group`, `product` (object card or id string),
 * `label` (default "联系客服"/"客服"), `variant` (`button` | `cell` | `floating`). Events: `open`
 * `{url}` after navigating, `fail` `{url, errMsg}` when WeChat refused (a toast is shown too).
 */
import { t } from '../../core/i18n/index';
import { inPackage } from '../../utils/package-path';
import { buildEntryUrl } from '../../core/entry/entry-url';
import { followLanguage, unfollowLanguage } from '../../behaviors/language';

type Variant = 'button' | 'cell' | 'floating';
const VARIANTS: readonly string[] = ['button', 'cell', 'floating'];

function variantOf(value: unknown): Variant {
  return typeof value === 'string' && VARIANTS.includes(value) ? (value as Variant) : 'button';
}

function labelOf(label: unknown, variant: Variant): string {
  if (typeof label === 'string' && label.trim() !== '') return label.trim();
  return t(variant === 'floating' ? 'entry.floating' : 'entry.contact');
}

Component({
  externalClasses: ['entry-class'],
  properties: {
    service: { type: String, value: '' },
    group: { type: String, value: '' },
    // An object card or an id string: `null` accepts either.
    product: { type: null, value: null },
    label: { type: String, value: '' },
    variant: { type: String, value: 'button' },
  },
  data: {
    text: '',
    ariaLabel: '',
    variantClass: 'button' as Variant,
    busy: false,
  },
  observers: {
    'label, variant'(label: string, variant: string) {
      this.refreshText(label, variant);
    },
  },
  lifetimes: {
    attached() {
      // Again at each language change: every text here comes from the table.
      followLanguage(this, () => this.refreshText(this.properties.label, this.properties.variant));
    },
    detached() {
      unfollowLanguage(this);
    },
  },
  methods: {
    refreshText(label: unknown, variant: unknown) {
      const variantClass = variantOf(variant);
      const text = labelOf(label, variantClass);
      // The floating pill shows a short word; its spoken label still says what it opens.
      const spoken = variantClass === 'floating' ? t('entry.contact') : text;
      this.setData({ text, variantClass, ariaLabel: t('entry.open.aria', { label: spoken }) });
    },

    onTap() {
      if (this.data.busy) return;
      const { url: link } = buildEntryUrl({
        service: this.properties.service,
        group: this.properties.group,
        product: this.properties.product,
      });
      const url = inPackage(link);
      this.setData({ busy: true });
      const opened = () => {
        this.setData({ busy: false });
        this.triggerEvent('open', { url });
      };
      const failed = (errMsg: string) => {
        this.setData({ busy: false });
        this.triggerEvent('fail', { url, errMsg });
        wx.showToast({ title: t('entry.openFailed'), icon: 'none' });
      };
      wx.navigateTo({
        url,
        success: opened,
        fail: (e) => {
          // Ten pages deep WeChat refuses to push another: replacing the top page still lands in chat.
          if (!/limit exceed/i.test(e.errMsg)) {
            failed(e.errMsg);
            return;
          }
          wx.redirectTo({ url, success: opened, fail: (e2) => failed(e2.errMsg) });
        },
      });
    },
  },
});

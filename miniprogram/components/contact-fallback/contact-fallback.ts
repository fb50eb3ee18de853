/**
 * WeChat's native customer service as a way out when our chat cannot be reached or login keeps
 * failing (see `shouldOfferContactFallback`). A native `<button open-type="contact">` (WeChat opens
 * its own customer-service chat only from that button), with the entry context in `session-from`.
 * Properties: `context` (an `EntryTarget` or `FallbackContext`), `label`, `hint` (show the
 * explanation line, default true), `showMessageCard` (offer the user a card that reopens our chat).
 * Event: `contact` with WeChat's detail `{path, query}` when the user comes back through that card.
 */
import { chatPagePath } from '../../core/entry/route-entry';
import { t } from '../../core/i18n/index';
import { serializeSessionFrom } from '../../core/entry/session-from';
import { followLanguage, unfollowLanguage } from '../../behaviors/language';
import { inPackage } from '../../utils/package-path';

function serviceOf(context: unknown): string {
  if (typeof context !== 'object' || context === null) return '';
  const c = context as Record<string, unknown>;
  const value = typeof c.serviceAccount === 'string' ? c.serviceAccount : c.service;
  return typeof value === 'string' ? value : '';
}

function groupOf(context: unknown): string | undefined {
  if (typeof context !== 'object' || context === null) return undefined;
  const group = (context as Record<string, unknown>).group;
  return typeof group === 'string' && group !== '' ? group : undefined;
}

Component({
  externalClasses: ['fallback-class'],
  properties: {
    context: { type: Object, value: {} },
    label: { type: String, value: '' },
    hint: { type: Boolean, value: true },
    showMessageCard: { type: Boolean, value: false },
  },
  data: {
    sessionFrom: '',
    text: '',
    hintText: '',
    ariaLabel: '',
    cardTitle: '',
    cardPath: '',
  },
  observers: {
    'context, label'(context: unknown, label: string) {
      this.refresh(context, label);
    },
  },
  lifetimes: {
    attached() {
      // Again at each language change: every text here comes from the table.
      followLanguage(this, () => this.refresh(this.properties.context, this.properties.label));
    },
    detached() {
      unfollowLanguage(this);
    },
  },
  methods: {
    refresh(context: unknown, label: unknown) {
      const text =
        typeof label === 'string' && label.trim() !== '' ? label.trim() : t('entry.fallback.label');
      const group = groupOf(context);
      this.setData({
        sessionFrom: serializeSessionFrom(context),
        text,
        hintText: t('entry.fallback.hint'),
        ariaLabel: t('entry.fallback.aria', { label: text }),
        cardTitle: t('entry.contact'),
        // The card opens our chat again (scene 1073) once it can be reached; in a host, in `cs/`.
        cardPath: inPackage(
          chatPagePath({ serviceAccount: serviceOf(context), ...(group ? { group } : {}) }),
        ),
      });
    },

    onContact(e: WechatMiniprogram.CustomEvent) {
      this.triggerEvent('contact', e.detail);
    },
  },
});

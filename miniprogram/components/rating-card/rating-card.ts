import { t } from '../../core/i18n/index';
import type { RatingView } from '../../core/chat/chat-view';
import { followLanguage, unfollowLanguage } from '../../behaviors/language';

interface NumberButton {
  id: string;
  text: string;
  lit: boolean;
  label: string;
}

interface Display {
  /** Stars lit (t-rate `value`), 0 when nothing is chosen. */
  value: number;
  label: string;
  disabled: boolean;
  numbers: NumberButton[];
  controlLabel: string;
}

/**
 * What the card shows, from the view plus the option tapped here but not yet reflected by the
 * view: the tap must light up and lock at once, before the store's answer comes round.
 */
function display(r: RatingView, pendingId: string, locked: boolean): Display {
  const chosenId = r.selectedId || pendingId;
  const chosen = r.options.findIndex((o) => o.id === chosenId);
  const numbers = r.options.map((o, i) => ({
    id: o.id,
    text: o.text || String(i + 1),
    lit: chosen >= 0 ? i === chosen : o.lit,
    label: t('components.rating.number', { n: i + 1, label: o.label }),
  }));
  const label = chosen >= 0 ? r.options[chosen].label : r.label;
  return {
    value: chosen >= 0 ? chosen + 1 : r.options.filter((o) => o.lit).length,
    label,
    disabled: r.disabled || locked,
    numbers,
    controlLabel:
      chosen >= 0 ? t('components.rating.star', { n: chosen + 1, label }) : `${r.title} ${label}`,
  };
}

/**
 * `rating-card`: a satisfaction rating (src 9): `head` above, title, stars (`t-rate`, one per
 * option) or numbered buttons 1…N, the chosen option's label under the control, `tail` once rated.
 * Emits `rate {optionId}` (not bubbling) at most once per card: the first tap locks the control
 * until the view reports the card busy or rated. If the view later turns it back to rateable (the
 * submission failed and the store rolled back), the lock is lifted so the user can try again.
 * Nothing is emitted while the view says `disabled` (rated, submitting or expired).
 */
Component({
  options: { virtualHost: false },
  properties: {
    rating: { type: Object, value: null as RatingView | null },
  },
  data: {
    locked: false,
    pendingId: '',
    /** The view has reported the card disabled since the lock was taken. */
    seenBusy: false,
    value: 0,
    label: '',
    disabled: false,
    numbers: [] as NumberButton[],
    controlLabel: '',
    submittingText: t('components.rating.submitting'),
    /** Theme tokens, so stars follow the colour scheme (t-rate takes colours as strings). */
    starColors: ['var(--cs-c-star)', 'var(--cs-c-star-off)'],
  },
  lifetimes: {
    attached() {
      followLanguage(this, () => {
        const r = this.data.rating as RatingView | null;
        const { pendingId, locked } = this.data;
        this.setData({
          submittingText: t('components.rating.submitting'),
          ...(r ? display(r, pendingId, locked) : {}),
        });
      });
    },
    detached() {
      unfollowLanguage(this);
    },
  },
  observers: {
    rating(r: RatingView | null) {
      if (!r) return;
      let { locked, pendingId, seenBusy } = this.data;
      if (locked && r.disabled) seenBusy = true;
      else if (locked && seenBusy && !r.disabled) {
        locked = false;
        pendingId = '';
        seenBusy = false;
      }
      this.setData({ locked, pendingId, seenBusy, ...display(r, pendingId, locked) });
    },
  },
  methods: {
    pick(optionId: string) {
      const r = this.data.rating as RatingView | null;
      if (!r || r.disabled || this.data.locked) return;
      if (!r.options.some((o) => o.id === optionId)) return;
      this.setData({
        locked: true,
        pendingId: optionId,
        seenBusy: false,
        ...display(r, optionId, true),
      });
      this.triggerEvent('rate', { optionId });
    },
    onStarChange(e: WechatMiniprogram.CustomEvent<{ value?: unknown }>) {
      const r = this.data.rating as RatingView | null;
      const value = Number(e.detail.value);
      if (!r || !Number.isInteger(value) || value < 1) return;
      const option = r.options[value - 1];
      if (option) this.pick(option.id);
    },
    onNumber(e: WechatMiniprogram.TouchEvent) {
      const id: unknown = e.currentTarget.dataset.id;
      if (typeof id === 'string') this.pick(id);
    },
  },
});

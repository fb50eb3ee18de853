import { t } from '../../core/i18n/index';
import { followLanguage, unfollowLanguage } from '../../behaviors/language';

/**
 * `stream-text`: the text of a streamed answer (src 31) as it grows, with a blinking cursor while
 * more is coming. Pure display: the text arrives already joined from the view model.
 */
Component({
  options: { virtualHost: false },
  properties: {
    text: { type: String, value: '' },
    /** Draw the cursor: the stream has not finished. */
    cursor: { type: Boolean, value: false },
  },
  data: {
    writingLabel: t('components.stream.writing'),
  },
  lifetimes: {
    attached() {
      followLanguage(this, () => this.setData({ writingLabel: t('components.stream.writing') }));
    },
    detached() {
      unfollowLanguage(this);
    },
  },
});

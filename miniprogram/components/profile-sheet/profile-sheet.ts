import { t } from '../../core/i18n/index';
import { followLanguage, unfollowLanguage } from '../../behaviors/language';

function texts() {
  return {
    title: t('components.profile.title'),
    hint: t('components.profile.hint'),
    chooseAvatar: t('components.profile.chooseAvatar'),
    avatarAria: t('components.profile.avatarAria'),
    nick: t('components.profile.nick'),
    nickPlaceholder: t('components.profile.nickPlaceholder'),
    nickAria: t('components.profile.nickAria'),
    save: t('components.profile.save'),
    cancel: t('components.profile.cancel'),
  };
}

/**
 * `profile-sheet`: a bottom sheet with WeChat's own avatar and nickname fill-in — the avatar
 * button (`open-type="chooseAvatar"`: the user's WeChat picture, an album photo or the camera)
 * and `<input type="nickname">` (WeChat offers the user's nickname above the keyboard and
 * reviews what is typed). It holds the draft only; `save {nick, avatarTempPath?}` and `cancel`
 * go to the page, which shows the outcome through `saving` and `error-text`.
 */
Component({
  options: { virtualHost: false },
  properties: {
    show: { type: Boolean, value: false },
    nick: { type: String, value: '' },
    avatar: { type: String, value: '' },
    saving: { type: Boolean, value: false },
    errorText: { type: String, value: '' },
    maxLength: { type: Number, value: 20 },
  },
  data: {
    texts: texts(),
    draftNick: '',
    /** A newly chosen picture's temporary path; '' keeps the current avatar. */
    draftAvatar: '',
    reviewText: '',
  },
  lifetimes: {
    attached() {
      followLanguage(this, () => this.setData({ texts: texts() }));
    },
    detached() {
      unfollowLanguage(this);
    },
  },
  observers: {
    // Every opening starts from what is saved.
    show(show: boolean) {
      if (show) this.setData({ draftNick: this.data.nick, draftAvatar: '', reviewText: '' });
    },
  },
  methods: {
    onChooseAvatar(e: WechatMiniprogram.CustomEvent<{ avatarUrl?: string }>) {
      const url = e.detail.avatarUrl;
      if (typeof url === 'string' && url) this.setData({ draftAvatar: url });
    },
    onNickInput(e: WechatMiniprogram.CustomEvent<{ value?: string }>) {
      this.setData({ draftNick: String(e.detail.value ?? ''), reviewText: '' });
    },
    /** WeChat's review of a typed nickname: a refused one is cleared by WeChat; say why. */
    onNickReview(e: WechatMiniprogram.CustomEvent<{ pass?: boolean; timeout?: boolean }>) {
      if (e.detail.pass === false && !e.detail.timeout) {
        this.setData({ draftNick: '', reviewText: t('components.profile.nickRejected') });
      }
    },
    onSave() {
      if (this.data.saving) return;
      const { draftNick, draftAvatar } = this.data;
      this.triggerEvent('save', {
        nick: draftNick,
        ...(draftAvatar ? { avatarTempPath: draftAvatar } : {}),
      });
    },
    onCancel() {
      this.triggerEvent('cancel', {});
    },
  },
});

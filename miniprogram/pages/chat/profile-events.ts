import { t } from '../../core/i18n/index';
import { NICK_MAX_LENGTH, profileErrorText } from '../../core/profile/my-profile';
import { getServices } from '../../services/index';
import { toast } from '../../utils/toast';
import { priv } from './chat-private';

type Detail<T extends WechatMiniprogram.IAnyObject> = WechatMiniprogram.CustomEvent<T>;
type Page = WechatMiniprogram.Component.TrivialInstance;

/** The sheet's data while closed. */
export const PROFILE_SHEET = {
  show: false,
  nick: '',
  avatar: '',
  saving: false,
  errorText: '',
  maxLength: NICK_MAX_LENGTH,
};

/**
 * The chat page's side of the user's avatar and nickname: tapping one's own avatar opens the
 * sheet; saving goes to the profile store, whose change redraws one's messages.
 */
export const profileEvents = {
  /** Call from onLoad: one's messages show the profile as it changes. */
  followProfile(this: Page) {
    const p = priv(this);
    p.unfollowProfile = getServices().profile.subscribe((state, previous) => {
      if (state.nick !== previous.nick || state.avatar !== previous.avatar) p.binding?.refresh();
    });
  },
  onEditProfile(this: Page) {
    const { nick, avatar } = getServices().profile.getState();
    this.setData({ profileSheet: { ...PROFILE_SHEET, show: true, nick, avatar } });
  },
  onProfileCancel(this: Page) {
    this.setData({ 'profileSheet.show': false });
  },
  async onProfileSave(this: Page, e: Detail<{ nick: string; avatarTempPath?: string }>) {
    this.setData({ 'profileSheet.saving': true, 'profileSheet.errorText': '' });
    const res = await getServices().profile.save(e.detail);
    if (!res.ok) {
      this.setData({
        'profileSheet.saving': false,
        'profileSheet.errorText': profileErrorText(res.error),
      });
      return;
    }
    this.setData({ profileSheet: PROFILE_SHEET });
    toast(t('components.profile.saved'), 'success');
  },
};

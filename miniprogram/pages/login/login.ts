import { t } from '../../core/i18n/index';

Component({
  data: {
    title: t('login.title'),
    subtitle: t('login.subtitle'),
    loginLabel: t('login.button'),
    loginAria: t('login.button.aria'),
  },
  methods: {
    onLogin() {
      wx.redirectTo({ url: '/pages/conversations/conversations' });
    },
  },
});

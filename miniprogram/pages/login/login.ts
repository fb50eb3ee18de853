import { errorText } from '../../core/chat/chat-view';
import { getLanguage, t } from '../../core/i18n/index';
import { getServices } from '../../services/index';
import { followTheme, unfollowTheme } from '../../utils/theme';
import { safeRedirect } from '../../utils/session-guard';

/** After this many failed attempts, WeChat's own customer service is offered as a way out. */
const FALLBACK_AFTER_FAILURES = 2;

type Status = 'restoring' | 'idle' | 'logging-in' | 'error';

interface LoginPrivate {
  redirect: string;
  failures: number;
}

const state = new WeakMap<object, LoginPrivate>();
const own = (page: object): LoginPrivate => {
  let s = state.get(page);
  if (!s) {
    s = { redirect: '', failures: 0 };
    state.set(page, s);
  }
  return s;
};

function texts() {
  return {
    title: t('login.title'),
    subtitle: t('login.subtitle'),
    loginLabel: t('login.button'),
    loginAria: t('login.button.aria'),
    progressText: t('login.progress'),
    retryLabel: t('login.retry'),
    retryAria: t('login.retry.aria'),
    failedTitle: t('login.failed'),
  };
}

Component({
  data: {
    themeClass: '',
    ...texts(),
    status: 'restoring' as Status,
    errorText: '',
    showFallback: false,
    fallbackContext: {} as Record<string, unknown>,
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      followTheme(this);
      own(this).redirect = safeRedirect(query.redirect);
      this.setData({ fallbackContext: { from: 'login', redirect: own(this).redirect } });
      void this.restore();
    },

    async restore() {
      const result = await getServices().session.restore();
      if (result.ok && result.value) {
        this.leave();
        return;
      }
      this.setData({ status: 'idle' as Status });
    },

    async onLogin() {
      if (this.data.status === 'logging-in') return;
      this.setData({ status: 'logging-in' as Status, errorText: '' });
      const result = await getServices().session.login();
      if (result.ok) {
        this.leave();
        return;
      }
      const me = own(this);
      me.failures += 1;
      this.setData({
        status: 'error' as Status,
        errorText: errorText(result.error, getLanguage()),
        showFallback: me.failures >= FALLBACK_AFTER_FAILURES,
      });
    },

    onUnload() {
      unfollowTheme(this);
    },

    leave() {
      wx.redirectTo({ url: own(this).redirect });
    },
  },
});

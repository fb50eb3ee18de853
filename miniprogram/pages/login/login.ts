import { t } from '../../core/i18n/index';
import { loginFailureText } from '../../core/i18n/login-failure';
import type { AppError } from '../../core/result';
import { followLanguage, setPageTitle, unfollowLanguage } from '../../behaviors/language';
import { getServices } from '../../services/index';
import { followTheme, unfollowTheme } from '../../utils/theme';
import { safeRedirect } from '../../utils/session-guard';

/** After this many failed attempts, WeChat's own customer service is offered as a way out. */
const FALLBACK_AFTER_FAILURES = 2;

type Status = 'restoring' | 'idle' | 'logging-in' | 'error';

interface LoginPrivate {
  redirect: string;
  failures: number;
  /** The last failure and whether the device was online then, re-said on a language change. */
  failure?: { error: AppError; online: boolean };
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

/** Whether the device has a network; `true` when the host cannot tell (the failure says the rest). */
function isOnline(): Promise<boolean> {
  return new Promise((resolve) => {
    if (typeof wx.getNetworkType !== 'function') {
      resolve(true);
      return;
    }
    wx.getNetworkType({
      success: (res) => resolve(res.networkType !== 'none'),
      fail: () => resolve(true),
    });
  });
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
      followLanguage(this, (language) => {
        const failure = own(this).failure;
        this.setData({
          ...texts(),
          ...(failure
            ? { errorText: loginFailureText(failure.error, failure.online, language) }
            : {}),
        });
        setPageTitle(t('login.navTitle'));
      });
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
      me.failure = { error: result.error, online: await isOnline() };
      this.setData({
        status: 'error' as Status,
        errorText: loginFailureText(me.failure.error, me.failure.online, getServices().language()),
        showFallback: me.failures >= FALLBACK_AFTER_FAILURES,
      });
    },

    onUnload() {
      unfollowTheme(this);
      unfollowLanguage(this);
    },

    leave() {
      wx.redirectTo({ url: own(this).redirect });
    },
  },
});

import type { ConversationListView } from '../../core/conversations/conversation-view';
import { createConversationViewBuilder } from '../../core/conversations/conversation-view';
import type { SessionStatus } from '../../core/session/session-store';
import { t } from '../../core/i18n/index';
import { LANGUAGE_CHOICES } from '../../core/i18n/preference';
import type { LanguagePreference } from '../../core/i18n/preference';
import { readLanguagePreference, switchLanguage } from '../../adapters/language';
import { followLanguage, setPageTitle, unfollowLanguage } from '../../behaviors/language';
import { bindView } from '../../behaviors/store-binding';
import type { ViewBinding } from '../../behaviors/store-binding';
import { getServices } from '../../services/index';
import { followTheme, unfollowTheme } from '../../utils/theme';
import { ensureSession } from '../../utils/session-guard';
import { toast } from '../../utils/toast';
import { inPackage } from '../../utils/package-path';
import { errorText } from '../../core/chat/chat-view';
import { watchUnreachable } from '../../utils/unreachable-watch';
import type { UnreachableWatch } from '../../utils/unreachable-watch';

interface PagePrivate {
  list?: ViewBinding;
  net?: ViewBinding;
  offline: boolean;
  onNetwork?: WechatMiniprogram.OnNetworkStatusChangeCallback;
  /** Offers WeChat's customer service when Chat stays unreachable. */
  unreachable?: UnreachableWatch;
  unwatchSession?: () => void;
}
const own = new WeakMap<object, PagePrivate>();
const priv = (page: object): PagePrivate => {
  let p = own.get(page);
  if (!p) {
    p = { offline: false };
    own.set(page, p);
  }
  return p;
};

function bannerFor(status: SessionStatus, offline: boolean): string {
  if (offline) return t('conversations.offline');
  if (status === 'reconnecting' || status === 'logging-in') return t('conversations.reconnecting');
  return '';
}

function texts() {
  return {
    language: t('entry.language.title'),
    empty: t('conversations.empty'),
    delete: t('conversations.delete'),
    pinned: t('conversations.pinned'),
    contactService: t('conversations.contactService'),
  };
}

function languageRows(chosen: LanguagePreference) {
  return LANGUAGE_CHOICES.map((c) => ({
    value: c.value,
    label: t(c.labelKey),
    active: c.value === chosen,
  }));
}

Component({
  data: {
    themeClass: '',
    list: {
      items: [],
      totalUnread: 0,
      totalUnreadText: '',
      isEmpty: false,
      loading: true,
      errorText: '',
    } as ConversationListView,
    banner: '',
    showFallback: false,
    fallbackContext: {} as Record<string, unknown>,
    languages: [] as Array<{ value: LanguagePreference; label: string; active: boolean }>,
    texts: texts(),
  },
  methods: {
    async onLoad() {
      followTheme(this);
      // Every text of the page, the list rows and the title follow an in-app language switch at once.
      followLanguage(this, () => {
        const p = priv(this);
        const chosen = readLanguagePreference({ storage: getServices().storage });
        this.setData({ texts: texts(), languages: languageRows(chosen) });
        setPageTitle(t('conversations.title'));
        p.list?.refresh();
        p.net?.refresh();
      });
      if (!(await ensureSession('/pages/conversations/conversations'))) return;
      const services = getServices();
      const build = createConversationViewBuilder();
      const p = priv(this);
      p.list = bindView(this, services.conversations, (state) => ({
        list: build(state, services.conversationViewContext()),
      }));
      p.net = bindView(this, services.session, (state) => ({
        banner: bannerFor(state.status, p.offline),
      }));
      p.onNetwork = (res) => {
        p.offline = !res.isConnected;
        p.net?.refresh();
      };
      wx.onNetworkStatusChange(p.onNetwork);
      p.unreachable = watchUnreachable(services.clock, (offered) =>
        this.setData(
          offered
            ? {
                showFallback: true,
                fallbackContext: {
                  serviceAccount: services.serviceAccounts()[0] ?? '',
                  source: 'list',
                  reason: 'im-unreachable',
                },
              }
            : { showFallback: false },
        ),
      );
      const follow = () =>
        p.unreachable?.connection(services.session.getState().status === 'ready');
      p.unwatchSession = services.session.subscribe(follow);
      follow();
      void services.conversations.refresh();
    },

    onShow() {
      // Times ("3 分钟前" → "昨天") move on while the page is away.
      priv(this).list?.refresh();
      const notice = getServices().session.takeNotice();
      if (notice) toast(errorText(notice, getServices().language()));
    },

    onUnload() {
      unfollowTheme(this);
      unfollowLanguage(this);
      const p = priv(this);
      p.list?.unbind();
      p.net?.unbind();
      p.unwatchSession?.();
      p.unreachable?.dispose();
      if (p.onNetwork)
        wx.offNetworkStatusChange(
          p.onNetwork as unknown as WechatMiniprogram.OffNetworkStatusChangeCallback,
        );
    },

    async onPullDownRefresh() {
      const result = await getServices().conversations.refresh();
      wx.stopPullDownRefresh();
      if (!result.ok) toast(errorText(result.error, getServices().language()));
    },

    onOpen(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id ?? '');
      if (id)
        wx.navigateTo({
          url: inPackage(`/pages/chat/chat?conversationID=${encodeURIComponent(id)}`),
        });
    },

    /** In-app language override: every open page and component re-renders in it at once. */
    onLanguage(e: WechatMiniprogram.TouchEvent) {
      const value = e.currentTarget.dataset.value as LanguagePreference;
      const { config, storage } = getServices();
      if (value === readLanguagePreference({ storage })) return;
      switchLanguage(value, { configured: config.language, storage });
      // The language may stay the same (e.g. "follow the system"): the choice row still moves.
      this.setData({ languages: languageRows(value) });
    },

    onContactService() {
      wx.navigateTo({ url: inPackage('/pages/chat/chat') });
    },

    async onDelete(e: WechatMiniprogram.TouchEvent) {
      const id = String(e.currentTarget.dataset.id ?? '');
      const result = await getServices().conversations.delete(id);
      if (!result.ok) toast(errorText(result.error, getServices().language()));
    },
  },
});

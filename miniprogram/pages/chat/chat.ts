import type { PickedImage } from '../../core/chat/chat-store';
import { createChatViewBuilder } from '../../core/chat/chat-view';
import type { ScrollDecision } from '../../core/chat/scroll-follow';
import { composerView } from '../../core/chat/composer';
import { trimmedFirstKey, widenedFirstKey, windowChatView } from '../../core/chat/render-window';
import { chatPagePath, entryProductKey, routeEntry } from '../../core/entry/route-entry';
import { t } from '../../core/i18n/index';
import { isNotificationEntry } from '../../core/notify/index';
import { ReplyPrompts } from './reply-prompts';
import { watchUnreachable } from '../../utils/unreachable-watch';
import { followLanguage, setPageTitle, unfollowLanguage } from '../../behaviors/language';
import { bindView } from '../../behaviors/store-binding';
import { getServices } from '../../services/index';
import { followTheme, unfollowTheme } from '../../utils/theme';
import { ensureSession, pageUrl } from '../../utils/session-guard';
import { toast } from '../../utils/toast';
import { inPackage } from '../../utils/package-path';
import { EMPTY_VIEW, texts } from './chat-initial';

import { chatEvents } from './chat-events';
import { PROFILE_SHEET, profileEvents } from './profile-events';
import { decodeParam, priv } from './chat-private';

type Detail<T extends WechatMiniprogram.IAnyObject> = WechatMiniprogram.CustomEvent<T>;

Component({
  data: {
    themeClass: '',
    chat: EMPTY_VIEW,
    texts: texts(),
    inputText: '',
    composer: { canSend: false, tooLong: false, counterText: '', refusalText: '' },
    keyboardHeight: 0,
    scrollInto: '',
    /** New messages arrived below while the user reads further up. */
    newMessagesPill: false,
    ready: false,
    subscribePrompt: '',
    /** Shows the invisible page-container that catches the back gesture (see onBackIntercepted). */
    guardBack: false,
    leavePrompt: '',
    /** WeChat's own customer service, offered when ours stays unreachable. */
    showFallback: false,
    fallbackContext: {} as Record<string, unknown>,
    /** The avatar and nickname sheet (profile-events.ts). */
    profileSheet: PROFILE_SHEET,
  },
  methods: {
    async onLoad(query: Record<string, string | undefined>) {
      followTheme(this);
      const services = getServices();
      const p = priv(this);
      const enter = wx.getEnterOptionsSync ? wx.getEnterOptionsSync() : undefined;
      p.target = routeEntry(
        // Another mini-program's `extraData` arrives with the enter options, not the page query.
        { scene: enter?.scene, query, extraData: enter?.referrerInfo?.extraData },
        { serviceAccounts: services.serviceAccounts() },
      );
      if (p.target.warnings.length)
        services.logger.warn('entry parameters ignored', p.target.warnings);
      // A conversation opened from the list may be any C2C peer; entries always open a service.
      const fromList = decodeParam(query.conversationID);
      p.conversationID = /^C2C.+/.test(fromList) ? fromList : p.target.conversationID;
      // Texts, the message views, the composer and the title follow an in-app language switch.
      followLanguage(this, () => {
        this.setData({ texts: texts() });
        p.binding?.refresh();
        this.setInput(String(this.data.inputText));
        setPageTitle(
          services.serviceDisplay(p.conversationID.slice(3)).nick || t('chatPage.title'),
        );
      });
      if (!(await ensureSession(pageUrl('pages/chat/chat', query)))) return;

      p.notify = services.createChatNotifications();
      p.notify.setSession(p.conversationID);
      if (isNotificationEntry({ scene: enter?.scene, query })) p.notify.notificationOpened();
      p.prompts = new ReplyPrompts({
        notify: p.notify,
        show: (patch) => this.setData(patch),
        leave: () => wx.navigateBack({ delta: 1 }),
        pagesOpen: () => getCurrentPages().length,
        toast,
      });
      getServices().presence().start();

      p.unreachable = watchUnreachable(services.clock, (offered) => this.showFallback(offered));
      // The skill group of the entry reaches the flow with the handshake (entries' conversation only).
      const group = p.conversationID === p.target.conversationID ? p.target.group : undefined;
      const chat = services.createChat(p.conversationID, group ? { skillGroup: group } : {});
      p.chat = chat;
      const build = createChatViewBuilder();
      p.binding = bindView(this, chat, (state) => {
        const view = build(state, services.chatViewContext(p.conversationID));
        p.allMessages = view.messages;
        return { chat: windowChatView(view, p.firstKey) };
      });
      p.unfollow = chat.subscribe(() => this.afterChange());
      this.followProfile();
      this.setData({ ready: true });
      this.measureList();
      this.afterChange();
      const opened = await chat.open();
      if (!opened.ok) toast(this.data.chat.errorText);
      const product = p.target.product;
      // Offered, not sent: the user decides (once per conversation, not on every re-open).
      if (product && p.conversationID === p.target.conversationID)
        chat.offerProduct(
          {
            header: product.header ?? t('chatPage.product', { id: product.id }),
            desc: product.desc,
            pic: product.pic,
            url: product.url,
          },
          entryProductKey(p.conversationID, product),
        );
    },

    onShow() {
      const p = priv(this);
      if (!p.chat) return;
      getServices().presence().start();
      void p.notify?.flush();
    },

    onHide() {
      getServices().presence().stop();
    },

    onUnload() {
      unfollowTheme(this);
      unfollowLanguage(this);
      const p = priv(this);
      getServices().presence().stop();
      p.unfollow?.();
      p.unfollowProfile?.();
      if (p.refreshTimer !== undefined) getServices().clock.clearTimeout(p.refreshTimer);
      p.unreachable?.dispose();
      p.binding?.unbind();
      p.chat?.close();
    },

    onShareAppMessage() {
      const target = priv(this).target;
      return {
        title: t('chatPage.share'),
        // The same service, never this user's history.
        path: inPackage(target ? chatPagePath(target) : '/pages/chat/chat'),
      };
    },

    /** Follows the list's end or raises the pill (scroll-follow.ts decides); shows new errors once. */
    afterChange() {
      const p = priv(this);
      const view = this.data.chat;
      // The built list (immutable, memoised), not `data`: setData patches that in place.
      this.applyFollow(p.follow.listChanged(p.allMessages));
      // A long session: render only the newest part (one full send now, none per message).
      const first = trimmedFirstKey(p.allMessages, p.firstKey, p.follow.getState().atBottom);
      if (first !== p.firstKey) {
        p.firstKey = first;
        p.binding?.refresh();
      }
      this.syncFallback();
      this.scheduleRefresh(view.refreshAt);
      if (view.errorText !== p.lastError) {
        p.lastError = view.errorText;
        toast(view.errorText);
      }
      p.prompts?.phaseChanged(view.session.phase);
      const entries = p.chat ? p.chat.getState().entries : [];
      const newest = entries[entries.length - 1];
      p.prompts?.newestMessage(
        newest && {
          key: newest.key,
          incoming: newest.message.flow === 'in',
          messageType: newest.derived.meta?.messageType,
          signal: newest.derived.kind === 'signal' ? newest.derived.signal : undefined,
        },
      );
    },

    /** Builds the view again when it changes by itself (`refreshAt`), not only on a store change. */
    scheduleRefresh(at: number) {
      const p = priv(this);
      if (at === p.refreshAt) return;
      const { clock } = getServices();
      if (p.refreshTimer !== undefined) clock.clearTimeout(p.refreshTimer);
      p.refreshTimer = undefined;
      p.refreshAt = at;
      if (at === 0) return;
      p.refreshTimer = clock.setTimeout(
        () => {
          p.refreshTimer = undefined;
          p.refreshAt = 0;
          p.binding?.refresh();
          this.afterChange();
        },
        Math.max(0, at - clock.now()),
      );
    },

    /** Reports the chat connection to the unreachable watch (which calls `showFallback`). */
    syncFallback() {
      const p = priv(this);
      p.unreachable?.connection(this.data.chat.network.state === 'online');
    },

    /**
     * WeChat's own customer service while ours has been unreachable for a while, hidden once the
     * connection is back: the user is never left with a chat that cannot answer.
     */
    showFallback(offered: boolean) {
      const p = priv(this);
      this.setData(
        offered
          ? {
              showFallback: true,
              fallbackContext: {
                ...p.target,
                serviceAccount: p.conversationID.slice(3),
                reason: 'im-unreachable',
              },
            }
          : { showFallback: false },
      );
      // The list just got shorter or taller: keep the newest message in view.
      if (p.follow.getState().atBottom) this.scrollToBottom();
    },

    onSendProduct() {
      this.applyFollow(priv(this).follow.follow());
      void priv(this).chat?.sendProductOffer();
    },
    onDismissProduct() {
      priv(this).chat?.dismissProductOffer();
    },

    // Reply-notification prompts (see reply-prompts.ts): one controller call each.
    onSubscribe() {
      priv(this).prompts?.subscribeTap();
    },
    onDismissSubscribe() {
      priv(this).prompts?.dismissTap();
    },
    onBackIntercepted() {
      priv(this).prompts?.backIntercepted();
    },
    onLeaveNotify() {
      priv(this).prompts?.leaveNotifyTap();
    },
    onLeaveAnyway() {
      priv(this).prompts?.leaveAnywayTap();
    },
    onStay() {
      priv(this).prompts?.stayTap();
    },

    /** Applies a scroll-follow decision: scroll to the end, show or hide the pill. */
    applyFollow(decision: ScrollDecision) {
      if (decision.scrollToBottom) this.scrollToBottom();
      if (decision.pill !== this.data.newMessagesPill)
        this.setData({ newMessagesPill: decision.pill });
    },

    /** The "new messages" pill: to the newest message. */
    onJumpToBottom() {
      this.applyFollow(priv(this).follow.follow());
    },

    /** Measures the message list's height (the scroll events do not carry it). */
    measureList() {
      const p = priv(this);
      if (!p.viewport) p.viewport = wx.getWindowInfo ? wx.getWindowInfo().windowHeight : 600;
      if (typeof this.createSelectorQuery !== 'function') return;
      this.createSelectorQuery()
        .select('.chat__list')
        .boundingClientRect((rect) => {
          const height = (rect as { height?: number } | null)?.height;
          if (typeof height === 'number' && height > 0) p.viewport = height;
        })
        .exec();
    },

    /** Shows the end of the newest message (scroll-into-view aligns an item's top, not its end). */
    scrollToBottom() {
      this.setData({ scrollInto: this.data.scrollInto === 'bottom-a' ? 'bottom-b' : 'bottom-a' });
    },

    async onLoadOlder() {
      const p = priv(this);
      const chat = p.chat;
      if (!chat || this.data.chat.history.loading || !this.data.chat.history.canLoadOlder) return;
      const first = this.data.chat.messages[0];
      if (this.data.chat.history.hidden > 0) {
        // Older messages are already loaded: show them before asking the server.
        p.firstKey = widenedFirstKey(p.allMessages, p.firstKey);
        p.binding?.refresh();
        if (first) this.setData({ scrollInto: `m-${first.key}` });
        return;
      }
      const result = await chat.loadOlder();
      // Keep the message that was on top where it was.
      if (result.ok && first) this.setData({ scrollInto: `m-${first.key}` });
    },

    onScroll(e: Detail<{ scrollTop: number; scrollHeight: number }>) {
      const p = priv(this);
      if (!p.viewport) this.measureList();
      const { scrollTop, scrollHeight } = e.detail;
      this.applyFollow(p.follow.scrolled({ scrollTop, scrollHeight, viewportHeight: p.viewport }));
    },

    onInput(e: Detail<{ value: string }>) {
      this.setInput(e.detail.value);
    },

    /** The typed text and what the composer shows for it (send enabled, counter). */
    setInput(text: string) {
      const composer = composerView(text, getServices().language());
      const was = this.data.composer;
      const patch: Record<string, unknown> = { inputText: text };
      if (
        composer.canSend !== was.canSend ||
        composer.tooLong !== was.tooLong ||
        composer.counterText !== was.counterText
      )
        patch.composer = composer;
      this.setData(patch);
    },

    onKeyboardHeight(e: Detail<{ height: number }>) {
      this.setData({ keyboardHeight: e.detail.height });
      this.measureList();
      // The keyboard opens to type: the newest message stays above it.
      if (e.detail.height > 0) this.applyFollow(priv(this).follow.follow());
      else if (priv(this).follow.getState().atBottom) this.scrollToBottom();
    },

    async onSend() {
      const chat = priv(this).chat;
      const text = this.data.inputText;
      const composer = composerView(text, getServices().language());
      if (!chat || !composer.canSend) {
        if (composer.refusalText) toast(composer.refusalText);
        return;
      }
      this.setInput('');
      this.applyFollow(priv(this).follow.follow());
      await chat.sendText(text);
    },

    onChooseImage() {
      const chat = priv(this).chat;
      if (!chat) return;
      wx.chooseMedia({
        count: 1,
        mediaType: ['image'],
        sizeType: ['compressed'],
        success: (res) => {
          const file = res.tempFiles[0];
          if (!file) return;
          const picked: PickedImage = {
            tempFilePath: file.tempFilePath,
            size: file.size,
            width: file.width,
            height: file.height,
          };
          this.applyFollow(priv(this).follow.follow());
          void chat.sendImage(picked);
        },
      });
    },

    ...chatEvents,
    ...profileEvents,

    // Session banner: the rating button (the others are in chat-events.ts).
    onRequestRating() {
      const target = this.data.chat.session.rateTarget;
      // An unrated card is already there (maybe far up): go to it rather than ask for another.
      if (!target) {
        void priv(this).chat?.requestRating();
        return;
      }
      const p = priv(this);
      if (!this.data.chat.messages.some((m) => m.key === target)) {
        // Not rendered (an older part of a long chat): start the window at it.
        p.firstKey = target;
        p.binding?.refresh();
      }
      this.applyFollow(p.follow.leave());
      this.setData({ scrollInto: `m-${target}` });
    },
  },
});

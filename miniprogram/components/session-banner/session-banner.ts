import { t } from '../../core/i18n/index';
import type { ChatView, SessionView } from '../../core/chat/chat-view';
import { rerenderOnLanguage, unfollowLanguage } from '../../behaviors/language';

type NetworkView = ChatView['network'];

/**
 * `session-banner`: the slim bar under the navigation bar of a service chat — the session phase
 * (bot, queue position, the agent serving, ended / timed out / rated), the typing or thinking line,
 * and the actions the view allows: `转人工`, `评价`, `结束会话`, `退出排队`, emitted as `transfer`,
 * `rate`, `end` and `leavequeue` (not bubbling, no detail). Above it, an offline / reconnecting notice while
 * `network.visible`. Draws nothing for a plain chat that is online.
 */
Component({
  options: { virtualHost: false },
  properties: {
    session: { type: Object, value: null as SessionView | null },
    network: { type: Object, value: null as NetworkView | null },
  },
  data: {
    transferLabel: t('components.banner.transfer'),
    rateLabel: t('components.banner.rate'),
    endLabel: t('components.banner.end'),
    leaveQueueLabel: t('components.banner.leaveQueue'),
  },
  lifetimes: {
    attached() {
      rerenderOnLanguage(this, ['session']);
    },
    detached() {
      unfollowLanguage(this);
    },
  },
  observers: {
    session() {
      // Labels follow the language of the moment the session changes, like the view texts.
      this.setData({
        transferLabel: t('components.banner.transfer'),
        rateLabel: t('components.banner.rate'),
        endLabel: t('components.banner.end'),
        leaveQueueLabel: t('components.banner.leaveQueue'),
      });
    },
  },
  methods: {
    currentSession(): SessionView | null {
      return this.data.session as SessionView | null;
    },
    onTransfer() {
      if (this.currentSession()?.canTransfer) this.triggerEvent('transfer', {});
    },
    onRate() {
      if (this.currentSession()?.canRate) this.triggerEvent('rate', {});
    },
    onEnd() {
      if (this.currentSession()?.canEnd) this.triggerEvent('end', {});
    },
    onLeaveQueue() {
      if (this.currentSession()?.canLeaveQueue) this.triggerEvent('leavequeue', {});
    },
  },
});

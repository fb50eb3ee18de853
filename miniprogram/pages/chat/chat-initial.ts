import type { WindowedChatView } from '../../core/chat/render-window';
import { t } from '../../core/i18n/index';

/** What the chat page shows before its store has state: nothing, no buttons. */
export const EMPTY_VIEW = {
  messages: [],
  session: {
    isService: false,
    phase: 'bot',
    text: '',
    queuePosition: -1,
    agentName: '',
    typing: false,
    thinking: false,
    indicatorText: '',
    canTransfer: false,
    canRate: false,
    rateTarget: '',
    canEnd: false,
    canLeaveQueue: false,
    transferText: '',
    rateText: '',
    endText: '',
    leaveQueueText: '',
  },
  network: { state: 'online', visible: false, text: '' },
  history: { loading: false, canLoadOlder: false, errorText: '', hidden: 0 },
  errorText: '',
  productOffer: { visible: false, header: '', desc: '', pic: '', sendText: '', dismissText: '' },
  refreshAt: 0,
} as WindowedChatView;

/** The page's own strings, in the current language. */
export function texts() {
  return {
    placeholder: t('chatPage.placeholder'),
    send: t('chatPage.send'),
    sendAria: t('chatPage.send.aria'),
    imageAria: t('chatPage.image.aria'),
    inputAria: t('chatPage.input.aria'),
    loadOlder: t('chatPage.loadOlder'),
    loadingOlder: t('chatPage.loadingOlder'),
    noMore: t('chatPage.noMore'),
    empty: t('chatPage.empty'),
    subscribe: t('chatPage.subscribe.button'),
    subscribeAria: t('chatPage.subscribe.aria'),
    dismiss: t('chatPage.dismiss'),
    leaveNotify: t('chatPage.leave.notify'),
    leaveGo: t('chatPage.leave.go'),
    leaveStay: t('chatPage.leave.stay'),
    leaveAria: t('chatPage.leave.aria'),
    newMessages: t('chatPage.newMessages'),
    newMessagesAria: t('chatPage.newMessages.aria'),
  };
}

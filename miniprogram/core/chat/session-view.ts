import { t } from '../i18n/index';
import type { MessageKey } from '../i18n/index';
import type { ChatState } from './chat-store';
import { errorText } from './message-view';
import type { SessionPhase } from './service-session';
import type { ChatView, ChatViewContext, ProductOfferView, SessionView } from './view-types';

const SESSION_TEXT: Record<SessionPhase, MessageKey> = {
  bot: 'chat.session.bot',
  queueing: 'chat.session.queueing',
  agent: 'chat.session.agent',
  ended: 'chat.session.ended',
  'timed-out': 'chat.session.timedOut',
  rated: 'chat.session.rated',
};

/** The newest rating card in the list, as the "rate" button needs it. */
export interface LastRating {
  /** Key of the newest card when it can still be rated, `''` otherwise. */
  pendingKey: string;
  /** The newest card expired unrated. */
  expired: boolean;
}

/** The banner and its buttons. */
export function sessionView(
  state: ChatState,
  ctx: ChatViewContext,
  lastRating: LastRating,
): SessionView {
  const { language } = ctx;
  const s = state.session;
  const typing = s.typingUntil > ctx.now;
  const thinking = s.thinkingUntil > ctx.now;
  const ended = s.phase === 'ended' || s.phase === 'timed-out';
  // Exactly when a rating can be given: the desk lets users ask (src 23), and an agent session is
  // in progress, or ended unrated with its card still valid. An unrated card already in the list
  // is where the button leads (it may be scrolled far up).
  const canRate =
    state.isService &&
    s.canUserRate &&
    !s.rated &&
    (s.phase === 'agent' || (ended && !lastRating.expired));
  return {
    isService: state.isService,
    phase: s.phase,
    text: state.isService
      ? s.phase === 'queueing' && s.queuePosition !== null
        ? s.queuePosition === 0
          ? t('chat.session.queueingNext', undefined, language)
          : t('chat.session.queueingPosition', { position: s.queuePosition }, language)
        : s.phase === 'agent' && (s.agentName === '' || s.agentName === ctx.peer.nick)
          ? t('chat.session.agentNoName', undefined, language)
          : t(SESSION_TEXT[s.phase], { name: s.agentName }, language)
      : '',
    queuePosition: s.queuePosition ?? -1,
    agentName: s.agentName,
    typing,
    thinking,
    indicatorText: typing
      ? t('chat.session.typing', undefined, language)
      : thinking
        ? t('chat.session.thinking', undefined, language)
        : '',
    canTransfer: state.isService && (s.inSeat !== null ? !s.inSeat : s.phase === 'bot'),
    canRate,
    rateTarget: canRate ? lastRating.pendingKey : '',
    canEnd: state.isService && s.phase === 'agent',
    canLeaveQueue: state.isService && s.phase === 'queueing',
    transferText: t('chat.action.transfer', undefined, language),
    rateText: t('chat.action.rate', undefined, language),
    endText: t('chat.action.end', undefined, language),
    leaveQueueText: t('chat.action.leaveQueue', undefined, language),
  };
}

/** The network banner. */
export function networkView(state: ChatState, ctx: ChatViewContext): ChatView['network'] {
  const { language } = ctx;
  return {
    state: state.network,
    visible: state.network !== 'online',
    text:
      state.network === 'offline'
        ? t('chat.network.offline', undefined, language)
        : state.network === 'reconnecting'
          ? t('chat.network.reconnecting', undefined, language)
          : '',
  };
}

/** The history header (spinner, "load older", error). */
export function historyView(state: ChatState, ctx: ChatViewContext): ChatView['history'] {
  return {
    loading: state.history.loading,
    canLoadOlder: state.history.loaded && !state.history.completed,
    errorText: errorText(state.history.error, ctx.language),
  };
}

const NO_OFFER: ProductOfferView = {
  visible: false,
  header: '',
  desc: '',
  pic: '',
  sendText: '',
  dismissText: '',
};

/** The product offer bar above the composer. */
export function productOfferView(state: ChatState, ctx: ChatViewContext): ProductOfferView {
  const offer = state.productOffer;
  if (!offer) return NO_OFFER;
  return {
    visible: true,
    header: offer.card.header,
    desc: offer.card.desc ?? '',
    pic: offer.card.pic ?? '',
    sendText: t('chat.product.send', undefined, ctx.language),
    dismissText: t('chat.product.dismiss', undefined, ctx.language),
  };
}

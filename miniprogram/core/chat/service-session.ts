import type { ChatMessage } from '../model/message';
import { extractPeopleAhead } from '../tccc/index';
import type { ClassifiedMessage } from '../tccc/index';

/**
 * Where the customer-service session stands, as far as the protocol lets the client know:
 * `bot → queueing → agent → ended | timed-out → rated`; a new welcome, or the bot answering, starts
 * over at `bot`. Only src 19/20 (and the closure prompts) end a session: rating during a live agent
 * chat marks it rated and leaves it live.
 */
export type SessionPhase = 'bot' | 'queueing' | 'agent' | 'ended' | 'timed-out' | 'rated';

/** The customer-service session as the chat store tracks it. */
export interface ServiceSessionState {
  phase: SessionPhase;
  /** People ahead of the user from the latest queuing prompt (a place N counts as N-1); null when none. */
  queuePosition: number | null;
  /** The agent's display name when known, `''` otherwise. */
  agentName: string;
  /** Unix ms until which "typing…" shows; 0 when not typing. Signals are short-lived. */
  typingUntil: number;
  /** Unix ms until which "thinking…" shows; 0 when not thinking. */
  thinkingUntil: number;
  /** Seat status (src 26): true = an agent holds the session; null before any signal. */
  inSeat: boolean | null;
  /** src 23 `menuSendRuleFlag & 4`: the user may ask to rate. */
  canUserRate: boolean;
  /** The current (or last) agent session has been rated; a new agent session clears it. */
  rated: boolean;
}

/** Before any protocol signal: the bot answers, nothing is known about seats or ratings. */
export const INITIAL_SERVICE_SESSION: ServiceSessionState = {
  phase: 'bot',
  queuePosition: null,
  agentName: '',
  typingUntil: 0,
  thinkingUntil: 0,
  inSeat: null,
  canUserRate: false,
  rated: false,
};

/** Time and transient-signal lifetimes for {@link reduceServiceSession}. */
export interface ReduceContext {
  /** Unix ms. */
  now: number;
  /** True for messages arriving now (pushes); false for history, where transient signals are stale. */
  live: boolean;
  typingMs: number;
  thinkingMs: number;
}

const CLOSED: ReadonlySet<SessionPhase> = new Set<SessionPhase>(['ended', 'timed-out', 'rated']);

/**
 * Bot answers (`role: robot` with these types, or none): when one arrives while the state says an
 * agent holds the session, or after it ended, the bot is answering now (e.g. the desk restarted).
 * System prompts the bot sends (queue, closure, rating) are not answers.
 */
const BOT_ANSWERS: ReadonlySet<string> = new Set([
  '',
  'fallback',
  'faq',
  'clarify',
  'chitchat',
  'rag',
  'aiReply',
  'aiTaskFlowInformationCollection',
  'aiTaskFlowEndReply',
  'standardTaskFlowBranchOption',
  'standardTaskFlowInformationCollection',
  'standardTaskFlowReplyMessage',
]);

function withPhase(state: ServiceSessionState, to: SessionPhase): ServiceSessionState {
  // A session rated while it was live ends as "rated" (the thanks line, no rating button).
  const phase = (to === 'ended' || to === 'timed-out') && state.rated ? 'rated' : to;
  // Back to the bot: no agent holds a seat any more (the transfer button follows the phase).
  if (phase === 'bot') return { ...state, phase, queuePosition: null, agentName: '', inSeat: null };
  if (phase === 'agent')
    // A new agent session can be rated again.
    return { ...state, phase, queuePosition: null, rated: state.phase === 'agent' && state.rated };
  if (phase === 'queueing') return { ...state, phase };
  return { ...state, phase, queuePosition: null, typingUntil: 0, thinkingUntil: 0 };
}

/** `cloudCustomData.messageType` (docs §9) → the phase it announces. */
function phaseFromMeta(
  state: ServiceSessionState,
  classified: ClassifiedMessage,
  message: ChatMessage,
): ServiceSessionState {
  const meta = classified.meta;
  if (!meta || message.flow !== 'in') return state;
  const text = classified.kind === 'plain' ? (classified.text ?? '') : '';
  switch (meta.messageType) {
    case 'welcome':
      return withPhase(state, 'bot');
    case 'queuing': {
      const position = extractPeopleAhead(text);
      return { ...withPhase(state, 'queueing'), queuePosition: position ?? null };
    }
    case 'connectingToAgent':
      return state.phase === 'queueing' ? state : withPhase(state, 'queueing');
    case 'failedToConnectAgent':
      return withPhase(state, 'bot');
    case 'connectedToAgent':
      return {
        ...withPhase(state, 'agent'),
        // A new connection is a new agent: the last session's name does not carry over.
        agentName:
          agentNameFromPrompt(text) ||
          agentNameOf(message, meta.role, state.phase === 'agent' ? state.agentName : ''),
      };
    case 'proactiveClosure':
      return withPhase(state, 'ended');
    case 'timeoutAutoClosure':
      return withPhase(state, 'timed-out');
    default:
      break;
  }
  if (
    meta.role === 'robot' &&
    BOT_ANSWERS.has(meta.messageType ?? '') &&
    meta.scene !== 'transferSession' &&
    (state.phase === 'agent' || CLOSED.has(state.phase))
  ) {
    return withPhase(state, 'bot');
  }
  if (meta.role === 'seat' || meta.scene === 'transferSession') {
    if (CLOSED.has(state.phase)) return state;
    return {
      ...withPhase(state, 'agent'),
      agentName: agentNameOf(message, meta.role, state.agentName),
    };
  }
  return state;
}

/**
 * The agent's name from a "connected" prompt built from TCCC's template (`客服 小王 为您服务`,
 * `客服【小王】已接入`, `Agent Alice is now serving you`); `''` when the text names nobody.
 */
export function agentNameFromPrompt(text: string): string {
  const patterns = [
    /客服\s*[【[「"“]?([^\s【】[\]「」"“”，,。!！]{1,16})[】\]」"”]?\s*(?:为您服务|已接入|已为您接入|正在为您服务|接待您)/,
    /(?:agent|advisor)\s+([\w .'-]{1,32}?)\s+(?:is now serving you|has joined|will help you|is here)/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text.slice(0, 200));
    if (match) return match[1].trim();
  }
  return '';
}

function agentNameOf(message: ChatMessage, role: string | undefined, previous: string): string {
  // A name already known (from the "connected" prompt) wins: agent answers come from the service
  // account, whose nick is the account's own unless the desk sets the agent's.
  if (previous !== '') return previous;
  if (role === 'seat' && message.nick.trim() !== '') return message.nick.trim();
  return previous;
}

/**
 * A rating was given: the session is rated; one that had ended shows "thanks", a live one stays
 * live (rating is an event, not the end). Bot and queue states have no agent session to rate.
 */
export function markRated(state: ServiceSessionState): ServiceSessionState {
  if (state.phase === 'bot' || state.phase === 'queueing') return state;
  if (state.phase === 'ended' || state.phase === 'timed-out')
    return { ...withPhase(state, 'rated'), rated: true };
  return state.rated ? state : { ...state, rated: true };
}

/**
 * Folds one message into the session state. Pure: same inputs, same output; `state` is returned
 * unchanged (same object) when the message says nothing about the session.
 *
 * Transient signals (typing, thinking) only count when `live`; a visible message from the service
 * ends both. A rating that is already rated, or the user's own rating answer, marks the session
 * rated ({@link markRated}).
 */
export function reduceServiceSession(
  state: ServiceSessionState,
  classified: ClassifiedMessage,
  message: ChatMessage,
  ctx: ReduceContext,
): ServiceSessionState {
  let next = state;
  switch (classified.kind) {
    case 'signal':
      switch (classified.signal) {
        case 'typing':
          return ctx.live ? { ...next, typingUntil: ctx.now + ctx.typingMs } : next;
        case 'thinking': {
          if (!ctx.live) return next;
          const stopped = classified.thinkingStatus === 0;
          return { ...next, thinkingUntil: stopped ? 0 : ctx.now + ctx.thinkingMs };
        }
        case 'rating-settings':
          return next.canUserRate === classified.canUserRequest
            ? next
            : { ...next, canUserRate: classified.canUserRequest };
        case 'seat': {
          next = { ...next, inSeat: classified.inSeat };
          if (classified.inSeat && (next.phase === 'bot' || next.phase === 'queueing'))
            return withPhase(next, 'agent');
          if (!classified.inSeat && (next.phase === 'agent' || next.phase === 'queueing'))
            return withPhase(next, 'bot');
          return next;
        }
        case 'ended':
          // The user left the queue (src 27 → 19): no agent session ended, the bot serves again.
          return withPhase(next, next.phase === 'queueing' ? 'bot' : 'ended');
        case 'timeout':
          return withPhase(next, 'timed-out');
        case 'no-agent':
          return next.phase === 'queueing' ? withPhase(next, 'bot') : next;
        default:
          return next;
      }
    case 'hidden':
      if (classified.submittedRating && message.flow === 'out') return markRated(next);
      return next;
    case 'rating':
      if (classified.selectedId !== undefined) next = markRated(next);
      break;
    default:
      break;
  }
  next = phaseFromMeta(next, classified, message);
  if (
    message.flow === 'in' &&
    classified.kind !== 'revoked' &&
    (next.typingUntil || next.thinkingUntil)
  ) {
    // A stream that is still being written keeps "thinking" off but is itself the indicator.
    next = { ...next, typingUntil: 0, thinkingUntil: 0 };
  }
  return next;
}

/** The earliest time a transient flag runs out (for the store's auto-clear timer), or 0. */
export function nextTransientExpiry(state: ServiceSessionState): number {
  const times = [state.typingUntil, state.thinkingUntil].filter((t) => t > 0);
  return times.length ? Math.min(...times) : 0;
}

/** Clears transient flags that have run out at `now`; same object when nothing changed. */
export function expireTransient(state: ServiceSessionState, now: number): ServiceSessionState {
  const typing = state.typingUntil > 0 && state.typingUntil <= now;
  const thinking = state.thinkingUntil > 0 && state.thinkingUntil <= now;
  if (!typing && !thinking) return state;
  return {
    ...state,
    typingUntil: typing ? 0 : state.typingUntil,
    thinkingUntil: thinking ? 0 : state.thinkingUntil,
  };
}

/**
 * The simulated TCCC session engine: keeps one session per (serviceAccount, userID) pair and routes each
 * user message to the flow runner (bot), the human service (queue, agent, end) or the ratings; the agent
 * desk is the console's API over the same sessions. It talks to users only through `ServiceBackend`, like
 * real TCCC through the customer-service account.
 */
import { randomUUID } from 'node:crypto';

import { AgentDesk } from './agent-desk';
import type { EngineState } from './engine-state';
import { restoreSessions, saveState } from './engine-state';
import type { FlowConfig } from './flow';
import { FlowRunner } from './flow-runner';
import { HumanService } from './human-service';
import { Outbox, describeError } from './outbox';
import type { InboundMessage, ServiceBackend } from './port';
import {
  SRC,
  customElem,
  isRecord,
  parseUserInput,
  requestedLanguage,
  requestedSkillGroup,
  textElem,
} from './protocol';
import { RatingService } from './rating-service';
import { TimerSet } from './scheduler';
import type { Session } from './session';
import { newSession, sessionKey } from './session';
import type { EngineSettings, SessionSummary, UserRef } from './types';

export class TcccEngine {
  private readonly sessions = new Map<string, Session>();
  private readonly timers: TimerSet;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribe: () => void;
  private readonly out: Outbox;
  private readonly ratings: RatingService;
  private readonly human: HumanService;
  private readonly flowRunner: FlowRunner;
  private closed = false;

  /** The agent API (console, tests). */
  readonly desk: AgentDesk<Session>;

  constructor(
    private readonly backend: ServiceBackend,
    private readonly settings: EngineSettings,
  ) {
    this.timers = new TimerSet(settings.scheduler);
    this.out = new Outbox(backend, settings, () => this.changed());
    this.ratings = new RatingService(this.out, settings);
    this.human = new HumanService(this.out, settings, this.timers, this.ratings, () =>
      this.changed(),
    );
    this.flowRunner = new FlowRunner(this.out, settings, this.timers, (session) =>
      this.human.transfer(session),
    );
    this.desk = this.createDesk();
    this.unsubscribe = backend.onUserMessage((message) => this.receive(message));
  }

  /** Stops timers (queues, streams, timeouts) and detaches from the backend. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    this.timers.cancelAll();
    this.listeners.clear();
  }

  /** Called after any visible change (new message, state change); for live console updates. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The state to save: sessions, queue order, rating cards. */
  exportState(): EngineState {
    return saveState({
      sessions: this.sessions.values(),
      queue: this.human.queue.entries(),
      ratings: this.ratings.book.entries(),
      agentRotation: this.human.agentRotation,
    });
  }

  /**
   * Restores a saved state (before any message arrives) and re-arms its timers: queued users wait
   * for the next queue step again, agent sessions get a fresh inactivity timeout.
   */
  importState(state: EngineState): void {
    const restored = restoreSessions(state);
    for (const [key, session] of restored.sessions) this.sessions.set(key, session);
    for (const session of restored.queue) this.human.queue.push(session);
    this.ratings.book.load(state.ratings);
    this.human.agentRotation = state.agentRotation;
    for (const session of this.human.queue.entries()) this.human.armQueueTimer(session);
    for (const session of this.sessions.values())
      if (session.state === 'active') this.human.armTimeout(session);
  }

  listSessions(): SessionSummary[] {
    return [...this.sessions.values()]
      .sort((a, b) => b.updatedAt - a.updatedAt)
      .map((session) => this.summarize(session));
  }

  // ---- user side ------------------------------------------------------------------------------

  /** Entry point for every user message; never throws (bad input is logged and ignored). */
  receive(message: InboundMessage): void {
    if (this.closed) return;
    try {
      this.dispatch(message);
    } catch (cause) {
      this.settings.logger.warn(`tccc: failed to handle a user message: ${describeError(cause)}`);
    }
    this.changed();
  }

  private dispatch(message: InboundMessage): void {
    const raw: unknown = message;
    if (
      !isRecord(raw) ||
      typeof raw.serviceAccount !== 'string' ||
      typeof raw.userID !== 'string'
    ) {
      this.settings.logger.info('tccc: ignored a message without serviceAccount/userID');
      return;
    }
    if (!raw.userID || !raw.serviceAccount) return;
    const session = this.sessionFor(raw.serviceAccount, raw.userID);
    const input = parseUserInput(raw.elems);
    if (input.kind === 'protocol') {
      this.onProtocol(session, input.src, input.body);
    } else if (input.kind === 'text') {
      this.out.note(session, 'user', input.text);
      this.onText(session, input.text);
    } else {
      this.out.note(session, 'user', input.summary, input.image);
      if (session.state === 'active') this.human.armTimeout(session);
    }
  }

  private onProtocol(session: Session, src: string, body: Record<string, unknown>): void {
    switch (src) {
      case SRC.HANDSHAKE:
        return this.onHandshake(session, body);
      case SRC.RATING_SELECTED:
        return this.ratings.submit(session, body);
      case SRC.USER_RATING_REQUEST:
        return this.ratings.userRequest(session);
      case SRC.USER_END: {
        const language = requestedLanguage(body);
        if (language) session.language = language;
        if (session.state === 'active' || session.state === 'queued') {
          this.out.note(session, 'system', '用户结束了会话');
          this.human.endSession(session, 'user');
        } else {
          this.settings.logger.info(`tccc: src 27 from ${session.userID} outside a human session`);
        }
        return;
      }
      case SRC.PRODUCT_CARD: {
        const content = isRecord(body.content) ? body.content : {};
        this.out.note(session, 'user', `[商品卡片] ${stringField(content, 'header')}`.trim());
        if (session.state === 'active') this.human.armTimeout(session);
        return;
      }
      case SRC.TASK_FORM:
        return this.flowRunner.submitTaskForm(session, body);
      default:
        this.settings.logger.info(`tccc: ignored src ${src} from ${session.userID}`);
    }
  }

  /**
   * src 7. Always answers with the rating settings (23). The welcome and start menu are sent only when a
   * new service session starts (first contact, after the end, or after a bot session idled out) or the bot
   * session never got them; re-opening the chat mid-session must not restart the flow. In an agent session
   * the seat status is re-sent, since a freshly opened client does not know it.
   */
  private onHandshake(session: Session, body: Record<string, unknown>): void {
    const language = requestedLanguage(body);
    if (language) session.language = language;
    if (session.state === 'ended' || this.botIdledOut(session)) this.startBotSession(session);
    // Remembered for the session; a queued or served user keeps the group they were routed by.
    const skillGroup = requestedSkillGroup(body);
    if (skillGroup && (session.state === 'bot' || session.state === 'ended'))
      session.skillGroup = skillGroup;
    this.out.send(session, [
      customElem(SRC.RATING_SETTINGS, {
        content: { menuSendRuleFlag: this.flow.rating.menuSendRuleFlag },
      }),
    ]);
    if (session.state === 'bot' && !session.welcomed) {
      session.welcomed = true;
      this.flowRunner.sendWelcome(session);
      this.flowRunner.runNode(session, this.flow.startNode, 'robot');
    } else if (session.state === 'active') {
      this.human.sendSeatStatus(session, 'inSeat');
    }
  }

  private onText(session: Session, text: string): void {
    if (session.state === 'ended' || this.botIdledOut(session)) this.startBotSession(session);
    if (session.state === 'active') {
      this.human.armTimeout(session);
      return;
    }
    const isTransfer = this.out.matches(this.flow.keywords.transfer, text);
    if (session.state === 'queued') {
      if (isTransfer) this.human.sendQueuePosition(session);
      return;
    }
    this.flowRunner.reply(session, text, isTransfer);
  }

  // ---- the agent desk -------------------------------------------------------------------------

  private createDesk(): AgentDesk<Session> {
    return new AgentDesk<Session>({
      isClosed: () => this.closed,
      resolve: (user) => this.resolve(user),
      listSessions: () => this.listSessions(),
      transcript: (session) => [...session.transcript],
      accept: (session, agentName) => this.human.accept(session, agentName),
      reply: (session, text) => {
        const ref = this.out.send(session, [textElem(text)], { role: 'seat', note: text });
        const entry = session.transcript[session.transcript.length - 1];
        if (ref && ref.seq > 0 && entry?.from === 'seat') {
          entry.revocable = true;
          session.seatRefs[entry.seq] = ref;
        }
        this.human.armTimeout(session);
      },
      typing: (session) => {
        this.out.send(session, [customElem(SRC.TYPING)], { onlineOnly: true });
      },
      hasCard: (kind) => Boolean(this.flow.agentCards[kind]),
      sendCard: (session, kind) => {
        this.flowRunner.runNode(session, this.flow.agentCards[kind], 'seat');
        this.human.armTimeout(session);
      },
      sendRatingCard: (session, sessionId) => this.ratings.sendCard(session, sessionId),
      endByAgent: (session) => {
        this.out.note(session, 'system', '客服结束了会话');
        this.human.endSession(session, 'agent');
      },
      revoke: (session, seq) => {
        const ref = session.seatRefs[seq];
        const entry = session.transcript.find((e) => e.seq === seq);
        if (!ref || !entry?.revocable) return `message ${seq} is not one of the agent's texts`;
        if (!this.backend.revoke) return 'the backend cannot revoke';
        if (!this.backend.revoke(ref, '')) return `message ${seq} is already revoked`;
        entry.revocable = false;
        entry.revoked = true;
        delete session.seatRefs[seq];
        this.out.note(session, 'system', '客服撤回了一条消息');
        return undefined;
      },
      changed: () => this.changed(),
    });
  }

  // ---- sessions -------------------------------------------------------------------------------

  private sessionFor(serviceAccount: string, userID: string): Session {
    const key = sessionKey(serviceAccount, userID);
    let session = this.sessions.get(key);
    if (!session) {
      const now = this.settings.scheduler.now();
      session = newSession(serviceAccount, userID, this.settings.newSessionId(), now);
      this.sessions.set(key, session);
    }
    return session;
  }

  private resolve(user: UserRef): Session | undefined {
    if (typeof user !== 'string') {
      if (!isRecord(user)) return undefined;
      return this.sessions.get(sessionKey(user.serviceAccount, user.userID));
    }
    let best: Session | undefined;
    for (const session of this.sessions.values()) {
      if (session.userID === user && (!best || session.updatedAt > best.updatedAt)) best = session;
    }
    return best;
  }

  private botIdledOut(session: Session): boolean {
    const timeout = this.settings.sessionTimeoutMs;
    return (
      session.state === 'bot' &&
      timeout > 0 &&
      this.settings.scheduler.now() - session.updatedAt > timeout
    );
  }

  private startBotSession(session: Session): void {
    session.state = 'bot';
    session.sessionId = this.settings.newSessionId();
    session.agentName = undefined;
    session.welcomed = false;
    session.pending = undefined;
    session.offers.clear();
    session.vars = {};
    session.startedAt = this.settings.scheduler.now();
  }

  private summarize(session: Session): SessionSummary {
    const summary: SessionSummary = {
      serviceAccount: session.serviceAccount,
      userID: session.userID,
      state: session.state,
      sessionId: session.sessionId,
      language: session.language,
      online: this.out.isOnline(session.userID),
      messageCount: session.messageCount,
      startedAt: session.startedAt,
      updatedAt: session.updatedAt,
    };
    if (session.agentName) summary.agentName = session.agentName;
    if (session.skillGroup) summary.skillGroup = session.skillGroup;
    if (session.state === 'queued') summary.queueAhead = this.human.queueAheadOf(session);
    const last = session.transcript[session.transcript.length - 1];
    if (last) summary.lastMessage = { ...last };
    if (session.rating) summary.rating = { ...session.rating };
    return summary;
  }

  private get flow(): FlowConfig {
    return this.settings.flow;
  }

  private changed(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch (cause) {
        this.settings.logger.warn(`tccc: change listener failed: ${describeError(cause)}`);
      }
    }
  }
}

function stringField(record: Record<string, unknown>, key: string): string {
  const value = record[key];
  return typeof value === 'string' ? value : '';
}

export const defaultSessionId = (): string => randomUUID();

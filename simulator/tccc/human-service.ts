/**
 * The human side of a session: the transfer into the skill group's queue with its countdown, an agent
 * accepting (by rotation or by name), the inactivity timeout, and the end by agent, user or timeout.
 */
import type { FlowConfig } from './flow';
import { fill } from './flow';
import type { Outbox } from './outbox';
import { RATING_RULE, SRC, customElem } from './protocol';
import { ServiceQueue } from './queue';
import type { RatingService } from './rating-service';
import { err, ok } from './result';
import type { TimerSet } from './scheduler';
import type { Session } from './session';
import type { AgentResult, EngineSettings } from './types';

export class HumanService {
  readonly queue = new ServiceQueue<Session>();
  /** Next agent of the rotation (saved with the engine state). */
  agentRotation = 0;

  constructor(
    private readonly out: Outbox,
    private readonly settings: EngineSettings,
    private readonly timers: TimerSet,
    private readonly ratings: RatingService,
    private readonly changed: () => void,
  ) {}

  private get flow(): FlowConfig {
    return this.settings.flow;
  }

  /** Queues the user for a human agent (or says why not: after hours, no agent online). */
  transfer(session: Session): void {
    session.pending = undefined;
    if (this.settings.offHours) {
      this.out.sendText(
        session,
        this.out.localize(this.flow.texts.offHours, session),
        'robot',
        'automaticReplyAfterWorkingHours',
      );
      return;
    }
    if (!this.settings.agentsOnline) {
      this.out.send(session, [customElem(SRC.NO_SEAT_ONLINE)]);
      this.out.sendText(
        session,
        this.out.localize(this.flow.texts.noAgentOnline, session),
        'robot',
        'failedToConnectAgent',
      );
      return;
    }
    this.out.sendText(
      session,
      this.out.localize(this.flow.texts.connectingToAgent, session),
      'robot',
      'connectingToAgent',
    );
    session.state = 'queued';
    session.virtualAhead = Math.max(0, Math.floor(this.settings.queueAhead));
    this.queue.push(session);
    this.sendQueuePosition(session);
    this.armQueueTimer(session);
  }

  queueAheadOf(session: Session): number {
    return this.queue.aheadOf(session);
  }

  sendQueuePosition(session: Session): void {
    const ahead = this.queueAheadOf(session);
    const template = ahead === 0 ? this.flow.texts.queuingFirst : this.flow.texts.queuing;
    this.out.sendText(
      session,
      fill(this.out.localize(template, session), { ahead, position: ahead + 1 }),
      'robot',
      'queuing',
    );
  }

  /**
   * Each tick serves one simulated person ahead (the countdown); at the head of the queue, auto mode
   * accepts, console mode keeps waiting for an agent.
   */
  armQueueTimer(session: Session): void {
    session.cancelQueueTimer?.();
    session.cancelQueueTimer = this.timers.after(this.settings.queueDelayMs, () => {
      session.cancelQueueTimer = undefined;
      if (session.state !== 'queued') return;
      if (session.virtualAhead > 0) {
        session.virtualAhead -= 1;
        this.sendQueuePosition(session);
      } else if (this.settings.autoAccept && this.queue.isHead(session)) {
        this.accept(session);
        this.changed();
        return;
      }
      this.armQueueTimer(session);
      this.changed();
    });
  }

  private leaveQueue(session: Session): void {
    session.cancelQueueTimer?.();
    session.cancelQueueTimer = undefined;
    for (const behind of this.queue.remove(session)) this.sendQueuePosition(behind);
  }

  /** An agent takes a queued (or still bot-served) user. */
  accept(session: Session, agentName?: string): AgentResult {
    if (session.state === 'active')
      return err({
        code: 'bad-state',
        message: `${session.userID} is already with ${session.agentName ?? 'an agent'}`,
      });
    if (session.state === 'ended')
      return err({ code: 'bad-state', message: `the session with ${session.userID} has ended` });
    if (session.state === 'queued') this.leaveQueue(session);
    const agents =
      (session.skillGroup && this.flow.skillGroups?.[session.skillGroup]?.agents) ||
      this.flow.agents;
    const name = agentName?.trim() || agents[this.agentRotation++ % agents.length];
    session.state = 'active';
    session.agentName = name;
    session.pending = undefined;
    session.lastAgentSessionId = session.sessionId;
    this.out.sendText(
      session,
      fill(this.out.localize(this.flow.texts.connectedToAgent, session), { agent: name }),
      'robot',
      'connectedToAgent',
    );
    this.sendSeatStatus(session, 'inSeat');
    this.armTimeout(session);
    return ok(undefined);
  }

  sendSeatStatus(session: Session, status: 'inSeat' | 'outSeat'): void {
    this.out.send(session, [
      customElem(SRC.SEAT_STATUS, { content: { command: 'updateSeatStatus', content: status } }),
    ]);
  }

  /** The session times out `sessionTimeoutMs` after the last activity of either side. */
  armTimeout(session: Session): void {
    session.cancelTimeout?.();
    session.cancelTimeout = undefined;
    if (this.settings.sessionTimeoutMs <= 0 || session.state !== 'active') return;
    session.cancelTimeout = this.timers.after(this.settings.sessionTimeoutMs, () => {
      session.cancelTimeout = undefined;
      if (session.state !== 'active') return;
      this.out.note(session, 'system', '会话超时');
      this.endSession(session, 'timeout');
      this.changed();
    });
  }

  endSession(session: Session, by: 'agent' | 'user' | 'timeout'): void {
    const wasActive = session.state === 'active';
    const wasQueued = session.state === 'queued';
    if (wasQueued) this.leaveQueue(session);
    session.cancelTimeout?.();
    session.cancelTimeout = undefined;
    if (by === 'timeout') {
      this.out.sendText(
        session,
        this.out.localize(this.flow.texts.timeoutAutoClosure, session),
        'robot',
        'timeoutAutoClosure',
      );
      this.out.send(session, [customElem(SRC.TIMEOUT)]);
    } else if (by === 'agent') {
      this.out.sendText(
        session,
        this.out.localize(this.flow.texts.agentClosure, session),
        'robot',
        'proactiveClosure',
      );
    } else {
      const text = wasQueued ? this.flow.texts.queueLeft : this.flow.texts.userClosure;
      this.out.sendText(session, this.out.localize(text, session), 'robot', 'other');
    }
    this.out.send(session, [customElem(SRC.END)]);
    if (wasActive) this.sendSeatStatus(session, 'outSeat');
    session.state = 'ended';
    session.pending = undefined;
    session.offers.clear();
    if (wasActive && (this.flow.rating.menuSendRuleFlag & RATING_RULE.AUTO) !== 0) {
      const sent = this.ratings.sendCard(session, session.sessionId);
      if (!sent.ok)
        this.settings.logger.info(
          `tccc: no rating card at the end for ${session.userID} (${sent.error})`,
        );
    }
  }
}

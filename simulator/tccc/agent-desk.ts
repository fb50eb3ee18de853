/**
 * The agent's side of the simulated TCCC: the agent API the console and tests call. It checks each
 * request against the session's state and asks the engine (through `DeskHost`) to act.
 */
import type { AgentCardKind } from './flow';
import type { RatingErrorCode } from './protocol';
import { RATING_ERROR } from './protocol';
import type { Result } from './result';
import { err, ok } from './result';
import type {
  AgentError,
  AgentResult,
  SessionState,
  SessionSummary,
  TcccAgentApi,
  TranscriptEntry,
  UserRef,
} from './types';

/** What the desk reads of a session. */
export interface DeskSession {
  userID: string;
  state: SessionState;
  sessionId: string;
  /** Latest service session that reached an agent: what is rated after the end. */
  lastAgentSessionId?: string;
}

/** What the desk needs from the engine. */
export interface DeskHost<S extends DeskSession> {
  isClosed(): boolean;
  resolve(user: UserRef): S | undefined;
  listSessions(): SessionSummary[];
  transcript(session: S): TranscriptEntry[];
  accept(session: S, agentName?: string): AgentResult;
  /** A seat text; re-arms the inactivity timeout. */
  reply(session: S, text: string): void;
  /** src 12, online only. */
  typing(session: S): void;
  /** True if the flow has a node for the card kind. */
  hasCard(kind: AgentCardKind): boolean;
  /** Runs the flow node behind the card kind as the seat; re-arms the inactivity timeout. */
  sendCard(session: S, kind: AgentCardKind): void;
  sendRatingCard(session: S, sessionId: string): Result<void, RatingErrorCode>;
  endByAgent(session: S): void;
  /** Revokes the seat message noted as `seq`; an error text if it cannot. */
  revoke(session: S, seq: number): string | undefined;
  /** After every action: persistence and console updates. */
  changed(): void;
}

export class AgentDesk<S extends DeskSession> implements TcccAgentApi {
  constructor(private readonly host: DeskHost<S>) {}

  listSessions(): SessionSummary[] {
    return this.host.listSessions();
  }

  transcript(user: UserRef): Result<TranscriptEntry[], AgentError> {
    const session = this.host.resolve(user);
    return session ? ok(this.host.transcript(session)) : err(notFound(user));
  }

  accept(user: UserRef, agentName?: string): AgentResult {
    return this.act(user, (session) => this.host.accept(session, agentName));
  }

  reply(user: UserRef, text: string): AgentResult {
    return this.act(user, (session) => {
      if (!text.trim()) return err({ code: 'bad-request', message: 'empty reply' });
      if (session.state !== 'active') return err(notActive(session));
      this.host.reply(session, text);
      return ok(undefined);
    });
  }

  typing(user: UserRef): AgentResult {
    return this.act(user, (session) => {
      if (session.state !== 'active') return err(notActive(session));
      this.host.typing(session);
      return ok(undefined);
    });
  }

  sendCard(user: UserRef, kind: AgentCardKind): AgentResult {
    return this.act(user, (session) => {
      if (!this.host.hasCard(kind))
        return err({ code: 'bad-request', message: `unknown card kind "${String(kind)}"` });
      if (session.state !== 'active') return err(notActive(session));
      this.host.sendCard(session, kind);
      return ok(undefined);
    });
  }

  /** Sends the rating card of the current (or last) agent session. */
  requestRating(user: UserRef): AgentResult {
    return this.act(user, (session) => {
      const sessionId = session.state === 'active' ? session.sessionId : session.lastAgentSessionId;
      if (!sessionId)
        return err({
          code: 'rating-refused',
          message: 'no agent session to rate',
          ratingCode: RATING_ERROR.NO_SESSION,
        });
      const sent = this.host.sendRatingCard(session, sessionId);
      return sent.ok
        ? ok(undefined)
        : err({
            code: 'rating-refused',
            message: `rating refused (${sent.error})`,
            ratingCode: sent.error,
          });
    });
  }

  /** Ends a bot, queued or agent session (rating card afterwards for agent sessions). */
  end(user: UserRef): AgentResult {
    return this.act(user, (session) => {
      if (session.state === 'ended')
        return err({ code: 'bad-state', message: 'the session has already ended' });
      this.host.endByAgent(session);
      return ok(undefined);
    });
  }

  revoke(user: UserRef, seq: number): AgentResult {
    return this.act(user, (session) => {
      if (!Number.isInteger(seq) || seq <= 0)
        return err({ code: 'bad-request', message: 'seq must be a positive integer' });
      const refused = this.host.revoke(session, seq);
      return refused ? err({ code: 'bad-state', message: refused }) : ok(undefined);
    });
  }

  private act(user: UserRef, action: (session: S) => AgentResult): AgentResult {
    if (this.host.isClosed()) return err({ code: 'bad-state', message: 'the service is closed' });
    const session = this.host.resolve(user);
    if (!session) return err(notFound(user));
    const result = action(session);
    this.host.changed();
    return result;
  }
}

function notFound(user: UserRef): AgentError {
  const name =
    typeof user === 'string'
      ? user
      : typeof user === 'object' && user !== null
        ? `${String(user.serviceAccount)}/${String(user.userID)}`
        : '?';
  return { code: 'not-found', message: `no session for ${name}` };
}

function notActive(session: DeskSession): AgentError {
  return {
    code: 'bad-state',
    message: `${session.userID} is not in an agent session (state: ${session.state})`,
  };
}

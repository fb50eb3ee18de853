/** Public types of the TCCC engine: what the console lists and what agent actions return. */
import type { AgentCardKind, FlowConfig, Language } from './flow';
import type { RatingErrorCode } from './protocol';
import type { Result } from './result';
import type { Scheduler } from './scheduler';

export type SessionState = 'bot' | 'queued' | 'active' | 'ended';

/** One line of a session's transcript, as the agent console shows it. */
export interface TranscriptEntry {
  /** Increasing per user, across service sessions. */
  seq: number;
  from: 'user' | 'robot' | 'seat' | 'system';
  text: string;
  /** An image the user sent: its thumbnail's URL (the console shows it). */
  image?: string;
  /** A stored seat message the agent may revoke. */
  revocable?: boolean;
  /** Revoked by the agent. */
  revoked?: boolean;
  /** Milliseconds since the epoch (engine clock). */
  time: number;
}

/** What the console lists for one user of one service account (their latest service session). */
export interface SessionSummary {
  serviceAccount: string;
  userID: string;
  state: SessionState;
  /** Id of the current service session (also the rating card's `sessionId`). */
  sessionId: string;
  language: Language;
  agentName?: string;
  /** People ahead in the queue, while `queued`. */
  queueAhead?: number;
  online: boolean;
  lastMessage?: TranscriptEntry;
  /** The skill group the user's entry asked for (handshake), which routes the transfer. */
  skillGroup?: string;
  messageCount: number;
  startedAt: number;
  updatedAt: number;
  /** The rating given for the latest agent session, if any. */
  rating?: { id: string; content: string };
}

/** A user, by id (their most recently active session) or by exact pair. */
export type UserRef = string | { serviceAccount: string; userID: string };

export interface AgentError {
  code: 'not-found' | 'bad-state' | 'bad-request' | 'rating-refused';
  message: string;
  /** For `rating-refused`: the TCCC rating error code. */
  ratingCode?: RatingErrorCode;
}
export type AgentResult = Result<void, AgentError>;

export interface EngineLogger {
  info(line: string): void;
  warn(line: string): void;
}

export interface EngineSettings {
  flow: FlowConfig;
  agentsOnline: boolean;
  offHours: boolean;
  ratingStyle: 'star' | 'number';
  ratingExpireSeconds: number;
  queueDelayMs: number;
  queueAhead: number;
  autoAccept: boolean;
  sessionTimeoutMs: number;
  streamIntervalMs: number;
  scheduler: Scheduler;
  assetBaseUrl: string | ((file: string) => string);
  newSessionId: () => string;
  logger: EngineLogger;
}

/** The agent API: what the console, its HTTP API and tests call. Failures are values, never throws. */
export interface TcccAgentApi {
  listSessions(): SessionSummary[];
  transcript(user: UserRef): Result<TranscriptEntry[], AgentError>;
  /** Takes a queued (or bot-served) user: `connectedToAgent` text + src 26 inSeat. */
  accept(user: UserRef, agentName?: string): AgentResult;
  /** Text with cloudCustomData `role: seat`. */
  reply(user: UserRef, text: string): AgentResult;
  /** src 12, online only. */
  typing(user: UserRef): AgentResult;
  sendCard(user: UserRef, kind: AgentCardKind): AgentResult;
  requestRating(user: UserRef): AgentResult;
  /** Ends the session: closure text, src 19, src 26 outSeat, then the rating card (flag bit 1). */
  end(user: UserRef): AgentResult;
  /** Revokes one of the agent's own messages (transcript `seq`). */
  revoke(user: UserRef, seq: number): AgentResult;
}

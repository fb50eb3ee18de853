/** A TCCC service session: one (serviceAccount, userID) pair's flow position, transcript and agent. */
import type { Language } from './flow';
import type { SentRef } from './port';
import type { SessionState, TranscriptEntry } from './types';

export interface Offer {
  value: string;
  next?: string;
  saveAs?: string;
  /** A task-flow branch message to mark submitted when this item is chosen. */
  source?: {
    ref: SentRef;
    body: Record<string, unknown>;
    cloud: string;
    item: { content: string; desc: string };
  };
}

export type Pending =
  | { kind: 'input'; nodeId: string }
  | {
      kind: 'task-form';
      nodeId: string;
      ref: SentRef;
      body: Record<string, unknown>;
      cloud: string;
    };

export interface Session {
  key: string;
  serviceAccount: string;
  userID: string;
  state: SessionState;
  sessionId: string;
  language: Language;
  agentName?: string;
  welcomed: boolean;
  /** Latest service session that reached an agent: what src 24 / the console rate after the end. */
  lastAgentSessionId?: string;
  pending?: Pending;
  offers: Map<string, Offer>;
  vars: Record<string, string>;
  virtualAhead: number;
  transcript: TranscriptEntry[];
  messageCount: number;
  startedAt: number;
  updatedAt: number;
  cancelQueueTimer?: () => void;
  cancelTimeout?: () => void;
  rating?: { id: string; content: string };
  /** From the handshake (`triggeredContent.skillGroup`): the queue and agents that serve the user. */
  skillGroup?: string;
  /** The agent's stored texts by transcript seq (the console may revoke them). */
  seatRefs: Record<number, SentRef>;
}

export const normalize = (text: string): string => text.trim().toLowerCase();

export const sessionKey = (serviceAccount: string, userID: string): string =>
  `${serviceAccount}\u0000${userID}`;

/** A fresh bot-served session. */
export function newSession(
  serviceAccount: string,
  userID: string,
  sessionId: string,
  now: number,
): Session {
  return {
    key: sessionKey(serviceAccount, userID),
    serviceAccount,
    userID,
    state: 'bot',
    sessionId,
    language: 'zh',
    welcomed: false,
    offers: new Map(),
    vars: {},
    virtualAhead: 0,
    transcript: [],
    seatRefs: {},
    messageCount: 0,
    startedAt: now,
    updatedAt: now,
  };
}

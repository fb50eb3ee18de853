/**
 * The agent side of the end-to-end scenarios: a small client of the simulator's console API
 * (`/api/agent/*`, see `simulator/tccc/README.md`), typed only as far as the tests read it.
 */

/** One user's latest service session, as the console lists it. */
export interface AgentSession {
  serviceAccount: string;
  userID: string;
  state: 'bot' | 'queued' | 'active' | 'ended';
  sessionId: string;
  agentName?: string;
  online: boolean;
  messageCount: number;
  /** The user's nickname, once they set one (`updateMyProfile`). */
  userNick?: string;
  rating?: { id: string; content: string };
}

/** One transcript line, as the agent sees it. */
export interface AgentTranscriptEntry {
  seq: number;
  from: 'user' | 'robot' | 'seat' | 'system';
  text: string;
  time: number;
}

export type AgentAction = 'accept' | 'reply' | 'typing' | 'card' | 'rating' | 'end';

export interface AgentApi {
  sessions(): Promise<AgentSession[]>;
  transcript(userID: string, serviceAccount: string): Promise<AgentTranscriptEntry[]>;
  /** Posts an action; rejects with the simulator's error text when it refuses. */
  act(action: AgentAction, body: Record<string, string>): Promise<void>;
  /**
   * Polls `sessions()` until `pick` returns a session (or the time is up, then rejects with the
   * last list seen, for the failure message).
   */
  waitForSession(
    pick: (sessions: AgentSession[]) => AgentSession | undefined,
    timeoutMs?: number,
  ): Promise<AgentSession>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

async function json(res: Response): Promise<Record<string, unknown>> {
  const body: unknown = await res.json();
  if (!isRecord(body)) throw new Error(`agent API answered ${res.status} with a non-object`);
  return body;
}

/** A client of the console API of the simulator at `simulatorUrl` (its HTTP origin). */
export function agentApi(simulatorUrl: () => string): AgentApi {
  const api: AgentApi = {
    async sessions() {
      const body = await json(await fetch(`${simulatorUrl()}/api/agent/sessions`));
      if (!Array.isArray(body.sessions)) throw new Error('agent API: no sessions list');
      return body.sessions as AgentSession[];
    },
    async transcript(userID, serviceAccount) {
      const qs = new URLSearchParams({ userID, serviceAccount }).toString();
      const body = await json(await fetch(`${simulatorUrl()}/api/agent/transcript?${qs}`));
      if (body.ok !== true || !Array.isArray(body.messages))
        throw new Error(`agent API transcript: ${JSON.stringify(body)}`);
      return body.messages as AgentTranscriptEntry[];
    },
    async act(action, payload) {
      const res = await fetch(`${simulatorUrl()}/api/agent/${action}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      const body = await json(res);
      if (body.ok !== true) throw new Error(`agent API ${action}: ${JSON.stringify(body.error)}`);
    },
    async waitForSession(pick, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const last = await api.sessions();
        const found = pick(last);
        if (found) return found;
        if (Date.now() > deadline)
          throw new Error(`no matching agent session; sessions: ${JSON.stringify(last)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
  return api;
}

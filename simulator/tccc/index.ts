/**
 * Simulated TCCC service: the scripted service flow, the human-agent queue, the ratings and the agent
 * console, on top of a `ServiceBackend` (the simulated Chat backend). See `createTcccService`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { FastifyInstance } from 'fastify';

import { createConsoleRoutes } from '../console/http';
import { DEFAULT_FLOW } from './default-flow';
import type { EngineLogger, TcccAgentApi } from './types';
import { TcccEngine, defaultSessionId } from './engine';
import { isEngineState } from './engine-state';
import { createStateFile } from './state-file';
import type { FlowConfig } from './flow';
import { loadFlowFile } from './flow';
import type { ServiceBackend } from './port';
import type { Result } from './result';
import { err, ok } from './result';
import type { Scheduler } from './scheduler';
import { REAL_SCHEDULER } from './scheduler';

export type { AgentCardKind, FlowConfig, FlowNode, Localized, Language } from './flow';
export { AGENT_CARD_KINDS, loadFlowFile, mergeFlow, validateFlow } from './flow';
export { DEFAULT_FLOW } from './default-flow';
export type {
  AgentError,
  AgentResult,
  EngineLogger,
  SessionState,
  SessionSummary,
  TcccAgentApi,
  TranscriptEntry,
  UserRef,
} from './types';
export type { Scheduler } from './scheduler';
export { RATING_ERROR, SRC } from './protocol';

export interface TcccOptions {
  /** The service flow (default: `DEFAULT_FLOW`). Build one from JSON with `loadFlowFile`. */
  flow?: FlowConfig;
  /** false → a transfer request gets src 18 + a "no agent online" text. Default true. */
  agentsOnline?: boolean;
  /** true → a transfer request gets the after-hours reply. Default false. */
  offHours?: boolean;
  /** Rating card `type`: star = 1, number = 2. Default 'star'. */
  ratingStyle?: 'star' | 'number';
  /** Card validity; `expireTime` = now + this. Default: the flow's `effectiveHour` in seconds. */
  ratingExpireSeconds?: number;
  /** Queue step: one simulated person ahead is served per step; auto-accept waits one step. Default 1500. */
  queueDelayMs?: number;
  /** Simulated people ahead of each new queuer, for a visible countdown. Default 0. */
  queueAhead?: number;
  /** Accept queued users automatically (tests, demos). Default false: an agent accepts in the console. */
  autoAccept?: boolean;
  /** An agent session ends (src 20) after this long without activity; a bot session restarts. 0 = never. Default 10 min. */
  sessionTimeoutMs?: number;
  /** Delay between streaming-text modifications. Default 150. */
  streamIntervalMs?: number;
  /** Fake clock (ms since epoch); overrides `scheduler.now`. */
  now?: () => number;
  /** Timers (and clock); default real, unref'd timers. */
  scheduler?: Scheduler;
  /**
   * Origin the simulator's HTTP server is reachable at (e.g. `http://127.0.0.1:9300`): card pictures then
   * point to `/console/assets/…` there. Without it pictures are inline `data:` SVG URLs.
   */
  publicOrigin?: string;
  /** Rating / service session ids (default `crypto.randomUUID`). */
  newSessionId?: () => string;
  /** Default: info silent, warn to `console.warn`. */
  logger?: EngineLogger;
  /**
   * JSON file keeping sessions, queue order and rating cards across restarts (the simulator uses
   * `SIMULATOR_DATA.tccc.json`). Default: none (state in memory).
   */
  stateFile?: string;
}

export interface TcccService {
  /**
   * Registers the agent console page at `/console` (plus its assets) and its JSON API at
   * `/api/agent/*` on a fastify app (before it is ready).
   */
  register(app: FastifyInstance): Promise<void>;
  /** Programmatic agent actions (the console API and tests use them). Failures are values, never throws. */
  agent: TcccAgentApi;
  /** Subscribes to session changes (new messages, state changes). */
  onChange(listener: () => void): () => void;
  /** Stops every timer, closes console event streams and detaches from the backend. Idempotent. */
  close(): void;
}

const ASSET_DIR = join(__dirname, 'assets');
const assetCache = new Map<string, string>();

/** Inline `data:` URL of a bundled asset (works without knowing the server's address). */
function assetDataUrl(file: string): string {
  let url = assetCache.get(file);
  if (url === undefined) {
    try {
      url = `data:image/svg+xml;base64,${readFileSync(join(ASSET_DIR, file)).toString('base64')}`;
    } catch {
      url = '';
    }
    assetCache.set(file, url);
  }
  return url;
}

const DEFAULT_LOGGER: EngineLogger = {
  info: () => undefined,
  warn: (line) => console.warn(line),
};

/**
 * Creates the service and subscribes it to `backend` at once. Every session's timers run on
 * `options.scheduler`; nothing here listens on a port (`register` its routes on a fastify app).
 */
export function createTcccService(backend: ServiceBackend, options: TcccOptions = {}): TcccService {
  const flow = options.flow ?? DEFAULT_FLOW;
  const base = options.scheduler ?? REAL_SCHEDULER;
  const scheduler: Scheduler = options.now ? { ...base, now: options.now } : base;
  const origin = options.publicOrigin?.replace(/\/+$/, '');
  const engine = new TcccEngine(backend, {
    flow,
    agentsOnline: options.agentsOnline ?? true,
    offHours: options.offHours ?? false,
    ratingStyle: options.ratingStyle ?? 'star',
    ratingExpireSeconds:
      options.ratingExpireSeconds ?? Math.round(flow.rating.effectiveHour * 3600),
    queueDelayMs: options.queueDelayMs ?? 1500,
    queueAhead: options.queueAhead ?? 0,
    autoAccept: options.autoAccept ?? false,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 10 * 60 * 1000,
    streamIntervalMs: options.streamIntervalMs ?? 150,
    scheduler,
    assetBaseUrl: origin ? `${origin}/console/assets` : assetDataUrl,
    newSessionId: options.newSessionId ?? defaultSessionId,
    logger: options.logger ?? DEFAULT_LOGGER,
  });
  const logger = options.logger ?? DEFAULT_LOGGER;
  const state = options.stateFile
    ? createStateFile(options.stateFile, () => engine.exportState(), isEngineState, logger)
    : undefined;
  const saved = state?.load();
  if (saved) {
    engine.importState(saved);
    logger.info(
      `tccc: restored ${saved.sessions.length} sessions from ${String(options.stateFile)}`,
    );
  }
  const unsaved = state ? engine.onChange(() => state.schedule()) : undefined;
  const agent: TcccAgentApi = engine.desk;
  const consoleRoutes = createConsoleRoutes({
    agent,
    onChange: (listener) => engine.onChange(listener),
    serviceProfile: (account) => backend.serviceProfile(account),
    userProfile: (userID) => backend.userProfile?.(userID),
    assetDir: ASSET_DIR,
  });
  return {
    register: (app) => consoleRoutes.register(app),
    agent,
    onChange: (listener) => engine.onChange(listener),
    close: () => {
      consoleRoutes.close();
      unsaved?.();
      state?.flush();
      engine.close();
    },
  };
}

function flag(value: string | undefined): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  return ['1', 'true', 'yes', 'on'].includes(value.toLowerCase());
}

function count(name: string, value: string | undefined, problems: string[]): number | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) {
    problems.push(`${name} must be a non-negative number`);
    return undefined;
  }
  return parsed;
}

/**
 * Reads TCCC options from the environment, for `npm run simulator` / `npm start`:
 * `TCCC_FLOW_FILE` (JSON merged over the default flow), `TCCC_AUTO_ACCEPT`, `TCCC_AGENTS_ONLINE`,
 * `TCCC_OFF_HOURS`, `TCCC_RATING_STYLE` (star|number), `TCCC_RATING_EXPIRE_SECONDS`, `TCCC_QUEUE_DELAY_MS`,
 * `TCCC_QUEUE_AHEAD`, `TCCC_SESSION_TIMEOUT_MS`. Bad values are reported, not thrown.
 */
export function tcccOptionsFromEnv(
  env: Record<string, string | undefined>,
): Result<TcccOptions, string[]> {
  const problems: string[] = [];
  const options: TcccOptions = {};
  if (env.TCCC_FLOW_FILE) {
    const loaded = loadFlowFile(env.TCCC_FLOW_FILE, DEFAULT_FLOW);
    if (loaded.ok) options.flow = loaded.value;
    else problems.push(...loaded.error);
  }
  const autoAccept = flag(env.TCCC_AUTO_ACCEPT);
  if (autoAccept !== undefined) options.autoAccept = autoAccept;
  const agentsOnline = flag(env.TCCC_AGENTS_ONLINE);
  if (agentsOnline !== undefined) options.agentsOnline = agentsOnline;
  const offHours = flag(env.TCCC_OFF_HOURS);
  if (offHours !== undefined) options.offHours = offHours;
  const style = env.TCCC_RATING_STYLE;
  if (style === 'star' || style === 'number') options.ratingStyle = style;
  else if (style) problems.push('TCCC_RATING_STYLE must be star or number');
  const numbers: [keyof TcccOptions, string][] = [
    ['ratingExpireSeconds', 'TCCC_RATING_EXPIRE_SECONDS'],
    ['queueDelayMs', 'TCCC_QUEUE_DELAY_MS'],
    ['queueAhead', 'TCCC_QUEUE_AHEAD'],
    ['sessionTimeoutMs', 'TCCC_SESSION_TIMEOUT_MS'],
  ];
  for (const [key, name] of numbers) {
    const value = count(name, env[name], problems);
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  return problems.length > 0 ? err(problems) : ok(options);
}

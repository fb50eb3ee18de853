import { DEFAULT_CONFIG } from '../../miniprogram/config';
import type { ChatStore } from '../../miniprogram/core/chat/chat-store';
import type { Outbox } from '../../miniprogram/core/chat/outbox';
import type { ConversationStore } from '../../miniprogram/core/conversations/conversation-store';
import type { Logger } from '../../miniprogram/core/ports/logger';
import type { SessionStore } from '../../miniprogram/core/session/session-store';
import { buildServices } from '../../miniprogram/services/build';
import type { ChatTuning } from '../../miniprogram/services/build';
import { FakeAuth } from './fake-auth';
import { FakeClock, flushMicrotasks } from './fake-clock';
import { FakeFiles } from './fake-files';
import { FakeTransport } from './fake-transport';
import { MemoryStorage } from './memory-storage';

export const SERVICE = '@customer_service_account';
export const SERVICE_CONV = `C2C${SERVICE}`;
export const USER = 'user1';

/** A logger that keeps lines, so tests can assert nothing was swallowed silently. */
export class RecordingLogger implements Logger {
  readonly lines: Array<{ level: string; message: string; detail?: unknown }> = [];
  debug(message: string, detail?: unknown): void {
    this.lines.push({ level: 'debug', message, detail });
  }
  info(message: string, detail?: unknown): void {
    this.lines.push({ level: 'info', message, detail });
  }
  warn(message: string, detail?: unknown): void {
    this.lines.push({ level: 'warn', message, detail });
  }
  error(message: string, detail?: unknown): void {
    this.lines.push({ level: 'error', message, detail });
  }
}

export interface Harness {
  clock: FakeClock;
  transport: FakeTransport;
  storage: MemoryStorage;
  auth: FakeAuth;
  logger: RecordingLogger;
  outbox: Outbox;
  session: SessionStore;
  conversations: ConversationStore;
  chat(conversationID?: string, tuning?: ChatTuning): ChatStore;
  /** Simulates an app restart: new stores over the same storage and server. */
  restart(): Harness;
}

/** The services of `services/build.ts` over the fakes: the same wiring as the app's. */
export function createHarness(
  shared: {
    clock?: FakeClock;
    transport?: FakeTransport;
    storage?: MemoryStorage;
    auth?: FakeAuth;
  } = {},
): Harness {
  const clock = shared.clock ?? new FakeClock();
  const transport = shared.transport ?? new FakeTransport(clock);
  const storage = shared.storage ?? new MemoryStorage();
  const auth = shared.auth ?? new FakeAuth(USER, () => clock.now());
  const logger = new RecordingLogger();
  let n = 0;
  const services = buildServices({
    config: { ...DEFAULT_CONFIG, serviceAccounts: [SERVICE] },
    clock,
    logger,
    storage,
    transport,
    auth,
    files: new FakeFiles(),
    language: () => 'zh-CN',
    newClientId: () => `c${(n += 1)}-${clock.now()}`,
  });
  const { outbox, session, conversations } = services;
  const harness: Harness = {
    clock,
    transport,
    storage,
    auth,
    logger,
    outbox,
    session,
    conversations,
    chat(conversationID = SERVICE_CONV, tuning = {}) {
      return services.createChat(conversationID, tuning);
    },
    restart() {
      // The old app instance is gone: its stores stop listening and its timers stop.
      session.dispose();
      conversations.dispose();
      transport.restartSdk();
      return createHarness({ clock, transport, storage, auth });
    },
  };
  return harness;
}

/** Logs the harness in and lets the ready event and first list update through. */
export async function loggedIn(h: Harness): Promise<void> {
  const res = await h.session.login();
  if (!res.ok) throw new Error(`login failed: ${res.error.message}`);
  await flushMicrotasks();
}

export { flushMicrotasks };

import { createChatStore } from '../../miniprogram/core/chat/chat-store';
import type { ChatStore, ChatStoreDeps } from '../../miniprogram/core/chat/chat-store';
import { createOutbox, followSession } from '../../miniprogram/core/chat/outbox';
import type { Outbox } from '../../miniprogram/core/chat/outbox';
import { createConversationStore } from '../../miniprogram/core/conversations/conversation-store';
import type { ConversationStore } from '../../miniprogram/core/conversations/conversation-store';
import type { Logger } from '../../miniprogram/core/ports/logger';
import { createSessionStore } from '../../miniprogram/core/session/session-store';
import type { SessionStore } from '../../miniprogram/core/session/session-store';
import { FakeAuth } from './fake-auth';
import { FakeClock, flushMicrotasks } from './fake-clock';
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
  chat(conversationID?: string, overrides?: Partial<ChatStoreDeps>): ChatStore;
  /** Simulates an app restart: new stores over the same storage and server. */
  restart(): Harness;
}

/** Wires the core stores over the fakes, as `services/index.ts` does over the real adapters. */
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
  const outbox = createOutbox({ transport, storage, clock, logger });
  const session = createSessionStore({ transport, auth, storage, clock, logger });
  // The same wiring as services/index.ts.
  followSession(outbox, session, transport);
  const conversations = createConversationStore({
    transport,
    logger,
    serviceAccounts: () => [SERVICE],
    language: () => 'zh-CN',
  });
  let n = 0;
  const harness: Harness = {
    clock,
    transport,
    storage,
    auth,
    logger,
    outbox,
    session,
    conversations,
    chat(conversationID = SERVICE_CONV, overrides = {}) {
      return createChatStore({
        conversationID,
        transport,
        outbox,
        clock,
        logger,
        serviceAccounts: () => [SERVICE],
        selfID: () => session.getState().userID,
        language: () => 'zh-CN',
        newClientId: () => `c${(n += 1)}-${clock.now()}`,
        imageMaxBytes: 10 * 1024 * 1024,
        transferText: '人工服务',
        ...overrides,
      });
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

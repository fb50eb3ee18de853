/**
 * The service layer on the REAL `@tencentcloud/chat` SDK (through our `tencent-transport` adapter)
 * against the local simulator. The TCCC side is scripted through the simulator's Chat backend
 * (`sim.backend.send/modify/revoke/onUserMessage`), so each test states exactly what the service
 * does. Always `await world.close()`: the SDK runs timers until destroyed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { createTencentTransport as CreateTencentTransport } from '../../../miniprogram/adapters/chat/tencent-transport';
import type { ChatSdkModule } from '../../../miniprogram/adapters/chat/sdk-module';
import { sdkUnderTest } from '../../support/real-sdk';
import { systemClock } from '../../../miniprogram/adapters/system-clock';
import { DEFAULT_CONFIG } from '../../../miniprogram/config';
import type { ChatStore } from '../../../miniprogram/core/chat/chat-store';
import type { Outbox } from '../../../miniprogram/core/chat/outbox';
import type { ConversationStore } from '../../../miniprogram/core/conversations/conversation-store';
import type { AuthPort, AuthSession } from '../../../miniprogram/core/ports/auth';
import type { ChatTransport } from '../../../miniprogram/core/ports/chat-transport';
import { appError, err, ok } from '../../../miniprogram/core/result';
import type { Result } from '../../../miniprogram/core/result';
import type { ProfileStore } from '../../../miniprogram/core/profile/my-profile';
import type { SessionStore } from '../../../miniprogram/core/session/session-store';
import { buildServices } from '../../../miniprogram/services/build';
import { startSimulator } from '../../../simulator';
import type { RunningSimulator } from '../../../simulator';
import type { InboundMessage, SentRef, WireElem } from '../../../simulator/tccc/port';
import { FakeFiles } from '../../fakes/fake-files';
import { RecordingLogger } from '../../fakes/harness';
import { MemoryStorage } from '../../fakes/memory-storage';
import { installWxShim } from '../../support/real-sdk';
import type { WxShim } from '../../support/real-sdk';

export const SERVICE = '@customer_service_account';
export const SERVICE_CONV = `C2C${SERVICE}`;

/** An auth server that signs with the simulator's key (what `server/` does in production). */
export class SimAuth implements AuthPort {
  refreshes = 0;
  refuseRefresh = false;
  constructor(
    private readonly sim: () => RunningSimulator,
    readonly userID: string,
  ) {}
  private issue(): AuthSession {
    const sim = this.sim();
    return {
      sdkAppID: sim.sdkAppID,
      userID: this.userID,
      userSig: sim.genUserSig(this.userID),
      expireAt: Date.now() + 7 * 24 * 3600_000,
      serviceAccounts: [SERVICE],
      sessionToken: `token-${this.userID}`,
    };
  }
  async login(): Promise<Result<AuthSession>> {
    return ok(this.issue());
  }
  async refresh(): Promise<Result<AuthSession>> {
    this.refreshes += 1;
    if (this.refuseRefresh) return err(appError('session-expired', 'refused'));
    return ok(this.issue());
  }
}

export interface World {
  sim: RunningSimulator;
  userID: string;
  wx: WxShim;
  transport: ChatTransport & { destroy(): Promise<void> };
  storage: MemoryStorage;
  auth: SimAuth;
  logger: RecordingLogger;
  outbox: Outbox;
  session: SessionStore;
  conversations: ConversationStore;
  profile: ProfileStore;
  /** Every message the user sent to a service account, as the simulator saw it. */
  inbound: InboundMessage[];
  chat(conversationID?: string): ChatStore;
  /** The service account sends a text (with optional cloudCustomData) or a custom payload. */
  serviceSends(
    content: { text: string } | { data: string },
    options?: { cloudCustomData?: string; onlineOnly?: boolean },
  ): SentRef;
  serviceModifies(ref: SentRef, content: { data: string } | { text: string }): boolean;
  /** Restarts the simulator on the same port with its persisted state (sockets drop). */
  restartSimulator(downMs?: number): Promise<void>;
  /** A new app instance over the same storage and simulator (the old one is destroyed). */
  restartApp(): Promise<World>;
  close(): Promise<void>;
}

const elem = (content: { text: string } | { data: string }): WireElem =>
  'text' in content
    ? { MsgType: 'TIMTextElem', MsgContent: { Text: content.text } }
    : { MsgType: 'TIMCustomElem', MsgContent: { Data: content.data, Desc: '', Ext: '' } };

/** Loads our adapter with a fresh SDK module, after the wx shim (the SDK sniffs it on load). */
function loadAdapter(): typeof CreateTencentTransport {
  let made: typeof CreateTencentTransport | undefined;
  jest.isolateModules(() => {
    const adapter = '../../../miniprogram/adapters/chat/tencent-transport';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(adapter) as { createTencentTransport: typeof CreateTencentTransport };
    // The SDK under test (`CHAT_SDK`), not the one the package ships.
    const sdkFile =
      sdkUnderTest() === 'lite'
        ? '../../../miniprogram/adapters/chat/sdk-lite'
        : '../../../miniprogram/adapters/chat/sdk-chat';
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require(sdkFile) as Record<string, ChatSdkModule>;
    const module = sdk.liteSdk ?? sdk.chatSdk;
    made = (options) => loaded.createTencentTransport(options, module);
  });
  return made!;
}

export async function waitUntil(
  predicate: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Shared {
  sim: RunningSimulator;
  persistDir: string;
  storage: MemoryStorage;
  userID: string;
  inbound: InboundMessage[];
  unsubscribeInbound: () => void;
}

async function build(shared: Shared): Promise<World> {
  const wx = installWxShim();
  const createTencentTransport = loadAdapter();
  const logger = new RecordingLogger();
  const transport = createTencentTransport({
    sdkAppID: shared.sim.sdkAppID,
    proxyServer: shared.sim.wsUrl,
    loginTimeoutMs: 10_000,
    clock: systemClock,
    logger,
    logLevel:
      Number.isInteger(Number(process.env.SDK_LOG_LEVEL)) && process.env.SDK_LOG_LEVEL
        ? (Number(process.env.SDK_LOG_LEVEL) as 0)
        : 4,
  });
  const auth = new SimAuth(() => shared.sim, shared.userID);
  const storage = shared.storage;
  let n = 0;
  // The app's own wiring (services/build.ts) over the real SDK adapter.
  const services = buildServices({
    config: { ...DEFAULT_CONFIG, serviceAccounts: [SERVICE] },
    clock: systemClock,
    logger,
    storage,
    transport,
    auth,
    files: new FakeFiles(),
    language: () => 'zh-CN',
    newClientId: () => `it-${Date.now()}-${(n += 1)}`,
    sessionRetryDelaysMs: [200, 500],
    chatTuning: { markReadDelayMs: 50 },
  });
  const { outbox, session, conversations, profile } = services;
  const chats: ChatStore[] = [];
  let closed = false;

  const world: World = {
    get sim() {
      return shared.sim;
    },
    userID: shared.userID,
    wx,
    transport,
    storage,
    auth,
    logger,
    outbox,
    session,
    conversations,
    profile,
    inbound: shared.inbound,
    chat(conversationID = SERVICE_CONV) {
      const chat = services.createChat(conversationID);
      chats.push(chat);
      return chat;
    },
    serviceSends(content, options = {}) {
      return shared.sim.backend.send({
        serviceAccount: SERVICE,
        userID: shared.userID,
        elems: [elem(content)],
        cloudCustomData: options.cloudCustomData,
        onlineOnly: options.onlineOnly,
      });
    },
    serviceModifies(ref, content) {
      return shared.sim.backend.modify(ref, [elem(content)]);
    },
    async restartSimulator(downMs = 300) {
      const port = shared.sim.port;
      shared.unsubscribeInbound();
      await shared.sim.close();
      await new Promise((r) => setTimeout(r, downMs));
      shared.sim = await startSimulator({
        port,
        quiet: true,
        service: false,
        env: false,
        persistFile: join(shared.persistDir, 'state.json'),
      });
      shared.unsubscribeInbound = shared.sim.backend.onUserMessage((m) => shared.inbound.push(m));
    },
    async restartApp() {
      await shutdown();
      return build(shared);
    },
    async close() {
      await shutdown();
      shared.unsubscribeInbound();
      await shared.sim.close();
      rmSync(shared.persistDir, { recursive: true, force: true });
    },
  };

  async function shutdown(): Promise<void> {
    if (closed) return;
    closed = true;
    for (const c of chats) c.close();
    session.dispose();
    conversations.dispose();
    await transport.destroy();
    wx.closeAll();
  }

  return world;
}

/** Starts a simulator (bare Chat backend, state persisted to a temp dir) and the app over it. */
export async function createWorld(
  userID = `u${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`,
): Promise<World> {
  const persistDir = mkdtempSync(join(tmpdir(), 'cs-it-'));
  const sim = await startSimulator({
    port: 0,
    quiet: true,
    service: false,
    env: false,
    persistFile: join(persistDir, 'state.json'),
  });
  const shared: Shared = {
    sim,
    persistDir,
    storage: new MemoryStorage(),
    userID,
    inbound: [],
    unsubscribeInbound: () => undefined,
  };
  shared.unsubscribeInbound = sim.backend.onUserMessage((m) => shared.inbound.push(m));
  return build(shared);
}

/** The `Data` of a custom element, parsed. */
export function dataOf(m: InboundMessage): Record<string, unknown> {
  const e = m.elems[0] as { MsgType: string; MsgContent: { Data?: string; Text?: string } };
  return e.MsgType === 'TIMCustomElem'
    ? (JSON.parse(e.MsgContent.Data ?? '{}') as Record<string, unknown>)
    : {};
}

export function textOf(m: InboundMessage): string {
  const e = m.elems[0] as { MsgType: string; MsgContent: { Text?: string } };
  return e.MsgType === 'TIMTextElem' ? (e.MsgContent.Text ?? '') : '';
}

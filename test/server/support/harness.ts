/** Test harness: fake WeChat + fake IM REST on ephemeral ports and a server built against them. */
import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../../../server/app';
import { buildServer } from '../../../server/app';
import type { ServerConfig } from '../../../server/config';
import { loadConfig } from '../../../server/config';
import type { FakeWeChat } from '../../../simulator/wechat/index';
import { startFakeWeChat } from '../../../simulator/wechat/index';
import type { FakeImRest } from './fake-im-rest';
import { startFakeImRest } from './fake-im-rest';

// light-my-request (fastify's inject) requires `cookie` 2, which is ESM-only: Node 20 loads it,
// jest's CommonJS runtime cannot. Inject only uses it for request cookies, which these tests never send.
jest.mock('cookie', () => ({
  stringifySetCookie: (name: string, value: string) => `${name}=${encodeURIComponent(value)}`,
}));

export const TEMPLATE_ID = 'tmpl_agent_reply_01';
export const SERVICE_ACCOUNTS = ['@im_agent#online_shopping_mall', '@im_agent#online_doctor'];
export const CALLBACK_TOKEN = 'callback-token-for-tests';

export interface Harness {
  wechat: FakeWeChat;
  im: FakeImRest;
  config: ServerConfig;
  app: FastifyInstance;
  logs: string[];
  clock: { now(): number; advance(ms: number): void };
  /** A fresh, never-used login code for `name`. */
  code(name: string): string;
  close(): Promise<void>;
}

/** Environment for the fakes, with `overrides` on top. */
export function baseEnv(
  wechat: { url: string },
  im: { url: string; sdkAppID: number; secretKey: string; adminUserID: string },
  overrides: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    IM_SDKAPPID: String(im.sdkAppID),
    IM_SECRET_KEY: im.secretKey,
    IM_ADMIN_USERID: im.adminUserID,
    IM_REST_BASE: im.url,
    WECHAT_APPID: 'wx00000000demo0001',
    WECHAT_APP_SECRET: 'demo-app-secret-0001',
    WECHAT_API_BASE: wechat.url,
    SERVICE_ACCOUNTS: SERVICE_ACCOUNTS.join(','),
    SUBSCRIBE_TEMPLATE_ID: TEMPLATE_ID,
    IM_CALLBACK_TOKEN: CALLBACK_TOKEN,
    CORS_ORIGINS: 'http://127.0.0.1:9400',
    USER_ID_KEY: 'user-id-key-for-tests-0001',
    LOG_LEVEL: 'info',
    ...overrides,
  };
}

let codeCounter = 0;

export async function startHarness(
  overrides: NodeJS.ProcessEnv = {},
  deps: Partial<ServerDeps> = {},
): Promise<Harness> {
  const wechat = await startFakeWeChat({ port: 0 });
  const im = await startFakeImRest();
  const loaded = loadConfig(baseEnv(wechat, im, overrides));
  if (!loaded.ok) throw new Error(`test config invalid: ${loaded.errors.join('; ')}`);
  const logs: string[] = [];
  let offset = 0;
  const clock = {
    now: () => Date.now() + offset,
    advance: (ms: number) => {
      offset += ms;
    },
  };
  const app = buildServer(loaded.config, {
    logDestination: { write: (line) => void logs.push(line) },
    clock,
    ...deps,
  });
  await app.ready();
  return {
    wechat,
    im,
    config: loaded.config,
    app,
    logs,
    clock,
    code: (name) => {
      codeCounter += 1;
      return `demo-${name}.n${codeCounter}`;
    },
    close: async () => {
      await app.close();
      await wechat.close();
      await im.close();
    },
  };
}

export interface LoginBody {
  sdkAppID: number;
  userID: string;
  userSig: string;
  expireAt: number;
  serviceAccounts: string[];
  sessionToken: string;
}

/** Logs `name` in through the API and returns the parsed 200 body (fails the test otherwise). */
export async function login(h: Harness, name: string): Promise<LoginBody> {
  const response = await h.app.inject({
    method: 'POST',
    url: '/api/login',
    payload: { code: h.code(name) },
  });
  if (response.statusCode !== 200) {
    throw new Error(`login ${name} failed: ${response.statusCode} ${response.body}`);
  }
  return response.json<LoginBody>();
}

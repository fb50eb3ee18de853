/**
 * Client logs carry no credential: every level of the console logger, any depth, keys and values,
 * errors kept readable; and the SDK is never put in its verbose (raw packet) log level.
 */
import type * as TencentTransport from '../../miniprogram/adapters/chat/tencent-transport';
import { createConsoleLogger } from '../../miniprogram/adapters/console-logger';

type TransportModule = typeof TencentTransport;

const USER_SIG =
  'eJwtzEELgjAYxvHvsmuErm1OhA4dOhQRFBV0FPPdXpvpcCsj*u6Z9R6f3wPPmxy2*-AJHckIDzmZDI0FVHu0lmC99PtGsmR8FbRFYmxGl5Mjai5RC6e23';
const LOGIN_CODE = '0a3Xb2ll2mQ8Lf4Cz9HQ3ll2ll2xb2lM';
const SESSION_TOKEN = 'st_9fJ2kLmN3pQrS4tUvW5xYz6A7bC8dE';

function secrets(): unknown {
  let deep: Record<string, unknown> = { userSig: USER_SIG };
  for (let i = 0; i < 12; i += 1) deep = { level: i, inner: deep };
  return {
    deep,
    request: {
      url: `https://login.example/session?code=${LOGIN_CODE}`,
      data: { code: LOGIN_CODE },
    },
    answer: { sessionToken: SESSION_TOKEN, userSig: USER_SIG, expiresIn: 300 },
    packet: `{"cmd":"login","body":{"UserSig":"${USER_SIG}","code":"${LOGIN_CODE}"}}`,
    error: new Error(`login failed for ${USER_SIG}`),
    list: [USER_SIG, { token: SESSION_TOKEN }],
  };
}

describe('client logs: no credential at any level', () => {
  const spies = (['info', 'warn', 'error'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation(() => undefined),
  );
  afterAll(() => spies.forEach((spy) => spy.mockRestore()));

  it('redacts keys, values and error texts at every level and depth', () => {
    const logger = createConsoleLogger('[cs]', true);
    for (const level of ['debug', 'info', 'warn', 'error'] as const)
      logger[level](`${level} with ${USER_SIG}`, secrets());
    const printed = JSON.stringify(spies.map((spy) => spy.mock.calls));
    expect(spies.every((spy) => spy.mock.calls.length > 0)).toBe(true);
    for (const secret of [USER_SIG, LOGIN_CODE, SESSION_TOKEN])
      expect(printed).not.toContain(secret);
    expect(printed).toContain('login failed for [redacted]');
    expect(printed).toContain('"name":"Error"');
    expect(printed).toContain('"stack"');
  });

  it('never sets the SDK to its verbose log level', () => {
    // The adapter imports the SDK; mock it to see what level the transport asks for.
    jest.isolateModules(() => {
      const levels: number[] = [];
      jest.doMock('@tencentcloud/chat', () => ({
        __esModule: true,
        default: {
          create: () => ({
            setLogLevel: (level: number) => levels.push(level),
            registerPlugin: () => undefined,
            on: () => undefined,
            off: () => undefined,
          }),
          TYPES: {},
          EVENT: {},
        },
      }));
      jest.doMock('tim-upload-plugin', () => ({ __esModule: true, default: {} }));
      const path = '../../miniprogram/adapters/chat/tencent-transport';
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { createTencentTransport } = require(path) as TransportModule;
      for (const logLevel of [0, 1, 2]) {
        const transport = createTencentTransport({
          sdkAppID: 1400000000,
          proxyServer: '',
          loginTimeoutMs: 1000,
          clock: { now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined },
          logger: createConsoleLogger(),
          logLevel: logLevel as 0 | 1 | 2,
        });
        void transport.login({ userID: 'u', userSig: 'sig' }).catch(() => undefined);
      }
      expect(levels.length).toBeGreaterThan(0);
      expect(Math.min(...levels)).toBeGreaterThanOrEqual(1);
    });
  });
});

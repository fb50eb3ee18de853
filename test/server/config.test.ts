import { loadConfig } from '../../server/config';

const VALID: NodeJS.ProcessEnv = {
  IM_SDKAPPID: '1400000001',
  IM_SECRET_KEY: 'secret-key-value-0123456789',
  WECHAT_APPID: 'wx00000000demo0001',
  WECHAT_APP_SECRET: 'app-secret-value-0123',
  SERVICE_ACCOUNTS: '@im_agent#online_shopping_mall, kefu_2',
  IM_CALLBACK_TOKEN: 'callback-token-value',
};

function errorsFor(overrides: NodeJS.ProcessEnv): string[] {
  const result = loadConfig({ ...VALID, ...overrides });
  return result.ok ? [] : result.errors;
}

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const result = loadConfig(VALID);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.config).toMatchObject({
      port: 9500,
      host: '127.0.0.1',
      imSdkAppID: 1400000001,
      imAdminUserID: 'administrator',
      imRestBase: 'https://console.tim.qq.com',
      wechatApiBase: 'https://api.weixin.qq.com',
      serviceAccounts: ['@im_agent#online_shopping_mall', 'kefu_2'],
      corsOrigins: [],
      imCallbackToken: 'callback-token-value',
      imCallbackUnsignedAllowed: false,
      callbackMaxAgeSeconds: 60,
      rateLimitCallbackPerMinute: 6000,
      redisUrl: undefined,
      subscribeTemplateId: undefined,
      subscribeTemplateData: { thing1: '{{preview}}', time2: '{{time}}' },
      miniprogramState: 'formal',
      chatPagePath: 'pages/chat/chat',
      sessionTtlSeconds: 30 * 86400,
      userSigTtlSeconds: 7 * 86400,
      activationMode: 'handshake',
      activationText: undefined,
      presenceAwaySeconds: 90,
      rateLimitIpPerMinute: 120,
      rateLimitUserPerMinute: 30,
      userIdKeyIsDerived: true,
      trustProxy: false,
      logLevel: 'info',
    });
  });

  it('reads every optional variable', () => {
    const result = loadConfig({
      ...VALID,
      PORT: '0',
      HOST: '0.0.0.0',
      IM_ADMIN_USERID: 'admin2',
      IM_REST_BASE: 'http://127.0.0.1:9300/',
      WECHAT_API_BASE: 'http://127.0.0.1:9301',
      CORS_ORIGINS: 'http://127.0.0.1:9400, https://example.com',
      IM_CALLBACK_TOKEN: 'tok',
      IM_CALLBACK_MAX_AGE_SECONDS: '30',
      RATE_LIMIT_CALLBACK_PER_MINUTE: '100',
      REDIS_URL: 'redis://127.0.0.1:6379/0',
      SUBSCRIBE_TEMPLATE_ID: 'abc-DEF_123',
      SUBSCRIBE_TEMPLATE_DATA: '{"thing3":"{{preview}}","phrase9":"新回复"}',
      MINIPROGRAM_STATE: 'developer',
      CHAT_PAGE_PATH: 'pkg/chat/index',
      SESSION_TTL_SECONDS: '600',
      USERSIG_TTL_SECONDS: '300',
      ACTIVATION_MODE: 'text',
      ACTIVATION_TEXT: 'Hello',
      PRESENCE_AWAY_SECONDS: '30',
      RATE_LIMIT_IP_PER_MINUTE: '1000',
      RATE_LIMIT_USER_PER_MINUTE: '5',
      USER_ID_KEY: 'a-long-enough-user-id-key',
      TRUST_PROXY: '2',
      LOG_LEVEL: 'warn',
    });
    if (!result.ok) throw new Error(result.errors.join('\n'));
    expect(result.config).toMatchObject({
      port: 0,
      host: '0.0.0.0',
      imAdminUserID: 'admin2',
      imRestBase: 'http://127.0.0.1:9300',
      wechatApiBase: 'http://127.0.0.1:9301',
      corsOrigins: ['http://127.0.0.1:9400', 'https://example.com'],
      imCallbackToken: 'tok',
      callbackMaxAgeSeconds: 30,
      rateLimitCallbackPerMinute: 100,
      redisUrl: 'redis://127.0.0.1:6379/0',
      subscribeTemplateId: 'abc-DEF_123',
      subscribeTemplateData: { thing3: '{{preview}}', phrase9: '新回复' },
      miniprogramState: 'developer',
      chatPagePath: 'pkg/chat/index',
      sessionTtlSeconds: 600,
      userSigTtlSeconds: 300,
      activationMode: 'text',
      activationText: 'Hello',
      presenceAwaySeconds: 30,
      rateLimitIpPerMinute: 1000,
      rateLimitUserPerMinute: 5,
      userIdKey: 'a-long-enough-user-id-key',
      userIdKeyIsDerived: false,
      trustProxy: 2,
      logLevel: 'warn',
    });
  });

  it('reports every missing required variable at once, one error each', () => {
    const result = loadConfig({});
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(6);
    for (const name of [
      'IM_SDKAPPID',
      'IM_SECRET_KEY',
      'WECHAT_APPID',
      'WECHAT_APP_SECRET',
      'SERVICE_ACCOUNTS',
      'IM_CALLBACK_TOKEN',
    ]) {
      expect(errors.filter((error) => error.startsWith(`${name} `))).toHaveLength(1);
    }
  });

  it.each([
    ['IM_SDKAPPID', ''],
    ['IM_SECRET_KEY', '   '],
    ['WECHAT_APPID', ''],
    ['WECHAT_APP_SECRET', ''],
    ['SERVICE_ACCOUNTS', ' , ,'],
    ['IM_CALLBACK_TOKEN', ' '],
  ])('treats blank %s as missing', (name, value) => {
    const errors = errorsFor({ [name]: value });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^${name} is required`));
  });

  it.each([
    ['PORT', 'http'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['IM_SDKAPPID', 'abc'],
    ['IM_SDKAPPID', '0'],
    ['IM_SDKAPPID', '99999999999'],
    ['IM_SECRET_KEY', 'has space'],
    ['IM_ADMIN_USERID', 'a'.repeat(33)],
    ['IM_ADMIN_USERID', 'admin user'],
    ['IM_REST_BASE', 'console.tim.qq.com'],
    ['IM_REST_BASE', 'ftp://console.tim.qq.com'],
    ['IM_REST_BASE', 'https://console.tim.qq.com/?x=1'],
    ['WECHAT_APPID', 'wx app'],
    ['WECHAT_API_BASE', 'not a url'],
    ['SERVICE_ACCOUNTS', `ok,${'x'.repeat(33)}`],
    ['SERVICE_ACCOUNTS', 'kefu,administrator'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'http://127.0.0.1:9400/path'],
    ['SUBSCRIBE_TEMPLATE_ID', 'has space'],
    ['SUBSCRIBE_TEMPLATE_DATA', 'not json'],
    ['SUBSCRIBE_TEMPLATE_DATA', '[]'],
    ['SUBSCRIBE_TEMPLATE_DATA', '{"thing1":1}'],
    ['SUBSCRIBE_TEMPLATE_DATA', '{}'],
    ['MINIPROGRAM_STATE', 'prod'],
    ['CHAT_PAGE_PATH', '/pages/chat/chat'],
    ['CHAT_PAGE_PATH', 'pages/chat/chat?x=1'],
    ['SESSION_TTL_SECONDS', '59'],
    ['SESSION_TTL_SECONDS', '1.5'],
    ['USERSIG_TTL_SECONDS', '0'],
    ['USERSIG_TTL_SECONDS', '99999999999'],
    ['ACTIVATION_MODE', 'auto'],
    ['ACTIVATION_TEXT', 'x'.repeat(501)],
    ['PRESENCE_AWAY_SECONDS', '1'],
    ['RATE_LIMIT_IP_PER_MINUTE', '0'],
    ['RATE_LIMIT_USER_PER_MINUTE', 'many'],
    ['USER_ID_KEY', 'short'],
    ['TRUST_PROXY', 'yes'],
    ['LOG_LEVEL', 'verbose'],
    ['IM_CALLBACK_UNSIGNED', 'yes'],
    ['IM_CALLBACK_MAX_AGE_SECONDS', '3600'],
    ['RATE_LIMIT_CALLBACK_PER_MINUTE', '0'],
    ['REDIS_URL', 'http://127.0.0.1:6379'],
  ])('rejects %s=%j with one error naming it', (name, value) => {
    const errors = errorsFor({ [name]: value });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(name);
  });

  it('accepts unsigned callbacks only when IM_CALLBACK_UNSIGNED=allow says so', () => {
    const allowed = loadConfig({ ...VALID, IM_CALLBACK_TOKEN: '', IM_CALLBACK_UNSIGNED: 'allow' });
    if (!allowed.ok) throw new Error(allowed.errors.join('\n'));
    expect(allowed.config).toMatchObject({
      imCallbackToken: undefined,
      imCallbackUnsignedAllowed: true,
    });
    // With a token the switch changes nothing: signatures stay required.
    const signed = loadConfig({ ...VALID, IM_CALLBACK_UNSIGNED: 'allow' });
    expect(signed.ok && signed.config.imCallbackUnsignedAllowed).toBe(false);
  });

  it('requires ACTIVATION_TEXT in text mode', () => {
    const errors = errorsFor({ ACTIVATION_MODE: 'text' });
    expect(errors).toEqual(['ACTIVATION_TEXT is required when ACTIVATION_MODE=text.']);
  });

  it('never echoes a secret in an error', () => {
    const secret = 'super secret value';
    const result = loadConfig({
      ...VALID,
      IM_SECRET_KEY: secret,
      WECHAT_APP_SECRET: '',
      PORT: 'x',
    });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.errors.join('\n')).not.toContain(secret);
  });

  it('de-duplicates service accounts and keeps their order', () => {
    const result = loadConfig({ ...VALID, SERVICE_ACCOUNTS: 'b,a,b' });
    expect(result.ok && result.config.serviceAccounts).toEqual(['b', 'a']);
  });
});

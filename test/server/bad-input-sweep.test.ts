import type { InjectOptions } from 'fastify';
import type { Harness } from './support/harness';
import { login, startHarness } from './support/harness';

/** Small deterministic PRNG (mulberry32) so a failing case can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PATHS = [
  '/api/login',
  '/api/refresh',
  '/api/subscriptions',
  '/api/presence',
  '/im/callback',
  '/im/callback?SdkAppid=1400000001&CallbackCommand=C2C.CallbackAfterSendMsg',
  '/im/callback?SdkAppid=1400000001&SdkAppid=2&CallbackCommand=x',
  '/im/callback?SdkAppid=%E0%A4%A&CallbackCommand=%',
  '/healthz',
  '/api/login?code=demo-x',
  '/api/../api/login',
  '/api/login/',
  '//api//login',
  '/%00',
  `/${'a'.repeat(3000)}`,
];
const METHODS: InjectOptions['method'][] = [
  'GET',
  'POST',
  'POST',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'OPTIONS',
  'HEAD',
];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=----x',
  'application/octet-stream',
  'application/jsonp',
  '',
  ';;;',
  'application/json, text/plain',
];

function bodies(token: string): Array<string | Buffer> {
  const deep = `${'['.repeat(3000)}${']'.repeat(3000)}`;
  return [
    '',
    '{',
    '}',
    'null',
    'true',
    '0',
    '-1e999',
    '"code"',
    '[]',
    '{}',
    '{"code":null}',
    '{"code":1}',
    '{"code":{"$gt":""}}',
    '{"code":["demo-a"]}',
    '{"code":"demo-a","code":"demo-b"}',
    '{"code":"\\u0000"}',
    '{"code":"demo-\u4f60\u597d"}',
    `{"code":"${'x'.repeat(129)}"}`,
    '{"code":"invalid-code-123"}',
    '{"__proto__":{"polluted":1},"code":"demo-p"}',
    '{"constructor":{"prototype":{"polluted":1}}}',
    '{"sessionToken":null}',
    '{"sessionToken":"v1.a.b"}',
    `{"sessionToken":"${token}x"}`,
    `{"sessionToken":"${token}","accepted":[]}`,
    `{"sessionToken":"${token}","accepted":{"t":"yes"}}`,
    `{"sessionToken":"${token}","accepted":{"${'k'.repeat(200)}":"accept"}}`,
    `{"sessionToken":"${token}","state":"sleeping"}`,
    `{"sessionToken":${JSON.stringify('x'.repeat(600))}}`,
    '{"CallbackCommand":"C2C.CallbackAfterSendMsg","From_Account":1,"To_Account":[]}',
    '{"CallbackCommand":"C2C.CallbackAfterSendMsg","MsgBody":"x","MsgTime":"now"}',
    deep,
    `{"a":"${'x'.repeat(9000)}"}`,
    Buffer.from([0xff, 0xfe, 0xfd, 0x00, 0x7b]),
    Buffer.from('{"code":"demo-\xff"}', 'latin1'),
    '\ufeff{"code":"demo-bom"}',
    '{"code":"demo-a"} trailing',
    '{"code":"demo-a"}\n{"code":"demo-b"}',
  ];
}

describe('bad-input sweep', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      RATE_LIMIT_IP_PER_MINUTE: '1000000',
      RATE_LIMIT_USER_PER_MINUTE: '1000000',
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('answers at least 1,000 malformed requests without a single 5xx', async () => {
    const { sessionToken } = await login(h, 'sweeper');
    const random = prng(20240607);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const payloads = bodies(sessionToken);
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    const total = 1200;

    for (let i = 0; i < total; i += 1) {
      // Weighted towards well-formed envelopes around bad content, so most requests reach the
      // parser, the schema and the handlers rather than stopping at routing.
      const method = random() < 0.6 ? 'POST' : pick(METHODS);
      const url = random() < 0.6 ? pick(PATHS.slice(0, 6)) : pick(PATHS);
      const contentType = random() < 0.6 ? 'application/json' : pick(CONTENT_TYPES);
      const payload = method === 'GET' || method === 'HEAD' ? undefined : pick(payloads);
      const headers: Record<string, string> = {};
      if (contentType !== '') headers['content-type'] = contentType;
      if (random() < 0.1)
        headers.origin = pick(['http://127.0.0.1:9400', 'null', 'http://evil.example']);
      if (random() < 0.05) headers['access-control-request-method'] = 'POST';
      if (random() < 0.05) headers['x-forwarded-for'] = '1.2.3.4, ::1';
      const response = await h.app.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      });
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      const label = `#${i} ${method} ${url.slice(0, 60)} [${contentType}] ${String(payload).slice(0, 60)}`;
      if (response.statusCode >= 500)
        failures.push(`${label} → ${response.statusCode} ${response.body.slice(0, 200)}`);
      if (response.statusCode >= 400 && method !== 'HEAD') {
        let body: unknown;
        try {
          body = response.json();
        } catch {
          body = undefined;
        }
        const record = (body ?? {}) as Record<string, unknown>;
        if (typeof record.error !== 'string' || typeof record.message !== 'string') {
          failures.push(
            `${label} → ${response.statusCode} without {error,message}: ${response.body.slice(0, 100)}`,
          );
        }
      }
    }
    await h.app.backgroundIdle();

    expect(failures).toEqual([]);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(total);
    // The sweep reached many different checks, not one early rejection.
    for (const status of [400, 401, 404, 413, 415])
      expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
    const health = await h.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

import { get } from 'node:http';
import type { IncomingMessage } from 'node:http';

import { createTcccService } from '../../../simulator/tccc';
import type { TcccService } from '../../../simulator/tccc';
import { FakeBackend, kinds } from '../tccc/support/fake-backend';
import { serve } from './support';
import type { Served } from './support';

let backend: FakeBackend;
let service: TcccService;
let served: Served;

beforeEach(async () => {
  backend = new FakeBackend();
  service = createTcccService(backend, {
    logger: { info: () => undefined, warn: () => undefined },
  });
  served = await serve(service);
});

afterEach(async () => {
  service.close();
  await served.close();
});

const post = (path: string, body: unknown, type = 'application/json') =>
  fetch(`${served.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

/** Reads server-sent events until `count` `sessions` events arrived. */
function readEvents(
  count: number,
  onOpen: () => void,
): Promise<{ sessions: { userID: string; state: string }[] }[]> {
  return new Promise((resolve, reject) => {
    const events: { sessions: { userID: string; state: string }[] }[] = [];
    let buffer = '';
    const request = get(`${served.origin}/api/agent/events`, (res: IncomingMessage) => {
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').find((line) => line.startsWith('data: '));
          if (frame.includes('event: sessions') && data) {
            events.push(
              JSON.parse(data.slice(6)) as { sessions: { userID: string; state: string }[] },
            );
            if (events.length === 1) onOpen();
            if (events.length === count) {
              request.destroy();
              resolve(events);
            }
          }
          end = buffer.indexOf('\n\n');
        }
      });
    });
    request.on('error', (cause) => {
      if (events.length < count) reject(cause);
    });
  });
}

describe('console HTTP', () => {
  it('serves the page and its assets with a strict CSP, and declines other paths', async () => {
    const page = await fetch(`${served.origin}/console`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await page.text();
    expect(html).toContain('/console/console.js');
    expect(html).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    for (const [path, type] of [
      ['/console/console.js', /javascript/],
      ['/console/console.css', /text\/css/],
      ['/console/assets/product.svg', /image\/svg\+xml/],
    ] as const) {
      const res = await fetch(`${served.origin}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(type);
    }
    expect((await fetch(`${served.origin}/console/assets/..%2Fhttp.ts`)).status).toBe(404);
    expect((await fetch(`${served.origin}/console/nope.js`)).status).toBe(404);
    expect(await (await fetch(`${served.origin}/elsewhere`)).text()).toBe('not found');
  });

  it('lists sessions and runs agent actions through the JSON API', async () => {
    backend.handshake('u1');
    backend.userText('u1', '人工');
    const list = (await (await fetch(`${served.origin}/api/agent/sessions`)).json()) as {
      sessions: { userID: string; state: string; serviceNick: string }[];
    };
    expect(list.sessions).toEqual([
      expect.objectContaining({ userID: 'u1', state: 'queued', serviceNick: '在线客服' }),
    ]);
    backend.take('u1');

    const accepted = await post('/api/agent/accept', { userID: 'u1', agentName: '小李' });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ ok: true });
    expect(backend.take('u1')[0].text).toBe('客服 小李 为您服务');

    expect((await post('/api/agent/reply', { userID: 'u1', text: '您好' })).status).toBe(200);
    expect((await post('/api/agent/card', { userID: 'u1', kind: 'product' })).status).toBe(200);
    expect((await post('/api/agent/typing', { userID: 'u1' })).status).toBe(200);
    expect(kinds(backend.take('u1'))).toEqual(['text', '22', '12']);

    const transcript = (await (
      await fetch(`${served.origin}/api/agent/transcript?userID=u1`)
    ).json()) as {
      messages: { from: string; text: string }[];
    };
    const seatLines = transcript.messages
      .filter((entry) => entry.from === 'seat')
      .map((entry) => entry.text);
    expect(seatLines).toEqual(['您好', '[商品卡片] TCCC 智能音箱 X1']);

    expect((await post('/api/agent/end', { userID: 'u1' })).status).toBe(200);
    expect(kinds(backend.take('u1'))).toEqual(['text', '19', '26', '9']);
    const again = await post('/api/agent/rating', {
      userID: 'u1',
      serviceAccount: '@customer_service_account',
    });
    expect(again.status).toBe(200);
  });

  it('answers bad requests with errors, never crashing', async () => {
    backend.handshake('u1');
    expect((await post('/api/agent/accept', { userID: 'u1' }, 'text/plain')).status).toBe(415);
    expect((await post('/api/agent/accept', '{nope')).status).toBe(400);
    expect((await post('/api/agent/accept', '[1]')).status).toBe(400);
    expect((await post('/api/agent/accept', {})).status).toBe(400);
    expect((await post('/api/agent/accept', { userID: 'ghost' })).status).toBe(404);
    expect((await post('/api/agent/reply', { userID: 'u1', text: 'hi' })).status).toBe(409);
    expect((await post('/api/agent/card', { userID: 'u1', kind: 'video' })).status).toBe(400);
    expect(
      (await post('/api/agent/reply', { userID: 'u1', text: 'x'.repeat(70 * 1024) })).status,
    ).toBe(413);
    expect((await fetch(`${served.origin}/api/agent/accept`)).status).toBe(405);
    expect((await post('/api/agent/sessions', {})).status).toBe(405);
    expect((await post('/api/agent/unknown', {})).status).toBe(404);
    expect((await fetch(`${served.origin}/api/agent/transcript`)).status).toBe(400);
    const body = (await (await post('/api/agent/reply', { userID: 'u1', text: 'hi' })).json()) as {
      error: { code: string };
    };
    expect(body.error.code).toBe('bad-state');
  });

  it('pushes the session list over server-sent events when something changes', async () => {
    const events = await readEvents(2, () => backend.userText('live', '人工'));
    expect(events[0].sessions).toEqual([]);
    expect(events[1].sessions).toEqual([
      expect.objectContaining({ userID: 'live', state: 'queued' }),
    ]);
  });

  it('ends open event streams on close', async () => {
    const ended = new Promise<void>((resolve) => {
      get(`${served.origin}/api/agent/events`, (res) => {
        res.resume();
        res.on('end', () => resolve());
        res.once('data', () => service.close());
      });
    });
    await ended;
    expect((await fetch(`${served.origin}/api/agent/sessions`)).status).toBe(503);
  });
});

describe('user profile and revoke', () => {
  it("lists the user's nick and avatar when known", async () => {
    backend.profiles.set('u9', { nick: '小明', avatar: 'https://example.test/a.png' });
    backend.handshake('u9');
    const body = (await (await fetch(`${served.origin}/api/agent/sessions`)).json()) as {
      sessions: { userID: string; userNick?: string; userAvatar?: string }[];
    };
    expect(body.sessions.find((s) => s.userID === 'u9')).toMatchObject({
      userNick: '小明',
      userAvatar: 'https://example.test/a.png',
    });
  });

  it("revokes the agent's own text once, and refuses other messages", async () => {
    backend.handshake('u8');
    backend.userText('u8', '人工');
    expect((await post('/api/agent/accept', { userID: 'u8' })).status).toBe(200);
    expect((await post('/api/agent/reply', { userID: 'u8', text: 'oops' })).status).toBe(200);
    const transcript = (await (
      await fetch(`${served.origin}/api/agent/transcript?userID=u8`)
    ).json()) as { messages: { seq: number; from: string; text: string; revocable?: boolean }[] };
    const mine = transcript.messages.find((m) => m.text === 'oops');
    expect(mine).toMatchObject({ from: 'seat', revocable: true });
    const robot = transcript.messages.find((m) => m.from === 'robot');
    expect(robot?.revocable).toBeUndefined();
    const sent = backend.sentTo('u8').find((m) => m.text === 'oops');

    expect((await post('/api/agent/revoke', { userID: 'u8', seq: mine?.seq })).status).toBe(200);
    expect(backend.revoked.map((r) => r.seq)).toEqual([sent?.ref.seq]);
    expect((await post('/api/agent/revoke', { userID: 'u8', seq: mine?.seq })).status).toBe(409);
    expect((await post('/api/agent/revoke', { userID: 'u8', seq: robot?.seq })).status).toBe(409);
    expect((await post('/api/agent/revoke', { userID: 'u8', seq: 'x' })).status).toBe(400);
    expect(backend.revoked).toHaveLength(1);
    const after = (await (
      await fetch(`${served.origin}/api/agent/transcript?userID=u8`)
    ).json()) as { messages: { text: string; revoked?: boolean }[] };
    expect(after.messages.find((m) => m.text === 'oops')?.revoked).toBe(true);
    expect(after.messages.map((m) => m.text)).toContain('客服撤回了一条消息');
  });
});

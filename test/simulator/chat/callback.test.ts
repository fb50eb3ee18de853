/**
 * The after-send callback (`C2C.CallbackAfterSendMsg`) the simulator posts like Tencent Chat: its
 * query and body for REST, SDK and TCCC messages, the signature, what gets no callback, and that a
 * dead or slow receiver never gets in the way of delivery.
 */
import { createHash } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { type RunningSimulator, startSimulator } from '../../../simulator';
import {
  AFTER_SEND_COMMAND,
  AfterSendCallbacks,
  SERVICE_ORIGIN,
} from '../../../simulator/chat/callback';
import type { Logger } from '../../../simulator/chat/logger';
import { type StoredMessage, msgKey } from '../../../simulator/chat/store';
import { readEnvOverrides } from '../../../simulator/config';
import { callRest } from '../../support/rest-client';
import { type WireClient, connectWire, pushedMessage } from '../../support/wire-client';

const SERVICE = '@customer_service_account';
const SDK_APP_ID = 1400000000;
const TOKEN = 'callback-token-for-simulator-tests';
const HANDSHAKE = '{"customerServicePlugin":0,"src":"7"}';

type Json = Record<string, unknown>;

interface Received {
  url: URL;
  contentType: string;
  body: Json;
}

/** A tiny callback receiver: records every POST, answers `status` after an optional delay. */
interface Receiver {
  url: string;
  received: Received[];
  status: number;
  /** Called per request before answering; the answer waits for it. */
  hold: ((r: Received) => Promise<void>) | undefined;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Omit<Receiver, 'url' | 'close'> = { received: [], status: 200, hold: undefined };
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry: Received = {
        url: new URL(req.url ?? '/', 'http://receiver'),
        contentType: req.headers['content-type'] ?? '',
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json,
      };
      receiver.received.push(entry);
      const answer = (): void => {
        res.writeHead(receiver.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' }));
      };
      if (receiver.hold) void receiver.hold(entry).then(answer);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}/im/callback`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A loopback URL nothing listens on (connection refused at once). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/im/callback`;
}

const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
let randoms = 1000;

/** REST `openim/sendmsg`; returns the answer body. */
async function restSend(
  sim: RunningSimulator,
  from: string,
  to: string,
  msgBody: unknown,
  extra: Json = {},
): Promise<Json> {
  const r = await callRest(sim, 'openim/sendmsg', {
    From_Account: from,
    To_Account: to,
    MsgRandom: randoms++,
    MsgBody: msgBody,
    ...extra,
  });
  return r.body;
}

async function importAccounts(sim: RunningSimulator, ...ids: string[]): Promise<void> {
  for (const id of ids) {
    const r = await callRest(sim, 'im_open_login_svc/account_import', { UserID: id });
    expect(r.body.ErrorCode).toBe(0);
  }
}

/** Waits until `predicate` holds (callbacks are asynchronous by design). */
async function until(predicate: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const from = (received: Received[], sender: string) =>
  received.filter((r) => r.body.From_Account === sender);

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  jest.restoreAllMocks();
});

async function setup(
  options: Parameters<typeof startSimulator>[0] = {},
): Promise<{ sim: RunningSimulator; receiver: Receiver }> {
  const receiver = await startReceiver();
  cleanup.push(() => receiver.close());
  const sim = await startSimulator({
    port: 0,
    quiet: true,
    env: false,
    service: false,
    ...options,
  });
  cleanup.push(() => sim.close());
  sim.setCallback({ url: receiver.url });
  return { sim, receiver };
}

async function loggedIn(sim: RunningSimulator, userID: string): Promise<WireClient> {
  const c = await connectWire(sim.wsUrl);
  cleanup.push(() => c.close());
  expect(await c.login(userID, sim.genUserSig(userID), sim.sdkAppID)).toMatchObject({
    ErrorCode: 0,
  });
  return c;
}

describe('after-send callback', () => {
  it("posts a REST send with Tencent's query and body", async () => {
    const { sim, receiver } = await setup();
    await importAccounts(sim, 'rest-user');
    const answer = await restSend(sim, 'rest-user', SERVICE, text('where is my parcel?'), {
      MsgRandom: 4242,
      CloudCustomData: '{"k":1}',
    });
    expect(answer.ErrorCode).toBe(0);
    await sim.backend.callbacks.idle();

    expect(receiver.received).toHaveLength(1);
    const [call] = receiver.received;
    expect(call.url.pathname).toBe('/im/callback');
    expect(Object.fromEntries(call.url.searchParams)).toEqual({
      SdkAppid: String(SDK_APP_ID),
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      contenttype: 'json',
      ClientIP: '127.0.0.1',
      OptPlatform: 'RESTAPI',
    });
    expect(call.contentType).toBe('application/json');
    const stored = sim.backend.store.visibleMessages('rest-user', SERVICE);
    expect(stored).toHaveLength(1);
    expect(call.body).toEqual({
      CallbackCommand: 'C2C.CallbackAfterSendMsg',
      From_Account: 'rest-user',
      To_Account: SERVICE,
      MsgSeq: stored[0].seq,
      MsgRandom: 4242,
      MsgTime: answer.MsgTime,
      MsgKey: answer.MsgKey,
      OnlineOnlyFlag: 0,
      SendMsgResult: 0,
      ErrorInfo: 'send msg succeed',
      MsgBody: text('where is my parcel?'),
      CloudCustomData: '{"k":1}',
    });
  });

  it('posts an SDK send as OptPlatform Web, online-only ones flagged', async () => {
    const { sim, receiver } = await setup();
    const c = await loggedIn(sim, 'sdk-user');
    const sent = await c.request('openim.sendmsg', {
      To_Account: SERVICE,
      MsgSeq: 31,
      MsgRandom: 32,
      MsgClientTime: Math.floor(Date.now() / 1000),
      MsgBody: text('hello from the SDK'),
      CloudCustomData: '',
    });
    expect(sent.ErrorCode).toBe(0);
    const typing = await c.request('openim.sendmsg', {
      To_Account: SERVICE,
      MsgSeq: 33,
      MsgRandom: 34,
      MsgLifeTime: 0,
      MsgBody: [{ MsgType: 'TIMCustomElem', MsgContent: { Data: '{"src":"12"}' } }],
    });
    expect(typing.ErrorCode).toBe(0);
    await sim.backend.callbacks.idle();

    expect(receiver.received.map((r) => r.url.searchParams.get('OptPlatform'))).toEqual([
      'Web',
      'Web',
    ]);
    expect(receiver.received[0].url.searchParams.get('ClientIP')).toBe('127.0.0.1');
    expect(receiver.received.map((r) => r.body)).toEqual([
      expect.objectContaining({
        From_Account: 'sdk-user',
        MsgSeq: 31,
        MsgRandom: 32,
        MsgKey: sent.MsgKey,
        OnlineOnlyFlag: 0,
        MsgBody: text('hello from the SDK'),
      }),
      expect.objectContaining({ MsgSeq: 33, MsgRandom: 34, OnlineOnlyFlag: 1 }),
    ]);
  });

  it("posts the TCCC engine's messages from the service account, in send order", async () => {
    const { sim, receiver } = await setup({ service: undefined, tccc: { autoAccept: false } });
    await importAccounts(sim, 'tccc-user');
    const custom = [{ MsgType: 'TIMCustomElem', MsgContent: { Data: HANDSHAKE } }];
    expect((await restSend(sim, 'tccc-user', SERVICE, custom)).ErrorCode).toBe(0);
    // The handshake's answer: rating settings, welcome, menu (engine tests pin the exact kinds).
    await until(() => from(receiver.received, SERVICE).length >= 3, 'the welcome callbacks');

    const tccc = sim.tccc;
    if (!tccc) throw new Error('the simulated TCCC should be running');
    expect(tccc.agent.accept('tccc-user', '小王').ok).toBe(true);
    expect(tccc.agent.typing('tccc-user').ok).toBe(true);
    expect(tccc.agent.reply('tccc-user', '您的包裹已发出').ok).toBe(true);
    await sim.backend.callbacks.idle();

    const fromService = from(receiver.received, SERVICE);
    for (const r of fromService) {
      expect(r.url.searchParams.get('OptPlatform')).toBe('RESTAPI');
      expect(r.body).toMatchObject({
        CallbackCommand: AFTER_SEND_COMMAND,
        To_Account: 'tccc-user',
        SendMsgResult: 0,
      });
    }
    // Every stored service message was posted once, in the order it was stored, with its body.
    const stored = sim.backend.store
      .visibleMessages('tccc-user', SERVICE)
      .filter((m) => m.from === SERVICE);
    const posted = fromService.filter((r) => r.body.OnlineOnlyFlag === 0);
    expect(posted.map((r) => r.body.MsgKey)).toEqual(stored.map(msgKey));
    expect(posted.map((r) => r.body.MsgBody)).toEqual(stored.map((m) => m.elems));
    // The agent's reply, as the login server reads it (role seat in CloudCustomData).
    const reply = posted[posted.length - 1].body;
    expect(reply.MsgBody).toEqual(text('您的包裹已发出'));
    expect(JSON.parse(String(reply.CloudCustomData))).toMatchObject({ role: 'seat' });
    // Typing (src 12) is online only: posted, flagged, not stored.
    const typing = fromService.filter((r) => r.body.OnlineOnlyFlag === 1);
    expect(typing.map((r) => JSON.stringify(r.body.MsgBody))).toEqual([
      expect.stringContaining('\\"src\\":\\"12\\"'),
    ]);
  });

  it('signs with sha256(token + RequestTime) when a token is set', async () => {
    const { sim, receiver } = await setup();
    sim.setCallback({ url: `${receiver.url}?tenant=demo`, token: TOKEN });
    await importAccounts(sim, 'signed-user');
    expect((await restSend(sim, 'signed-user', SERVICE, text('signed'))).ErrorCode).toBe(0);
    await sim.backend.callbacks.idle();

    expect(receiver.received).toHaveLength(1);
    const query = receiver.received[0].url.searchParams;
    const requestTime = query.get('RequestTime') ?? '';
    expect(Math.abs(Number(requestTime) - Date.now() / 1000)).toBeLessThan(5);
    expect(query.get('Sign')).toBe(
      createHash('sha256')
        .update(TOKEN + requestTime)
        .digest('hex'),
    );
    // The configured URL's own query is kept; Tencent's parameters come after it.
    expect([...query.keys()]).toEqual([
      'tenant',
      'SdkAppid',
      'CallbackCommand',
      'contenttype',
      'ClientIP',
      'OptPlatform',
      'Sign',
      'RequestTime',
    ]);
  });

  it('posts nothing for refused messages, resends, or once the callback is cleared', async () => {
    const { sim, receiver } = await setup();
    await importAccounts(sim, 'refused-user');
    const refused = await restSend(sim, 'refused-user', SERVICE, text('this has a 违禁词 in it'));
    expect(refused.ErrorCode).toBe(80001);
    const unknownPeer = await restSend(sim, 'refused-user', 'nobody-imported', text('hi'));
    expect(unknownPeer.ErrorCode).toBe(20003);
    const tooLong = await restSend(sim, 'refused-user', SERVICE, text('x'.repeat(13 * 1024)));
    expect(tooLong.ErrorCode).toBe(80002);
    const once = { MsgSeq: 9001, MsgRandom: 9002 };
    expect((await restSend(sim, 'refused-user', SERVICE, text('once'), once)).ErrorCode).toBe(0);
    expect((await restSend(sim, 'refused-user', SERVICE, text('once'), once)).ErrorCode).toBe(0);
    await sim.backend.callbacks.idle();
    expect(receiver.received.map((r) => r.body.MsgBody)).toEqual([text('once')]);

    sim.setCallback(undefined);
    expect((await restSend(sim, 'refused-user', SERVICE, text('quiet'))).ErrorCode).toBe(0);
    await sim.backend.callbacks.idle();
    expect(receiver.received).toHaveLength(1);
  });

  it('keeps delivering when the callback URL is down, logging once per failure streak', async () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { sim, receiver } = await setup();
    sim.setCallback({ url: await deadUrl() });
    const c = await loggedIn(sim, 'down-user');

    for (const t of ['one', 'two', 'three']) {
      expect((await restSend(sim, SERVICE, 'down-user', text(t))).ErrorCode).toBe(0);
    }
    await c.waitPush(
      (p) => JSON.stringify(pushedMessage(p)?.MsgBody) === JSON.stringify(text('three')),
    );
    await sim.backend.callbacks.idle();
    const pushedTexts = c.pushes.map((p) => JSON.stringify(pushedMessage(p)?.MsgBody));
    expect(pushedTexts).toEqual(['one', 'two', 'three'].map((t) => JSON.stringify(text(t))));
    const callbackWarnings = () =>
      warn.mock.calls.map((args) => String(args[0])).filter((l) => l.includes('callback'));
    expect(callbackWarnings()).toEqual([expect.stringContaining('failed')]);
    expect(callbackWarnings()[0]).not.toContain('?'); // never the query (it may carry a Sign)

    // A receiver answering 500 is a failure too; a success ends the streak, the next one logs again.
    sim.setCallback({ url: receiver.url });
    receiver.status = 500;
    expect((await restSend(sim, SERVICE, 'down-user', text('four'))).ErrorCode).toBe(0);
    expect((await restSend(sim, SERVICE, 'down-user', text('five'))).ErrorCode).toBe(0);
    await sim.backend.callbacks.idle();
    expect(callbackWarnings()).toHaveLength(2);
    expect(callbackWarnings()[1]).toContain('HTTP 500');
    receiver.status = 200;
    expect((await restSend(sim, SERVICE, 'down-user', text('six'))).ErrorCode).toBe(0);
    await sim.backend.callbacks.idle();
    receiver.status = 503;
    expect((await restSend(sim, SERVICE, 'down-user', text('seven'))).ErrorCode).toBe(0);
    await sim.backend.callbacks.idle();
    expect(callbackWarnings()).toHaveLength(3);
    expect(receiver.received).toHaveLength(4);
  });
});

describe('AfterSendCallbacks', () => {
  const logger = (): Logger & { lines: string[] } => {
    const lines: string[] = [];
    return {
      lines,
      info: () => undefined,
      warn: (line) => lines.push(line),
      once: () => undefined,
    };
  };
  let seq = 0;
  const message = (sender: string, to = 'someone'): StoredMessage => {
    seq++;
    return {
      id: seq,
      from: sender,
      to,
      seq,
      random: seq * 10,
      time: 1_700_000_000,
      clientTime: 1_700_000_000,
      tinyId: '1',
      elems: text(`m${seq}`),
      cloudCustomData: '',
      version: 0,
      nick: '',
      avatar: '',
    };
  };

  it("keeps one sender's callbacks in order, one at a time, without holding up others", async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    let open = 0;
    let maxOpenForA = 0;
    receiver.hold = async (r) => {
      if (r.body.From_Account !== 'a') return;
      open++;
      maxOpenForA = Math.max(maxOpenForA, open);
      // a's callbacks are slow: a's next one must wait for the previous answer, b's must not.
      await new Promise((resolve) => setTimeout(resolve, 150));
      open--;
    };
    const callbacks = new AfterSendCallbacks(SDK_APP_ID, logger());
    cleanup.push(() => callbacks.close());
    callbacks.configure({ url: receiver.url });
    const sentA = [message('a'), message('a'), message('a')];
    callbacks.notify(sentA[0], false, SERVICE_ORIGIN);
    callbacks.notify(sentA[1], false, SERVICE_ORIGIN);
    const fromB = message('b');
    callbacks.notify(fromB, false, SERVICE_ORIGIN);
    callbacks.notify(sentA[2], false, SERVICE_ORIGIN);
    await callbacks.idle();

    expect(from(receiver.received, 'a').map((r) => r.body.MsgSeq)).toEqual(sentA.map((m) => m.seq));
    expect(maxOpenForA).toBe(1);
    // b did not queue behind a's slow callbacks: it arrived while a's first was still open.
    const senders = receiver.received.map((r) => r.body.From_Account);
    expect(senders.indexOf('b')).toBeLessThan(senders.lastIndexOf('a') - 1);
    expect(senders.indexOf('b')).toBeLessThanOrEqual(1);
  });

  it('gives up on a receiver that never answers, logs it once and goes on', async () => {
    const receiver = await startReceiver();
    cleanup.push(() => receiver.close());
    receiver.hold = () => new Promise(() => undefined);
    const log = logger();
    const callbacks = new AfterSendCallbacks(SDK_APP_ID, log, 200);
    cleanup.push(() => callbacks.close());
    callbacks.configure({ url: receiver.url });
    const started = Date.now();
    callbacks.notify(message('slow'), false, SERVICE_ORIGIN);
    callbacks.notify(message('slow'), false, SERVICE_ORIGIN);
    await callbacks.idle();

    expect(receiver.received).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(log.lines).toEqual([expect.stringContaining('no answer within 200 ms')]);
  });

  it('refuses a callback URL that is not http(s)', () => {
    const callbacks = new AfterSendCallbacks(SDK_APP_ID, logger());
    expect(() => callbacks.configure({ url: 'ftp://127.0.0.1/cb' })).toThrow(/http/);
    expect(() => callbacks.configure({ url: 'not a url' })).toThrow(/not a URL/);
    expect(callbacks.current).toBeUndefined();
  });

  it('reads SIMULATOR_CALLBACK_URL and SIMULATOR_CALLBACK_TOKEN', () => {
    expect(
      readEnvOverrides({
        SIMULATOR_CALLBACK_URL: 'http://127.0.0.1:9500/im/callback',
        SIMULATOR_CALLBACK_TOKEN: 't0k',
      }),
    ).toEqual({
      overrides: { callback: { url: 'http://127.0.0.1:9500/im/callback', token: 't0k' } },
      errors: [],
    });
    const bad = readEnvOverrides({ SIMULATOR_CALLBACK_URL: 'file:///etc/passwd' });
    expect(bad.overrides).toEqual({});
    expect(bad.errors).toEqual([expect.stringContaining('SIMULATOR_CALLBACK_URL')]);
  });
});

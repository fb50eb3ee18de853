/**
 * A small stand-in for the Chat REST API (`account_import`, `openim/sendmsg` and
 * `openim/admin_getroammsg`, with Tencent's shapes) that checks the
 * admin UserSig the way Tencent does and records every call. Used by the server tests and the
 * benchmark; the real simulator is exercised separately when present.
 */
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateSync } from 'node:zlib';
import type { RoamMsg } from '../../../server/im-rest-client';

export interface FakeImCall {
  command: 'account_import' | 'sendmsg' | 'admin_getroammsg';
  body: Record<string, unknown>;
}

/** A stored one-to-one message, in `admin_getroammsg`'s answer shape. */
export type FakeImMessage = RoamMsg;

export interface FakeImRest {
  url: string;
  sdkAppID: number;
  secretKey: string;
  adminUserID: string;
  calls: FakeImCall[];
  imported: Set<string>;
  /** Every stored message (sendmsg adds to it; tests add messages "sent" elsewhere). */
  messages: FakeImMessage[];
  /** Stores a message as if it had been sent, and returns it. */
  addMessage(
    message: Pick<FakeImMessage, 'From_Account' | 'To_Account' | 'MsgBody'> &
      Partial<FakeImMessage>,
  ): FakeImMessage;
  /** Calls refused because the UserSig, identifier or sdkappid was wrong. */
  authFailures: number;
  /**
   * After `skip` normal calls, the next `times` calls to `command` answer `ErrorCode` (e.g. 90001),
   * or drop the connection (0).
   */
  failNext(command: FakeImCall['command'], errorCode: number, times?: number, skip?: number): void;
  /** Delay before answering sendmsg (to widen race windows). */
  sendDelayMs: number;
  close(): Promise<void>;
}

/** Independent TLS v2 check (not the server's code): inflate, re-sign, compare. */
export function checkUserSig(
  sig: string,
  sdkAppID: number,
  key: string,
  identifier: string,
): boolean {
  try {
    const json = inflateSync(
      Buffer.from(sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64'),
    ).toString('utf8');
    const doc = JSON.parse(json) as Record<string, unknown>;
    const text =
      `TLS.identifier:${String(doc['TLS.identifier'])}\nTLS.sdkappid:${String(doc['TLS.sdkappid'])}\n` +
      `TLS.time:${String(doc['TLS.time'])}\nTLS.expire:${String(doc['TLS.expire'])}\n`;
    const expected = createHmac('sha256', key).update(text).digest('base64');
    const now = Math.floor(Date.now() / 1000);
    return (
      doc['TLS.sig'] === expected &&
      doc['TLS.identifier'] === identifier &&
      doc['TLS.sdkappid'] === sdkAppID &&
      now <= Number(doc['TLS.time']) + Number(doc['TLS.expire'])
    );
  } catch {
    return false;
  }
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        resolve(
          typeof parsed === 'object' && parsed !== null
            ? (parsed as Record<string, unknown>)
            : undefined,
        );
      } catch {
        resolve(undefined);
      }
    });
  });
}

/** `admin_getroammsg`: the pair's messages in [MinTime, MaxTime], newest first, paged by key. */
function roam(messages: FakeImMessage[], body: Record<string, unknown>): object {
  const operator = body.Operator_Account;
  const peer = body.Peer_Account;
  const min = typeof body.MinTime === 'number' ? body.MinTime : 0;
  const max = typeof body.MaxTime === 'number' ? body.MaxTime : 0;
  const count = typeof body.MaxCnt === 'number' ? Math.min(Math.max(body.MaxCnt, 1), 100) : 100;
  const inPair = (m: FakeImMessage) =>
    (m.From_Account === operator && m.To_Account === peer) ||
    (m.From_Account === peer && m.To_Account === operator);
  let list = messages
    .filter((m) => inPair(m) && m.MsgTimeStamp >= min && m.MsgTimeStamp <= max)
    .reverse();
  if (typeof body.LastMsgKey === 'string' && body.LastMsgKey !== '') {
    const at = list.findIndex((m) => m.MsgKey === body.LastMsgKey);
    list = at === -1 ? [] : list.slice(at + 1);
  }
  const page = list.slice(0, count);
  const last = page[page.length - 1];
  return {
    ActionStatus: 'OK',
    ErrorCode: 0,
    ErrorInfo: '',
    Complete: page.length === list.length ? 1 : 0,
    MsgCnt: page.length,
    LastMsgTime: last?.MsgTimeStamp ?? 0,
    LastMsgKey: last?.MsgKey ?? '',
    MsgList: page,
  };
}

export async function startFakeImRest(
  options: { sdkAppID?: number; secretKey?: string; adminUserID?: string } = {},
): Promise<FakeImRest> {
  const sdkAppID = options.sdkAppID ?? 1400000001;
  const secretKey = options.secretKey ?? 'fake-im-secret-key-0123456789abcdef';
  const adminUserID = options.adminUserID ?? 'administrator';
  const failures: Record<FakeImCall['command'], Array<number | null>> = {
    account_import: [],
    sendmsg: [],
    admin_getroammsg: [],
  };
  let nextSeq = 1;
  const state: FakeImRest = {
    url: '',
    sdkAppID,
    secretKey,
    adminUserID,
    calls: [],
    imported: new Set(),
    messages: [],
    addMessage(message) {
      const seq = message.MsgSeq ?? nextSeq++;
      const random = message.MsgRandom ?? Math.floor(Math.random() * 2 ** 31);
      const time = message.MsgTimeStamp ?? Math.floor(Date.now() / 1000);
      const stored: FakeImMessage = {
        MsgSeq: seq,
        MsgRandom: random,
        MsgTimeStamp: time,
        MsgFlagBits: 0,
        MsgKey: `${seq}_${random}_${time}`,
        CloudCustomData: '',
        ...message,
      };
      state.messages.push(stored);
      return stored;
    },
    authFailures: 0,
    sendDelayMs: 0,
    failNext(command, errorCode, times = 1, skip = 0) {
      for (let i = 0; i < skip; i += 1) failures[command].push(null);
      for (let i = 0; i < times; i += 1) failures[command].push(errorCode);
    },
    close: async () => undefined,
  };

  const answer = (res: ServerResponse, body: object) => {
    const text = JSON.stringify(body);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(text);
  };
  const fail = (res: ServerResponse, code: number, info: string) =>
    answer(res, { ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: info });

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake-im');
      const body = await readJson(req);
      const q = url.searchParams;
      if (
        q.get('sdkappid') !== String(sdkAppID) ||
        q.get('identifier') !== adminUserID ||
        q.get('contenttype') !== 'json' ||
        !/^\d+$/.test(q.get('random') ?? '') ||
        !checkUserSig(q.get('usersig') ?? '', sdkAppID, secretKey, adminUserID)
      ) {
        state.authFailures += 1;
        return fail(res, 70001, 'usersig check failed');
      }
      if (body === undefined) return fail(res, 90001, 'json parse error');
      const command =
        url.pathname === '/v4/im_open_login_svc/account_import'
          ? 'account_import'
          : url.pathname === '/v4/openim/sendmsg'
            ? 'sendmsg'
            : url.pathname === '/v4/openim/admin_getroammsg'
              ? 'admin_getroammsg'
              : undefined;
      if (command === undefined) return fail(res, 60020, 'unknown command');
      state.calls.push({ command, body });
      const injected = failures[command].shift();
      if (injected === 0) {
        res.destroy();
        return undefined;
      }
      if (injected !== undefined && injected !== null)
        return fail(res, injected, 'injected failure');
      if (command === 'account_import') {
        if (typeof body.UserID !== 'string' || body.UserID === '')
          return fail(res, 70402, 'bad UserID');
        state.imported.add(body.UserID);
        return answer(res, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' });
      }
      if (command === 'admin_getroammsg') return answer(res, roam(state.messages, body));
      if (state.sendDelayMs > 0) await new Promise((r) => setTimeout(r, state.sendDelayMs));
      const from = body.From_Account;
      const to = body.To_Account;
      if (typeof from !== 'string' || !state.imported.has(from))
        return fail(res, 20003, 'From_Account invalid');
      if (typeof to !== 'string' || !state.imported.has(to))
        return fail(res, 20003, 'To_Account invalid');
      const stored = state.addMessage({
        From_Account: from,
        To_Account: to,
        MsgBody: body.MsgBody,
        ...(typeof body.MsgRandom === 'number' ? { MsgRandom: body.MsgRandom } : {}),
      });
      return answer(res, {
        ActionStatus: 'OK',
        ErrorCode: 0,
        ErrorInfo: '',
        MsgTime: stored.MsgTimeStamp,
        MsgKey: stored.MsgKey,
      });
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

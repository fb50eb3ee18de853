/**
 * A raw websocket client speaking the Chat SDK's wire protocol (docs chat-wire.md) without the
 * SDK: for robustness tests (malformed frames, abrupt disconnects) and the load benchmark, where
 * hundreds of real SDK instances would measure the SDK rather than the simulator.
 */
import { WebSocket } from 'ws';

export type Json = Record<string, unknown>;

export interface WireClient {
  ws: WebSocket;
  /** Sends `{head:{servcmd, seq, ...head}, body}` and resolves with the answer's body. */
  request(servcmd: string, body?: Json, head?: Json, timeoutMs?: number): Promise<Json>;
  /** Every push received (`im_open_push.msg_push` bodies), in order. */
  pushes: Json[];
  /** Resolves with the first push (index ≥ since) matching the predicate. */
  waitPush(predicate: (body: Json) => boolean, timeoutMs?: number, since?: number): Promise<Json>;
  /** Sends raw bytes or text, bypassing the framing (robustness tests). */
  sendRaw(data: string | Buffer, binary?: boolean): void;
  /** `wslogin` with the given credentials; resolves with the answer body. */
  login(userID: string, userSig: string, sdkAppID: number): Promise<Json>;
  close(): Promise<void>;
}

export interface WireClientOptions {
  /** `/binfo` (binary frames, default) or `/info` (text frames, PC WeChat). */
  path?: '/binfo' | '/info';
  instanceId?: string;
}

/** Opens a socket to the simulator and resolves once it is open. */
export function connectWire(wsUrl: string, options: WireClientOptions = {}): Promise<WireClient> {
  const path = options.path ?? '/binfo';
  const binary = path === '/binfo';
  const instanceId = options.instanceId ?? Math.random().toString(16).slice(2);
  const ws = new WebSocket(`${wsUrl}${path}?sdkappid=0&instanceid=${instanceId}&platform=8`);
  let seq = 1;
  const pending = new Map<string, (body: Json) => void>();
  const pushes: Json[] = [];
  const pushWaiters = new Set<() => void>();

  ws.on('message', (data: Buffer) => {
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString('utf8'));
    } catch {
      return;
    }
    if (typeof frame !== 'object' || frame === null) return;
    const { head, body } = frame as { head?: Json; body?: Json };
    if (!head) return;
    if (head.servcmd === 'im_open_push.msg_push') {
      pushes.push(body ?? {});
      for (const w of [...pushWaiters]) w();
      return;
    }
    const key = `${String(head.servcmd)}#${String(head.seq)}`;
    const resolve = pending.get(key);
    if (resolve) {
      pending.delete(key);
      resolve(body ?? {});
    }
  });
  ws.on('error', () => undefined);

  const client: WireClient = {
    ws,
    pushes,
    request(servcmd, body = {}, head = {}, timeoutMs = 5000) {
      const mySeq = seq++;
      const frame = JSON.stringify({ head: { servcmd, seq: mySeq, ...head }, body });
      return new Promise<Json>((resolve, reject) => {
        const key = `${servcmd}#${mySeq}`;
        const timer = setTimeout(() => {
          pending.delete(key);
          reject(new Error(`${servcmd} timed out`));
        }, timeoutMs);
        pending.set(key, (b) => {
          clearTimeout(timer);
          resolve(b);
        });
        ws.send(binary ? Buffer.from(frame) : frame, { binary });
      });
    },
    waitPush(predicate, timeoutMs = 5000, since = 0) {
      return new Promise<Json>((resolve, reject) => {
        const check = (): void => {
          for (let i = since; i < pushes.length; i++) {
            if (predicate(pushes[i])) {
              clearTimeout(timer);
              pushWaiters.delete(check);
              resolve(pushes[i]);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          pushWaiters.delete(check);
          reject(new Error('push not received'));
        }, timeoutMs);
        pushWaiters.add(check);
        check();
      });
    },
    sendRaw(data, asBinary = binary) {
      ws.send(data, { binary: asBinary });
    },
    login(userID, userSig, sdkAppID) {
      return client.request(
        'im_open_status.wslogin',
        { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' },
        { identifier: userID, usersig: userSig, sdkappid: sdkAppID },
      );
    },
    close() {
      return new Promise<void>((resolve) => {
        if (ws.readyState === WebSocket.CLOSED) return resolve();
        ws.once('close', () => resolve());
        ws.close();
        setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000).unref();
      });
    },
  };

  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('error', reject);
  });
}

/** The first message of a `C2cMsgArray` push, if the push is one. */
export function pushedMessage(body: Json): Json | undefined {
  const events = Array.isArray(body.EventArray) ? (body.EventArray as Json[]) : [];
  for (const e of events) {
    if (Array.isArray(e.C2cMsgArray) && e.C2cMsgArray.length > 0) return e.C2cMsgArray[0] as Json;
  }
  return undefined;
}

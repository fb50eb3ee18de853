/**
 * Tencent Chat's third-party callback after a one-to-one message (`C2C.CallbackAfterSendMsg`), as
 * the real service posts it to the URL configured in the Chat console: `POST <url>?SdkAppid=…&
 * CallbackCommand=…&contenttype=json&ClientIP=…&OptPlatform=…` (plus `Sign` and `RequestTime` when
 * a callback token is set) with the message as JSON. The login server uses it to send WeChat
 * reply notifications, so without it `npm start` would never notify anyone.
 *
 * Fire and forget, like Tencent's: the send never waits for the callback and never fails because
 * of it. Callbacks of one sender go out in send order, one at a time.
 */
import { createHash } from 'node:crypto';
import { type ClientRequest, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

import type { Logger } from './logger';
import { type StoredMessage, msgKey } from './store';
import type { Json } from './wire';

export const AFTER_SEND_COMMAND = 'C2C.CallbackAfterSendMsg';

/** The callback URL and, optionally, the callback authentication token from the Chat console. */
export interface CallbackConfig {
  url: string;
  token?: string;
}

/** Where a message came from, as Tencent reports it in the callback's query. */
export interface SendOrigin {
  /** `OptPlatform`: `Web` for the web / mini-program SDK, `RESTAPI` for the admin REST API. */
  platform: 'Web' | 'RESTAPI';
  /** `ClientIP`: the sender's address as the server saw it. */
  clientIP: string;
}

/** TCCC talks to users through server-side APIs, so its messages look like REST sends. */
export const SERVICE_ORIGIN: SendOrigin = { platform: 'RESTAPI', clientIP: '127.0.0.1' };

/** A callback that has not answered within this long counts as failed. */
export const CALLBACK_TIMEOUT_MS = 5000;
/** Queued callbacks beyond this are dropped, so a hung receiver cannot grow memory without end. */
const MAX_PENDING = 1000;

/** `::ffff:127.0.0.1` → `127.0.0.1`: Tencent reports plain IPv4 addresses. */
export function clientIPOf(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

/** The callback body for a message that was stored (or, online only, delivered). */
export function afterSendBody(m: StoredMessage, onlineOnly: boolean): Json {
  return {
    CallbackCommand: AFTER_SEND_COMMAND,
    From_Account: m.from,
    To_Account: m.to,
    MsgSeq: m.seq,
    MsgRandom: m.random,
    MsgTime: m.time,
    MsgKey: msgKey(m),
    OnlineOnlyFlag: onlineOnly ? 1 : 0,
    SendMsgResult: 0,
    ErrorInfo: 'send msg succeed',
    // Stored elements already have the REST shape `[{MsgType, MsgContent}]` (chat-wire §1.1).
    MsgBody: m.elems,
    CloudCustomData: m.cloudCustomData,
  };
}

/** The URL to post to, or a reason it cannot be used. */
export function parseCallbackUrl(url: string): URL | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `callback URL ${JSON.stringify(url)} is not a URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `callback URL must be http(s), got ${parsed.protocol}`;
  }
  return parsed;
}

/** `Sign = sha256hex(token + RequestTime)`, Tencent's callback authentication. */
export function callbackSign(token: string, requestTime: string): string {
  return createHash('sha256')
    .update(token + requestTime)
    .digest('hex');
}

interface ActiveConfig {
  url: URL;
  token?: string;
}

/** Posts `C2C.CallbackAfterSendMsg` for every message the backend stores or delivers. */
export class AfterSendCallbacks {
  private config: ActiveConfig | undefined;
  /** Per sender: the last queued post, so the next one starts after it. */
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<ClientRequest>();
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  /** A failure was logged and nothing has succeeded since: stay quiet until one does. */
  private failing = false;
  private dropping = false;
  private closed = false;

  constructor(
    private readonly sdkAppID: number,
    private readonly log: Logger,
    private readonly timeoutMs = CALLBACK_TIMEOUT_MS,
  ) {}

  /** Sets or (with undefined) clears the callback. Throws on a URL that is not http(s). */
  configure(config: CallbackConfig | undefined): void {
    if (!config) {
      this.config = undefined;
      return;
    }
    const url = parseCallbackUrl(config.url);
    if (typeof url === 'string') throw new TypeError(url);
    this.config = config.token ? { url, token: config.token } : { url };
    // A new target starts a new failure streak: its first failure is worth a line.
    this.failing = false;
    this.log.info(`after-send callback → ${describe(url)}${config.token ? ' (signed)' : ''}`);
  }

  get current(): CallbackConfig | undefined {
    const c = this.config;
    if (!c) return undefined;
    return c.token ? { url: c.url.href, token: c.token } : { url: c.url.href };
  }

  /** Queues the callback for a message just stored and delivered. Never throws, never waits. */
  notify(m: StoredMessage, onlineOnly: boolean, origin: SendOrigin): void {
    const config = this.config;
    if (!config || this.closed) return;
    if (this.pending >= MAX_PENDING) {
      if (!this.dropping) {
        this.dropping = true;
        this.log.warn(`after-send callback backlog over ${MAX_PENDING}: dropping callbacks`);
      }
      return;
    }
    // The body is taken now: a later modification (streaming text) must not change what was sent.
    const body = JSON.stringify(afterSendBody(m, onlineOnly));
    const sender = m.from;
    this.pending++;
    const previous = this.chains.get(sender) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(config, origin, body));
    this.chains.set(sender, next);
    void next.finally(() => {
      if (this.chains.get(sender) === next) this.chains.delete(sender);
      this.settled();
    });
  }

  /** Resolves once every queued callback has been posted (or has failed). */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Aborts posts under way and ignores later messages (simulator shutdown). Idempotent. */
  close(): void {
    this.closed = true;
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
  }

  private settled(): void {
    this.pending--;
    if (this.pending > 0) return;
    this.dropping = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** One post; never rejects, so one failure does not stall the sender's later callbacks. */
  private async deliver(config: ActiveConfig, origin: SendOrigin, body: string): Promise<void> {
    if (this.closed) return;
    try {
      const status = await this.post(this.urlFor(config, origin), body);
      if (status < 200 || status >= 300) throw new Error(`HTTP ${status}`);
      if (this.failing) {
        this.failing = false;
        this.log.info(`after-send callback to ${describe(config.url)} works again`);
      }
    } catch (e) {
      if (this.closed || this.failing) return;
      this.failing = true;
      this.log.warn(
        `after-send callback to ${describe(config.url)} failed: ${e instanceof Error ? e.message : String(e)}` +
          ' (further failures are not logged until a callback succeeds)',
      );
    }
  }

  /** Tencent's query, appended to whatever query the configured URL already has. */
  private urlFor(config: ActiveConfig, origin: SendOrigin): URL {
    const url = new URL(config.url.href);
    const q = url.searchParams;
    q.append('SdkAppid', String(this.sdkAppID));
    q.append('CallbackCommand', AFTER_SEND_COMMAND);
    q.append('contenttype', 'json');
    q.append('ClientIP', origin.clientIP);
    q.append('OptPlatform', origin.platform);
    if (config.token) {
      const requestTime = String(Math.floor(Date.now() / 1000));
      q.append('Sign', callbackSign(config.token, requestTime));
      q.append('RequestTime', requestTime);
    }
    return url;
  }

  /** Resolves with the HTTP status; rejects on a network error or after the timeout. */
  private post(url: URL, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      // No keep-alive agent: an idle pooled socket would outlive the simulator's close().
      const req = send(
        url,
        {
          method: 'POST',
          agent: false,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.on('error', () => undefined);
          res.resume(); // The answer's body carries nothing the simulator needs.
          resolve(res.statusCode ?? 0);
        },
      );
      // A total deadline, not the socket's idle timeout: a trickling receiver cannot hold it open.
      const timer = setTimeout(
        () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      this.inFlight.add(req);
      req.on('close', () => {
        clearTimeout(timer);
        this.inFlight.delete(req);
        // A destroy without an error (close()) emits no 'error': settle anyway (no-op if answered).
        reject(new Error('connection closed before an answer'));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** The URL without its query, which may carry secrets of the receiver's own. */
function describe(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

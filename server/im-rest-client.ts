import { randomInt } from 'node:crypto';
import type { Result } from '../miniprogram/core/result';
import { err, ok } from '../miniprogram/core/result';
import type { FetchLike, TransportFailure } from './http-json';
import { asRecord, fetchJson } from './http-json';
import { genUserSig } from './usersig';

/** A REST answer with `ActionStatus: 'FAIL'` or a non-zero `ErrorCode`. */
export interface ImApiFailure {
  kind: 'api';
  errorCode: number;
  errorInfo: string;
}

export type ImFailure = TransportFailure | ImApiFailure;

/** One element of a REST `MsgBody`. */
export type RestMsgElem =
  | { MsgType: 'TIMTextElem'; MsgContent: { Text: string } }
  | { MsgType: 'TIMCustomElem'; MsgContent: { Data: string; Desc: string; Ext: string } };

/** `openim/sendmsg` body. `MsgLifeTime: 0` and `NoLastMsg` are deliberately not expressible. */
export interface SendMsgRequest {
  From_Account: string;
  To_Account: string;
  SyncOtherMachine: 1 | 2;
  MsgRandom: number;
  MsgBody: RestMsgElem[];
  CloudCustomData?: string;
}

/** `openim/admin_getroammsg` request (Tencent's shape; times in unix seconds, inclusive). */
export interface RoamMsgRequest {
  Operator_Account: string;
  Peer_Account: string;
  MaxCnt: number;
  MinTime: number;
  MaxTime: number;
  LastMsgKey?: string;
}

/** One message of an `admin_getroammsg` answer, as far as this server reads it. */
export interface RoamMsg {
  From_Account: string;
  To_Account: string;
  MsgSeq: number;
  MsgRandom: number;
  MsgTimeStamp: number;
  /** 0 normal; bit 0 set: revoked. */
  MsgFlagBits: number;
  MsgKey: string;
  MsgBody: unknown;
  CloudCustomData: string;
}

/** One page of `admin_getroammsg`. */
export interface RoamMsgPage {
  complete: boolean;
  lastMsgTime: number;
  lastMsgKey: string;
  messages: RoamMsg[];
}

function roamMsgOf(value: unknown): RoamMsg | undefined {
  const m = asRecord(value);
  if (m === undefined) return undefined;
  const text = (key: string) => (typeof m[key] === 'string' ? m[key] : '');
  const int = (key: string) => (typeof m[key] === 'number' ? m[key] : -1);
  return {
    From_Account: text('From_Account'),
    To_Account: text('To_Account'),
    MsgSeq: int('MsgSeq'),
    MsgRandom: int('MsgRandom'),
    MsgTimeStamp: int('MsgTimeStamp'),
    MsgFlagBits: int('MsgFlagBits') === -1 ? 0 : int('MsgFlagBits'),
    MsgKey: text('MsgKey'),
    MsgBody: m.MsgBody,
    CloudCustomData: text('CloudCustomData'),
  };
}

export interface ImRestClientOptions {
  restBase: string;
  sdkAppID: number;
  secretKey: string;
  adminUserID: string;
  fetch: FetchLike;
  now: () => number;
  timeoutMs?: number;
}

/** Admin UserSigs live a day and are reissued after 20 hours. */
const ADMIN_SIG_TTL_S = 24 * 3600;
const ADMIN_SIG_REISSUE_MS = 20 * 3600 * 1000;

/**
 * Tencent Cloud Chat server REST API, as the app administrator. Never throws: transport problems
 * and `ErrorCode != 0` answers come back as failures. The admin UserSig travels only in the query
 * string of the outbound request and is never logged.
 */
export class ImRestClient {
  private adminSig: { sig: string; issuedAt: number } | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: ImRestClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** `im_open_login_svc/account_import`: idempotent, succeeds for an existing account. */
  async accountImport(userID: string): Promise<Result<void, ImFailure>> {
    const result = await this.call('im_open_login_svc/account_import', { UserID: userID });
    return result.ok ? ok(undefined) : result;
  }

  /** `openim/sendmsg` (one-to-one). Resolves the server's `MsgKey` and `MsgTime`. */
  async sendMessage(
    request: SendMsgRequest,
  ): Promise<Result<{ msgKey: string; msgTime: number }, ImFailure>> {
    const result = await this.call('openim/sendmsg', request);
    if (!result.ok) return result;
    const { MsgKey: msgKey, MsgTime: msgTime } = result.value;
    return ok({
      msgKey: typeof msgKey === 'string' ? msgKey : '',
      msgTime: typeof msgTime === 'number' ? msgTime : 0,
    });
  }

  /** `openim/admin_getroammsg`: one page of a one-to-one history, seen by `Operator_Account`. */
  async getRoamMsg(request: RoamMsgRequest): Promise<Result<RoamMsgPage, ImFailure>> {
    const result = await this.call('openim/admin_getroammsg', request);
    if (!result.ok) return result;
    const answer = result.value;
    const list = Array.isArray(answer.MsgList) ? answer.MsgList : [];
    return ok({
      complete: answer.Complete !== 0,
      lastMsgTime: typeof answer.LastMsgTime === 'number' ? answer.LastMsgTime : 0,
      lastMsgKey: typeof answer.LastMsgKey === 'string' ? answer.LastMsgKey : '',
      messages: list.map(roamMsgOf).filter((m): m is RoamMsg => m !== undefined),
    });
  }

  private signature(): string {
    const now = this.options.now();
    if (this.adminSig === undefined || now - this.adminSig.issuedAt > ADMIN_SIG_REISSUE_MS) {
      const { sdkAppID, secretKey, adminUserID } = this.options;
      this.adminSig = {
        sig: genUserSig(sdkAppID, secretKey, adminUserID, ADMIN_SIG_TTL_S),
        issuedAt: now,
      };
    }
    return this.adminSig.sig;
  }

  private async call(
    command: string,
    body: object,
  ): Promise<Result<Record<string, unknown>, ImFailure>> {
    const query = new URLSearchParams({
      sdkappid: String(this.options.sdkAppID),
      identifier: this.options.adminUserID,
      usersig: this.signature(),
      random: String(randomInt(0, 2 ** 32 - 1)),
      contenttype: 'json',
    });
    const result = await fetchJson(
      this.options.fetch,
      `${this.options.restBase}/v4/${command}?${query.toString()}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      this.timeoutMs,
    );
    if (!result.ok) return result;
    const answer = asRecord(result.value);
    if (answer === undefined)
      return err({ kind: 'transport', detail: `${command}: not an object` });
    const errorCode = typeof answer.ErrorCode === 'number' ? answer.ErrorCode : -1;
    if (answer.ActionStatus !== 'OK' || errorCode !== 0) {
      return err({
        kind: 'api',
        errorCode,
        errorInfo: typeof answer.ErrorInfo === 'string' ? answer.ErrorInfo.slice(0, 200) : '',
      });
    }
    return ok(answer);
  }
}

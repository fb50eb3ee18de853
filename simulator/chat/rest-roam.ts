/**
 * `openim/admin_getroammsg`: one-to-one history as an administrator reads it (Tencent's shapes).
 * Request `{Operator_Account, Peer_Account, MaxCnt, MinTime, MaxTime, LastMsgKey?}` (unix seconds,
 * both bounds inclusive); answer `{Complete, MsgCnt, LastMsgTime, LastMsgKey, MsgList}`, newest
 * first, the next page continuing with `MaxTime = LastMsgTime` and `LastMsgKey`. The history is
 * the operator's own view: messages it deleted (ClearRamble) or sent with `SyncOtherMachine: 2` are
 * left out. Read-only.
 */
import type { ChatBackend } from './backend';
import { CHAT_ERRORS } from './errors';
import { type StoredMessage, msgKey } from './store';
import { type Json, envelope, failure, num, str } from './wire';

/** Tencent's cap on messages per page. */
const MAX_PAGE = 100;
/** A missing or bad parameter (the simulator's choice: Tencent documents no single code). */
const PARAM_INVALID = CHAT_ERRORS.badRequest;

function roamEntry(m: StoredMessage): Json {
  return {
    From_Account: m.from,
    To_Account: m.to,
    MsgSeq: m.seq,
    MsgRandom: m.random,
    MsgTimeStamp: m.time,
    MsgFlagBits: m.revoked ? 8 : 0,
    IsPeerRead: 0,
    MsgKey: msgKey(m),
    MsgBody: m.elems,
    CloudCustomData: m.cloudCustomData,
  };
}

export function adminGetRoamMsg(backend: ChatBackend, body: Json): Json {
  const operator = str(body, 'Operator_Account');
  const peer = str(body, 'Peer_Account');
  const minTime = num(body, 'MinTime');
  const maxTime = num(body, 'MaxTime');
  const maxCnt = num(body, 'MaxCnt');
  if (!operator || !peer) {
    return failure(PARAM_INVALID, 'Operator_Account and Peer_Account are required');
  }
  if (!backend.store.hasUser(operator) || !backend.store.hasUser(peer)) {
    return failure(CHAT_ERRORS.accountInvalid, 'Operator_Account or Peer_Account not imported');
  }
  if (minTime === undefined || maxTime === undefined || minTime > maxTime) {
    return failure(PARAM_INVALID, 'MinTime and MaxTime are required, MinTime <= MaxTime');
  }
  if (maxCnt === undefined || maxCnt < 1) return failure(PARAM_INVALID, 'MaxCnt must be >= 1');
  const inRange = backend.store
    .visibleMessages(operator, peer)
    .filter((m) => m.time >= minTime && m.time <= maxTime)
    .reverse();
  let rest = inRange;
  const after = str(body, 'LastMsgKey');
  if (after) {
    const at = inRange.findIndex((m) => msgKey(m) === after);
    rest = at === -1 ? [] : inRange.slice(at + 1);
  }
  const page = rest.slice(0, Math.min(Math.floor(maxCnt), MAX_PAGE));
  const last = page[page.length - 1];
  return envelope({
    Complete: page.length === rest.length ? 1 : 0,
    MsgCnt: page.length,
    LastMsgTime: last ? last.time : 0,
    LastMsgKey: last ? msgKey(last) : '',
    MsgList: page.map(roamEntry),
  });
}

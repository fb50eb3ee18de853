/**
 * Tencent Cloud Chat server REST API, the subset a login server uses (docs chat-sdk.md §4):
 * `POST /v4/<service>/<command>?sdkappid&identifier&usersig&random&contenttype=json`, admin UserSig
 * checked, HTTP 200 with `{ActionStatus, ErrorCode, ErrorInfo}` for errors too, like the real one.
 */
import type { IncomingMessage } from 'node:http';

import type { ChatBackend } from './backend';
import { type SendOrigin, clientIPOf } from './callback';
import { CHAT_ERRORS } from './errors';
import { adminGetRoamMsg } from './rest-roam';
import { verifyUserSig } from './usersig';
import { type Json, arr, envelope, failure, isRecord, num, records, str, toElems } from './wire';

/** REST common error codes (Tencent's). */
export const REST_ERRORS = {
  jsonParse: 60003,
  sdkAppIDInvalid: 60006,
  resourceNotFound: 60009,
  adminRequired: 60010,
  sdkAppIDMissing: 60012,
  /** Account import: UserID missing or invalid. */
  invalidUserID: 70402,
  /** sendmsg: MsgBody does not follow the message format. */
  msgBodyInvalid: 90002,
} as const;

const MAX_REST_BODY = 1024 * 1024;

/** `origin` says who called (the after-send callback reports it); most handlers ignore it. */
type RestHandler = (backend: ChatBackend, body: Json, origin: SendOrigin) => Json;

const validUserID = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && Buffer.byteLength(v) <= 32;

const accountImport: RestHandler = (backend, body) => {
  const userID = body.UserID ?? body.Identifier;
  if (!validUserID(userID)) return failure(REST_ERRORS.invalidUserID, 'UserID missing or invalid');
  backend.store.ensureUser(userID, { nick: str(body, 'Nick'), avatar: str(body, 'FaceUrl') });
  return envelope();
};

const multiAccountImport: RestHandler = (backend, body) => {
  const accounts = arr(body, 'Accounts');
  if (accounts.length === 0) return failure(REST_ERRORS.invalidUserID, 'Accounts missing');
  const failed = accounts.filter((a) => !validUserID(a));
  for (const a of accounts) if (validUserID(a)) backend.store.ensureUser(a);
  return envelope({ FailAccounts: failed });
};

const accountCheck: RestHandler = (backend, body) =>
  envelope({
    ResultItem: records(body, 'CheckItem').map((item) => {
      const id = str(item, 'UserID') ?? '';
      return {
        UserID: id,
        ResultCode: 0,
        ResultInfo: '',
        AccountStatus: backend.store.hasUser(id) ? 'Imported' : 'NotImported',
      };
    }),
  });

const kick: RestHandler = (backend, body) => {
  const userID = str(body, 'UserID') ?? str(body, 'Identifier');
  if (!userID) return failure(REST_ERRORS.invalidUserID, 'UserID missing');
  backend.kick(userID, 3);
  return envelope();
};

const portraitSet: RestHandler = (backend, body) => {
  const userID = str(body, 'From_Account');
  if (!userID || !backend.store.hasUser(userID)) {
    return failure(CHAT_ERRORS.accountInvalid, 'From_Account invalid or not imported');
  }
  for (const item of records(body, 'ProfileItem')) {
    const tag = str(item, 'Tag');
    const value = item.Value;
    if (tag && (typeof value === 'string' || typeof value === 'number')) {
      backend.store.setProfileTag(userID, tag, value);
    }
  }
  return envelope();
};

/**
 * One-to-one send. With `From_Account` = a user and `To_Account` = a service account, the message
 * lands in the user's conversation list (unless `SyncOtherMachine: 2`) and reaches the TCCC flow
 * exactly like one the user sent: that is how a login server opens the service conversation.
 */
const sendmsg: RestHandler = (backend, body, origin) => {
  const to = str(body, 'To_Account');
  const from = str(body, 'From_Account') ?? backend.config.adminUserID;
  const random = num(body, 'MsgRandom');
  const elems = toElems(body.MsgBody);
  if (!to) return failure(CHAT_ERRORS.accountInvalid, 'To_Account missing');
  if (random === undefined) return failure(REST_ERRORS.msgBodyInvalid, 'MsgRandom missing');
  if (!elems) return failure(REST_ERRORS.msgBodyInvalid, 'MsgBody missing or malformed');
  const sync = num(body, 'SyncOtherMachine');
  const controls = arr(body, 'SendMsgControl');
  const onlineOnly = num(body, 'MsgLifeTime') === 0;
  const result = backend.sendMessage({
    from,
    to,
    elems,
    cloudCustomData: str(body, 'CloudCustomData') ?? '',
    onlineOnly,
    seq: num(body, 'MsgSeq'),
    random,
    noUnread: controls.includes('NoUnread'),
    noLastMsg: controls.includes('NoLastMsg'),
    hiddenFromSender: sync === 2,
    syncToSender: sync === 1,
    origin,
  });
  if (!result.ok) return failure(result.error.code, result.error.info);
  const { message, duplicate } = result.value;
  if (!duplicate) backend.notifyService(message, onlineOnly);
  return envelope({
    MsgTime: message.time,
    MsgKey: `${message.seq}_${message.random}_${message.time}`,
  });
};

const REST_HANDLERS: Record<string, RestHandler> = {
  'im_open_login_svc/account_import': accountImport,
  'im_open_login_svc/multiaccount_import': multiAccountImport,
  'im_open_login_svc/account_check': accountCheck,
  'im_open_login_svc/kick': kick,
  'profile/portrait_set': portraitSet,
  'openim/sendmsg': sendmsg,
  'openim/admin_getroammsg': adminGetRoamMsg,
};

/** Checks the query's app, admin identity and UserSig; undefined when the caller may proceed. */
function authorise(backend: ChatBackend, query: URLSearchParams): Json | undefined {
  const appID = query.get('sdkappid');
  if (!appID) return failure(REST_ERRORS.sdkAppIDMissing, 'sdkappid missing from the URL');
  if (Number(appID) !== backend.config.sdkAppID) {
    return failure(REST_ERRORS.sdkAppIDInvalid, `SDKAppID ${appID} is invalid`);
  }
  const identifier = query.get('identifier') ?? '';
  const verified = verifyUserSig({
    userSig: query.get('usersig') ?? '',
    identifier,
    sdkAppID: Number(appID),
    expectedSdkAppID: backend.config.sdkAppID,
    secretKey: backend.config.secretKey,
  });
  if (!verified.ok) return failure(verified.error.code, verified.error.info);
  if (identifier !== backend.config.adminUserID) {
    return failure(REST_ERRORS.adminRequired, 'this API requires the App administrator account');
  }
  return undefined;
}

/**
 * Answers `/v4/...` (any method: only POST finds a command). Always an answer, never a throw: HTTP
 * 200 + a JSON envelope, errors included, like Tencent. The body is read here, capped.
 */
export function handleRest(backend: ChatBackend, req: IncomingMessage, url: URL): Promise<Json> {
  const command = url.pathname.replace(/^\/v4\//, '');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REST_BODY) chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => resolve(answer(backend, req, url, command, size, chunks)));
  });
}

function answer(
  backend: ChatBackend,
  req: IncomingMessage,
  url: URL,
  command: string,
  size: number,
  chunks: Buffer[],
): Json {
  const handler = Object.prototype.hasOwnProperty.call(REST_HANDLERS, command)
    ? REST_HANDLERS[command]
    : undefined;
  if (req.method !== 'POST' || !handler) {
    return failure(REST_ERRORS.resourceNotFound, `no such REST API: ${command}`);
  }
  const denied = authorise(backend, url.searchParams);
  if (denied) return denied;
  if (size > MAX_REST_BODY) return failure(REST_ERRORS.jsonParse, 'request body too large');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    body = undefined;
  }
  if (!isRecord(body)) {
    return failure(REST_ERRORS.jsonParse, 'request body is not a JSON object');
  }
  let result: Json;
  try {
    result = handler(backend, body, {
      platform: 'RESTAPI',
      clientIP: clientIPOf(req.socket.remoteAddress),
    });
  } catch (e) {
    backend.log.warn(`REST ${command} failed: ${e instanceof Error ? e.message : String(e)}`);
    result = failure(CHAT_ERRORS.internal, 'internal error');
  }
  backend.onChange();
  return result;
}

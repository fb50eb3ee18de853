/**
 * Calls the simulator's Tencent-shaped admin REST API (`/v4/<service>/<command>`) the way a server
 * would: admin identifier + UserSig in the query, JSON body, HTTP 200 + envelope back.
 */
import { request } from 'node:http';

export interface RestTarget {
  httpUrl: string;
  sdkAppID: number;
  adminUserID: string;
  genUserSig(userID: string, expireSeconds?: number): string;
}

export interface RestCallOptions {
  identifier?: string;
  userSig?: string;
  sdkAppID?: number | string;
}

/** POSTs `body` and resolves with the parsed JSON answer (and the HTTP status). */
export function callRest(
  target: RestTarget,
  command: string,
  body: unknown,
  options: RestCallOptions = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const identifier = options.identifier ?? target.adminUserID;
  const query = new URLSearchParams({
    sdkappid: String(options.sdkAppID ?? target.sdkAppID),
    identifier,
    usersig: options.userSig ?? target.genUserSig(identifier),
    random: String(Math.floor(Math.random() * 2 ** 32)),
    contenttype: 'json',
  });
  const payload = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      `${target.httpUrl}/v4/${command}?${query.toString()}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({
              status: res.statusCode ?? 0,
              body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
            });
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * What the login server does to open the service conversation for a user: import both accounts,
 * then send a message from the user to the service account with `SyncOtherMachine: 1`.
 */
export async function activateServiceConversation(
  target: RestTarget,
  userID: string,
  serviceAccount: string,
  text = '你好',
): Promise<Record<string, unknown>> {
  for (const id of [userID, serviceAccount]) {
    const r = await callRest(target, 'im_open_login_svc/account_import', { UserID: id });
    if (r.body.ErrorCode !== 0) throw new Error(`account_import ${id}: ${JSON.stringify(r.body)}`);
  }
  const r = await callRest(target, 'openim/sendmsg', {
    SyncOtherMachine: 1,
    From_Account: userID,
    To_Account: serviceAccount,
    MsgRandom: Math.floor(Math.random() * 2 ** 32),
    MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  });
  if (r.body.ErrorCode !== 0) throw new Error(`sendmsg: ${JSON.stringify(r.body)}`);
  return r.body;
}

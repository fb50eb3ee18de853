/**
 * One handler per `servcmd` the real SDK sends (docs chat-wire.md §2-§8). Each returns the answer
 * body; the caller wraps it in the echoed head. Shapes follow the observed protocol exactly, down to
 * the answers without which the SDK loops forever (`CompleteFlag`, `StartIndex`, `ResultItem`).
 */
import { createHash } from 'node:crypto';

import type { RequestContext, Session } from './context';
import { CHAT_ERRORS } from './errors';
import { imageSize } from './files';
import { msgKey, type StoredMessage } from './store';
import { USERSIG_ERRORS, verifyUserSig } from './usersig';
import { type Json, arr, envelope, failure, num, rec, records, str, toElems } from './wire';

export type Handler = (ctx: RequestContext) => Json;

const nowSeconds = (): number => Math.floor(Date.now() / 1000);
const HELLO_INTERVAL = 120;
const MAX_PAGE = 15;

/** Commands answered without a login (the SDK pings before `wslogin`, reports stats any time). */
export const HOUSEKEEPING = new Set([
  'im_open_status.wslogin',
  'im_open_status.wslogout',
  'im_open_status.wshello',
  'heartbeat.alive',
  'imopenstat.tim_web_report_v2',
  'openim.ws_msg_push_ack',
]);

/** Commands whose bare envelope is the complete answer for a C2C-only backend. */
const ENVELOPE_ONLY = [
  'group_open_http_svc.get_joined_group_list',
  'million_group_open_http_svc.get_joined_group_list',
  'sns.group_get',
  'sns.pendency_get',
  'im_sdk_config_mgr.fetch_config',
  'im_sdk_config_mgr.fetch_imsdk_purchase_bitsv2',
  'recentcontact.get_contact_group',
  'recentcontact.search_contact_group',
  'imopenstat.tim_web_report_v2',
  'openim.ws_msg_push_ack',
  'im_open_status.wshello',
];

function session(ctx: RequestContext) {
  // dispatch() guarantees a session for every non-housekeeping command.
  if (!ctx.session) throw new Error('handler reached without a session');
  return ctx.session;
}

// ---- session -----------------------------------------------------------------------------------

const loginAnswer = (s: Session): Json =>
  envelope({
    A2Key: s.a2,
    TinyId: s.tinyId,
    HelloInterval: HELLO_INTERVAL,
    InstId: s.instId,
    TimeStamp: nowSeconds(),
    // Appended to download URLs by the SDK's fileDownloadProxy mode; the file server ignores it.
    RichMsgAuthKey: createHash('sha256').update(`rich:${s.a2}`).digest('hex').slice(0, 32),
  });

/**
 * The silent re-login after a reconnect: only `a2` + `tinyid` in the head. A ticket that is not
 * ours, or outlived its UserSig, is answered 70001 so the SDK reports an expired UserSig and the
 * app logs in afresh.
 */
function reloginWithA2(ctx: RequestContext): Json {
  const { backend, head, conn } = ctx;
  const ticket = backend.sessionFromTicket(head);
  if (!ticket || num(head, 'sdkappid') !== backend.config.sdkAppID) {
    backend.log.info('re-login by A2 refused');
    return failure(USERSIG_ERRORS.expired, 'A2 ticket invalid or expired: log in again');
  }
  return loginAnswer(backend.bind(conn, ticket.userID, ticket.sigExpiresAt, ticket.sigHash));
}

const wslogin: Handler = (ctx) => {
  const { backend, head, conn } = ctx;
  const identifier = str(head, 'identifier') ?? '';
  const userSig = str(head, 'usersig') ?? '';
  const a2 = str(head, 'a2') ?? '';
  if (identifier === '' && userSig === '' && a2 !== '') return reloginWithA2(ctx);
  const sdkAppID = num(head, 'sdkappid') ?? -1;
  if (identifier === '' || Buffer.byteLength(identifier) > 32) {
    return failure(USERSIG_ERRORS.identifierMismatch, 'identifier missing or longer than 32 bytes');
  }
  const verified = verifyUserSig({
    userSig,
    identifier,
    sdkAppID,
    expectedSdkAppID: backend.config.sdkAppID,
    secretKey: backend.config.secretKey,
  });
  if (!verified.ok) {
    backend.log.info(`login refused for ${identifier}: ${verified.error.code}`);
    return failure(verified.error.code, verified.error.info);
  }
  const sigHash = backend.sigHash(userSig);
  if (backend.isSigRevoked(sigHash)) {
    backend.log.info(`login refused for ${identifier}: UserSig expired by the simulator`);
    return failure(USERSIG_ERRORS.expired, 'UserSig expired');
  }
  return loginAnswer(backend.bind(conn, identifier, verified.value.expiresAt, sigHash));
};

const wslogout: Handler = (ctx) => {
  ctx.backend.logout(ctx.conn);
  return envelope();
};

/**
 * The natural moment to tell the SDK its UserSig expired: answer one heartbeat with 70001. Only
 * once per login, because the reconnected socket keeps pinging with the old A2 and a second 70001
 * sends the SDK into a reconnect storm.
 */
const heartbeat: Handler = (ctx) => {
  const s = ctx.backend.activeSession(ctx.conn);
  if (s && !s.expiryNotified && (s.forceExpired || nowSeconds() > s.sigExpiresAt)) {
    s.expiryNotified = true;
    ctx.backend.unbind(ctx.conn);
    ctx.backend.log.info(`UserSig of ${s.userID} expired: answered 70001 once`);
    return failure(USERSIG_ERRORS.expired, 'UserSig expired');
  }
  return envelope();
};

// ---- conversations -----------------------------------------------------------------------------

const pageGet: Handler = (ctx) => {
  const me = session(ctx).userID;
  const { store } = ctx.backend;
  const items = store.listedPeers(me).map((peer) => {
    const last = store.lastVisible(me, peer) as StoredMessage;
    const view = store.view(me, peer);
    const profile = store.getUser(peer);
    return {
      Type: 1,
      To_Account: peer,
      MsgTimeStamp: last.time,
      MsgSeq: last.seq,
      MsgRandom: last.random,
      C2cNick: profile?.nick ?? '',
      C2cImage: profile?.avatar ?? '',
      TopFlags: view.pinned ? 1 : 0,
      C2cPeerReadTime: store.peekView(peer, me)?.readTime ?? 0,
      LastC2CMsgFromAccount: last.from,
      LastMsgFlags: last.revoked ? 8 : 0,
      LastMsg: { MsgBody: last.elems, CloudCustomData: last.cloudCustomData },
      _sortId: last.id,
    };
  });
  items.sort((a, b) => b.TopFlags - a.TopFlags || b._sortId - a._sortId);
  const now = nowSeconds();
  return envelope({
    CompleteFlag: 1,
    TimeStamp: now,
    StartIndex: 0,
    TopTimeStamp: now,
    TopStartIndex: 0,
    SessionItem: items.map(({ _sortId: _, ...item }) => item),
  });
};

const unreadPairs = (ctx: RequestContext, me: string): Json[] =>
  ctx.backend.store
    .listedPeers(me)
    .map((peer) => ({ From_Account: peer, UnreadCount: ctx.backend.store.unreadCount(me, peer) }));

/**
 * Unread counts (the only source the SDK trusts for C2C) and, after a reconnect (a cookie from an
 * earlier answer), the messages stored since, so the SDK fires MESSAGE_RECEIVED for what it missed.
 */
const getmsg: Handler = (ctx) => {
  const me = session(ctx).userID;
  const { store } = ctx.backend;
  const cookie = /^c(\d+)$/.exec(str(ctx.body, 'Cookie') ?? '');
  const missed = cookie
    ? store
        .messagesForSince(me, Number(cookie[1]))
        .filter((m) => store.visibleMessages(me, m.from).includes(m))
        .map((m) => ctx.backend.toWire(m))
    : [];
  return envelope({
    Cookie: `c${store.maxId()}`,
    SyncFlag: 2,
    MsgList: missed,
    C2CPairUnreadCount: unreadPairs(ctx, me),
  });
};

const top: Handler = (ctx) => {
  const me = session(ctx).userID;
  const pin = num(ctx.body, 'OperationType') !== 2;
  for (const item of records(ctx.body, 'RecentContactItem')) {
    const peer = str(item, 'To_Account');
    if (peer) ctx.backend.store.setPinned(me, peer, pin);
  }
  return envelope();
};

const batchDelete: Handler = (ctx) => {
  const me = session(ctx).userID;
  const clear = num(ctx.body, 'ClearRamble') !== 0;
  const results = records(ctx.body, 'ContactItem').flatMap((item) => {
    const peer = str(item, 'To_Account');
    if (!peer) return [];
    ctx.backend.store.deleteConversation(me, peer, clear);
    return [{ ResultCode: 0, ResultInfo: '', Type: num(item, 'Type') ?? 1, To_Account: peer }];
  });
  return envelope({ ResultItem: results });
};

const msgreaded: Handler = (ctx) => {
  const me = session(ctx).userID;
  const readed = rec(ctx.body, 'C2CMsgReaded');
  for (const item of records(readed, 'C2CMsgReadedItem')) {
    const peer = str(item, 'To_Account');
    if (!peer) continue;
    const upTo = num(item, 'LastedMsgTime') ?? nowSeconds();
    ctx.backend.store.markRead(me, peer, upTo);
    if (num(item, 'Receipt') === 1) {
      ctx.after(() => ctx.backend.pushReadReceipt(me, peer, upTo));
    }
  }
  return envelope();
};

const peerReadTime: Handler = (ctx) => {
  const me = session(ctx).userID;
  const peers = arr(ctx.body, 'To_Account').filter((p): p is string => typeof p === 'string');
  return envelope({
    ReadTime: peers.map((p) => ctx.backend.store.peekView(p, me)?.readTime ?? 0),
  });
};

const muteNotifications: Handler = (ctx) => {
  const peers = arr(ctx.body, 'Peer_Account').filter((p): p is string => typeof p === 'string');
  return envelope({
    MuteNotificationsList: peers.map((p) => ({ Peer_Account: p, MuteNotifications: 0 })),
  });
};

// ---- messages ----------------------------------------------------------------------------------

const sendmsg: Handler = (ctx) => {
  const me = session(ctx).userID;
  const to = str(ctx.body, 'To_Account');
  const elems = toElems(ctx.body.MsgBody);
  if (!to) return failure(CHAT_ERRORS.accountInvalid, 'To_Account missing');
  if (!elems) return failure(CHAT_ERRORS.badRequest, 'MsgBody missing or malformed');
  const controls = arr(ctx.body, 'SendMsgControl');
  const onlineOnly = num(ctx.body, 'MsgLifeTime') === 0;
  const result = ctx.backend.sendMessage({
    from: me,
    to,
    elems,
    cloudCustomData: str(ctx.body, 'CloudCustomData') ?? '',
    onlineOnly,
    seq: num(ctx.body, 'MsgSeq'),
    random: num(ctx.body, 'MsgRandom'),
    clientTime: num(ctx.body, 'MsgClientTime'),
    noUnread: controls.includes('NoUnread'),
    noLastMsg: controls.includes('NoLastMsg'),
    origin: { platform: 'Web', clientIP: ctx.conn.remoteAddress },
  });
  if (!result.ok) return failure(result.error.code, result.error.info);
  const { message, duplicate } = result.value;
  if (!duplicate) ctx.after(() => ctx.backend.notifyService(message, onlineOnly));
  return envelope({ MsgTime: message.time, MsgSeq: message.seq, MsgKey: msgKey(message) });
};

/** History, newest page first; `MsgList` oldest → newest; the cursor is the oldest returned key. */
const getroammsg: Handler = (ctx) => {
  const me = session(ctx).userID;
  const peer = str(ctx.body, 'Peer_Account');
  if (!peer) return failure(CHAT_ERRORS.badRequest, 'Peer_Account missing');
  const max = Math.min(Math.max(num(ctx.body, 'MaxCnt') ?? MAX_PAGE, 1), 100);
  const all = ctx.backend.store.visibleMessages(me, peer);
  const key = str(ctx.body, 'MsgKey') ?? '';
  const lastTime = num(ctx.body, 'LastMsgTime') ?? 0;
  let end = all.length;
  if (key !== '') {
    const at = all.findIndex((m) => msgKey(m) === key);
    end = at !== -1 ? at : all.filter((m) => m.time < lastTime).length;
  } else if (lastTime > 0) {
    end = all.filter((m) => m.time <= lastTime).length;
  }
  const start = Math.max(0, end - max);
  const page = all.slice(start, end);
  const oldest = page[0];
  return envelope({
    Complete: start === 0 ? 1 : 0,
    MsgCnt: page.length,
    LastMsgTime: oldest ? oldest.time : 0,
    MsgKey: oldest ? msgKey(oldest) : '',
    MsgList: page.map((m) => ctx.backend.toWire(m)),
  });
};

const locate = (o: Json, timeKey: string) => {
  const from = str(o, 'From_Account');
  const to = str(o, 'To_Account');
  const seq = num(o, 'MsgSeq');
  const random = num(o, 'MsgRandom');
  if (!from || !to || seq === undefined || random === undefined) return undefined;
  return { from, to, seq, random, time: num(o, timeKey) };
};

const modifyC2cMsg: Handler = (ctx) => {
  const me = session(ctx).userID;
  const { backend } = ctx;
  const loc = locate(ctx.body, 'MsgTime');
  const m = loc && backend.store.find(loc);
  if (!m || (m.from !== me && m.to !== me) || m.revoked) {
    return failure(CHAT_ERRORS.messageNotFound, 'message to modify not found');
  }
  const current = { MsgBody: m.elems, MsgVersion: m.version, CloudCustomData: m.cloudCustomData };
  const clientVersion = num(ctx.body, 'MsgVersion');
  if (clientVersion !== undefined && clientVersion !== m.version) {
    return failure(CHAT_ERRORS.modifyConflict, 'message was modified since', current);
  }
  const elems = toElems(ctx.body.MsgBody) ?? m.elems;
  if (backend.moderate(elems) !== undefined) {
    return failure(CHAT_ERRORS.sensitiveContent, 'message contains sensitive words');
  }
  backend.applyModification(m, elems, str(ctx.body, 'CloudCustomData'), me);
  return envelope({ MsgBody: m.elems, MsgVersion: m.version, CloudCustomData: m.cloudCustomData });
};

const msgwithdraw: Handler = (ctx) => {
  const me = session(ctx).userID;
  const { backend } = ctx;
  const loc = locate(rec(ctx.body, 'MsgInfo'), 'MsgTimeStamp');
  const m = loc && backend.store.find(loc);
  if (!m || m.from !== me)
    return failure(CHAT_ERRORS.messageNotFound, 'message to revoke not found');
  if (m.revoked) return envelope();
  if (nowSeconds() - m.time > backend.config.revokeWindowSeconds) {
    return failure(CHAT_ERRORS.revokeTimeLimit, 'revoke time limit exceeded');
  }
  ctx.after(() => backend.applyRevoke(m, me, '', me));
  return envelope();
};

// ---- profiles ----------------------------------------------------------------------------------

const portraitGetAll: Handler = (ctx) => {
  const { store } = ctx.backend;
  const items = records(ctx.body, 'UserItem').flatMap((item) => {
    const id = str(item, 'To_Account');
    if (!id) return [];
    const user = store.getUser(id);
    const tags = [
      { Tag: 'Tag_Profile_IM_Nick', Value: user?.nick ?? '' },
      { Tag: 'Tag_Profile_IM_Image', Value: user?.avatar ?? '' },
      ...Object.entries(user?.extraTags ?? {}).map(([Tag, Value]) => ({ Tag, Value })),
    ];
    return [{ To_Account: id, ResultCode: 0, ResultInfo: '', ProfileItem: tags }];
  });
  return envelope({ UserProfileItem: items });
};

const portraitSet: Handler = (ctx) => {
  const me = session(ctx).userID;
  for (const item of records(ctx.body, 'ProfileItem')) {
    const tag = str(item, 'Tag');
    const value = item.Value;
    if (tag && (typeof value === 'string' || typeof value === 'number')) {
      ctx.backend.store.setProfileTag(me, tag, value);
    }
  }
  return envelope();
};

// ---- images ------------------------------------------------------------------------------------

const preSig: Handler = (ctx) => {
  const ticket = ctx.backend.files.issue(str(ctx.body, 'file_name') ?? 'file');
  return envelope({
    expired_time: ticket.expiresAt,
    request_id: ticket.name,
    upload_url: ticket.uploadUrl,
    download_url: ticket.downloadUrl,
  });
};

/**
 * The `fileUploadProxy`/`fileDownloadProxy` variant. A malformed answer here makes the SDK retry
 * forever, so an empty request gets an error code instead.
 */
const simpleSig: Handler = (ctx) => {
  const objects = records(ctx.body, 'rpt_upload_object');
  if (objects.length === 0) return failure(CHAT_ERRORS.badRequest, 'rpt_upload_object missing');
  return envelope({
    str_final_ip: '',
    rpt_pre_sig: objects.map((o) => {
      const ticket = ctx.backend.files.issue(str(o, 'str_file_name') ?? 'file');
      return {
        uint32_file_id: num(o, 'uint32_file_id') ?? 1,
        uint32_exist_flag: 0,
        str_upload_url: ticket.uploadUrl,
        str_download_url: ticket.downloadUrl,
        str_file_key: ticket.name,
      };
    }),
  });
};

const getImageInfo: Handler = (ctx) => {
  const url = str(ctx.body, 'str_image_url') ?? '';
  const data = ctx.backend.files.headByUrl(url);
  // Without the file the envelope is fine: the SDK then asks wx.getImageInfo.
  if (!data) return envelope();
  const size = imageSize(data);
  return envelope({
    rpt_msg_image_info: [1, 2, 3].map((type) => ({
      uint32_image_type: type,
      str_url: url,
      uint32_width: size.width,
      uint32_height: size.height,
      str_image_format: size.format,
    })),
  });
};

// ---- empty relationship lists ------------------------------------------------------------------

const blackListGet: Handler = () =>
  envelope({ StartIndex: 0, BlackListItem: [], CurruentSequence: 0 });

const friendGet: Handler = () =>
  envelope({ FriendNum: 0, InfoItem: [], CompleteFlag: 1, NextStartIndex: 0 });

export const HANDLERS: Record<string, Handler> = {
  'im_open_status.wslogin': wslogin,
  'im_open_status.wslogout': wslogout,
  'heartbeat.alive': heartbeat,
  'recentcontact.page_get': pageGet,
  'recentcontact.top': top,
  'recentcontact.batch_delete': batchDelete,
  'openim.getmsg': getmsg,
  'openim.msgreaded': msgreaded,
  'openim.get_peer_read_time': peerReadTime,
  'openim.get_c2c_peer_mute_notifications': muteNotifications,
  'openim.sendmsg': sendmsg,
  'openim.getroammsg': getroammsg,
  'openim.modify_c2c_msg': modifyC2cMsg,
  'openim.msgwithdraw': msgwithdraw,
  'profile.portrait_get_all': portraitGetAll,
  'profile.portrait_set': portraitSet,
  'im_cos_msg.pre_sig': preSig,
  'im_cos_msg.simple_sig': simpleSig,
  'im_cos_msg.get_imageinfo': getImageInfo,
  'sns.black_list_get': blackListGet,
  'sns.friend_get': friendGet,
  ...Object.fromEntries(ENVELOPE_ONLY.map((cmd): [string, Handler] => [cmd, () => envelope()])),
};

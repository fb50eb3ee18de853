import type { FastifyBaseLogger } from 'fastify';
import type { ServerConfig } from './config';
import { asRecord } from './http-json';
import type { RoamMsg } from './im-rest-client';
import type { MessageConfirmer, MessageHint } from './message-confirmer';
import type { Store } from './store';
import type { WeChatClient } from './wechat-client';

/** What `wx.requestSubscribeMessage` reports per template. */
export type SubscribeDecision = 'accept' | 'reject' | 'ban' | 'filter';

/**
 * The part of Tencent's `C2C.CallbackAfterSendMsg` body this server reads. It is a hint only: the
 * message itself is confirmed with the Chat REST API before anything is sent, and the notification
 * is built from the confirmed copy (so the callback's `MsgBody` is deliberately not part of it).
 */
export interface AfterSendMsgEvent extends MessageHint {
  SendMsgResult?: number;
  OnlineOnlyFlag?: number;
}

/** Why a reply did or did not produce a notification (logged, and asserted on in tests). */
export type NotifyOutcome =
  | 'sent'
  | 'not-agent-reply'
  | 'hidden-message'
  | 'disabled'
  | 'present'
  | 'unknown-user'
  | 'unconfirmed'
  | 'already-notified'
  | 'no-openid'
  | 'no-quota'
  | 'wechat-refused'
  | 'wechat-failed';

export interface NotifierOptions {
  config: ServerConfig;
  store: Store;
  wechat: WeChatClient;
  confirmer: MessageConfirmer;
  now: () => number;
  logger: FastifyBaseLogger;
}

/** One-time acceptances are counted up to this many per template. */
const MAX_QUOTA = 50;
/**
 * State a login created (openid, quota, last notification) expires when the user has not logged in
 * for this long. Nothing a callback alone can trigger lives this long: presence lasts the presence
 * window, and callbacks write nothing for users who never logged in here.
 */
const STATE_TTL_S = 60 * 24 * 3600;
/** Cross-instance claim while one instance sends a user's notification. */
const SENDING_TTL_S = 30;
/** WeChat's "thing" fields take 20 characters; shorter field kinds are still fine with this cap. */
const FIELD_MAX = 20;
/** Protocol messages clients render (tccc-protocol.md §6); every other custom message is hidden. */
const VISIBLE_SRC = new Set(['9', '15', '21', '22', '28', '29', '30', '31', '32', '33']);
const DEFAULT_PREVIEW = '您有一条新的客服消息';

const keys = {
  openid: (userID: string) => `openid:${userID}`,
  presence: (userID: string) => `presence:${userID}`,
  notified: (userID: string) => `notified:${userID}`,
  sending: (userID: string) => `notifying:${userID}`,
  quota: (userID: string, templateId: string) => `quota:${userID}:${templateId}`,
};

/**
 * Text for the notification, or `undefined` when the message is one users never see (typing,
 * rating settings, seat status...), which must not wake anyone up.
 */
export function previewOf(msgBody: unknown): string | undefined {
  if (!Array.isArray(msgBody) || msgBody.length === 0) return undefined;
  let visible = false;
  const parts: string[] = [];
  for (const item of msgBody) {
    const elem = asRecord(item);
    const content = asRecord(elem?.MsgContent) ?? {};
    switch (elem?.MsgType) {
      case 'TIMTextElem':
        visible = true;
        if (typeof content.Text === 'string') parts.push(content.Text);
        break;
      case 'TIMImageElem':
        visible = true;
        parts.push('[图片]');
        break;
      case 'TIMFileElem':
        visible = true;
        parts.push('[文件]');
        break;
      case 'TIMSoundElem':
        visible = true;
        parts.push('[语音]');
        break;
      case 'TIMVideoFileElem':
        visible = true;
        parts.push('[视频]');
        break;
      case 'TIMCustomElem': {
        const text = customPreview(content.Data);
        if (text !== undefined) {
          visible = true;
          parts.push(text);
        }
        break;
      }
      default:
        break;
    }
  }
  if (!visible) return undefined;
  const joined = parts.join(' ').replace(/\s+/g, ' ').trim();
  return joined === '' ? DEFAULT_PREVIEW : joined;
}

function customPreview(data: unknown): string | undefined {
  if (typeof data !== 'string') return undefined;
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = asRecord(JSON.parse(data));
  } catch {
    parsed = undefined;
  }
  // A custom message that is not protocol JSON is app content: show a neutral line.
  if (parsed === undefined || parsed.src === undefined) return '';
  const src = String(parsed.src);
  if (!VISIBLE_SRC.has(src)) return undefined;
  const content = asRecord(parsed.content);
  if (src === '9') return '请对本次服务进行评价';
  if (src === '22') return typeof content?.header === 'string' ? content.header : '[商品]';
  if (src === '30' && typeof parsed.content === 'string') {
    return parsed.content.replace(/<[^>]*>|[#*_`>[\]()!]/g, '');
  }
  if (src === '31' && Array.isArray(parsed.chunks)) {
    return parsed.chunks.filter((chunk): chunk is string => typeof chunk === 'string').join('');
  }
  for (const field of ['header', 'title', 'content', 'tip']) {
    const value = content?.[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return '';
}

function truncate(text: string): string {
  const chars = Array.from(text);
  return chars.length <= FIELD_MAX ? text : `${chars.slice(0, FIELD_MAX - 1).join('')}…`;
}

/** `2025年1月2日 15:04` in China time, the format WeChat's "time" fields accept. */
export function formatChinaTime(epochMs: number): string {
  const d = new Date(epochMs + 8 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/**
 * Reply notifications. Presence is simple on purpose: a user is *present* while their last
 * activity (login, refresh, a `/api/presence` heartbeat, or the IM callback for a message they
 * sent) is younger than PRESENCE_AWAY_SECONDS, and *away* otherwise or after an explicit
 * `away` heartbeat. An agent reply to an away user with quota left sends one subscribe message and
 * spends one acceptance; further replies wait until the user has been active again.
 */
export class Notifier {
  constructor(private readonly options: NotifierOptions) {}

  /** Remembers the openid for a userID (needed to address the subscribe message). */
  async rememberOpenid(userID: string, openid: string): Promise<void> {
    await this.options.store.set(keys.openid(userID), openid, STATE_TTL_S);
  }

  /** Marks the user active now. */
  async touch(userID: string): Promise<void> {
    await this.writePresence(userID, false);
  }

  /** Marks the user away now (the chat page was hidden or closed). */
  async markAway(userID: string): Promise<void> {
    await this.writePresence(userID, true);
  }

  /** Whether the user counts as present at this moment. */
  async isPresent(userID: string): Promise<boolean> {
    const presence = await this.readPresence(userID);
    return (
      !presence.away &&
      this.options.now() - presence.seen < this.options.config.presenceAwaySeconds * 1000
    );
  }

  private async writePresence(userID: string, away: boolean): Promise<void> {
    const value = JSON.stringify({ seen: this.options.now(), away });
    // Presence matters for one window: once it lapses the user is away, which a missing key says too.
    await this.options.store.set(
      keys.presence(userID),
      value,
      this.options.config.presenceAwaySeconds + 5,
    );
  }

  /** Last activity (epoch ms, 0 when never seen) and whether the user said they left. */
  private async readPresence(userID: string): Promise<{ seen: number; away: boolean }> {
    const raw = await this.options.store.get(keys.presence(userID));
    let parsed: Record<string, unknown> | undefined;
    try {
      parsed = raw === undefined ? undefined : asRecord(JSON.parse(raw));
    } catch {
      parsed = undefined;
    }
    return {
      seen: typeof parsed?.seen === 'number' ? parsed.seen : 0,
      away: parsed?.away === true,
    };
  }

  /**
   * Records what the user accepted. Only the configured template counts; each `accept` adds one
   * send (capped). Resolves the remaining quota per known template and the ignored template IDs.
   */
  async recordSubscriptions(
    userID: string,
    accepted: Record<string, SubscribeDecision>,
  ): Promise<{ quota: Record<string, number>; ignored: string[] }> {
    const templateId = this.options.config.subscribeTemplateId;
    const ignored = Object.keys(accepted).filter((id) => id !== templateId);
    if (templateId === undefined) return { quota: {}, ignored };
    const key = keys.quota(userID, templateId);
    let quota = Number((await this.options.store.get(key)) ?? '0');
    if (accepted[templateId] === 'accept') {
      quota = await this.options.store.incrBy(key, 1, STATE_TTL_S);
      if (quota > MAX_QUOTA) {
        await this.options.store.set(key, String(MAX_QUOTA), STATE_TTL_S);
        quota = MAX_QUOTA;
      }
    }
    return { quota: { [templateId]: quota }, ignored };
  }

  /** Remaining sends for a template (for tests and diagnostics). */
  async quotaOf(userID: string, templateId: string): Promise<number> {
    return Number((await this.options.store.get(keys.quota(userID, templateId))) ?? '0');
  }

  /** Whether this server has seen the user log in (and so may keep state for them). */
  private async isKnown(userID: string): Promise<boolean> {
    return (await this.options.store.get(keys.openid(userID))) !== undefined;
  }

  /**
   * Handles one after-send event. Messages a user sends to a service account count as activity;
   * a visible agent reply to an away user may produce a notification. Either way the event only
   * counts once the Chat REST API confirms the message, and only for users who logged in here:
   * a callback about anyone else writes nothing. Never throws.
   */
  async onAfterSend(event: AfterSendMsgEvent): Promise<NotifyOutcome> {
    const { config } = this.options;
    const fromService = config.serviceAccounts.includes(event.From_Account);
    const toService = config.serviceAccounts.includes(event.To_Account);
    if (!fromService && toService && event.From_Account !== config.imAdminUserID) {
      if (!(await this.isKnown(event.From_Account))) return 'unknown-user';
      const confirmed = await this.options.confirmer.confirm(event, event.From_Account);
      if (confirmed === undefined) return 'unconfirmed';
      await this.touch(event.From_Account);
      return 'not-agent-reply';
    }
    if (
      !fromService ||
      toService ||
      event.To_Account === config.imAdminUserID ||
      (event.SendMsgResult ?? 0) !== 0 ||
      event.OnlineOnlyFlag === 1
    ) {
      return 'not-agent-reply';
    }
    return this.notifyReply(event);
  }

  private async notifyReply(event: AfterSendMsgEvent): Promise<NotifyOutcome> {
    const { config, store } = this.options;
    const userID = event.To_Account;
    const templateId = config.subscribeTemplateId;
    if (templateId === undefined) return 'disabled';
    // Cheap local checks first: most callbacks end here without a REST call or a store write.
    const openid = await store.get(keys.openid(userID));
    if (openid === undefined) return 'no-openid';
    if (await this.isPresent(userID)) return 'present';
    const { seen } = await this.readPresence(userID);
    const notified = Number((await store.get(keys.notified(userID))) ?? '-1');
    if (notified >= seen) return 'already-notified';
    const quotaKey = keys.quota(userID, templateId);
    if (Number((await store.get(quotaKey)) ?? '0') <= 0) return 'no-quota';
    const confirmed = await this.options.confirmer.confirm(event, userID);
    if (confirmed === undefined) return 'unconfirmed';
    const preview = previewOf(confirmed.MsgBody);
    if (preview === undefined) return 'hidden-message';
    // One instance sends per absence: the claim covers the window between the checks and the send.
    if (!(await store.setIfAbsent(keys.sending(userID), '1', SENDING_TTL_S))) {
      return 'already-notified';
    }
    try {
      if (Number((await store.get(keys.notified(userID))) ?? '-1') >= seen) {
        return 'already-notified';
      }
      // Claim the send before calling WeChat, so two replies cannot spend one acceptance twice.
      if ((await store.decrIfPositive(quotaKey)) === undefined) return 'no-quota';
      await store.set(keys.notified(userID), String(seen), STATE_TTL_S);
      return await this.send(userID, openid, templateId, confirmed, preview);
    } finally {
      await store.del(keys.sending(userID));
    }
  }

  private async send(
    userID: string,
    openid: string,
    templateId: string,
    message: RoamMsg,
    preview: string,
  ): Promise<NotifyOutcome> {
    const { config, store, logger } = this.options;
    const quotaKey = keys.quota(userID, templateId);
    const timeMs = message.MsgTimeStamp > 0 ? message.MsgTimeStamp * 1000 : this.options.now();
    const values: Record<string, string> = {
      preview,
      time: formatChinaTime(timeMs),
      account: message.From_Account,
    };
    const data = Object.fromEntries(
      Object.entries(config.subscribeTemplateData).map(([field, pattern]) => [
        field,
        {
          value: truncate(
            pattern.replace(/\{\{(\w+)\}\}/g, (_m, name: string) => values[name] ?? ''),
          ),
        },
      ]),
    );
    const result = await this.options.wechat.sendSubscribeMessage({
      touser: openid,
      template_id: templateId,
      page: `${config.chatPagePath}?account=${encodeURIComponent(message.From_Account)}&from=subscribe`,
      data,
      miniprogram_state: config.miniprogramState,
      lang: 'zh_CN',
    });
    if (result.ok) {
      logger.info({ userID, templateId }, 'reply notification sent');
      return 'sent';
    }
    if (result.error.kind === 'api' && result.error.errcode === 43101) {
      // WeChat holds no acceptance for this user: our count was stale, so trust WeChat.
      await store.set(quotaKey, '0', STATE_TTL_S);
      logger.info({ userID, templateId }, 'user has no subscription left at WeChat');
      return 'wechat-refused';
    }
    await store.incrBy(quotaKey, 1);
    await store.del(keys.notified(userID));
    logger.warn({ userID, templateId, failure: result.error }, 'reply notification failed');
    return 'wechat-failed';
  }
}

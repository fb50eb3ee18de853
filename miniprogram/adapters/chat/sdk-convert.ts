import type { Conversation, LastMessage } from '../../core/model/conversation';
import type { ChatMessage, ImageInfo, MessageStatus } from '../../core/model/message';

/**
 * Turns the SDK's message and conversation objects into core data. Inputs are read as `unknown`
 * (the SDK's own typings are incomplete, and pushed data is not trusted), so a missing or wrongly
 * typed field gives a safe default, never a throw. Core never holds an SDK object.
 */

type Dict = Record<string, unknown>;

const dict = (v: unknown): Dict => (typeof v === 'object' && v !== null ? (v as Dict) : {});
const str = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : 0;
};

/** SDK `status` (`unSend`, `success`, `fail`) with `hasRiskContent` → core status. */
export function statusOf(raw: Dict): MessageStatus {
  switch (raw.status) {
    case 'success':
      return 'sent';
    case 'fail':
      return raw.hasRiskContent === true ? 'blocked' : 'failed';
    case 'unSend':
      return 'sending';
    default:
      // History and pushes carry `success`; anything unknown from the server side counts as sent.
      return 'sent';
  }
}

/**
 * The rendition to show in a bubble: the largest one no wider than 1080 px (the SDK's `large` is
 * 720 px), else the first with a URL.
 */
export function imageOf(payload: Dict): ImageInfo | undefined {
  const list = Array.isArray(payload.imageInfoArray) ? payload.imageInfoArray.map(dict) : [];
  const usable = list.filter((i) => str(i.url) !== '' || str(i.imageUrl) !== '');
  if (usable.length === 0) return undefined;
  const fitting = usable.filter((i) => num(i.width) > 0 && num(i.width) <= 1080);
  const pick = fitting.length
    ? fitting.reduce((best, i) => (num(i.width) > num(best.width) ? i : best))
    : usable[0];
  return {
    url: str(pick.url) || str(pick.imageUrl),
    width: num(pick.width),
    height: num(pick.height),
  };
}

/** An SDK `Message` → {@link ChatMessage}. `clientId` is attached for messages this client sent. */
export function toChatMessage(value: unknown, clientId?: string): ChatMessage {
  const raw = dict(value);
  const payload = dict(raw.payload);
  const type = str(raw.type);
  const out: ChatMessage = {
    ID: str(raw.ID),
    conversationID: str(raw.conversationID),
    type,
    flow: raw.flow === 'out' ? 'out' : 'in',
    from: str(raw.from),
    to: str(raw.to),
    time: num(raw.time),
    sequence: num(raw.sequence),
    nick: str(raw.nick),
    avatar: str(raw.avatar),
    payload: {},
    cloudCustomData: str(raw.cloudCustomData),
    isRevoked: raw.isRevoked === true,
    version: num(raw.version),
    status: statusOf(raw),
  };
  if (typeof payload.text === 'string') out.payload.text = payload.text;
  if (typeof payload.data === 'string') out.payload.data = payload.data;
  if (typeof payload.description === 'string') out.payload.description = payload.description;
  if (typeof payload.extension === 'string') out.payload.extension = payload.extension;
  if (type === 'TIMImageElem') {
    const image = imageOf(payload);
    if (image) out.image = image;
  }
  if (raw.isPeerRead === true) out.isPeerRead = true;
  if (clientId) out.clientId = clientId;
  return out;
}

function lastMessageOf(value: unknown): LastMessage | null {
  if (typeof value !== 'object' || value === null) return null;
  const raw = dict(value);
  const time = num(raw.lastTime);
  const type = str(raw.type);
  // The SDK keeps an empty placeholder for conversations without messages.
  if (!type && !time) return null;
  const payload = dict(raw.payload);
  const out: LastMessage = {
    type,
    payload: {},
    cloudCustomData: str(raw.cloudCustomData),
    isRevoked: raw.isRevoked === true,
    time,
    fromAccount: str(raw.fromAccount),
    messageForShow: str(raw.messageForShow),
  };
  if (typeof payload.text === 'string') out.payload.text = payload.text;
  if (typeof payload.data === 'string') out.payload.data = payload.data;
  if (typeof payload.description === 'string') out.payload.description = payload.description;
  return out;
}

/** An SDK `Conversation` → {@link Conversation}. */
export function toConversation(value: unknown): Conversation {
  const raw = dict(value);
  const conversationID = str(raw.conversationID);
  const type = raw.type === 'GROUP' ? 'GROUP' : raw.type === '@TIM#SYSTEM' ? 'SYSTEM' : 'C2C';
  const profile = dict(raw.userProfile);
  const group = dict(raw.groupProfile);
  const peerID = type === 'C2C' ? str(profile.userID) || conversationID.replace(/^C2C/, '') : '';
  return {
    conversationID,
    type,
    peerID,
    name: str(raw.remark) || str(profile.nick) || str(group.name),
    avatar: str(profile.avatar) || str(group.avatar),
    unreadCount: Math.max(0, num(raw.unreadCount)),
    isPinned: raw.isPinned === true,
    lastMessage: lastMessageOf(raw.lastMessage),
  };
}

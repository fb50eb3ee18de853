/**
 * Messages in the runtime shape of `@tencentcloud/chat` 3.6.6 `Message` objects (docs chat-sdk.md
 * "Message object": every runtime key, in the SDK's order), plus fixture loading. The real SDK is not
 * loaded here: it opens sockets at `create()` and keeps jest alive.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

export const SERVICE_ACCOUNT = '@customer_service_account';
export const USER_ID = 'user_1001';

const FIXTURES = join(__dirname, '../../fixtures/tccc');

/** The fixture file's text, exactly as stored (pretty-printed JSON). */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, `${name}.json`), 'utf8');
}

export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}

export interface SdkMessageInit {
  type: string;
  payload: Record<string, unknown>;
  flow?: 'in' | 'out';
  cloudCustomData?: string;
  isRevoked?: boolean;
  ID?: string;
  time?: number;
}

let counter = 0;

/** A message as `getMessageList` / MESSAGE_RECEIVED deliver it in the service conversation. */
export function sdkMessage(init: SdkMessageInit): Record<string, unknown> {
  counter += 1;
  const flow = init.flow ?? 'in';
  const from = flow === 'in' ? SERVICE_ACCOUNT : USER_ID;
  const to = flow === 'in' ? USER_ID : SERVICE_ACCOUNT;
  const time = init.time ?? 1_700_000_000 + counter;
  return {
    ID: init.ID ?? `144115212345678901-${time}-${counter}`,
    conversationID: `C2C${SERVICE_ACCOUNT}`,
    conversationType: 'C2C',
    conversationSubType: undefined,
    time,
    sequence: counter,
    clientSequence: counter,
    random: 10_000 + counter,
    priority: 'Normal',
    nick: flow === 'in' ? '在线客服' : '',
    avatar: '',
    isPeerRead: false,
    nameCard: '',
    hasRiskContent: false,
    isPlaceMessage: 0,
    isRevoked: init.isRevoked ?? false,
    from,
    to,
    flow,
    isSystemMessage: false,
    protocol: 'JSON',
    isResend: false,
    isRead: flow === 'out',
    status: 'success',
    atUserList: [],
    cloudCustomData: init.cloudCustomData ?? '',
    isDeleted: false,
    isModified: false,
    clientTime: time,
    senderTinyID: '144115212345678901',
    readReceiptInfo: { timestamp: 0 },
    needReadReceipt: false,
    version: 0,
    isBroadcastMessage: false,
    isSupportExtension: false,
    revoker: '',
    revokerInfo: { userID: '', nick: '', avatar: '' },
    revokeReason: '',
    pinnerInfo: undefined,
    level: 0,
    payload: init.payload,
    type: init.type,
  };
}

/** A custom message whose `payload.data` is `data`, with the SDK's empty description/extension. */
export function customMessage(
  data: string,
  init: Partial<Omit<SdkMessageInit, 'type' | 'payload'>> = {},
): Record<string, unknown> {
  return sdkMessage({
    ...init,
    type: 'TIMCustomElem',
    payload: { data, description: '', extension: '' },
  });
}

/** A custom message carrying a fixture file's text verbatim as `payload.data`. */
export function fixtureMessage(
  name: string,
  init: Partial<Omit<SdkMessageInit, 'type' | 'payload'>> = {},
): Record<string, unknown> {
  return customMessage(fixtureText(name), init);
}

export function textMessage(
  text: string,
  init: Partial<Omit<SdkMessageInit, 'type' | 'payload'>> = {},
): Record<string, unknown> {
  return sdkMessage({ ...init, type: 'TIMTextElem', payload: { text } });
}

/**
 * An image message as the SDK builds it from the wire `ImageInfoArray` (Type 1 original, 2 large,
 * 3 thumbnail): `sizeType` keeps the wire type, `type` is remapped (0 original, 1 thumbnail, 2 large),
 * `imageUrl` and `url` both set (docs chat-wire.md §6.2).
 */
export function imageMessage(base = 'http://127.0.0.1:9/files/photo.jpg'): Record<string, unknown> {
  const entry = (sizeType: number, type: number, width: number, height: number, url: string) => ({
    instanceID: 1_000 + sizeType,
    sizeType,
    type,
    size: width * height,
    width,
    height,
    imageUrl: url,
    url,
  });
  return sdkMessage({
    type: 'TIMImageElem',
    payload: {
      imageFormat: 1,
      uuid: 'photo.jpg',
      imageInfoArray: [
        entry(1, 0, 1440, 1080, base),
        entry(2, 2, 720, 540, `${base}?imageView2/3/w/720/h/720`),
        entry(3, 1, 198, 149, `${base}?imageView2/3/w/198/h/198`),
      ],
    },
  });
}

import TencentCloudLiteChat from '@tencentcloud/lite-chat/basic';
import conversationPlugin from '@tencentcloud/lite-chat/plugins/conversation';
import messageEnhancerPlugin from '@tencentcloud/lite-chat/plugins/message-enhancer';
import richMediaMessagePlugin from '@tencentcloud/lite-chat/plugins/rich-media-message';
import type { ChatSdkModule } from './sdk-module';
import { routeChatSockets } from './socket-route';
import type { SdkConstants, SdkLike } from './sdk-transport';

/**
 * The plugins our features need on top of lite-chat's basic build: the conversation list (list,
 * pin, delete, read state), rich media (image messages and their upload) and the message enhancer
 * (history paging, resend).
 */
export const LITE_PLUGINS: readonly unknown[] = [
  conversationPlugin,
  richMediaMessagePlugin,
  messageEnhancerPlugin,
];

const lite = TencentCloudLiteChat as unknown as SdkConstants & {
  create(options: { SDKAppID: number }): SdkLike & { use(plugins: readonly unknown[]): void };
};

/** `@tencentcloud/lite-chat` basic build with {@link LITE_PLUGINS} (~406 KB compiled). */
export const liteSdk: ChatSdkModule = {
  name: 'lite',
  TYPES: lite.TYPES,
  EVENT: lite.EVENT,
  create({ SDKAppID, proxyServer }) {
    if (typeof wx !== 'undefined') routeChatSockets(wx, proxyServer);
    const sdk = lite.create({ SDKAppID });
    sdk.use(LITE_PLUGINS);
    return sdk;
  },
};

import TencentCloudChat from '@tencentcloud/chat';
import TIMUploadPlugin from 'tim-upload-plugin';
import type { ChatSdkModule } from './sdk-module';
import type { SdkLike } from './sdk-transport';

/** `@tencentcloud/chat` (the full SDK, ~714 KB compiled), with the upload plugin for images. */
export const chatSdk: ChatSdkModule = {
  name: 'chat',
  TYPES: TencentCloudChat.TYPES,
  EVENT: TencentCloudChat.EVENT,
  create({ SDKAppID, proxyServer }) {
    const sdk = TencentCloudChat.create(proxyServer ? { SDKAppID, proxyServer } : { SDKAppID });
    sdk.registerPlugin({ 'tim-upload-plugin': TIMUploadPlugin });
    // The SDK's typings return `any` everywhere; the adapter reads every result as unknown.
    return sdk as unknown as SdkLike;
  },
};

import TencentCloudChat from '@tencentcloud/chat';
import TIMUploadPlugin from 'tim-upload-plugin';
import type { ChatTransport } from '../../core/ports/chat-transport';
import type { Clock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import { createSdkTransport } from './sdk-transport';
import type { SdkLike } from './sdk-transport';

/** Options of the production transport (from the configuration). */
export interface TencentTransportOptions {
  sdkAppID: number;
  /** `ws://host:port` of a Chat-compatible server (the local simulator); `''` = Tencent's cloud. */
  proxyServer: string;
  loginTimeoutMs: number;
  clock: Clock;
  logger: Logger;
  /**
   * SDK log level: 1 release … 4 none. Default 1. 0 (verbose) is raised to 1: the SDK's verbose
   * trace prints raw packets, login credentials included, and no log level may carry those.
   */
  logLevel?: 0 | 1 | 2 | 3 | 4;
}

/**
 * The production `ChatTransport`: `@tencentcloud/chat` (the only module that imports it), created
 * on first use with `proxyServer` when configured, with the upload plugin for image messages.
 */
export function createTencentTransport(
  options: TencentTransportOptions,
): ChatTransport & { dispose(): void; destroy(): Promise<void> } {
  return createSdkTransport(
    (sdkAppID) => {
      const SDKAppID = sdkAppID ?? options.sdkAppID;
      if (SDKAppID !== options.sdkAppID) {
        options.logger.warn(
          'login server SDKAppID differs from configuration; using the server one',
          { SDKAppID },
        );
      }
      const sdk = TencentCloudChat.create(
        options.proxyServer ? { SDKAppID, proxyServer: options.proxyServer } : { SDKAppID },
      );
      sdk.setLogLevel(Math.max(1, options.logLevel ?? 1));
      sdk.registerPlugin({ 'tim-upload-plugin': TIMUploadPlugin });
      // The SDK's typings return `any` everywhere; the adapter reads every result as unknown.
      return sdk as unknown as SdkLike;
    },
    { TYPES: TencentCloudChat.TYPES, EVENT: TencentCloudChat.EVENT },
    { loginTimeoutMs: options.loginTimeoutMs, clock: options.clock, logger: options.logger },
  );
}

import type { ChatTransport } from '../../core/ports/chat-transport';
import type { Clock } from '../../core/ports/clock';
import type { Logger } from '../../core/ports/logger';
import { chosenSdk } from './sdk-choice';
import type { ChatSdkModule } from './sdk-module';
import { createSdkTransport } from './sdk-transport';

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
 * The production `ChatTransport` on the Chat SDK this package ships (`sdk-choice.ts`:
 * `@tencentcloud/lite-chat` or `@tencentcloud/chat`; tests pass either), created on first use with
 * `proxyServer` when configured and the plugins our features need.
 */
export function createTencentTransport(
  options: TencentTransportOptions,
  sdkModule: ChatSdkModule = chosenSdk,
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
      const sdk = sdkModule.create({ SDKAppID, proxyServer: options.proxyServer });
      sdk.setLogLevel?.(Math.max(1, options.logLevel ?? 1));
      return sdk;
    },
    { TYPES: sdkModule.TYPES, EVENT: sdkModule.EVENT },
    { loginTimeoutMs: options.loginTimeoutMs, clock: options.clock, logger: options.logger },
  );
}

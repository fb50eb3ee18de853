import type { SdkConstants, SdkLike } from './sdk-transport';

/** The Chat SDK builds the adapter runs on. */
export type ChatSdkName = 'chat' | 'lite';

/** What the transport needs from an SDK build: a factory and its constant tables. */
export interface ChatSdkModule extends SdkConstants {
  name: ChatSdkName;
  /**
   * A new (or the SDK's cached) instance for `SDKAppID`, connected through `proxyServer` when it is
   * not empty, with the plugins our features use registered.
   */
  create(options: { SDKAppID: number; proxyServer: string }): SdkLike;
}

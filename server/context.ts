import type { FastifyBaseLogger } from 'fastify';
import type { ActivationService } from './activation';
import type { BackgroundTasks } from './background';
import type { ServerConfig } from './config';
import type { ServerKeys } from './keys';
import type { Notifier } from './notifications';
import type { Store } from './store';
import type { WeChatClient } from './wechat-client';

/** Everything the routes need, built once per server by `buildServer`. */
export interface ServerContext {
  config: ServerConfig;
  keys: ServerKeys;
  store: Store;
  now: () => number;
  wechat: WeChatClient;
  activation: ActivationService;
  notifier: Notifier;
  background: BackgroundTasks;
  logger: FastifyBaseLogger;
}

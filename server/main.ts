/**
 * Entry point: `npm run server` (tsx server/main.ts). Reads the configuration from the
 * environment, prints every problem and exits 1 when it is invalid, else listens on HOST:PORT and
 * shuts down cleanly on SIGINT/SIGTERM.
 */
import { buildServer } from './app';
import { loadConfig } from './config';

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    console.error('Invalid configuration:');
    for (const error of loaded.errors) console.error(`  - ${error}`);
    process.exit(1);
  }
  const { config } = loaded;
  const app = buildServer(config);
  app.log.info(
    { store: config.redisUrl === undefined ? 'memory (one instance)' : 'redis' },
    'state store',
  );
  if (config.imCallbackUnsignedAllowed) {
    app.log.warn(
      'IM_CALLBACK_UNSIGNED=allow: IM callbacks are accepted without a signature (set IM_CALLBACK_TOKEN)',
    );
  }
  if (config.userIdKeyIsDerived) {
    app.log.warn('USER_ID_KEY is not set: userIDs are derived from the IM secret key (see README)');
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  console.error('login server failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

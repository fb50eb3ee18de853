/**
 * Runs the fake WeChat API on its own: `npx tsx simulator/wechat/main.ts` (PORT, default 9301).
 * Prints the URL and the appid/secret the login server must be configured with (demo values).
 */
import { FAKE_WECHAT_DEFAULT_PORT, startFakeWeChat } from './index';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? FAKE_WECHAT_DEFAULT_PORT);
  const fake = await startFakeWeChat({ port });
  console.info(`fake WeChat API on ${fake.url}`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error('fake WeChat failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});

/**
 * `npm run simulator`: starts the local Chat + TCCC simulator, prints how to reach it and runs until
 * SIGINT/SIGTERM, then closes cleanly (sockets dropped, persistence file written).
 */
import { DEV_SECRET_KEY } from './config';
import { type CallbackConfig, startSimulator } from './index';

/** The callback target without its query or token (the token is a secret of the receiver's). */
function callbackLine(callback: CallbackConfig | undefined): string {
  if (!callback)
    return 'off (SIMULATOR_CALLBACK_URL=http://127.0.0.1:9500/im/callback to call a login server)';
  const url = new URL(callback.url);
  return `${url.origin}${url.pathname}${callback.token ? ' (signed with SIMULATOR_CALLBACK_TOKEN)' : ''}`;
}

async function main(): Promise<void> {
  const sim = await startSimulator();
  const devKey = sim.secretKey === DEV_SECRET_KEY;
  const lines = [
    'Chat + TCCC simulator running',
    `  SDKAppID        ${sim.sdkAppID}`,
    `  proxyServer     ${sim.wsUrl}`,
    `  HTTP            ${sim.httpUrl}  (REST /v4/..., /upload, /files, /healthz)`,
    `  agent console   ${sim.httpUrl}/console`,
    `  admin user      ${sim.adminUserID}`,
    ...sim.serviceAccounts.map((sa) => `  service account ${sa.userID} (${sa.nick})`),
    devKey
      ? `  secret key      ${sim.secretKey}  (DEVELOPMENT ONLY: public in the repository)`
      : '  secret key      from SIMULATOR_SECRET_KEY (not printed)',
    `  persistence     ${process.env.SIMULATOR_DATA || 'off (in memory; e.g. SIMULATOR_DATA=.data/simulator.json)'}`,
    `  IM callback     ${callbackLine(sim.backend.callbacks.current)}`,
    'Press Ctrl+C to stop.',
  ];
  console.info(lines.join('\n'));

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.info(`\n${signal}: closing the simulator...`);
    sim.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((e: unknown) => {
  const code = e instanceof Error && 'code' in e ? String(e.code) : '';
  if (code === 'EADDRINUSE') {
    console.error('The simulator port is in use: stop the other instance or set SIMULATOR_PORT.');
  } else {
    console.error(e);
  }
  process.exit(1);
});

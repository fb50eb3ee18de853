/**
 * Issue: with IM_CALLBACK_TOKEN unset (then the default), one forged callback made the server send
 * a subscribe message with attacker-chosen text. Now the server refuses to start without the token
 * unless IM_CALLBACK_UNSIGNED=allow (which warns), and even then a forged callback is not acted on.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { LiveServer } from './support/live-server';
import { startLiveServer, waitFor } from './support/live-server';

const ROOT = path.resolve(__dirname, '../..');

const ENV = {
  PATH: process.env.PATH ?? '',
  PORT: '0',
  IM_SDKAPPID: '1400000001',
  IM_SECRET_KEY: 'secret-key-value-0123456789',
  WECHAT_APPID: 'wx00000000demo0001',
  WECHAT_APP_SECRET: 'app-secret-value-0123',
  SERVICE_ACCOUNTS: 'kefu_1',
  USER_ID_KEY: 'user-id-key-for-tests-0001',
};

/** Runs `npm run server`'s entry point until it exits or prints `until`; bounded. */
function runServer(
  env: Record<string, string>,
  until?: RegExp,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // tsx as a loader, not its CLI: a signal then reaches the server itself, not a wrapper.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env,
      stdio: 'pipe',
    });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server neither exited nor printed ${String(until)}:\n${output}`));
    }, 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (until !== undefined && until.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('unsigned callbacks', () => {
  it('refuses to start without IM_CALLBACK_TOKEN, naming the variable', async () => {
    const { code, output } = await runServer(ENV);
    expect(code).toBe(1);
    expect(output).toContain('IM_CALLBACK_TOKEN is required');
    expect(output).toContain('IM_CALLBACK_UNSIGNED=allow');
  }, 30_000);

  it('starts with IM_CALLBACK_UNSIGNED=allow, warning at start', async () => {
    const { output } = await runServer(
      { ...ENV, IM_CALLBACK_UNSIGNED: 'allow' },
      /Server listening/,
    );
    const warning = output.split('\n').find((line) => line.includes('IM_CALLBACK_UNSIGNED=allow'));
    expect(warning).toBeDefined();
    expect(JSON.parse(warning ?? '{}')).toMatchObject({ level: 40 });
  }, 30_000);

  describe('when a server accepts them anyway', () => {
    let live: LiveServer;
    beforeAll(async () => {
      live = await startLiveServer({ IM_CALLBACK_TOKEN: '', IM_CALLBACK_UNSIGNED: 'allow' });
    });
    afterAll(() => live.close());

    it('never acts on a forged one, but still on the genuine reply', async () => {
      const user = await live.awaySubscribedUser('unsigned');
      const forged = await fetch(
        `${live.url}/im/callback?SdkAppid=${live.sim.sdkAppID}&CallbackCommand=C2C.CallbackAfterSendMsg`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            CallbackCommand: 'C2C.CallbackAfterSendMsg',
            From_Account: live.service,
            To_Account: user.userID,
            MsgSeq: 1,
            MsgRandom: 1,
            MsgTime: Math.floor(Date.now() / 1000),
            MsgKey: `1_1_${Math.floor(Date.now() / 1000)}`,
            SendMsgResult: 0,
            OnlineOnlyFlag: 0,
            MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '中奖了，点此领取' } }],
          }),
        },
      );
      expect(forged.status).toBe(200); // acknowledged like any callback…
      await live.settle();
      expect(live.wechat.sent).toEqual([]); // …and not acted on
      expect(live.logs.join('\n')).not.toContain('中奖了');

      live.sim.backend.send({
        serviceAccount: live.service,
        userID: user.userID,
        elems: [{ MsgType: 'TIMTextElem', MsgContent: { Text: '您的包裹已发出' } }],
      });
      await waitFor(() => live.wechat.sent.length > 0, 10_000, 'the genuine notification');
      expect(live.wechat.sent.map((m) => m.data.thing1?.value)).toEqual(['您的包裹已发出']);
    }, 30_000);
  });
});

/**
 * `npm run simulator` (simulator/main.ts) as a child process, for tests that must kill it the hard
 * way (SIGKILL) and start it again on the same data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ChildSimulator {
  child: ChildProcess;
  httpUrl: string;
  wsUrl: string;
  port: number;
  /** Everything it printed so far. */
  output(): string;
  /** SIGKILL: no close handler, no final write. Resolves once it is gone. */
  kill(): Promise<void>;
  /** SIGTERM, the clean way; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function spawnSimulator(
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ChildSimulator> {
  // tsx as a loader in this very process (its cli would run the simulator in a grandchild that a
  // SIGKILL of the cli leaves running).
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulator/main.ts'], {
    cwd: join(__dirname, '../../..'),
    env: { ...process.env, SIMULATOR_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the simulator printed no banner within ${timeoutMs} ms: ${out}`));
    }, timeoutMs);
    const onData = (): void => {
      const m = /HTTP\s+(http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (!m || !out.includes('Ctrl+C')) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      const port = Number(m[2]);
      resolve({
        child,
        httpUrl: m[1],
        wsUrl: `ws://127.0.0.1:${port}`,
        port,
        output: () => out,
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the simulator exited (${String(code)}) before its banner: ${out}`));
    });
  });
}

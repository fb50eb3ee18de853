/**
 * startSimulator / `npm run simulator`: ports, routing on the one http server, env overrides,
 * persistence file handling, clean shutdown.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSimulator } from '../../../simulator';
import { DEV_SECRET_KEY } from '../../../simulator/config';
import { connectWire } from '../../support/wire-client';

const fetchText = (url: string): Promise<{ status: number; body: string; type: string }> =>
  new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body, type: String(res.headers['content-type']) }),
      );
    }).on('error', reject);
  });

const tmp = mkdtempSync(join(tmpdir(), 'sim-start-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('startSimulator', () => {
  it('listens on an ephemeral port with the documented defaults', async () => {
    const sim = await startSimulator({ port: 0, quiet: true, env: false });
    try {
      expect(sim.port).toBeGreaterThan(0);
      expect(sim).toMatchObject({
        host: '127.0.0.1',
        wsUrl: `ws://127.0.0.1:${sim.port}`,
        httpUrl: `http://127.0.0.1:${sim.port}`,
        sdkAppID: 1400000000,
        secretKey: DEV_SECRET_KEY,
        adminUserID: 'administrator',
      });
      expect(sim.serviceAccounts).toEqual([
        {
          userID: '@customer_service_account',
          nick: '在线客服',
          avatar: `${sim.httpUrl}/assets/service-avatar.svg`,
        },
      ]);
      const health = await fetchText(`${sim.httpUrl}/healthz`);
      expect(JSON.parse(health.body)).toMatchObject({ ok: true, sdkAppID: 1400000000 });
      const avatar = await fetchText(sim.serviceAccounts[0].avatar);
      expect(avatar).toMatchObject({ status: 200, type: 'image/svg+xml' });
      expect((await fetchText(`${sim.httpUrl}/nowhere`)).status).toBe(404);
      expect((await fetchText(`${sim.httpUrl}/files/0123456789abcdef01234567.png`)).status).toBe(
        404,
      );
    } finally {
      await sim.close();
    }
  });

  it('hosts the TCCC agent console on the same port', async () => {
    const sim = await startSimulator({ port: 0, quiet: true, env: false });
    try {
      const page = await fetchText(`${sim.httpUrl}/console`);
      expect(page.status).toBe(200);
      expect(page.type).toContain('text/html');
      const bare = await startSimulator({ port: 0, quiet: true, env: false, service: false });
      expect((await fetchText(`${bare.httpUrl}/console`)).status).toBe(404);
      expect(bare.tccc).toBeUndefined();
      await bare.close();
    } finally {
      await sim.close();
    }
  });

  it('takes SDKAppID, key and persistence file from the environment; options win', async () => {
    const sim = await startSimulator({
      port: 0,
      quiet: true,
      service: false,
      env: {
        SIMULATOR_SDKAPPID: '1400000042',
        SIMULATOR_SECRET_KEY: 'env-key',
        SIMULATOR_DATA: join(tmp, 'env.json'),
      },
      secretKey: 'option-key',
    });
    expect(sim.sdkAppID).toBe(1400000042);
    expect(sim.secretKey).toBe('option-key');
    sim.backend.store.ensureUser('someone');
    await sim.close();
    expect(existsSync(join(tmp, 'env.json'))).toBe(true);
  });

  it('rejects when the port is taken', async () => {
    const a = await startSimulator({ port: 0, quiet: true, service: false, env: false });
    await expect(
      startSimulator({ port: a.port, quiet: true, service: false, env: false }),
    ).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    await a.close();
  });

  it('closes idempotently and drops connected sockets', async () => {
    const sim = await startSimulator({ port: 0, quiet: true, service: false, env: false });
    const c = await connectWire(sim.wsUrl);
    const closed = new Promise<void>((resolve) => c.ws.once('close', () => resolve()));
    await Promise.all([sim.close(), sim.close()]);
    await closed;
  });
});

describe('persistence file', () => {
  it('moves a corrupt file aside and starts empty', async () => {
    const file = join(tmp, 'corrupt.json');
    writeFileSync(file, '{"version":1, broken');
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const sim = await startSimulator({
      port: 0,
      service: false,
      env: false,
      persistFile: file,
      quiet: true,
    });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('moved to'));
    warn.mockRestore();
    sim.backend.store.ensureUser('fresh');
    await sim.close();
    expect(readdirSync(tmp).some((f) => f.startsWith('corrupt.json.corrupt-'))).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  });

  it('journals a change at once and compacts it into the snapshot soon, without waiting for close', async () => {
    const file = join(tmp, 'debounced.json');
    const sim = await startSimulator({
      port: 0,
      service: false,
      env: false,
      persistFile: file,
      quiet: true,
    });
    sim.backend.store.ensureUser('late-user');
    expect(readFileSync(`${file}.journal`, 'utf8')).toContain('late-user');
    expect(readFileSync(file, 'utf8')).not.toContain('late-user');
    sim.backend.onChange();
    await new Promise((r) => setTimeout(r, 2600));
    expect(readFileSync(file, 'utf8')).toContain('late-user');
    expect(readFileSync(`${file}.journal`, 'utf8')).toBe('');
    await sim.close();
  });
});

describe('npm run simulator (simulator/main.ts)', () => {
  it('prints its configuration, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [createRequire(__filename).resolve('tsx/cli'), 'simulator/main.ts'],
      {
        cwd: join(__dirname, '../../..'),
        env: { ...process.env, SIMULATOR_PORT: '0', SIMULATOR_DATA: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner: ${out}`)), 20_000);
      child.stdout.on('data', () => {
        const m = /HTTP\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m && out.includes('Ctrl+C')) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      });
    });
    expect(out).toContain('SDKAppID        1400000000');
    expect(out).toContain('@customer_service_account');
    expect(out).toContain('DEVELOPMENT ONLY');
    expect(out).toContain(`${url}/console`);
    expect((await fetchText(`${url}/healthz`)).status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  }, 30_000);
});

/**
 * Issue: uploads were held in memory without a quota (8 × 27 MB → +281 MB). They now stream to
 * disk, under Tencent's per-file limits and a total quota, refused with the SDK's error codes.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type RunningSimulator, startSimulator } from '../../simulator';
import { DEFAULT_SDK_APP_ID, DEV_SECRET_KEY } from '../../simulator/config';
import { genUserSig } from '../../simulator/chat/usersig';
import { type ChildSimulator, spawnSimulator } from '../simulator/support/child';
import { type WireClient, connectWire } from '../support/wire-client';

jest.setTimeout(60_000);

const MB = 1024 * 1024;
let tmp: string;
const sockets: WireClient[] = [];
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sim-uploads-'));
});
afterAll(async () => {
  for (const c of sockets) await c.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function preSig(wsUrl: string, fileName: string): Promise<string> {
  const c = await connectWire(wsUrl);
  sockets.push(c);
  await c.login(
    'uploader',
    genUserSig(DEFAULT_SDK_APP_ID, DEV_SECRET_KEY, 'uploader', 3600),
    DEFAULT_SDK_APP_ID,
  );
  const r = await c.request('im_cos_msg.pre_sig', { file_name: fileName, file_type: 1 });
  await c.close();
  return String(r.upload_url);
}

/** Streams a multipart body of `size` bytes of file (never whole in memory); `declare` sends Content-Length. */
function upload(
  uploadUrl: string,
  size: number,
  declare = true,
): Promise<{ status: number; body: string }> {
  const boundary = 'sim-upload-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nk\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="f"\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(256 * 1024, 0x5a);
  const url = new URL(uploadUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          ...(declare ? { 'content-length': head.length + size + tail.length } : {}),
        },
        timeout: 30_000,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('upload timed out')));
    req.on('error', (e: NodeJS.ErrnoException) => {
      // The server may close while we still write the refused rest; its answer came first.
      if (e.code !== 'EPIPE' && e.code !== 'ECONNRESET') reject(e);
    });
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end(tail);
    };
    req.write(head);
    pump();
  });
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

describe('a simulator process', () => {
  let sim: ChildSimulator;
  const data = () => join(tmp, 'proc', 'chat.json');
  beforeAll(async () => {
    sim = await spawnSimulator({ SIMULATOR_DATA: data(), SIMULATOR_UPLOAD_QUOTA_MB: '2048' });
  });
  afterAll(() => sim.stop());

  it('streams 8 × 27 MB uploads to SIMULATOR_DATA without holding them in memory', async () => {
    const before = rssMb(sim.child.pid as number);
    for (let i = 0; i < 8; i++) {
      const res = await upload(await preSig(sim.wsUrl, `clip${i}.mp4`), 27 * MB);
      expect(res.status).toBe(200);
    }
    const growth = rssMb(sim.child.pid as number) - before;
    console.info(`simulator RSS growth after 8 × 27 MB uploads: ${growth.toFixed(1)} MB`);
    expect(growth).toBeLessThan(100);
    const files = readdirSync(`${data()}.files`);
    expect(files.filter((f) => f.endsWith('.mp4'))).toHaveLength(8);
    expect(files.every((f) => !f.endsWith('.part'))).toBe(true);
    for (const f of files) expect(statSync(join(`${data()}.files`, f)).size).toBe(27 * MB);
  });
});

describe('limits', () => {
  let sim: RunningSimulator;
  const data = (): string => join(tmp, 'limits', 'chat.json');
  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      quiet: true,
      env: false,
      service: false,
      persistFile: data(),
      uploadQuotaBytes: 30 * MB,
    });
  });
  afterAll(() => sim.close());

  const stored = () => readdirSync(`${data()}.files`);

  it("refuses an image over Tencent's 20 MB with 2253, declared or streamed, and keeps nothing", async () => {
    for (const declare of [true, false]) {
      const res = await upload(await preSig(sim.wsUrl, 'big.png'), 20 * MB + 1, declare);
      expect(res.status).toBe(413);
      expect(JSON.parse(res.body)).toMatchObject({ ErrorCode: 2253 });
    }
    expect(stored()).toEqual([]);
    expect(sim.backend.files.used).toBe(0);
    const ok = await upload(await preSig(sim.wsUrl, 'edge.png'), 20 * MB);
    expect(ok.status).toBe(200);
  });

  it('refuses a file over the total quota with its kind’s code (2402 file), keeping what fit', async () => {
    const first = await upload(await preSig(sim.wsUrl, 'a.bin'), 6 * MB);
    expect(first.status).toBe(200);
    const second = await upload(await preSig(sim.wsUrl, 'b.bin'), 6 * MB, false);
    expect(second.status).toBe(413);
    expect(JSON.parse(second.body)).toMatchObject({ ErrorCode: 2402 });
    expect(JSON.parse(second.body).ErrorInfo).toContain('quota');
    expect(stored().filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect(stored().some((f) => f.endsWith('.part'))).toBe(false);
    expect(sim.backend.files.used).toBe(26 * MB);
  });

  it('keeps uploads in a temporary folder when SIMULATOR_DATA is unset, removed on close', async () => {
    const bare = await startSimulator({ port: 0, quiet: true, env: false, service: false });
    const url = await preSig(bare.wsUrl, 'p.png');
    expect((await upload(url, 1000)).status).toBe(200);
    const dir = readdirSync(tmpdir()).filter((d) => d.startsWith('simulator-files-'));
    expect(dir.length).toBeGreaterThan(0);
    const download = await fetch(url.replace('/upload/', '/files/').split('?')[0]);
    expect((await download.arrayBuffer()).byteLength).toBe(1000);
    await bare.close();
    const after = readdirSync(tmpdir()).filter((d) => d.startsWith('simulator-files-'));
    expect(after.length).toBe(dir.length - 1);
    expect(existsSync(data())).toBe(true);
  });
});

/**
 * Image messages with the real SDK + tim-upload-plugin against the simulator's local upload
 * endpoint: signature (`im_cos_msg.pre_sig`), multipart upload through `wx.uploadFile`, size from
 * `wx.getImageInfo` on the download URL, then `sendmsg` with the three image infos.
 */
import { rmSync } from 'node:fs';
import { get, request } from 'node:http';

import { type RunningSimulator, startSimulator } from '../../simulator';
import { type SdkClient, type SdkMessage, createSdkClient } from '../support/real-sdk';
import { writeTempPng } from '../support/png';

jest.setTimeout(30_000);

let sim: RunningSimulator;
const clients: SdkClient[] = [];
const temp: string[] = [];

beforeAll(async () => {
  sim = await startSimulator({ port: 0, quiet: true, service: false, env: false });
});
afterAll(async () => {
  for (const c of clients) await c.destroy();
  for (const f of temp) rmSync(f, { force: true });
  await sim.close();
});

const download = (url: string): Promise<{ status: number; body: Buffer; type: string }> =>
  new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks),
          type: String(res.headers['content-type']),
        }),
      );
    }).on('error', reject);
  });

interface ImageInfo {
  url: string;
  width: number;
  height: number;
  type: number;
}

it('uploads and sends an image; the peer receives the same picture with its size', async () => {
  const alice = createSdkClient({ simulator: sim, userID: 'img-alice', uploadPlugin: true });
  const bob = createSdkClient({ simulator: sim, userID: 'img-bob' });
  clients.push(alice, bob);
  await alice.login();
  await bob.login();

  const png = writeTempPng(800, 600);
  temp.push(png.path);
  const msg = alice.chat.createImageMessage({
    to: 'img-bob',
    conversationType: 'C2C' as never,
    payload: { file: { tempFiles: [{ tempFilePath: png.path, size: png.data.length }] } },
  } as never);
  const res = await alice.chat.sendMessage(msg);
  expect(res.code).toBe(0);
  expect(alice.wx.calls.get('uploadFile')).toBe(1);

  const [got] = await bob.waitFor<SdkMessage[]>('onMessageReceived');
  expect(got.type).toBe('TIMImageElem');
  const infos = got.payload.imageInfoArray as ImageInfo[];
  expect(infos).toHaveLength(3);
  // type 0 = original; large/thumbnail variants are derived by the SDK (`?imageView2/...`).
  const original = infos.find((i) => i.type === 0) as ImageInfo;
  expect(original).toMatchObject({ width: 800, height: 600 });
  expect(original.url.startsWith(`${sim.httpUrl}/files/`)).toBe(true);
  expect(infos.some((i) => i.url.includes('imageView2'))).toBe(true);

  // Every variant URL serves the uploaded bytes (query strings such as imageView2 are ignored).
  for (const info of infos) {
    const file = await download(info.url);
    expect(file.status).toBe(200);
    expect(file.type).toBe('image/png');
    expect(file.body.equals(png.data)).toBe(true);
  }
});

it('refuses an upload without a valid signature', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const url = `${sim.httpUrl}/upload/0123456789abcdef01234567.png?sign=forged`;
    const req = request(url, { method: 'POST' }, (r) => {
      r.resume();
      resolve(r.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end('data');
  });
  expect(status).toBe(403);
});

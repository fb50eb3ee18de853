/**
 * The local stand-in for Tencent's COS upload: `im_cos_msg.pre_sig` hands out a one-time upload URL
 * (`POST /upload/<name>?sign=…`, multipart field `file`, as `wx.uploadFile` sends it) and the
 * download URL (`GET /files/<name>`, query string ignored like COS image processing).
 *
 * Uploads stream to a folder (`SIMULATOR_DATA.files`, else a temporary folder removed on close),
 * never into memory, under Tencent's per-file limits (image and audio 20 MB, file and video
 * 100 MB, the SDK's own `UPLOAD_SIZE_LIMIT`) and a total quota; past either the answer is 413 with
 * the SDK's error code for that kind (2253 image, 2301 audio, 2351 video, 2402 file).
 */
import { randomBytes } from 'node:crypto';
import {
  createWriteStream,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { MultipartFileStream, multipartBoundary } from './multipart';

export { multipartFile } from './multipart';

const MB = 1024 * 1024;
/** What an upload counts as, by its name's extension, and Tencent's limit and error code for it. */
export type UploadKind = 'image' | 'audio' | 'video' | 'file';
export const UPLOAD_LIMITS: Record<UploadKind, { bytes: number; code: number }> = {
  image: { bytes: 20 * MB, code: 2253 },
  audio: { bytes: 20 * MB, code: 2301 },
  video: { bytes: 100 * MB, code: 2351 },
  file: { bytes: 100 * MB, code: 2402 },
};
/** Default total of stored uploads (`SIMULATOR_UPLOAD_QUOTA_MB`). */
export const DEFAULT_UPLOAD_QUOTA_BYTES = 1024 * MB;
const KIND_BY_EXTENSION: Record<string, UploadKind> = {
  ...Object.fromEntries(
    [
      '.png',
      '.jpg',
      '.jpeg',
      '.gif',
      '.webp',
      '.bmp',
      '.heic',
      '.heif',
      '.tif',
      '.tiff',
      '.svg',
    ].map((e) => [e, 'image' as const]),
  ),
  ...Object.fromEntries(
    ['.mp3', '.m4a', '.aac', '.wav', '.amr', '.silk', '.ogg', '.opus'].map((e) => [
      e,
      'audio' as const,
    ]),
  ),
  ...Object.fromEntries(
    ['.mp4', '.mov', '.m4v', '.3gp', '.avi', '.wmv', '.mkv', '.flv', '.webm'].map((e) => [
      e,
      'video' as const,
    ]),
  ),
};
/** Room for the multipart envelope around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;
/** Enough of a file's start for `imageSize` (JPEG frame headers can follow big EXIF blocks). */
const HEAD_BYTES = 256 * 1024;
const VALID_NAME = /^[a-f0-9]{24}(\.[a-z0-9]{1,5})?$/;

export function uploadKind(name: string): UploadKind {
  return KIND_BY_EXTENSION[extname(name).toLowerCase()] ?? 'file';
}
const SIGN_TTL_MS = 15 * 60 * 1000;
const MAX_PENDING_SIGNS = 10_000;

const CONTENT_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.svg': 'image/svg+xml',
};

/** Served inline: browsers only ever decode these as pictures. */
const RASTER_EXTENSIONS: ReadonlySet<string> = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp']);
/**
 * Every download is sandboxed (no script, no same-origin rights even if a browser opens it as a
 * document); anything but a raster image is also a download, never a page, so an uploaded SVG or
 * HTML file cannot run beside `/console`.
 */
const FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

/** The simulator's default service-account avatar (a plain headset badge). */
const SERVICE_AVATAR_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">' +
  '<rect width="96" height="96" rx="48" fill="#0052d9"/>' +
  '<path d="M28 52v-6a20 20 0 0 1 40 0v6" fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round"/>' +
  '<rect x="22" y="48" width="12" height="18" rx="5" fill="#fff"/>' +
  '<rect x="62" y="48" width="12" height="18" rx="5" fill="#fff"/>' +
  '<path d="M68 66c0 6-6 10-16 10" fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round"/>' +
  '</svg>';

export interface ImageSize {
  width: number;
  height: number;
  format: 'png' | 'jpg' | 'gif' | 'unknown';
}

/** Reads width/height from PNG, GIF and JPEG headers; 0×0 for anything else. */
export function imageSize(data: Buffer): ImageSize {
  if (data.length >= 24 && data.readUInt32BE(0) === 0x89504e47) {
    return { width: data.readUInt32BE(16), height: data.readUInt32BE(20), format: 'png' };
  }
  if (data.length >= 10 && data.toString('ascii', 0, 3) === 'GIF') {
    return { width: data.readUInt16LE(6), height: data.readUInt16LE(8), format: 'gif' };
  }
  if (data.length >= 4 && data[0] === 0xff && data[1] === 0xd8) {
    let i = 2;
    while (i + 9 < data.length) {
      if (data[i] !== 0xff) {
        i++;
        continue;
      }
      const marker = data[i + 1];
      const length = data.readUInt16BE(i + 2);
      // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
      if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
        return { height: data.readUInt16BE(i + 5), width: data.readUInt16BE(i + 7), format: 'jpg' };
      }
      i += 2 + length;
    }
    return { width: 0, height: 0, format: 'jpg' };
  }
  return { width: 0, height: 0, format: 'unknown' };
}

export interface UploadTicket {
  name: string;
  uploadUrl: string;
  downloadUrl: string;
  expiresAt: number;
}

export interface FileStoreOptions {
  /** Total bytes of stored uploads; past it uploads are refused. */
  quotaBytes?: number;
}

class LimitExceeded extends Error {
  constructor(readonly reason: 'size' | 'quota') {
    super(reason);
  }
}

/** Counts bytes going through and fails past `limit`; `onBytes` reserves them against the quota. */
class ByteLimit extends Transform {
  count = 0;
  constructor(
    private readonly limit: number,
    private readonly onBytes: (n: number) => boolean,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.limit) return done(new LimitExceeded('size'));
    if (!this.onBytes(chunk.length)) return done(new LimitExceeded('quota'));
    done(null, chunk);
  }
}

export class FileStore {
  private signs = new Map<string, { sign: string; expiresAt: number }>();
  private readonly dir: string;
  private readonly ownsDir: boolean;
  private readonly quotaBytes: number;
  /** Bytes of stored files plus bytes of uploads in flight. */
  private usedBytes = 0;
  /** Set once the http server listens (URLs carry the real port). */
  origin = '';

  constructor(dir: string | undefined, options: FileStoreOptions = {}) {
    this.quotaBytes = options.quotaBytes ?? DEFAULT_UPLOAD_QUOTA_BYTES;
    if (dir) {
      mkdirSync(dir, { recursive: true });
      this.dir = dir;
      this.ownsDir = false;
      for (const name of readdirSync(dir)) {
        if (VALID_NAME.test(name)) this.usedBytes += statSync(join(dir, name)).size;
        else if (name.endsWith('.part')) rmSync(join(dir, name), { force: true });
      }
    } else {
      this.dir = mkdtempSync(join(tmpdir(), 'simulator-files-'));
      this.ownsDir = true;
    }
  }

  /** Bytes stored (and in flight) against the quota. */
  get used(): number {
    return this.usedBytes;
  }

  /** Removes the temporary folder (when no persistent one was given). */
  close(): void {
    if (this.ownsDir) rmSync(this.dir, { recursive: true, force: true });
  }

  /** Reserves a name and a one-time signature for an upload. */
  issue(fileName: string): UploadTicket {
    const ext = extname(fileName)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, '')
      .slice(0, 6);
    const name = `${randomBytes(12).toString('hex')}${ext}`;
    const sign = randomBytes(12).toString('hex');
    const expiresAt = Date.now() + SIGN_TTL_MS;
    if (this.signs.size >= MAX_PENDING_SIGNS) this.pruneSigns();
    this.signs.set(name, { sign, expiresAt });
    return {
      name,
      uploadUrl: `${this.origin}/upload/${name}?sign=${sign}`,
      downloadUrl: `${this.origin}/files/${name}`,
      expiresAt: Math.floor(expiresAt / 1000),
    };
  }

  private pruneSigns(): void {
    const now = Date.now();
    for (const [name, s] of this.signs) if (s.expiresAt < now) this.signs.delete(name);
  }

  /** The stored file's path and size, if there is one under this name. */
  private stored(name: string): { path: string; size: number } | undefined {
    if (!VALID_NAME.test(name)) return undefined;
    const path = join(this.dir, name);
    try {
      const st = statSync(path);
      return st.isFile() ? { path, size: st.size } : undefined;
    } catch {
      return undefined;
    }
  }

  /** The first bytes of the stored file behind one of our download URLs (for `imageSize`). */
  headByUrl(url: string): Buffer | undefined {
    const m = /\/files\/([^/?#]+)/.exec(url);
    const file = m ? this.stored(m[1]) : undefined;
    if (!file) return undefined;
    const fd = openSync(file.path, 'r');
    try {
      const head = Buffer.alloc(Math.min(HEAD_BYTES, file.size));
      const n = readSync(fd, head, 0, head.length, 0);
      return head.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * `POST|PUT /upload/<name>?sign=…` (name decoded). Any 200 is success for the upload plugin. It
   * answers on the raw response: a refusal must be able to end the request mid-body.
   */
  handleUpload(req: IncomingMessage, res: ServerResponse, name: string, url: URL): void {
    const pending = this.signs.get(name);
    if (
      !pending ||
      pending.sign !== url.searchParams.get('sign') ||
      pending.expiresAt < Date.now()
    ) {
      sendText(res, 403, 'upload signature missing, wrong or expired');
      req.resume();
      return;
    }
    const kind = uploadKind(name);
    const limit = UPLOAD_LIMITS[kind];
    const refuse = (reason: 'size' | 'quota'): void => {
      const info =
        reason === 'size'
          ? `${kind} exceeds ${limit.bytes / MB} MB`
          : `upload storage quota of ${Math.floor(this.quotaBytes / MB)} MB exceeded`;
      sendJson(res, 413, { ActionStatus: 'FAIL', ErrorCode: limit.code, ErrorInfo: info });
      // Stop reading the rest of an oversized body.
      res.once('finish', () => req.destroy());
    };
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit.bytes + MULTIPART_OVERHEAD) {
      refuse('size');
      return;
    }
    // One upload per signature: a second request with it is refused while this one runs.
    this.signs.delete(name);
    const contentType = req.headers['content-type'] ?? '';
    const boundary = contentType.startsWith('multipart/')
      ? multipartBoundary(contentType)
      : undefined;
    if (contentType.startsWith('multipart/') && !boundary) {
      sendText(res, 400, 'multipart body without a boundary');
      req.resume();
      return;
    }
    let reserved = 0;
    const reserve = (n: number): boolean => {
      if (this.usedBytes + n > this.quotaBytes) return false;
      this.usedBytes += n;
      reserved += n;
      return true;
    };
    const tmp = join(this.dir, `${name}.${randomBytes(4).toString('hex')}.part`);
    const fileLimit = new ByteLimit(limit.bytes, reserve);
    const stages = boundary
      ? [
          new ByteLimit(limit.bytes + MULTIPART_OVERHEAD, () => true),
          new MultipartFileStream(boundary),
          fileLimit,
        ]
      : [fileLimit];
    // `pipe`, not pipeline, for the request: a refusal must leave its socket open for the 413.
    const source = req.pipe(new PassThrough());
    req.on('error', (e) => source.destroy(e));
    pipeline([source, ...stages, createWriteStream(tmp)]).then(
      () => {
        if (fileLimit.count === 0) {
          this.release(reserved, tmp);
          sendText(res, 400, 'no file part');
          return;
        }
        renameSync(tmp, join(this.dir, name));
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ key: name, size: fileLimit.count }));
      },
      (e: unknown) => {
        this.release(reserved, tmp);
        if (e instanceof LimitExceeded) refuse(e.reason);
        else if (!res.headersSent && !req.destroyed) sendText(res, 400, 'no complete file part');
        else res.destroy();
      },
    );
  }

  private release(bytes: number, tmp: string): void {
    this.usedBytes -= bytes;
    try {
      unlinkSync(tmp);
    } catch {
      // Never created, or already gone.
    }
  }

  /**
   * `GET|HEAD /files/<name>` (name decoded): the stored file and its headers, sandboxed; undefined
   * when there is none.
   */
  download(name: string): { path: string; headers: Record<string, string | number> } | undefined {
    const file = this.stored(name);
    if (!file) return undefined;
    const ext = extname(name);
    return {
      path: file.path,
      headers: {
        'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
        'content-length': file.size,
        'cache-control': 'max-age=86400',
        'content-security-policy': FILE_CSP,
        'content-disposition': RASTER_EXTENSIONS.has(ext)
          ? 'inline'
          : `attachment; filename="${name}"`,
      },
    };
  }
}

/** `GET /assets/service-avatar.svg`: the built-in avatar, under the downloads' sandbox. */
export const SERVICE_AVATAR = {
  body: SERVICE_AVATAR_SVG,
  headers: {
    'content-type': 'image/svg+xml',
    'cache-control': 'max-age=3600',
    'content-security-policy': FILE_CSP,
  },
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  res.end(JSON.stringify(body));
}
function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/**
 * The local stand-in for Tencent's COS upload: `im_cos_msg.pre_sig` hands out a one-time upload URL
 * (`POST /upload/<name>?sign=…`, multipart field `file`, as `wx.uploadFile` sends it) and the
 * download URL (`GET /files/<name>`, query string ignored like COS image processing). Files live in
 * memory, and also on disk when a directory is given (persistence).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join } from 'node:path';

/** Tencent's limit for image messages. */
export const MAX_UPLOAD_BYTES = 28 * 1024 * 1024;
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

/** Extracts the part named `file` from a multipart body; undefined if there is none. */
export function multipartFile(body: Buffer, contentType: string): Buffer | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) return undefined;
  const delimiter = Buffer.from(`--${boundary.trim()}`);
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next === -1) break;
    const part = body.subarray(start + delimiter.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      if (/content-disposition:[^\r\n]*\bname="file"/i.test(headers)) {
        // The part ends with the CRLF that precedes the next delimiter.
        return part.subarray(headerEnd + 4, part.length - 2);
      }
    }
    start = next;
  }
  return undefined;
}

export interface UploadTicket {
  name: string;
  uploadUrl: string;
  downloadUrl: string;
  expiresAt: number;
}

export class FileStore {
  private files = new Map<string, Buffer>();
  private signs = new Map<string, { sign: string; expiresAt: number }>();
  /** Set once the http server listens (URLs carry the real port). */
  origin = '';

  constructor(private readonly dir: string | undefined) {
    if (dir) mkdirSync(dir, { recursive: true });
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

  get(name: string): Buffer | undefined {
    if (!/^[a-f0-9]{24}(\.[a-z0-9]{1,5})?$/.test(name)) return undefined;
    const cached = this.files.get(name);
    if (cached) return cached;
    if (this.dir && existsSync(join(this.dir, name))) {
      const data = readFileSync(join(this.dir, name));
      this.files.set(name, data);
      return data;
    }
    return undefined;
  }

  /** The stored file behind one of our download URLs, if it is one. */
  getByUrl(url: string): Buffer | undefined {
    const m = /\/files\/([^/?#]+)/.exec(url);
    return m ? this.get(m[1]) : undefined;
  }

  /** `POST|PUT /upload/<name>?sign=…`. Any 200 is success for the upload plugin. */
  handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): void {
    const name = decodeURIComponent(url.pathname.slice('/upload/'.length));
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
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_UPLOAD_BYTES + 64 * 1024) {
        tooLarge = true;
        return;
      }
      chunks.push(chunk);
    });
    req.on('error', () => undefined);
    req.on('end', () => {
      if (tooLarge) {
        sendText(res, 413, 'file too large');
        return;
      }
      const body = Buffer.concat(chunks);
      const contentType = req.headers['content-type'] ?? '';
      const data = contentType.startsWith('multipart/') ? multipartFile(body, contentType) : body;
      if (!data || data.length === 0) {
        sendText(res, 400, 'no file part');
        return;
      }
      this.signs.delete(name);
      this.files.set(name, data);
      try {
        if (this.dir) writeFileSync(join(this.dir, name), data);
      } catch {
        // Disk trouble loses the copy for the next run only; this run serves it from memory.
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ key: name, size: data.length }));
    });
  }

  /** `GET /files/<name>`; `/assets/service-avatar.svg` is the built-in avatar. */
  handleDownload(res: ServerResponse, url: URL, head: boolean): void {
    if (url.pathname === '/assets/service-avatar.svg') {
      res.writeHead(200, {
        'content-type': 'image/svg+xml',
        'cache-control': 'max-age=3600',
        'content-security-policy': FILE_CSP,
      });
      res.end(head ? undefined : SERVICE_AVATAR_SVG);
      return;
    }
    const name = decodeURIComponent(url.pathname.slice('/files/'.length));
    const data = this.get(name);
    if (!data) {
      sendText(res, 404, 'not found');
      return;
    }
    const ext = extname(name);
    res.writeHead(200, {
      'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'content-length': data.length,
      'cache-control': 'max-age=86400',
      'content-security-policy': FILE_CSP,
      'content-disposition': RASTER_EXTENSIONS.has(ext)
        ? 'inline'
        : `attachment; filename="${name}"`,
    });
    res.end(head ? undefined : data);
  }
}

export function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

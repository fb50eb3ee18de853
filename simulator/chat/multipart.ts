/**
 * A streaming reader of the one `multipart/form-data` part named `file` (as `wx.uploadFile` and the
 * upload plugin send it): chunks go in as they arrive, the file's bytes come out, and nothing but a
 * delimiter's length and one part's headers is ever held in memory.
 */
import { Transform, type TransformCallback } from 'node:stream';

const MAX_PART_HEADERS = 16 * 1024;

/** The boundary of a `multipart/...` content type, if it names one. */
export function multipartBoundary(contentType: string): string | undefined {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = (match?.[1] ?? match?.[2])?.trim();
  return boundary && boundary.length <= 200 ? boundary : undefined;
}

type Phase = 'preamble' | 'headers' | 'body' | 'after-delimiter' | 'done';

/**
 * The parser's state machine. `feed` hands the bytes of the `file` part to `emit`; `finish` says
 * whether a complete `file` part was seen.
 */
export class MultipartScanner {
  private readonly delimiter: Buffer;
  private readonly firstDelimiter: Buffer;
  private pending: Buffer = Buffer.alloc(0);
  private phase: Phase = 'preamble';
  private inFile = false;
  private fileDone = false;
  error: string | undefined;

  constructor(boundary: string) {
    this.firstDelimiter = Buffer.from(`--${boundary}`);
    this.delimiter = Buffer.from(`\r\n--${boundary}`);
  }

  feed(chunk: Buffer, emit: (data: Buffer) => void): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      if (this.error || this.phase === 'done') {
        this.pending = Buffer.alloc(0);
        return;
      }
      if (this.phase === 'preamble') {
        const at = this.pending.indexOf(this.firstDelimiter);
        if (at === -1) {
          this.keepTail(this.firstDelimiter.length);
          return;
        }
        this.pending = this.pending.subarray(at + this.firstDelimiter.length);
        this.phase = 'after-delimiter';
      } else if (this.phase === 'after-delimiter') {
        if (this.pending.length < 2) return;
        const two = this.pending.toString('latin1', 0, 2);
        if (two === '--') {
          this.phase = 'done';
          continue;
        }
        if (two !== '\r\n') {
          this.error = 'malformed multipart delimiter';
          continue;
        }
        this.pending = this.pending.subarray(2);
        this.phase = 'headers';
      } else if (this.phase === 'headers') {
        const end = this.pending.indexOf('\r\n\r\n');
        if (end === -1) {
          if (this.pending.length > MAX_PART_HEADERS)
            this.error = 'multipart part headers too long';
          return;
        }
        const headers = this.pending.toString('utf8', 0, end);
        this.inFile = !this.fileDone && /content-disposition:[^\r\n]*\bname="file"/i.test(headers);
        this.pending = this.pending.subarray(end + 4);
        this.phase = 'body';
      } else {
        const at = this.pending.indexOf(this.delimiter);
        if (at === -1) {
          const keep = this.delimiter.length - 1;
          if (this.pending.length > keep) {
            const out = this.pending.subarray(0, this.pending.length - keep);
            if (this.inFile) emit(out);
            this.pending = this.pending.subarray(this.pending.length - keep);
          }
          return;
        }
        if (this.inFile && at > 0) emit(this.pending.subarray(0, at));
        if (this.inFile) this.fileDone = true;
        this.inFile = false;
        this.pending = this.pending.subarray(at + this.delimiter.length);
        this.phase = 'after-delimiter';
      }
    }
  }

  /** True once a whole `file` part (up to its closing delimiter) went through. */
  get complete(): boolean {
    return this.fileDone && !this.error;
  }

  private keepTail(length: number): void {
    if (this.pending.length > length)
      this.pending = this.pending.subarray(this.pending.length - length);
  }
}

/** Extracts the part named `file` from a whole multipart body; undefined if there is none. */
export function multipartFile(body: Buffer, contentType: string): Buffer | undefined {
  const boundary = multipartBoundary(contentType);
  if (!boundary) return undefined;
  const scanner = new MultipartScanner(boundary);
  const parts: Buffer[] = [];
  scanner.feed(body, (data) => parts.push(Buffer.from(data)));
  return scanner.complete ? Buffer.concat(parts) : undefined;
}

/** The `file` part of a streamed multipart body, as a stream; fails on a body without one. */
export class MultipartFileStream extends Transform {
  private readonly scanner: MultipartScanner;

  constructor(boundary: string) {
    super();
    this.scanner = new MultipartScanner(boundary);
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.scanner.feed(chunk, (data) => this.push(data));
    done(this.scanner.error ? new Error(this.scanner.error) : null);
  }

  override _flush(done: TransformCallback): void {
    done(this.scanner.complete ? null : new Error('no complete file part'));
  }
}

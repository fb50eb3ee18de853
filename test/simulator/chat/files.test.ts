import { imageSize, multipartFile } from '../../../simulator/chat/files';
import { MultipartScanner } from '../../../simulator/chat/multipart';
import { makePng } from '../../support/png';

describe('imageSize', () => {
  it('reads PNG dimensions', () => {
    expect(imageSize(makePng(321, 123))).toEqual({ width: 321, height: 123, format: 'png' });
  });

  it('reads GIF dimensions', () => {
    const gif = Buffer.alloc(16);
    gif.write('GIF89a', 0, 'ascii');
    gif.writeUInt16LE(40, 6);
    gif.writeUInt16LE(30, 8);
    expect(imageSize(gif)).toEqual({ width: 40, height: 30, format: 'gif' });
  });

  it('reads JPEG dimensions from the SOF0 segment after other segments', () => {
    const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x04, 0x00, 0x00]);
    const sof0 = Buffer.from([
      0xff, 0xc0, 0x00, 0x0b, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0x01, 0x22, 0x00,
    ]);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), app0, sof0, Buffer.alloc(8)]);
    expect(imageSize(jpeg)).toEqual({ width: 640, height: 480, format: 'jpg' });
  });

  it('answers 0×0 for anything else, never throwing on short input', () => {
    expect(imageSize(Buffer.from('hello'))).toEqual({ width: 0, height: 0, format: 'unknown' });
    expect(imageSize(Buffer.from([0xff, 0xd8, 0xff, 0xc0, 0x00]))).toEqual({
      width: 0,
      height: 0,
      format: 'jpg',
    });
    expect(imageSize(Buffer.alloc(0)).format).toBe('unknown');
  });
});

describe('multipartFile', () => {
  const body = (boundary: string, fileBytes: Buffer) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\nabc.png\r\n`),
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x"\r\nContent-Type: image/png\r\n\r\n`,
      ),
      fileBytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);

  it('extracts the part named "file" byte for byte (binary with CRLFs inside)', () => {
    const bytes = Buffer.from([0, 13, 10, 45, 45, 255, 13, 10]);
    expect(
      multipartFile(body('b0und', bytes), 'multipart/form-data; boundary=b0und')?.equals(bytes),
    ).toBe(true);
    expect(
      multipartFile(body('q q', bytes), 'multipart/form-data; boundary="q q"')?.equals(bytes),
    ).toBe(true);
  });

  it('returns undefined without a boundary or without a file part', () => {
    expect(multipartFile(Buffer.from('x'), 'multipart/form-data')).toBeUndefined();
    const noFile = Buffer.from(
      '--b\r\nContent-Disposition: form-data; name="key"\r\n\r\nv\r\n--b--\r\n',
    );
    expect(multipartFile(noFile, 'multipart/form-data; boundary=b')).toBeUndefined();
  });

  it('streams: the same bytes come out whatever the chunking, even split inside a delimiter', () => {
    const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
    bytes.write('\r\n--b0un', 1000, 'latin1');
    const whole = body('b0und', bytes);
    for (const size of [1, 2, 7, 13, 64, 1024]) {
      const scanner = new MultipartScanner('b0und');
      const out: Buffer[] = [];
      for (let i = 0; i < whole.length; i += size) {
        scanner.feed(whole.subarray(i, i + size), (d) => out.push(Buffer.from(d)));
      }
      expect([size, scanner.complete, Buffer.concat(out).equals(bytes)]).toEqual([
        size,
        true,
        true,
      ]);
    }
  });

  it('is incomplete for a body cut before the file part ends, and refuses endless part headers', () => {
    const whole = body('b', Buffer.from('abc'));
    const cut = new MultipartScanner('b');
    cut.feed(whole.subarray(0, whole.length - 8), () => undefined);
    expect(cut.complete).toBe(false);
    const endless = new MultipartScanner('b');
    endless.feed(Buffer.from(`--b\r\n${'x'.repeat(20_000)}`), () => undefined);
    expect(endless.error).toMatch(/headers too long/);
  });
});

/** Writes small real PNG files for image-message tests (no fixtures checked in). */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeRgbPng } from '../../scripts/png';

/** A solid-colour RGB PNG of the given size. */
export function makePng(
  width: number,
  height: number,
  rgb: [number, number, number] = [0, 82, 217],
): Buffer {
  return encodeRgbPng(width, height, () => rgb);
}

/** Writes a PNG to the temp directory and returns its path (a `wx.chooseMedia` tempFilePath). */
export function writeTempPng(width: number, height: number): { path: string; data: Buffer } {
  const data = makePng(width, height);
  const path = join(tmpdir(), `sim-test-${process.pid}-${Date.now()}-${width}x${height}.png`);
  writeFileSync(path, data);
  return { path, data };
}

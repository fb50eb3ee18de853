/**
 * Image-message info for the chat page. The SDK fills `imageInfoArray` from the wire with `sizeType`
 * = wire type (1 original, 2 large, 3 thumbnail) and remaps `type` (0 original, 1 thumbnail,
 * 2 large); `url` goes through the download proxy when one is configured, `imageUrl` keeps the
 * original address (docs chat-wire.md §6.2).
 */
import { MAX_URL_LENGTH } from './constants';
import { asList, prop, readNumber, readString } from './parse';
import type { ImageInfo } from './types';

type ImageSize = 'original' | 'large' | 'thumbnail';

/** SDK `sizeType` (1 original, 2 large, 3 thumbnail) first; documented `type` (0, 1 thumb, 2 large) next. */
function imageSize(entry: unknown): ImageSize | undefined {
  const sizeType = readNumber(prop(entry, 'sizeType'));
  if (sizeType === 1) return 'original';
  if (sizeType === 2) return 'large';
  if (sizeType === 3) return 'thumbnail';
  const type = readNumber(prop(entry, 'type'));
  if (type === 0) return 'original';
  if (type === 1) return 'thumbnail';
  if (type === 2) return 'large';
  return undefined;
}

interface ImageEntry {
  url: string;
  width: number;
  height: number;
}

function dimension(value: unknown): number {
  const n = readNumber(value);
  return n !== undefined && n > 0 ? n : 0;
}

/** Picks the large size to show (else original, else thumbnail); never throws, `url` is `''` if none. */
export function readImage(payload: unknown): ImageInfo {
  const sizes: Partial<Record<ImageSize, ImageEntry>> = {};
  const entries: ImageEntry[] = [];
  for (const raw of asList(prop(payload, 'imageInfoArray'), 8)) {
    const url =
      readString(prop(raw, 'url'), MAX_URL_LENGTH) ||
      readString(prop(raw, 'imageUrl'), MAX_URL_LENGTH);
    if (!url) continue;
    const entry = {
      url,
      width: dimension(prop(raw, 'width')),
      height: dimension(prop(raw, 'height')),
    };
    entries.push(entry);
    const size = imageSize(raw);
    if (size && !sizes[size]) sizes[size] = entry;
  }
  const shown = sizes.large ?? sizes.original ?? sizes.thumbnail ?? entries[0];
  const sized = shown && shown.width > 0 ? shown : entries.find((entry) => entry.width > 0);
  const image: ImageInfo = {
    url: shown?.url ?? '',
    width: sized?.width ?? 0,
    height: sized?.height ?? 0,
  };
  if (sizes.original) image.originalUrl = sizes.original.url;
  if (sizes.large) image.largeUrl = sizes.large.url;
  if (sizes.thumbnail) image.thumbnailUrl = sizes.thumbnail.url;
  return image;
}

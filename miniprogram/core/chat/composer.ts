import { t } from '../i18n/index';
import type { Language } from '../i18n/index';

/** Longest text the composer sends in one message (IM allows 12 KB; agents read less). */
export const MAX_TEXT_LENGTH = 2000;

/** The counter shows from this share of the limit on, so it never distracts a short message. */
const COUNTER_FROM = 0.9;

/** What the composer shows for the text typed so far. */
export interface ComposerView {
  /** There is something to send (not only whitespace) and it is within the limit. */
  canSend: boolean;
  /** Over the limit: sending is refused with a toast. */
  tooLong: boolean;
  /** `1850/2000` near or over the limit, `''` otherwise. */
  counterText: string;
  /** Why sending is refused (the toast), `''` when it is not. */
  refusalText: string;
}

/** Length as the user counts it: characters, not UTF-16 units (an emoji is one). */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** The composer's state for `text` (untrimmed, as typed). */
export function composerView(
  text: string,
  language: Language,
  max: number = MAX_TEXT_LENGTH,
): ComposerView {
  const length = textLength(text.trim());
  const tooLong = length > max;
  return {
    canSend: length > 0 && !tooLong,
    tooLong,
    counterText: length >= Math.floor(max * COUNTER_FROM) ? `${length}/${max}` : '',
    refusalText: tooLong ? t('error.text-too-long', { max }, language) : '',
  };
}

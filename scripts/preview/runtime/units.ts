/**
 * CSS unit conversion for the preview: `rpx` (750rpx = phone width), and `vh`/`vw` measured against
 * the page area (under the navigation bar) rather than the browser window, as WeChat does.
 */
export interface UnitMetrics {
  /** Phone width in CSS px (375). */
  width: number;
  /** Height of the page area in CSS px. */
  height: number;
  /**
   * The user's text size as a multiple of the standard one (Android's font scale, WeChat's own
   * setting): font sizes grow, everything else, fixed heights and line-heights included, does not.
   */
  fontScale?: number;
}

const UNIT_RE = /(^|[^\w.-])(-?(?:\d+\.?\d*|\.\d+))(rpx|vh|vw)(?![\w-])/gi;

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** `font-size` declarations and tdesign's font tokens (`--td-font-size-*`, `--td-font-*: 28rpx / 44rpx ...`). */
const FONT_SIZE_RE =
  /((?:^|[;{\s])(?:font-size|--td-font-size[\w-]*|--td-font-(?:body|title|headline|display|mark|link)[\w-]*)\s*:\s*)(-?(?:\d+\.?\d*|\.\d+))(rpx|px)/gi;

/** Scales the size (only the first length: a font shorthand's line-height stays) by `scale`. */
export function scaleFontSizes(css: string, scale: number): string {
  if (!(scale > 0) || scale === 1) return css;
  return css.replace(
    FONT_SIZE_RE,
    (_whole, head: string, num: string, unit: string) =>
      `${head}${round(Number(num) * scale)}${unit}`,
  );
}

/** Returns `css` with every rpx/vh/vw length turned into px for `m`. Other text is untouched. */
export function convertUnits(css: string, m: UnitMetrics): string {
  const scaled = m.fontScale ? scaleFontSizes(css, m.fontScale) : css;
  return scaled.replace(UNIT_RE, (_whole, lead: string, num: string, unit: string) => {
    const n = Number(num);
    const u = unit.toLowerCase();
    const px =
      u === 'rpx' ? (n * m.width) / 750 : u === 'vh' ? (n * m.height) / 100 : (n * m.width) / 100;
    return `${lead}${round(px)}px`;
  });
}

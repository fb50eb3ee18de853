/**
 * CSS unit conversion for the preview: `rpx` (750rpx = phone width), and `vh`/`vw` measured against
 * the page area (under the navigation bar) rather than the browser window, as WeChat does.
 */
export interface UnitMetrics {
  /** Phone width in CSS px (375). */
  width: number;
  /** Height of the page area in CSS px. */
  height: number;
}

const UNIT_RE = /(^|[^\w.-])(-?(?:\d+\.?\d*|\.\d+))(rpx|vh|vw)(?![\w-])/gi;

function round(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** Returns `css` with every rpx/vh/vw length turned into px for `m`. Other text is untouched. */
export function convertUnits(css: string, m: UnitMetrics): string {
  return css.replace(UNIT_RE, (_whole, lead: string, num: string, unit: string) => {
    const n = Number(num);
    const u = unit.toLowerCase();
    const px =
      u === 'rpx' ? (n * m.width) / 750 : u === 'vh' ? (n * m.height) / 100 : (n * m.width) / 100;
    return `${lead}${round(px)}px`;
  });
}

/**
 * Finds text a reader cannot fully see on the page on top: text cut off by an ancestor that hides
 * overflow (a fixed height or width with `overflow: hidden`), and text spilling out of its own box
 * over its neighbours (a fixed height with visible overflow). Scroll containers are not clipping:
 * their content can be scrolled to. Designed truncations (`text-overflow: ellipsis`,
 * `-webkit-line-clamp`) are reported apart, so a test can list and allow them on purpose.
 */
import type { PreviewTab } from './rig';
import { TOP } from './scenario';

export interface ClippedText {
  /** The element holding the text: tag and classes, as a selector-like label. */
  where: string;
  /** The first 40 characters of the text. */
  text: string;
  /**
   * How it is cut: by an ancestor (`clipped`), spilling out of its own box, sticking out of the
   * card or bubble around it (`sticks-out`), or truncated by design (`ellipsis`).
   */
  how: 'clipped' | 'spills' | 'sticks-out' | 'ellipsis';
  /** Pixels of text outside the box. */
  by: number;
}

/** Text boxes of the page on top that are not fully readable. */
export async function findClippedText(tab: PreviewTab): Promise<ClippedText[]> {
  return tab.page.$$eval(`${TOP} *`, (elements) => {
    const TOLERANCE = 1.5;
    const out: {
      where: string;
      text: string;
      how: 'clipped' | 'spills' | 'sticks-out' | 'ellipsis';
      by: number;
    }[] = [];
    /** A box the reader sees as a container: a border or a background of its own. */
    const visibleBox = (s: CSSStyleDeclaration): boolean =>
      parseFloat(s.borderLeftWidth) > 0 ||
      parseFloat(s.borderRightWidth) > 0 ||
      (s.backgroundColor !== 'rgba(0, 0, 0, 0)' && s.backgroundColor !== 'transparent');
    const label = (el: Element): string =>
      `${el.tagName.toLowerCase()}${Array.from(el.classList)
        .map((c) => `.${c}`)
        .join('')}`;
    const hides = (value: string): boolean => value === 'hidden' || value === 'clip';
    for (const el of elements) {
      // Icon fonts (tdesign's t-icon) draw glyphs from a pseudo-element: their box is the glyph.
      const icon = /(^|\s)t-icon--t-icon(\s|$)/.test(el.className);
      const own = Array.from(el.childNodes).filter(
        (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
      );
      if (own.length === 0 && !icon) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const rects: DOMRect[] = icon ? [el.getBoundingClientRect()] : [];
      for (const node of own) {
        const range = document.createRange();
        range.selectNodeContents(node);
        rects.push(...Array.from(range.getClientRects()).filter((r) => r.width > 0));
      }
      if (rects.length === 0) continue;
      const text =
        own
          .map((n) => n.textContent ?? '')
          .join('')
          .replace(/\s+/g, ' ')
          .trim()
          .slice(0, 40) || `icon ${el.getAttribute('name') ?? ''}`.trim();
      const textBox = {
        top: Math.min(...rects.map((r) => r.top)),
        bottom: Math.max(...rects.map((r) => r.bottom)),
        left: Math.min(...rects.map((r) => r.left)),
        right: Math.max(...rects.map((r) => r.right)),
      };
      // Designed truncation: one line with an ellipsis, or a line clamp.
      const truncated =
        style.textOverflow === 'ellipsis' ||
        (style.webkitLineClamp !== 'none' && style.webkitLineClamp !== '');
      if (truncated) {
        const cut = el.scrollWidth - el.clientWidth + (el.scrollHeight - el.clientHeight);
        if (cut > TOLERANCE) out.push({ where: label(el), text, how: 'ellipsis', by: cut });
        continue;
      }
      // Lines spilling out of a box of fixed size (visible overflow drawn over the neighbours).
      // scrollHeight counts line boxes, not glyph ink, so a tight line-height is not a spill.
      if (!hides(style.overflowY) && !style.display.startsWith('inline')) {
        const box = el.getBoundingClientRect();
        const parent = el.parentElement?.getBoundingClientRect();
        // Lines overflowing the box but still inside its parent (a button's label in the button)
        // overlap nothing.
        const linesBottom = box.top + el.scrollHeight;
        const spill =
          el.scrollHeight - el.clientHeight > TOLERANCE
            ? Math.round(linesBottom - Math.max(box.bottom, parent?.bottom ?? box.bottom))
            : 0;
        if (spill > TOLERANCE) {
          out.push({ where: label(el), text, how: 'spills', by: spill });
          continue;
        }
      }
      // Glyph boxes are taller than a tight line box: that half-leading is not a cut.
      const lineHeight = parseFloat(style.lineHeight);
      const glyph = Math.max(...rects.map((r) => r.height));
      const slack = Number.isFinite(lineHeight) ? Math.max(0, (glyph - lineHeight) / 2) : 0;
      // Hidden on purpose until revealed (a swipe cell's actions): entirely outside an ancestor
      // that hides overflow. Not cut text, and nothing else to measure.
      let concealed = false;
      for (let a = el.parentElement; a && a.tagName !== 'PAGE' && !concealed; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (!hides(s.overflowX) && !hides(s.overflowY)) continue;
        const r = a.getBoundingClientRect();
        concealed =
          textBox.right <= r.left ||
          textBox.left >= r.right ||
          textBox.bottom <= r.top ||
          textBox.top >= r.bottom;
      }
      if (concealed) continue;
      // Sticking out sideways of the nearest card, bubble or button around it.
      let sticks = 0;
      for (let a = el.parentElement; a && a.tagName !== 'PAGE'; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (!visibleBox(s)) continue;
        const r = a.getBoundingClientRect();
        if (r.width < 1) continue;
        sticks = Math.max(r.left - textBox.left, textBox.right - r.right);
        break;
      }
      if (sticks > TOLERANCE) {
        out.push({ where: label(el), text, how: 'sticks-out', by: Math.round(sticks) });
        continue;
      }
      // Cut by this element or an ancestor that hides overflow without scrolling.
      for (let a: Element | null = el; a && a.tagName !== 'PAGE'; a = a.parentElement) {
        const s = getComputedStyle(a);
        const hx = hides(s.overflowX);
        const hy = hides(s.overflowY);
        if (!hx && !hy) continue;
        const r = a.getBoundingClientRect();
        const cutY = hy ? Math.max(textBox.bottom - r.bottom, r.top - textBox.top) - slack : 0;
        const cutX = hx ? Math.max(textBox.right - r.right, r.left - textBox.left) : 0;
        const by = Math.max(cutX, cutY);
        if (by > TOLERANCE) {
          out.push({ where: `${label(el)} in ${label(a)}`, text, how: 'clipped', by });
          break;
        }
      }
    }
    return out;
  });
}

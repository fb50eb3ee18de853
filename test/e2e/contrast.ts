/**
 * Measures the contrast of what is on the page on top against what is really behind it: the
 * colour (with its alpha) over the composited backgrounds of its ancestors. WCAG AA:
 * - text: 4.5:1, or 3:1 for large text (24px, or 18.66px bold); an empty field's placeholder is
 *   text too (it is what tells the user what to type);
 * - non-text UI (1.4.11): 3:1 for every icon glyph (the image button, an empty rating star, a
 *   menu's chevron).
 * Disabled controls are exempt, as WCAG says; anything over an image or a gradient is skipped
 * (its background is not one colour).
 */
import type { PreviewTab } from './rig';
import { TOP } from './scenario';

export interface LowContrast {
  kind: 'text' | 'placeholder' | 'icon';
  where: string;
  text: string;
  ratio: number;
  needed: number;
  color: string;
  background: string;
}

export async function findLowContrast(tab: PreviewTab): Promise<LowContrast[]> {
  return tab.page.$$eval(`${TOP} *`, (elements) => {
    type Rgba = [number, number, number, number];
    const parse = (text: string): Rgba | null => {
      const m = text.match(/rgba?\(([^)]+)\)/);
      if (!m) return null;
      const [r, g, b, a = '1'] = m[1].split(/[\s,/]+/).filter(Boolean);
      return [Number(r), Number(g), Number(b), Number(a)];
    };
    const over = (top: Rgba, under: Rgba): Rgba => {
      const a = top[3] + under[3] * (1 - top[3]);
      if (a === 0) return [0, 0, 0, 0];
      const mix = (i: number) => (top[i] * top[3] + under[i] * under[3] * (1 - top[3])) / a;
      return [mix(0), mix(1), mix(2), a];
    };
    const lum = ([r, g, b]: Rgba): number => {
      const lin = (c: number) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const label = (el: Element): string =>
      `${el.tagName.toLowerCase()}${Array.from(el.classList)
        .map((c) => `.${c}`)
        .join('')}`;
    const css = (c: Rgba) => `rgba(${c.map((v, i) => (i < 3 ? Math.round(v) : v)).join(',')})`;
    /** Backgrounds from the root down to `el`, composited; null over an image or gradient. */
    const backdrop = (el: Element): Rgba | null => {
      const chain: Element[] = [];
      for (let a: Element | null = el; a; a = a.parentElement) chain.push(a);
      let background: Rgba = [255, 255, 255, 1];
      for (const a of chain.reverse()) {
        const s = getComputedStyle(a);
        if (s.backgroundImage !== 'none') return null;
        const bg = parse(s.backgroundColor);
        if (bg && bg[3] > 0) background = over(bg, background);
      }
      return background;
    };
    const out: {
      kind: 'text' | 'placeholder' | 'icon';
      where: string;
      text: string;
      ratio: number;
      needed: number;
      color: string;
      background: string;
    }[] = [];
    const measure = (
      kind: 'text' | 'placeholder' | 'icon',
      el: Element,
      color: string,
      needed: number,
      text: string,
    ): void => {
      const background = backdrop(el);
      const fg = parse(color);
      if (!background || !fg) return;
      const shown = over(fg, background);
      const [hi, lo] = [lum(shown), lum(background)].sort((x, y) => y - x);
      const ratio = Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
      if (ratio < needed) {
        out.push({
          kind,
          where: label(el),
          text: text.trim().slice(0, 30),
          ratio,
          needed,
          color: css(fg),
          background: css(background),
        });
      }
    };
    for (const el of elements) {
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      if (el.closest('[aria-disabled="true"], [disabled]')) continue;
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // An icon is a glyph of tdesign's icon font, drawn in the element's colour.
      if (Array.from(el.classList).some((c) => c.endsWith('t-icon-base'))) {
        const name = Array.from(el.classList).find((c) => /t-icon-(?!base)/.test(c)) ?? '';
        measure('icon', el, style.color, 3, name.replace(/^.*t-icon-/, ''));
        continue;
      }
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
        if (el.value === '' && el.placeholder) {
          measure(
            'placeholder',
            el,
            getComputedStyle(el, '::placeholder').color,
            4.5,
            el.placeholder,
          );
        }
        continue;
      }
      const own = Array.from(el.childNodes).filter(
        (n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '',
      );
      if (own.length === 0) continue;
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      measure(
        'text',
        el,
        style.color,
        large ? 3 : 4.5,
        own.map((n) => n.textContent ?? '').join(''),
      );
    }
    return out;
  });
}

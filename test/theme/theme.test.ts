/**
 * Dark mode configuration: theme.json variables, their use in app.json, the CSS variables of
 * styles/theme.wxss (light, dark media query, .theme-dark fallback with tdesign's dark tokens) and
 * the contrast of every text/background pair in both schemes.
 */
import fs from 'fs';
import path from 'path';

const MP = path.resolve(__dirname, '../../miniprogram');
const TD_THEME = path.join(MP, 'miniprogram_npm/tdesign-miniprogram/common/style/theme');

const readJson = (file: string): unknown => JSON.parse(fs.readFileSync(file, 'utf8'));
const app = readJson(path.join(MP, 'app.json')) as Record<string, unknown>;
const theme = readJson(path.join(MP, 'theme.json')) as Record<string, Record<string, string>>;
const wxss = fs.readFileSync(path.join(MP, 'styles/theme.wxss'), 'utf8');

/** Declarations `--name: value` of the first block whose selector matches `selector`. */
function block(source: string, selector: RegExp): Map<string, string> {
  const m = selector.exec(source);
  if (!m) throw new Error(`no block ${selector}`);
  let depth = 0;
  const start = m.index + m[0].length - 1;
  let end = start;
  for (let i = start; i < source.length; i++) {
    if (source[i] === '{') depth++;
    if (source[i] === '}' && --depth === 0) {
      end = i;
      break;
    }
  }
  const body = source.slice(start + 1, end).replace(/\/\*[\s\S]*?\*\//g, '');
  const out = new Map<string, string>();
  let paren = 0;
  let current = '';
  for (const ch of body) {
    if (ch === '(') paren++;
    if (ch === ')') paren--;
    if (ch === ';' && paren === 0) {
      const colon = current.indexOf(':');
      const name = current.slice(0, colon).trim();
      if (name.startsWith('--')) out.set(name, current.slice(colon + 1).trim());
      current = '';
    } else current += ch;
  }
  return out;
}

const normalize = (v: string): string => v.replace(/\s+/g, '').toLowerCase();

describe('theme.json and app.json', () => {
  it('defines the same non-empty variables for light and dark', () => {
    expect(Object.keys(theme).sort()).toEqual(['dark', 'light']);
    expect(Object.keys(theme.dark).sort()).toEqual(Object.keys(theme.light).sort());
    for (const scheme of ['light', 'dark']) {
      for (const [key, value] of Object.entries(theme[scheme])) {
        expect([scheme, key, typeof value === 'string' && value.trim() !== '']).toEqual([
          scheme,
          key,
          true,
        ]);
      }
    }
  });

  it('turns dark mode on and every @variable used in app.json exists in both schemes', () => {
    expect(app.darkmode).toBe(true);
    expect(app.themeLocation).toBe('theme.json');
    const used: string[] = [];
    const walk = (value: unknown): void => {
      if (typeof value === 'string' && value.startsWith('@')) used.push(value.slice(1));
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(app);
    expect(used.length).toBeGreaterThanOrEqual(4);
    for (const name of used) {
      expect([name, name in theme.light, name in theme.dark]).toEqual([name, true, true]);
    }
    const window = app.window as Record<string, string>;
    for (const key of [
      'navigationBarBackgroundColor',
      'navigationBarTextStyle',
      'backgroundColor',
    ]) {
      expect(window[key]).toMatch(/^@/);
    }
  });

  it('pairs each navigation bar colour with a readable title style', () => {
    expect(theme.light.navTextStyle).toBe('black');
    expect(theme.dark.navTextStyle).toBe('white');
    expect(luminance(parseColor(theme.light.navBgColor))).toBeGreaterThan(0.5);
    expect(luminance(parseColor(theme.dark.navBgColor))).toBeLessThan(0.1);
    expect(theme.light.bgTextStyle).toBe('dark');
    expect(theme.dark.bgTextStyle).toBe('light');
  });
});

describe('styles/theme.wxss', () => {
  const light = block(wxss, /^page,\s*\.page\s*\{/m);
  const darkMedia = block(wxss, /@media \(prefers-color-scheme: dark\)\s*\{\s*page,\s*\.page\s*\{/);
  const darkClass = block(wxss, /^\.theme-dark\s*\{/m);
  const csNames = (m: Map<string, string>) =>
    [...m.keys()].filter((k) => k.startsWith('--cs-')).sort();

  it('imports tdesign’s Design Token file from the installed package', () => {
    const m = wxss.match(/@import '([^']+)';/);
    expect(m).toBeTruthy();
    const target = path.resolve(path.join(MP, 'styles'), m![1]);
    expect(target).toBe(path.join(TD_THEME, '_index.wxss'));
    expect(fs.existsSync(target)).toBe(true);
  });

  it('defines the same --cs-* variables in light, dark media and .theme-dark', () => {
    const names = csNames(light);
    for (const required of [
      '--cs-page-bg',
      '--cs-text',
      '--cs-text-secondary',
      '--cs-bubble-own-bg',
      '--cs-bubble-own-text',
      '--cs-bubble-peer-bg',
      '--cs-bubble-peer-text',
      '--cs-card-bg',
      '--cs-border',
      '--cs-brand',
    ]) {
      expect(names).toContain(required);
    }
    expect(csNames(darkMedia)).toEqual(names);
    expect(csNames(darkClass)).toEqual(names);
    for (const name of names)
      expect([name, darkClass.get(name)]).toEqual([name, darkMedia.get(name)]);
    expect(names.filter((n) => light.get(n) === darkMedia.get(n))).toEqual([
      '--cs-bubble-own-text',
      '--cs-danger-fill',
      '--cs-mask',
      '--cs-on-brand',
    ]);
  });

  it('repeats every tdesign dark token in .theme-dark, with tdesign’s value', () => {
    const tdDark = new Map([
      ...block(
        fs.readFileSync(path.join(TD_THEME, '_dark.wxss'), 'utf8'),
        /prefers-color-scheme:dark\)\{\s*\.page,page\{/,
      ),
      ...block(
        fs.readFileSync(path.join(TD_THEME, '_components.wxss'), 'utf8'),
        /prefers-color-scheme:dark\)\{\s*\.page,page\{/,
      ),
    ]);
    expect(tdDark.size).toBeGreaterThan(100);
    const missing = [...tdDark].filter(
      ([name, value]) => normalize(darkClass.get(name) ?? '') !== normalize(value),
    );
    expect(missing).toEqual([]);
  });

  describe.each([
    ['light', light],
    ['dark', darkMedia],
  ])('%s scheme', (_scheme, vars) => {
    const color = (name: string) => parseColor(vars.get(name) ?? '');
    it.each([
      ['--cs-text', '--cs-page-bg'],
      ['--cs-text', '--cs-card-bg'],
      ['--cs-text-secondary', '--cs-page-bg'],
      ['--cs-text-secondary', '--cs-card-bg'],
      ['--cs-text-secondary', '--cs-tip-bg'],
      ['--cs-bubble-own-text', '--cs-bubble-own-bg'],
      ['--cs-bubble-peer-text', '--cs-bubble-peer-bg'],
      ['--cs-brand', '--cs-page-bg'],
      ['--cs-brand', '--cs-card-bg'],
      ['--cs-on-brand', '--cs-brand-fill'],
      ['--cs-on-brand', '--cs-danger-fill'],
      ['--cs-danger', '--cs-card-bg'],
      ['--cs-danger', '--cs-error-bg'],
      ['--cs-danger', '--cs-page-bg'],
      ['--cs-text', '--cs-input-bg'],
      ['--cs-text', '--cs-composer-bg'],
      ['--cs-text', '--cs-pinned-bg'],
      ['--cs-text', '--cs-brand-light'],
      ['--cs-warning', '--cs-warning-bg'],
    ])('%s on %s meets WCAG AA (4.5:1)', (fg, bg) => {
      const background = color(bg);
      expect(contrast(blend(color(fg), background), background)).toBeGreaterThanOrEqual(4.5);
    });
  });
});

describe('non-text UI (WCAG 1.4.11, 3:1) and placeholders', () => {
  /** The fallback colours of `name` in each block that defines it (light, dark media, .theme-dark). */
  const fallbacks = (name: string): string[] =>
    [
      ...wxss.matchAll(new RegExp(`${name}:\\s*var\\(--[\\w-]+,\\s*(#[0-9a-fA-F]{3,8})\\)`, 'g')),
    ].map((m) => m[1] ?? '');
  const stars = fallbacks('--cs-c-star-off');
  const cards = fallbacks('--cs-c-card-bg');
  const bubbles = fallbacks('--cs-c-bubble-bg');

  it('finds the empty-star colour with its card and bubble backgrounds in every block', () => {
    expect(stars.length).toBeGreaterThanOrEqual(3);
    expect(cards).toHaveLength(stars.length);
    expect(bubbles).toHaveLength(stars.length);
  });

  it('an empty rating star stands out 3:1 from the card and the bubble it sits on', () => {
    stars.forEach((star, i) => {
      for (const bg of [cards[i], bubbles[i]]) {
        const background = parseColor(bg ?? '');
        expect({ star, bg, ratio: contrast(parseColor(star), background) >= 3 }).toEqual({
          star,
          bg,
          ratio: true,
        });
      }
    });
  });

  it.each([
    ['light', /^page,\s*\.page\s*\{/m],
    ['dark', /@media \(prefers-color-scheme: dark\)\s*\{\s*page,\s*\.page\s*\{/],
    ['.theme-dark', /^\.theme-dark\s*\{/m],
  ])('%s: the input placeholder is readable (4.5:1) on the input', (_scheme, selector) => {
    const vars = block(wxss, selector);
    const background = parseColor(vars.get('--cs-input-bg') ?? '');
    const placeholder = parseColor(vars.get('--cs-text-placeholder') ?? '');
    expect(contrast(blend(placeholder, background), background)).toBeGreaterThanOrEqual(4.5);
  });
});

describe('every --cs-* variable a page or component reads', () => {
  const defined = new Set(csNamesOf(block(wxss, /^page,\s*\.page\s*\{/m)));
  // Override hooks: theme.wxss reads them (`var(--cs-x, fallback)`) into the --cs-c-* it defines.
  const hooks = new Set([...wxss.matchAll(/var\((--cs-[a-z0-9-]+),/g)].map((m) => m[1]));
  for (const m of wxss.matchAll(/(--cs-c-[a-z0-9-]+):/g)) defined.add(m[1]);
  const files = listWxss(MP).filter(
    (f) => !f.includes('miniprogram_npm') && !f.endsWith('theme.wxss'),
  );

  it.each(files.map((f) => [path.relative(MP, f)]))(
    '%s: is defined by the theme (no colour that ignores dark mode)',
    (file) => {
      const used = [
        ...fs.readFileSync(path.join(MP, file), 'utf8').matchAll(/var\((--cs-[a-z0-9-]+)/g),
      ].map((m) => m[1]);
      expect(used.filter((name) => !defined.has(name) && !hooks.has(name))).toEqual([]);
    },
  );

  it('finds the stylesheets it checks', () => {
    expect(files.length).toBeGreaterThan(10);
  });
});

function csNamesOf(m: Map<string, string>): string[] {
  return [...m.keys()].filter((k) => k.startsWith('--cs-'));
}

function listWxss(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'miniprogram_npm' ? [] : listWxss(full);
    return e.name.endsWith('.wxss') ? [full] : [];
  });
}

describe('components use theme variables', () => {
  const files = ['service-entry/service-entry.wxss', 'contact-fallback/contact-fallback.wxss'];
  const lightVars = block(wxss, /^page,\s*\.page\s*\{/m);

  it.each(files)(
    '%s has no literal colour outside var() fallbacks, and its fallbacks are the light values',
    (file) => {
      const source = fs
        .readFileSync(path.join(MP, 'components', file), 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '');
      let rest = '';
      const fallbacks: [string, string][] = [];
      for (let i = 0; i < source.length; i++) {
        if (source.startsWith('var(', i)) {
          let depth = 0;
          let j = i;
          for (; j < source.length; j++) {
            if (source[j] === '(') depth++;
            if (source[j] === ')' && --depth === 0) break;
          }
          const inner = source.slice(i + 4, j);
          const comma = inner.indexOf(',');
          if (comma > 0)
            fallbacks.push([inner.slice(0, comma).trim(), inner.slice(comma + 1).trim()]);
          i = j;
        } else rest += source[i];
      }
      expect(rest.match(/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/gi)).toBeNull();
      expect(fallbacks.length).toBeGreaterThan(0);
      for (const [name, value] of fallbacks) {
        expect([name, normalize(value)]).toEqual([name, normalize(lightVars.get(name) ?? '')]);
      }
    },
  );
});

type Rgba = [number, number, number, number];

function parseColor(text: string): Rgba {
  const value = text.trim().toLowerCase();
  const hex = value.match(/^#([0-9a-f]{3}|[0-9a-f]{6})$/);
  if (hex) {
    const h = hex[1].length === 3 ? [...hex[1]].map((c) => c + c).join('') : hex[1];
    return [
      parseInt(h.slice(0, 2), 16),
      parseInt(h.slice(2, 4), 16),
      parseInt(h.slice(4, 6), 16),
      1,
    ];
  }
  const fn = value.match(/^rgba?\(([^)]+)\)$/);
  if (fn) {
    const [r, g, b, a = '1'] = fn[1].split(',').map((s) => s.trim());
    return [Number(r), Number(g), Number(b), Number(a)];
  }
  throw new Error(`not a colour: ${text}`);
}

function blend(fg: Rgba, bg: Rgba): Rgba {
  const a = fg[3];
  return [0, 1, 2].map((i) => fg[i] * a + bg[i] * (1 - a)).concat(1) as Rgba;
}

function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

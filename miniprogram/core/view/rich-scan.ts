/**
 * The look-ahead scanners of the inline pass (`rich-inline.ts`): character classes, URLs, character
 * references, HTML tags, link destinations and autolinks. Each one stops at a character that no
 * later scan can start before (a tag at `<`, a link destination at `(`), or searches forward only
 * ({@link ForwardSearch}, {@link BacktickIndex}), so together they read each character a constant
 * number of times.
 */

/** Whether `url` is an absolute http(s) URL without characters that could break out of an attribute. */
export function isSafeUrl(url: string): boolean {
  return url.length <= 4096 && /^https?:\/\/[^\s"'<>`\\]+$/i.test(url);
}

export function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    c === 0x0c ||
    c === 0xa0 ||
    c === 0x3000 ||
    (c >= 0x2000 && c <= 0x200a) ||
    Number.isNaN(c)
  );
}

/** ASCII punctuation only: CJK punctuation next to `**` must not stop emphasis (`**“引号”**后`). */
export function isPunct(c: number): boolean {
  return (
    (c >= 0x21 && c <= 0x2f) ||
    (c >= 0x3a && c <= 0x40) ||
    (c >= 0x5b && c <= 0x60) ||
    (c >= 0x7b && c <= 0x7e)
  );
}

export function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  copy: '\u00a9',
  reg: '\u00ae',
  hellip: '\u2026',
  mdash: '\u2014',
  ndash: '\u2013',
  middot: '\u00b7',
  times: '\u00d7',
  yen: '\u00a5',
};

const ENTITY = '&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});';
const ENTITY_AT = new RegExp(ENTITY, 'y');
const ENTITY_ALL = new RegExp(ENTITY, 'g');

function decodeEntity(body: string): string | undefined {
  if (body.charCodeAt(0) !== 0x23) {
    return Object.prototype.hasOwnProperty.call(ENTITIES, body.toLowerCase())
      ? ENTITIES[body.toLowerCase()]
      : undefined;
  }
  const hex = body[1] === 'x' || body[1] === 'X';
  const code = hex ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
  if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff) return undefined;
  if (code >= 0xd800 && code <= 0xdfff) return undefined;
  return String.fromCodePoint(code);
}

/** Decodes the character references in `s` (named ones from a short table, numeric ones all). */
export function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY_ALL, (whole, body: string) => decodeEntity(body) ?? whole);
}

/** The character reference at `i`: its text and length, or `undefined`. */
export function entityAt(s: string, i: number): { text: string; length: number } | undefined {
  ENTITY_AT.lastIndex = i;
  const m = ENTITY_AT.exec(s);
  const text = m ? decodeEntity(m[1]) : undefined;
  return m && text !== undefined ? { text, length: m[0].length } : undefined;
}

/** Regex searches whose start only moves forward, each answered in amortised O(1). */
export class ForwardSearch {
  private from = -1;
  private at = -1;
  private len = 0;

  /** `pattern` must carry the `g` flag. */
  constructor(
    private readonly s: string,
    private readonly pattern: RegExp,
  ) {}

  /** Start and length of the first match at or after `pos`, or `undefined`. */
  find(pos: number): { at: number; len: number } | undefined {
    if (this.from < 0 || pos < this.from || (this.at >= 0 && this.at < pos)) {
      this.pattern.lastIndex = pos;
      const m = this.pattern.exec(this.s);
      this.from = pos;
      this.at = m ? m.index : -1;
      this.len = m ? m[0].length : 0;
    }
    return this.at < 0 ? undefined : { at: this.at, len: this.len };
  }
}

/** Where each run of backticks starts, by run length, for code spans found in amortised O(1). */
export class BacktickIndex {
  private readonly runs = new Map<number, number[]>();
  private readonly cursor = new Map<number, number>();

  constructor(s: string) {
    for (let i = 0; i < s.length;) {
      const c = s.charCodeAt(i);
      if (c === 0x5c) {
        i += 2;
        continue;
      }
      if (c !== 0x60) {
        i += 1;
        continue;
      }
      let j = i;
      while (j < s.length && s.charCodeAt(j) === 0x60) j += 1;
      const list = this.runs.get(j - i);
      if (list) list.push(i);
      else this.runs.set(j - i, [i]);
      i = j;
    }
  }

  /** Start of the next run of exactly `length` backticks at or after `from`, or -1. */
  next(length: number, from: number): number {
    const list = this.runs.get(length);
    if (!list) return -1;
    let k = this.cursor.get(length) ?? 0;
    while (k < list.length && list[k] < from) k += 1;
    this.cursor.set(length, k);
    return k < list.length ? list[k] : -1;
  }
}

/** An HTML tag as read by {@link parseTag}. */
export interface ParsedTag {
  /** Lower-case tag name. */
  name: string;
  closing: boolean;
  /** Index just after the tag's `>`. */
  end: number;
  /** Lower-case attribute names → values with character references decoded (first one wins). */
  attrs: Record<string, string>;
}

function skipSpace(s: string, p: number): number {
  while (p < s.length && isSpace(s.charCodeAt(p))) p += 1;
  return p;
}

/** An attribute value at `q` (quoted or bare) and the index after it, or `undefined`. */
function attrValue(s: string, q: number): { value: string; end: number } | undefined {
  const quote = s[q];
  if (quote === '"' || quote === "'") {
    let e = q + 1;
    while (e < s.length && s[e] !== quote && s[e] !== '<') e += 1;
    return s[e] === quote ? { value: s.slice(q + 1, e), end: e + 1 } : undefined;
  }
  let e = q;
  while (e < s.length && !isSpace(s.charCodeAt(e)) && '"\'<>=`'.indexOf(s[e]) < 0) e += 1;
  return e === q ? undefined : { value: s.slice(q, e), end: e };
}

/**
 * The HTML tag starting at `i` (which holds `<`), or `undefined`. A tag never contains `<`, not
 * even inside quotes: that keeps a run of unfinished tags (`<a <a <a ...`) linear.
 */
export function parseTag(s: string, i: number): ParsedTag | undefined {
  let p = i + 1;
  const closing = s[p] === '/';
  if (closing) p += 1;
  const nameStart = p;
  const first = s.charCodeAt(p) | 0x20;
  if (!(first >= 0x61 && first <= 0x7a)) return undefined;
  while (p < s.length && (isAlnum(s.charCodeAt(p)) || s[p] === '-')) p += 1;
  const name = s.slice(nameStart, p).toLowerCase();
  const attrs: Record<string, string> = {};
  for (;;) {
    const spaced = skipSpace(s, p);
    if (spaced >= s.length) return undefined;
    if (s[spaced] === '>') return { name, closing, end: spaced + 1, attrs };
    if (s[spaced] === '/' && s[spaced + 1] === '>')
      return { name, closing, end: spaced + 2, attrs };
    if (spaced === p) return undefined;
    p = spaced;
    while (p < s.length && !isSpace(s.charCodeAt(p)) && '"\'<>/='.indexOf(s[p]) < 0) p += 1;
    if (p === spaced) return undefined;
    const attr = s.slice(spaced, p).toLowerCase();
    let value = '';
    const eq = skipSpace(s, p);
    if (s[eq] === '=') {
      const read = attrValue(s, skipSpace(s, eq + 1));
      if (!read) return undefined;
      value = read.value;
      p = read.end;
    }
    if (!Object.prototype.hasOwnProperty.call(attrs, attr)) attrs[attr] = decodeEntities(value);
  }
}

function skipLinkSpace(s: string, q: number): number {
  while (q < s.length && (s[q] === ' ' || s[q] === '\t' || s[q] === '\n')) q += 1;
  return q;
}

/**
 * `(destination "title")` at `p` (just after a `]`): the destination with escapes and references
 * decoded, and the index after `)`; or `undefined`. A bare destination stops at `(`, so each
 * character is read by one destination scan at most; a title is at most 256 characters.
 */
export function parseLinkTail(s: string, p: number): { href: string; end: number } | undefined {
  if (s.charCodeAt(p) !== 0x28) return undefined;
  let q = skipLinkSpace(s, p + 1);
  let href: string;
  if (s[q] === '<') {
    let e = q + 1;
    while (e < s.length && s[e] !== '>' && s[e] !== '<' && s[e] !== '\n') e += 1;
    if (s[e] !== '>') return undefined;
    href = s.slice(q + 1, e);
    q = e + 1;
  } else {
    let e = q;
    while (e < s.length) {
      const c = s.charCodeAt(e);
      if (c <= 0x20 || c === 0x28 || c === 0x29 || c === 0x7f) break;
      e += c === 0x5c && isPunct(s.charCodeAt(e + 1)) ? 2 : 1;
    }
    href = s.slice(q, e);
    q = e;
  }
  q = skipLinkSpace(s, q);
  const quote = s[q];
  if (quote === '"' || quote === "'") {
    const limit = Math.min(s.length, q + 257);
    let e = q + 1;
    while (e < limit && s[e] !== quote && s[e] !== ')') e += 1;
    if (s[e] !== quote) return undefined;
    q = skipLinkSpace(s, e + 1);
  }
  if (s.charCodeAt(q) !== 0x29) return undefined;
  return { href: decodeEntities(href.replace(/\\([!-/:-@[-`{-~])/g, '$1')), end: q + 1 };
}

/**
 * A bare `http(s)://` URL at `i` (not preceded by a letter or digit): its end, or -1. It stops at
 * whitespace, non-ASCII, quotes, brackets and `<`; trailing punctuation is left out.
 */
export function scanAutolink(s: string, i: number): number {
  const scheme = s.startsWith('https://', i) ? 8 : s.startsWith('http://', i) ? 7 : 0;
  if (scheme === 0 || (i > 0 && isAlnum(s.charCodeAt(i - 1)))) return -1;
  let e = i + scheme;
  while (e < s.length) {
    const c = s.charCodeAt(e);
    if (c <= 0x20 || c >= 0x7f || '<>"\'`()[]\\'.indexOf(s[e]) >= 0) break;
    e += 1;
  }
  while (e > i + scheme && '.,:;!?*_~'.indexOf(s[e - 1]) >= 0) e -= 1;
  return e > i + scheme ? e : -1;
}

/** `<https://...>` at `i`: the index of its `>`, or -1. Stops at `<`, like a tag. */
export function scanAngleAutolink(s: string, i: number): number {
  if (!/^https?:\/\//i.test(s.slice(i + 1, i + 9))) return -1;
  let e = i + 1;
  while (e < s.length && !isSpace(s.charCodeAt(e)) && s[e] !== '<' && s[e] !== '>') e += 1;
  return s[e] === '>' ? e : -1;
}

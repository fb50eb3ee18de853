/**
 * Inline Markdown (and the few inline HTML tags a bot or agent console writes) → rich-text nodes, in
 * one left-to-right pass whose cost is linear in the input, whatever the input is.
 *
 * marked's block lexer gives `rich-text.ts` the blocks; their inline text comes here because marked's
 * inline tokenizer is not linear on hostile input (20,000 characters of `[a](` take minutes). The
 * pass follows CommonMark's own design, which is linear: one delimiter stack for emphasis, one stack
 * of openers for `[`/`![` and open HTML tags, and the look-ahead scanners of `rich-scan.ts`.
 *
 * Links and images keep only http(s) URLs; raw HTML is reduced to its text, with `<br>`, `<img>`,
 * `<a href>`, `<b>`/`<strong>`, `<i>`/`<em>`, `<del>`/`<s>` mapped to their nodes, block tags turned
 * into line breaks and `<script>`, `<style>` and the like dropped with their bodies.
 */
import { emit, item, ItemList, plainText, textItem } from './rich-items';
import type { BracketItem, DelimChar, DelimItem, ElementItem, Item, MarkItem } from './rich-items';
import type { NodeBudget, RichTextNode } from './rich-nodes';
import {
  BacktickIndex,
  entityAt,
  ForwardSearch,
  isPunct,
  isSafeUrl,
  isSpace,
  parseLinkTail,
  parseTag,
  scanAngleAutolink,
  scanAutolink,
} from './rich-scan';
import type { ParsedTag } from './rich-scan';

/** Deepest inline nesting kept (emphasis in emphasis in a link ...); deeper markers stay text. */
export const MAX_INLINE_DEPTH = 12;

const IMAGE_STYLE = 'max-width:100%;height:auto;display:block;';

/** Tags dropped together with everything up to their closing tag. */
const DROPPED_WITH_BODY: ReadonlySet<string> = new Set(
  'script style iframe object embed template textarea noscript title svg math'.split(' '),
);

/** HTML tags that become an inline element, by the element they make. */
const INLINE_TAGS: Readonly<Record<string, string>> = {
  a: 'a',
  b: 'strong',
  strong: 'strong',
  i: 'em',
  em: 'em',
  del: 'del',
  s: 'del',
  strike: 'del',
};

/** HTML tags that separate lines: the tag becomes a line break, its text stays. */
const BREAK_TAGS: ReadonlySet<string> = new Set(
  (
    'p div section article header footer main nav aside center table thead tbody tfoot tr ul ol ' +
    'li dl dt dd blockquote pre hr figure figcaption h1 h2 h3 h4 h5 h6'
  ).split(' '),
);

/** Characters the plain-text run stops at: `\` `` ` `` `*` `_` `~` `!` `[` `]` `<` newline `&` `h`. */
const SPECIAL = new Uint8Array(128);
for (const c of '\\`*_~![]<\n&h') SPECIAL[c.charCodeAt(0)] = 1;

function isSpecial(c: number): boolean {
  return c < 128 && SPECIAL[c] === 1;
}

type Counts = Record<DelimChar, number>;

interface Opener {
  item: BracketItem | MarkItem;
  kind: 'link' | 'image' | 'html';
  /** For `html`: the element its closing tag makes (`a`, `strong`, `em`, `del`). */
  tag?: string;
  href?: string;
  /** Delimiter stack height when this opener was pushed: emphasis inside it stays inside it. */
  delims: number;
  /** Delimiters per character on the stack when this opener was pushed. */
  counts: Counts;
}

/** Options of {@link renderInline}. */
export interface InlineOptions {
  /** HTML-block text: a newline is a soft break, not a `<br>`. */
  html?: boolean;
}

class InlineParser {
  private readonly list = new ItemList();
  private readonly delims: DelimItem[] = [];
  private readonly counts: Counts = { '*': 0, _: 0, '~': 0 };
  private readonly openers: Opener[] = [];
  /** Link openers below this index are inactive: no link inside a link. */
  private inactiveBelow = 0;
  /** Open HTML tags on the opener stack, by the element they make. */
  private readonly openTags = new Map<string, number>();
  private readonly backticks: BacktickIndex;
  private readonly commentEnd: ForwardSearch;
  private readonly closers = new Map<string, ForwardSearch>();

  constructor(
    private readonly s: string,
    private readonly html: boolean,
  ) {
    this.backticks = new BacktickIndex(s);
    this.commentEnd = new ForwardSearch(s, /-->/g);
  }

  run(): Item[] {
    const { s, list } = this;
    let i = 0;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (!isSpecial(c)) {
        let j = i + 1;
        while (j < s.length && !isSpecial(s.charCodeAt(j))) j += 1;
        list.text(s.slice(i, j));
        i = j;
      } else if (c === 0x5c) i = this.escape(i);
      else if (c === 0x60) i = this.codeSpan(i);
      else if (c === 0x2a || c === 0x5f || c === 0x7e) i = this.delimiter(i);
      else if (c === 0x21 && s.charCodeAt(i + 1) === 0x5b) {
        this.pushOpener(list.append(item<BracketItem>({ k: 'bracket', s: '![' })), 'image');
        i += 2;
      } else if (c === 0x5b) {
        this.pushOpener(list.append(item<BracketItem>({ k: 'bracket', s: '[' })), 'link');
        i += 1;
      } else if (c === 0x5d) i = this.closeBracket(i);
      else if (c === 0x3c) i = this.angle(i);
      else if (c === 0x0a) {
        if (this.html) list.append(item({ k: 'break' }));
        else this.element('br', []);
        i += 1;
      } else if (c === 0x26) {
        const entity = entityAt(s, i);
        list.text(entity ? entity.text : '&');
        i += entity ? entity.length : 1;
      } else if (c === 0x68) i = this.autolink(i);
      else {
        list.text(s[i]);
        i += 1;
      }
    }
    return list.toArray();
  }

  private element(name: string, kids: Item[], attrs?: Record<string, string>): void {
    const entry = item<ElementItem>({ k: 'el', name, kids, depth: 1 });
    if (attrs) entry.attrs = attrs;
    this.list.append(entry);
  }

  private escape(i: number): number {
    const next = this.s.charCodeAt(i + 1);
    if (isPunct(next)) {
      this.list.text(this.s[i + 1]);
      return i + 2;
    }
    if (next === 0x0a && !this.html) {
      this.element('br', []);
      return i + 2;
    }
    this.list.text('\\');
    return i + 1;
  }

  private codeSpan(i: number): number {
    const { s } = this;
    let j = i;
    while (j < s.length && s.charCodeAt(j) === 0x60) j += 1;
    const close = this.backticks.next(j - i, j);
    if (close < 0) {
      this.list.text(s.slice(i, j));
      return j;
    }
    let body = s.slice(j, close).replace(/\n/g, ' ');
    if (body.length > 2 && body[0] === ' ' && body[body.length - 1] === ' ' && body.trim() !== '')
      body = body.slice(1, -1);
    this.element('code', [textItem(body)]);
    return close + (j - i);
  }

  private autolink(i: number): number {
    const end = scanAutolink(this.s, i);
    if (end < 0) {
      this.list.text('h');
      return i + 1;
    }
    const url = this.s.slice(i, end);
    if (isSafeUrl(url)) this.element('a', [textItem(url)], { href: url });
    else this.list.text(url);
    return end;
  }

  // ---- emphasis ------------------------------------------------------------------------------

  private delimiter(i: number): number {
    const { s } = this;
    const ch = s[i] as DelimChar;
    let j = i;
    while (j < s.length && s[j] === ch) j += 1;
    const count = j - i;
    if (ch === '~' && count !== 2) {
      this.list.text(s.slice(i, j));
      return j;
    }
    const before = i === 0 ? NaN : s.charCodeAt(i - 1);
    const after = j >= s.length ? NaN : s.charCodeAt(j);
    const left = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before));
    const right = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after));
    const canOpen = ch === '_' ? left && (!right || isPunct(before)) : left;
    const canClose = ch === '_' ? right && (!left || isPunct(after)) : right;
    const run = this.list.append(item<DelimItem>({ k: 'delim', ch, count, canOpen, canClose }));
    if (canClose) this.close(run);
    if (run.count === 0) this.list.remove(run);
    else if (run.canOpen) {
      this.delims.push(run);
      this.counts[ch] += 1;
    }
    return j;
  }

  /** Openers of `ch` above the innermost open bracket or tag (emphasis does not cross those). */
  private openersAbove(ch: DelimChar): number {
    const top = this.openers[this.openers.length - 1];
    return this.counts[ch] - (top ? top.counts[ch] : 0);
  }

  private popDelim(): void {
    const d = this.delims.pop();
    if (d) this.counts[d.ch] -= 1;
  }

  private dropDelimsAbove(height: number): void {
    while (this.delims.length > height) this.popDelim();
  }

  /**
   * Matches `closer` with the nearest openers of its character. Openers passed over on the way can
   * never match any more (they would cross this pair) and stay text: each delimiter is pushed and
   * popped once, so the pass stays linear.
   */
  private close(closer: DelimItem): void {
    while (closer.count > 0 && this.openersAbove(closer.ch) > 0) {
      while (this.delims[this.delims.length - 1].ch !== closer.ch) this.popDelim();
      const opener = this.delims[this.delims.length - 1];
      const n = closer.ch === '~' ? 2 : opener.count >= 2 && closer.count >= 2 ? 2 : 1;
      const { kids, depth } = this.list.cut(opener, closer);
      opener.count -= n;
      closer.count -= n;
      if (depth + 1 > MAX_INLINE_DEPTH) {
        const mark = closer.ch.repeat(n);
        const flat = [textItem(mark), ...kids, textItem(mark)];
        for (let k = flat.length - 1; k >= 0; k -= 1) this.list.insertAfter(opener, flat[k]);
      } else {
        const name = closer.ch === '~' ? 'del' : n === 2 ? 'strong' : 'em';
        this.list.insertAfter(opener, item<ElementItem>({ k: 'el', name, kids, depth: depth + 1 }));
      }
      if (opener.count === 0) {
        this.popDelim();
        this.list.remove(opener);
      }
    }
  }

  // ---- brackets, links, images, open tags ----------------------------------------------------

  private pushOpener(
    entry: BracketItem | MarkItem,
    kind: Opener['kind'],
    tag?: string,
    href?: string,
  ): void {
    const opener: Opener = {
      item: entry,
      kind,
      delims: this.delims.length,
      counts: { ...this.counts },
    };
    if (tag !== undefined) {
      opener.tag = tag;
      this.openTags.set(tag, (this.openTags.get(tag) ?? 0) + 1);
    }
    if (href !== undefined) opener.href = href;
    this.openers.push(opener);
  }

  private popOpener(): Opener {
    const opener = this.openers.pop() as Opener;
    if (opener.tag !== undefined)
      this.openTags.set(opener.tag, (this.openTags.get(opener.tag) ?? 1) - 1);
    if (this.inactiveBelow > this.openers.length) this.inactiveBelow = this.openers.length;
    return opener;
  }

  /**
   * Wraps everything after `opener.item` into `name`; emphasis openers inside stay text. When that
   * would nest too deep, the content stays as it is and false comes back.
   */
  private wrap(opener: Opener, name: string, attrs?: Record<string, string>): boolean {
    this.dropDelimsAbove(opener.delims);
    const { kids, depth } = this.list.cut(opener.item, null);
    if (depth + 1 > MAX_INLINE_DEPTH) {
      for (const kid of kids) this.list.append(kid);
      return false;
    }
    this.list.remove(opener.item);
    const entry = item<ElementItem>({ k: 'el', name, kids, depth: depth + 1 });
    if (attrs) entry.attrs = attrs;
    this.list.append(entry);
    return true;
  }

  private closeBracket(i: number): number {
    const top = this.openers[this.openers.length - 1];
    if (!top || top.kind === 'html') {
      this.list.text(']');
      return i + 1;
    }
    const active = top.kind === 'image' || this.openers.length - 1 >= this.inactiveBelow;
    const tail = active ? parseLinkTail(this.s, i + 1) : undefined;
    const opener = this.popOpener();
    if (!tail) {
      this.list.text(']');
      return i + 1;
    }
    if (opener.kind === 'image') {
      this.dropDelimsAbove(opener.delims);
      const { kids } = this.list.cut(opener.item, null);
      this.list.remove(opener.item);
      const alt = plainText(kids).replace(/\s+/g, ' ').trim().slice(0, 200);
      if (isSafeUrl(tail.href))
        this.element('img', [], { src: tail.href, alt, style: IMAGE_STYLE });
      else this.list.text(alt);
      return tail.end;
    }
    // A link to anything but http(s) keeps its text, emphasised, and loses the URL.
    const safe = isSafeUrl(tail.href);
    if (!this.wrap(opener, safe ? 'a' : 'em', safe ? { href: tail.href } : undefined)) {
      this.list.text(']');
      return i + 1;
    }
    // No link inside a link: every `[` still open is text from now on.
    this.inactiveBelow = this.openers.length;
    return tail.end;
  }

  private angle(i: number): number {
    const { s } = this;
    if (s.startsWith('<!--', i)) {
      const end = this.commentEnd.find(i + 4);
      if (end) return end.at + end.len;
      this.list.text('<');
      return i + 1;
    }
    const auto = scanAngleAutolink(s, i);
    if (auto > 0) {
      const url = s.slice(i + 1, auto);
      if (isSafeUrl(url)) this.element('a', [textItem(url)], { href: url });
      else this.list.text(url);
      return auto + 1;
    }
    const tag = parseTag(s, i);
    if (!tag) {
      this.list.text('<');
      return i + 1;
    }
    return this.applyTag(tag);
  }

  /** Applies one HTML tag; returns where the scan resumes. */
  private applyTag(tag: ParsedTag): number {
    const { name } = tag;
    if (DROPPED_WITH_BODY.has(name)) {
      if (tag.closing) return tag.end;
      let search = this.closers.get(name);
      if (!search) {
        search = new ForwardSearch(this.s, new RegExp(`</${name}\\s*>`, 'gi'));
        this.closers.set(name, search);
      }
      // Without its closing tag, the rest of this text is the dropped body.
      const end = search.find(tag.end);
      return end ? end.at + end.len : this.s.length;
    }
    if (name === 'br') this.element('br', []);
    else if (name === 'img') {
      const src = tag.attrs.src ?? '';
      if (!tag.closing && isSafeUrl(src)) {
        const alt = (tag.attrs.alt ?? '').slice(0, 200);
        this.element('img', [], { src, alt, style: IMAGE_STYLE });
      }
    } else if (Object.prototype.hasOwnProperty.call(INLINE_TAGS, name)) {
      const inline = INLINE_TAGS[name];
      if (tag.closing) this.closeTag(inline);
      else {
        const mark = this.list.append(item<MarkItem>({ k: 'mark' }));
        this.pushOpener(mark, 'html', inline, inline === 'a' ? (tag.attrs.href ?? '') : undefined);
      }
    } else if (BREAK_TAGS.has(name)) {
      this.list.append(item({ k: 'break' }));
      if (name === 'li' && !tag.closing) this.list.text('• ');
    }
    // Every other tag is dropped; its text stays.
    return tag.end;
  }

  /** `</a>`, `</b>` ...: closes the nearest open tag making `inline`; openers above it give up. */
  private closeTag(inline: string): void {
    // Without an open one, nothing to search (and the search below pops all it passes).
    if ((this.openTags.get(inline) ?? 0) === 0) return;
    let k = this.openers.length - 1;
    while (k >= 0 && !(this.openers[k].kind === 'html' && this.openers[k].tag === inline)) k -= 1;
    while (this.openers.length - 1 > k) this.popOpener();
    const opener = this.popOpener();
    if (inline !== 'a') this.wrap(opener, inline);
    else if (isSafeUrl(opener.href ?? '')) this.wrap(opener, 'a', { href: opener.href ?? '' });
  }
}

/**
 * Inline Markdown → nodes appended to `out`, each paid for from `budget`. Returns false when the
 * budget ran out (the caller then stops and closes with the truncation end).
 */
export function renderInline(
  source: string,
  budget: NodeBudget,
  out: RichTextNode[],
  options: InlineOptions = {},
): boolean {
  if (budget.full) return false;
  return emit(new InlineParser(source, options.html === true).run(), budget, out);
}

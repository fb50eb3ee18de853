/**
 * Markdown (with a little HTML) → nodes for the mini-program `<rich-text nodes>` component. Rich-text
 * messages (src 30) come from a bot or agent console, so they are treated as untrusted: the output
 * only ever contains the tags below, links and images only with http(s) URLs, no attributes except
 * `href`/`src`/`alt`/`style` set here, and raw HTML is reduced to its text (`<script>`/`<style>`
 * bodies are dropped entirely).
 */

/** A text node. `text` is plain text: rich-text does not parse it as HTML. */
export interface RichTextTextNode {
  type: 'text';
  text: string;
}

/** An element node; only the names in {@link ALLOWED_TAGS}. */
export interface RichTextElementNode {
  name: string;
  attrs?: Record<string, string>;
  children?: RichTextNode[];
}

/** A node of the `<rich-text nodes>` array. */
export type RichTextNode = RichTextTextNode | RichTextElementNode;

/** Tags the output may contain. */
export const ALLOWED_TAGS: ReadonlySet<string> = new Set([
  'p',
  'br',
  'strong',
  'em',
  'code',
  'pre',
  'a',
  'img',
  'ul',
  'ol',
  'li',
  'blockquote',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'del',
]);

const MAX_INPUT = 20_000;
const MAX_NODES = 3_000;
const IMAGE_STYLE = 'max-width:100%;height:auto;display:block;';

/** Whether `url` is an absolute http(s) URL without characters that could break out of an attribute. */
export function isSafeUrl(url: string): boolean {
  return /^https?:\/\/[^\s"'<>`\\]+$/i.test(url) && url.length <= 4096;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  '#39': "'",
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8}|#39);/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (ENTITIES[lower] !== undefined) return ENTITIES[lower];
    if (lower.startsWith('#x') || lower.startsWith('#')) {
      const code = lower.startsWith('#x')
        ? parseInt(lower.slice(2), 16)
        : parseInt(lower.slice(1), 10);
      if (
        Number.isFinite(code) &&
        code > 0 &&
        code <= 0x10ffff &&
        !(code >= 0xd800 && code <= 0xdfff)
      ) {
        return String.fromCodePoint(code);
      }
    }
    return whole;
  });
}

function attrOf(tag: string, name: string): string {
  const m = new RegExp(`\\s${name}\\s*=\\s*("([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  if (!m) return '';
  return decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
}

/**
 * Rewrites the HTML that may appear inside Markdown into Markdown-ish plain text: `<br>` → newline,
 * block tags → blank lines, `<img src>` → `![](src)`, `<a href>x</a>` → `[x](href)`, script/style
 * removed with their bodies, every other tag removed.
 */
function reduceHtml(source: string): string {
  return source
    .replace(/<(script|style|iframe|object|embed|template)\b[\s\S]*?(<\/\1\s*>|$)/gi, '')
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<img\b[^>]*>/gi, (tag) => {
      const src = attrOf(tag, 'src');
      return isSafeUrl(src) ? `![${attrOf(tag, 'alt').replace(/[[\]]/g, '')}](${src})` : '';
    })
    .replace(/<a\b[^>]*>([\s\S]*?)<\/a\s*>/gi, (tag, inner: string) => {
      const href = attrOf(tag, 'href');
      const text = inner.replace(/<[^>]*>/g, '').replace(/[[\]]/g, '');
      return isSafeUrl(href) ? `[${text}](${href})` : text;
    })
    .replace(/<\/?(p|div|section|article|header|footer|table|tr|h[1-6]|ul|ol)\b[^>]*>/gi, '\n\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/?[a-zA-Z][^>]*>/g, '');
}

interface Budget {
  nodes: number;
}

function text(s: string, budget: Budget): RichTextTextNode {
  budget.nodes += 1;
  return { type: 'text', text: decodeEntities(s) };
}

function el(
  name: string,
  budget: Budget,
  children?: RichTextNode[],
  attrs?: Record<string, string>,
): RichTextElementNode {
  budget.nodes += 1;
  const node: RichTextElementNode = { name };
  if (attrs) node.attrs = attrs;
  if (children) node.children = children;
  return node;
}

const INLINE_RE =
  /(!\[([^\]]*)\]\(([^)\s]+)\))|(\[([^\]]+)\]\(([^)\s]+)\))|(`([^`]+)`)|(\*\*([^*]+)\*\*|__([^_]+)__)|(~~([^~]+)~~)|(\*([^*\s][^*]*)\*|\b_([^_\s][^_]*)_\b)|(https?:\/\/[^\s<>"'`)\]]+)/;

function inline(source: string, budget: Budget): RichTextNode[] {
  const out: RichTextNode[] = [];
  let rest = source;
  while (rest.length > 0 && budget.nodes < MAX_NODES) {
    const m = INLINE_RE.exec(rest);
    if (!m) {
      out.push(...lines(rest, budget));
      break;
    }
    if (m.index > 0) out.push(...lines(rest.slice(0, m.index), budget));
    if (m[1]) {
      const src = m[3];
      if (isSafeUrl(src))
        out.push(el('img', budget, undefined, { src, alt: m[2], style: IMAGE_STYLE }));
      else if (m[2]) out.push(text(m[2], budget));
    } else if (m[4]) {
      const href = m[6];
      const children = inline(m[5], budget);
      out.push(isSafeUrl(href) ? el('a', budget, children, { href }) : el('em', budget, children));
    } else if (m[7]) {
      out.push(el('code', budget, [text(m[8], budget)]));
    } else if (m[9]) {
      out.push(el('strong', budget, inline(m[10] ?? m[11], budget)));
    } else if (m[12]) {
      out.push(el('del', budget, inline(m[13], budget)));
    } else if (m[14]) {
      out.push(el('em', budget, inline(m[15] ?? m[16], budget)));
    } else if (m[17]) {
      out.push(el('a', budget, [text(m[17], budget)], { href: m[17] }));
    }
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

/** Plain text with single newlines kept as `<br>`. */
function lines(source: string, budget: Budget): RichTextNode[] {
  const parts = source.split('\n');
  const out: RichTextNode[] = [];
  for (let i = 0; i < parts.length && budget.nodes < MAX_NODES; i += 1) {
    if (i > 0) out.push(el('br', budget));
    if (parts[i] !== '') out.push(text(parts[i], budget));
  }
  return out;
}

function isListLine(line: string): RegExpExecArray | null {
  return /^\s{0,3}([-*+]|\d{1,9}[.)])\s+(.*)$/.exec(line);
}

/** Markdown/HTML → sanitized rich-text nodes. Never throws; empty input gives `[]`. */
export function markdownToNodes(markdown: string): RichTextNode[] {
  const budget: Budget = { nodes: 0 };
  const source = reduceHtml(String(markdown).slice(0, MAX_INPUT)).replace(/\r\n?/g, '\n');
  const rows = source.split('\n');
  const blocks: RichTextNode[] = [];
  let i = 0;
  while (i < rows.length && budget.nodes < MAX_NODES) {
    const line = rows[i];
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    const fence = /^\s{0,3}(```|~~~)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i += 1;
      while (i < rows.length && !rows[i].trim().startsWith(fence[1])) body.push(rows[(i += 1) - 1]);
      i += 1;
      blocks.push(el('pre', budget, [el('code', budget, [text(body.join('\n'), budget)])]));
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      blocks.push(el(`h${heading[1].length}`, budget, inline(heading[2], budget)));
      i += 1;
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push(el('hr', budget));
      i += 1;
      continue;
    }
    if (/^\s{0,3}>/.test(line)) {
      const body: string[] = [];
      while (i < rows.length && /^\s{0,3}>/.test(rows[i]))
        body.push(rows[(i += 1) - 1].replace(/^\s{0,3}>\s?/, ''));
      blocks.push(el('blockquote', budget, inline(body.join('\n'), budget)));
      continue;
    }
    const first = isListLine(line);
    if (first) {
      const ordered = /\d/.test(first[1]);
      const items: RichTextNode[] = [];
      while (i < rows.length) {
        const item = isListLine(rows[i]);
        if (!item || /\d/.test(item[1]) !== ordered) break;
        items.push(el('li', budget, inline(item[2], budget)));
        i += 1;
      }
      blocks.push(el(ordered ? 'ol' : 'ul', budget, items));
      continue;
    }
    const para: string[] = [];
    while (
      i < rows.length &&
      rows[i].trim() !== '' &&
      !isListLine(rows[i]) &&
      !/^\s{0,3}(#{1,6}\s|>|```|~~~)/.test(rows[i])
    ) {
      para.push(rows[i]);
      i += 1;
    }
    blocks.push(el('p', budget, inline(para.join('\n'), budget)));
  }
  return blocks;
}

/** The visible text of nodes (for previews, accessibility labels and tests). */
export function nodesToText(nodes: readonly RichTextNode[]): string {
  let out = '';
  for (const node of nodes) {
    if ('type' in node) out += node.text;
    else if (node.name === 'br') out += '\n';
    else if (node.children) out += nodesToText(node.children);
  }
  return out;
}

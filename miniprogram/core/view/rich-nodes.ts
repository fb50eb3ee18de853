/**
 * The output of the rich-text renderer: nodes for the mini-program `<rich-text nodes>` component,
 * and the budget that bounds how many of them one message may produce and how large they may be
 * once `setData` serialises them.
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

/** Most nodes one message may produce, the "content truncated" end included. */
export const MAX_NODES = 3_000;

/** Most UTF-8 bytes the nodes of one message may take as JSON (what `setData` sends). */
export const MAX_NODE_BYTES = 90_000;

/** What the truncation end costs: a `p` with one text node. */
const END_NODES = 2;
const END_BYTES = 600;

/** UTF-8 bytes of `s` inside a JSON string, escapes counted (never less than the real figure). */
export function jsonBytes(s: string): number {
  let bytes = 2;
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x20) bytes += 6;
    else if (c === 0x22 || c === 0x5c) bytes += 2;
    else if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdfff) bytes += 2;
    else bytes += 3;
  }
  return bytes;
}

/**
 * Counts nodes and bytes as they are made. Once either limit would be passed, `full` turns true,
 * every later `take` is refused, and the renderer closes the message with the truncation end (for
 * which room is always kept).
 */
export class NodeBudget {
  nodes = 0;
  bytes = 2;
  full = false;

  constructor(
    private readonly maxNodes: number = MAX_NODES,
    private readonly maxBytes: number = MAX_NODE_BYTES,
  ) {}

  /** Reserves one node of about `bytes` bytes; false (and `full`) when it does not fit. */
  take(bytes: number): boolean {
    if (this.full) return false;
    if (
      this.nodes + 1 > this.maxNodes - END_NODES ||
      this.bytes + bytes > this.maxBytes - END_BYTES
    ) {
      this.full = true;
      return false;
    }
    this.nodes += 1;
    this.bytes += bytes + 1;
    return true;
  }

  /** A text node, or `undefined` when the budget is spent. */
  text(text: string): RichTextTextNode | undefined {
    return this.take(25 + jsonBytes(text)) ? { type: 'text', text } : undefined;
  }

  /**
   * An element with `attrs` (its `children` are added by the caller, each through this budget), or
   * `undefined` when the budget is spent.
   */
  element(name: string, attrs?: Record<string, string>): RichTextElementNode | undefined {
    let bytes = 24 + name.length;
    if (attrs) {
      bytes += 10;
      for (const key of Object.keys(attrs)) bytes += 2 + jsonBytes(key) + jsonBytes(attrs[key]);
    }
    if (!this.take(bytes)) return undefined;
    const node: RichTextElementNode = { name };
    if (attrs) node.attrs = attrs;
    return node;
  }
}

/** The visible end of a message cut by the budget: its own paragraph, in the reader's language. */
export function truncationEnd(label: string): RichTextElementNode {
  return {
    name: 'p',
    attrs: { style: 'opacity:0.6;font-size:0.9em;' },
    children: [{ type: 'text', text: label.slice(0, 100) }],
  };
}

/**
 * The working list of the inline pass: text, finished elements, and the markers that may still
 * become elements (emphasis delimiters, `[`/`![`, open HTML tags), in a doubly linked list so that
 * wrapping a stretch of it into an element moves each item once. {@link emit} turns what is left
 * into rich-text nodes through the budget.
 */
import type { NodeBudget, RichTextNode } from './rich-nodes';

interface Linked {
  prev: Item | null;
  next: Item | null;
}
export interface TextItem extends Linked {
  k: 'text';
  s: string;
}
export interface ElementItem extends Linked {
  k: 'el';
  name: string;
  attrs?: Record<string, string>;
  kids: Item[];
  /** Nesting depth of inline elements, this one included. */
  depth: number;
}
export type DelimChar = '*' | '_' | '~';
/** An emphasis delimiter run; what is left of `count` when the pass ends is text. */
export interface DelimItem extends Linked {
  k: 'delim';
  ch: DelimChar;
  count: number;
  canOpen: boolean;
  canClose: boolean;
}
/** `[` or `![` not (yet) closed: text unless a link forms. */
export interface BracketItem extends Linked {
  k: 'bracket';
  s: string;
}
/** An HTML open tag: nothing unless its closing tag comes. */
export interface MarkItem extends Linked {
  k: 'mark';
}
/** A line break that HTML asked for; runs of them collapse to one, and none starts or ends a block. */
export interface BreakItem extends Linked {
  k: 'break';
}
export type Item = TextItem | ElementItem | DelimItem | BracketItem | MarkItem | BreakItem;

/** `{ k, prev: null, next: null, ... }` without repeating the links. */
export function item<T extends Item>(fields: Omit<T, 'prev' | 'next'>): T {
  const entry = fields as T;
  entry.prev = null;
  entry.next = null;
  return entry;
}

export function textItem(s: string): TextItem {
  return item<TextItem>({ k: 'text', s });
}

export class ItemList {
  private head: Item | null = null;
  private tail: Item | null = null;

  append<T extends Item>(entry: T): T {
    entry.prev = this.tail;
    entry.next = null;
    if (this.tail) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
    return entry;
  }

  /** Appends text, merged into the last item when that is text too. */
  text(s: string): void {
    if (s === '') return;
    if (this.tail && this.tail.k === 'text') this.tail.s += s;
    else this.append(textItem(s));
  }

  remove(entry: Item): void {
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = null;
    entry.next = null;
  }

  /** Takes out the items strictly between `from` and `to` (`null`: the end) with their depth. */
  cut(from: Item, to: Item | null): { kids: Item[]; depth: number } {
    const kids: Item[] = [];
    let depth = 0;
    let cursor = from.next;
    while (cursor && cursor !== to) {
      const next: Item | null = cursor.next;
      kids.push(cursor);
      if (cursor.k === 'el' && cursor.depth > depth) depth = cursor.depth;
      cursor.prev = null;
      cursor.next = null;
      cursor = next;
    }
    from.next = to;
    if (to) to.prev = from;
    else this.tail = from;
    return { kids, depth };
  }

  /** Puts `entry` right after `after`. */
  insertAfter(after: Item, entry: Item): void {
    entry.prev = after;
    entry.next = after.next;
    if (after.next) after.next.prev = entry;
    else this.tail = entry;
    after.next = entry;
  }

  toArray(): Item[] {
    const out: Item[] = [];
    for (let cursor = this.head; cursor; cursor = cursor.next) out.push(cursor);
    return out;
  }
}

/** The visible text of items (for an image's `alt`). */
export function plainText(items: readonly Item[]): string {
  let out = '';
  for (const entry of items) {
    if (entry.k === 'text') out += entry.s;
    else if (entry.k === 'el') out += plainText(entry.kids);
    else if (entry.k === 'delim') out += entry.ch.repeat(entry.count);
    else if (entry.k === 'bracket') out += entry.s;
  }
  return out;
}

/**
 * Items → nodes appended to `out`, each paid for from `budget`; false once the budget is spent.
 * Adjacent text merges into one node; HTML breaks collapse, and none starts or ends a container.
 */
export function emit(items: readonly Item[], budget: NodeBudget, out: RichTextNode[]): boolean {
  let pending = '';
  let pendingBreak = false;
  let lastWasBreak = true;
  const breakIfPending = (): boolean => {
    if (!pendingBreak) return true;
    pendingBreak = false;
    if (lastWasBreak) return true;
    const br = budget.element('br');
    if (!br) return false;
    out.push(br);
    lastWasBreak = true;
    return true;
  };
  const flush = (): boolean => {
    if (pending === '') return true;
    if (!breakIfPending()) return false;
    const node = budget.text(pending);
    pending = '';
    if (!node) return false;
    out.push(node);
    lastWasBreak = false;
    return true;
  };
  for (const entry of items) {
    if (entry.k === 'text') pending += entry.s;
    else if (entry.k === 'delim') pending += entry.ch.repeat(entry.count);
    else if (entry.k === 'bracket') pending += entry.s;
    else if (entry.k === 'break') {
      if (!flush()) return false;
      pendingBreak = true;
    } else if (entry.k === 'el') {
      if (!flush()) return false;
      if (entry.name !== 'br' && !breakIfPending()) return false;
      pendingBreak = false;
      const node = budget.element(entry.name, entry.attrs);
      if (!node) return false;
      out.push(node);
      lastWasBreak = entry.name === 'br';
      if (entry.kids.length > 0) {
        node.children = [];
        if (!emit(entry.kids, budget, node.children)) return false;
      }
    }
  }
  return flush();
}

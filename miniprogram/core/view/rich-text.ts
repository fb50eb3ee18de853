/**
 * Markdown (with a little HTML) → nodes for the mini-program `<rich-text nodes>` component. Rich-text
 * messages (src 30) come from a bot or agent console, so they are treated as untrusted: the output
 * only ever contains {@link ALLOWED_TAGS}, links and images only with http(s) URLs, no attributes
 * except `href`/`src`/`alt`/`style` set here, and raw HTML is reduced to its text (`<script>`/
 * `<style>` bodies are dropped entirely).
 *
 * Blocks come from marked's lexer (the copy tdesign-miniprogram ships for its chat-markdown), inline
 * text from `rich-inline.ts`. The whole path is linear in the input: `markdown-source.ts` prepares
 * what marked sees (cut, nesting capped, lazy lines made explicit, lexed in chunks), the inline pass
 * is linear by construction, and a node and byte budget bounds the output, ending a cut message
 * with a visible "content truncated".
 */
import type { MarkedToken } from 'tdesign-miniprogram/miniprogram_npm/marked/index';
import { Lexer } from 'tdesign-miniprogram/miniprogram_npm/marked/index';
import { t } from '../i18n/index';
import type { Language } from '../i18n/index';
import { MAX_NESTING, prepareMarkdown } from './markdown-source';
import { renderInline } from './rich-inline';
import { NodeBudget, truncationEnd } from './rich-nodes';
import type { RichTextElementNode, RichTextNode } from './rich-nodes';

export { ALLOWED_TAGS, MAX_NODES, MAX_NODE_BYTES } from './rich-nodes';
export type { RichTextElementNode, RichTextNode, RichTextTextNode } from './rich-nodes';
export { isSafeUrl } from './rich-scan';
export { MAX_INPUT, MAX_NESTING } from './markdown-source';

/** Deepest block nesting rendered; deeper blocks are flattened into their parent. */
const MAX_BLOCK_DEPTH = 2 * MAX_NESTING + 2;

/** Options of {@link markdownToNodes}. */
export interface RichTextOptions {
  /** Language of the "content truncated" end; the current language by default. */
  language?: Language;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

class BlockRenderer {
  constructor(readonly budget: NodeBudget) {}

  /**
   * `name` with inline content, appended to `out`; nothing when the content renders empty (an HTML
   * block that was only a `<script>`). Children go first, so a parent refused by a spent budget
   * still leaves what was rendered.
   */
  private inlineBlock(name: string, text: string, out: RichTextNode[], html = false): void {
    const children: RichTextNode[] = [];
    renderInline(text, this.budget, children, { html });
    if (children.length === 0 && (html || this.budget.full)) return;
    const node = this.budget.element(name);
    if (!node) {
      out.push(...children);
      return;
    }
    node.children = children;
    out.push(node);
  }

  private element(name: string, out: RichTextNode[]): RichTextElementNode | undefined {
    const node = this.budget.element(name);
    if (node) out.push(node);
    return node;
  }

  blocks(
    tokens: readonly MarkedToken[] | undefined,
    out: RichTextNode[],
    depth: number,
    inItem = false,
  ): void {
    if (!Array.isArray(tokens)) return;
    for (const token of tokens) {
      if (this.budget.full) return;
      this.block(token, out, depth, inItem);
    }
  }

  private block(token: MarkedToken, out: RichTextNode[], depth: number, inItem: boolean): void {
    const text = str(token.text);
    if (depth > MAX_BLOCK_DEPTH) {
      if (text) this.inlineBlock('p', text, out);
      return;
    }
    switch (token.type) {
      case 'space':
      case 'def':
        return;
      case 'code': {
        const pre = this.element('pre', out);
        const code = pre && this.budget.element('code');
        if (!pre || !code) return;
        pre.children = [code];
        const body = this.budget.text(text);
        if (body) code.children = [body];
        return;
      }
      case 'heading': {
        const level = Math.min(6, Math.max(1, Math.floor(Number(token.depth) || 1)));
        this.inlineBlock(`h${level}`, text, out);
        return;
      }
      case 'hr':
        this.element('hr', out);
        return;
      case 'blockquote': {
        const quote = this.element('blockquote', out);
        if (!quote) return;
        quote.children = [];
        this.blocks(token.tokens, quote.children, depth + 1);
        return;
      }
      case 'list':
        this.list(token, out, depth);
        return;
      case 'table':
        this.table(token, out);
        return;
      case 'html':
        this.inlineBlock('p', text, out, true);
        return;
      case 'text':
        // Tight list items hold bare text; elsewhere it is a paragraph.
        if (inItem) renderInline(text, this.budget, out);
        else this.inlineBlock('p', text, out);
        return;
      default:
        if (text) this.inlineBlock('p', text, out);
    }
  }

  private list(token: MarkedToken, out: RichTextNode[], depth: number): void {
    const list = this.element(token.ordered === true ? 'ol' : 'ul', out);
    if (!list) return;
    list.children = [];
    for (const item of Array.isArray(token.items) ? token.items : []) {
      const li = this.element('li', list.children);
      if (!li) return;
      li.children = [];
      if (item.task === true) {
        const box = this.budget.text(item.checked === true ? '☑ ' : '☐ ');
        if (!box) return;
        li.children.push(box);
      }
      this.blocks(item.tokens, li.children, depth + 2, true);
    }
  }

  /** A table as one line per row (cells separated by ` | `, the header row in bold). */
  private table(token: MarkedToken, out: RichTextNode[]): void {
    const rows = [token.header ?? [], ...(token.rows ?? [])];
    rows.forEach((row, index) => {
      if (this.budget.full || !Array.isArray(row)) return;
      const line = row.map((cell) => str(cell?.text)).join(' | ');
      if (index === 0) {
        const p = this.element('p', out);
        const strong = p && this.budget.element('strong');
        if (!p || !strong) return;
        p.children = [strong];
        strong.children = [];
        renderInline(line, this.budget, strong.children);
      } else this.inlineBlock('p', line, out);
    });
  }
}

/**
 * Markdown/HTML → sanitized rich-text nodes. Never throws; empty or non-string input gives `[]`.
 * At most {@link MAX_NODES} nodes and {@link MAX_NODE_BYTES} bytes of JSON: a message cut by either
 * limit (or longer than `MAX_INPUT`) ends with a "content truncated" paragraph.
 */
export function markdownToNodes(markdown: unknown, options: RichTextOptions = {}): RichTextNode[] {
  if (typeof markdown !== 'string' || markdown === '') return [];
  const budget = new NodeBudget();
  const out: RichTextNode[] = [];
  const prepared = prepareMarkdown(markdown);
  let cut = prepared.cut;
  try {
    const renderer = new BlockRenderer(budget);
    for (const chunk of prepared.chunks) {
      if (budget.full) break;
      renderer.blocks(new Lexer({ gfm: true }).blockTokens(chunk), out, 0);
    }
  } catch {
    // marked or the renderer failed on something unforeseen: show what was made, marked as cut.
    cut = true;
  }
  if (cut || budget.full)
    out.push(truncationEnd(t('tccc.rich-text.truncated', undefined, options.language)));
  return out;
}

/** The visible text of nodes (for previews, accessibility labels and tests). */
export function nodesToText(nodes: readonly RichTextNode[], depth = 0): string {
  if (depth > 64) return '';
  let out = '';
  for (const node of nodes) {
    if ('type' in node) out += node.text;
    else if (node.name === 'br') out += '\n';
    else if (node.children) out += nodesToText(node.children, depth + 1);
  }
  return out;
}

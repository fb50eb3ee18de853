/**
 * The part of `marked` that `rich-text.ts` uses: its block lexer. The module is the copy of marked
 * that tdesign-miniprogram ships for its chat-markdown component (`miniprogram_npm` inside the
 * package), so the mini-program carries marked once. The package ships no type declarations.
 */
declare module 'tdesign-miniprogram/miniprogram_npm/marked/index' {
  /** A block token; only the fields `rich-text.ts` reads. */
  export interface MarkedToken {
    type: string;
    raw?: string;
    text?: string;
    depth?: number;
    ordered?: boolean;
    task?: boolean;
    checked?: boolean;
    tokens?: MarkedToken[];
    items?: MarkedToken[];
    header?: MarkedTableCell[];
    rows?: MarkedTableCell[][];
  }

  export interface MarkedTableCell {
    text: string;
  }

  export interface LexerOptions {
    gfm?: boolean;
    breaks?: boolean;
    pedantic?: boolean;
  }

  export class Lexer {
    constructor(options?: LexerOptions);
    /** Block structure only: inline `tokens` stay empty, each block keeps its raw inline `text`. */
    blockTokens(src: string, tokens?: MarkedToken[]): MarkedToken[];
  }
}

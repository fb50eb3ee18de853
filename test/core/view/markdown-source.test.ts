import { Lexer } from 'tdesign-miniprogram/miniprogram_npm/marked/index';
import {
  CHUNK_SIZE,
  capNesting,
  chunks,
  explicitLazyLines,
  MAX_INPUT,
  prepareMarkdown,
} from '../../../miniprogram/core/view/markdown-source';

/** What marked makes of a source, without the raw text (which the rewriting changes). */
function shape(source: string): unknown {
  const strip = (tokens: unknown): unknown =>
    Array.isArray(tokens)
      ? tokens.map((token: Record<string, unknown>) => ({
          type: token.type,
          text: token.type === 'blockquote' ? undefined : token.text,
          tokens: strip(token.tokens),
          items: strip(token.items),
        }))
      : undefined;
  return strip(new Lexer({ gfm: true }).blockTokens(source));
}

describe('capNesting', () => {
  it('escapes container markers past the sixth, and leaves thematic breaks alone', () => {
    expect(capNesting('> > > > > > > > x')).toBe('> > > > > > \\> > x');
    expect(capNesting('- 1. - 2) + * x')).toBe('- 1. - 2) + * x');
    expect(capNesting('- 1. - 2) + * - x')).toBe('- 1. - 2) + * \\- x');
    expect(capNesting('1. 2. 3. 4. 5. 6. 7. x')).toBe('1. 2. 3. 4. 5. 6. 7\\. x');
    expect(capNesting('- - - - - - - - -')).toBe('- - - - - - - - -');
    expect(capNesting('plain > text')).toBe('plain > text');
  });
});

describe('explicitLazyLines', () => {
  it('gives a lazy paragraph line the quote markers, which marked reads the same way', () => {
    const cases = [
      '> a\nb\nc',
      '> > a\nb',
      '> - a\nb',
      '> 1. a\n2024 年\nx',
      '> a\n\nb',
      '> # h\nb',
      '> ```\ncode\nb',
      '> a\n- b',
      '> a\n> ```\nb',
    ];
    for (const source of cases) {
      const rewritten = explicitLazyLines(source.split('\n')).join('\n');
      expect(shape(rewritten)).toEqual(shape(source));
    }
    expect(explicitLazyLines(['> > a', 'b', 'c'])).toEqual(['> > a', '> > b', '> > c']);
    expect(explicitLazyLines(['> # h', 'b'])).toEqual(['> # h', 'b']);
    expect(explicitLazyLines(['> a', '- b'])).toEqual(['> a', '- b']);
  });
});

describe('chunks', () => {
  it('keeps a short message whole', () => {
    const lines = ['# t', '', 'para', '', '```', 'a', '', 'b', '```'];
    expect(chunks(lines)).toEqual([lines.join('\n')]);
  });

  it('cuts long input at blank lines, each chunk near the chunk size', () => {
    const paragraph = 'x'.repeat(300);
    const lines = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? paragraph : ''));
    const out = chunks(lines);
    expect(out.length).toBeGreaterThan(3);
    for (const chunk of out) expect(chunk.length).toBeLessThanOrEqual(CHUNK_SIZE + 301);
    expect(out.join('\n')).toBe(lines.join('\n'));
  });

  it('closes and reopens a fenced block that a cut goes through', () => {
    const lines = ['```', ...Array.from({ length: 400 }, () => 'code line'), '```', 'after'];
    const out = chunks(lines);
    expect(out.length).toBeGreaterThan(1);
    for (const chunk of out.slice(0, -1)) {
      const tokens = new Lexer({ gfm: true }).blockTokens(chunk);
      expect(tokens.map((t) => t.type)).toEqual(['code']);
    }
    expect(out[out.length - 1].endsWith('```\nafter')).toBe(true);
  });
});

describe('prepareMarkdown', () => {
  it('cuts the input without splitting a surrogate pair and normalises line ends', () => {
    const emoji = '😀'.repeat(MAX_INPUT);
    const prepared = prepareMarkdown(emoji);
    expect(prepared.cut).toBe(true);
    const joined = prepared.chunks.join('\n');
    expect(joined.length).toBeLessThanOrEqual(MAX_INPUT);
    expect(/[\ud800-\udbff]$/.test(joined)).toBe(false);
    expect(prepareMarkdown('a\r\nb\rc')).toEqual({ chunks: ['a\nb\nc'], cut: false });
  });
});

/**
 * The Markdown source as marked's block lexer gets it, prepared in one linear pass so that the
 * lexer's own cost stays linear too. marked recurses once per container level and re-reads a
 * blockquote or list from the start each time a lazy line (a line without `>` that continues a
 * quoted paragraph) interrupts it, which makes some 20,000-character inputs take seconds. So:
 *
 * - the input is cut at {@link MAX_INPUT} characters and `\r\n` becomes `\n`;
 * - container markers past the {@link MAX_NESTING}th on a line are escaped (they read as text);
 * - a lazy line gets the `>` markers of the line it continues, which CommonMark defines to mean the
 *   same thing; only lines that can be nothing but paragraph text are touched;
 * - the source is split into chunks of about {@link CHUNK_SIZE} characters, at blank lines when it
 *   can be (outside fenced code), so marked never sees one block longer than that. A message
 *   shorter than a chunk is lexed whole; a fenced block that a cut goes through is closed and
 *   reopened, so it stays code.
 */

/** Longest input rendered; the rest is cut (and the message ends with "content truncated"). */
export const MAX_INPUT = 20_000;

/** Deepest container nesting (quotes and lists) one line may open. */
export const MAX_NESTING = 6;

/** Size of the pieces marked lexes one at a time. */
export const CHUNK_SIZE = 2_000;

function isThematicBreak(line: string, start: number): boolean {
  let marker = '';
  let count = 0;
  for (let i = start; i < line.length; i += 1) {
    const c = line[i];
    if (c === ' ' || c === '\t') continue;
    if (c !== '-' && c !== '*' && c !== '_') return false;
    if (marker === '') marker = c;
    else if (c !== marker) return false;
    count += 1;
  }
  return count >= 3;
}

function isBlank(c: string | undefined): boolean {
  return c === undefined || c === ' ' || c === '\t';
}

/** End of the list marker (`-`, `+`, `*`, `1.`, `1)`) at `i`, or -1. */
function listMarkerEnd(line: string, i: number): number {
  const c = line[i];
  if ((c === '-' || c === '*' || c === '+') && isBlank(line[i + 1])) return i + 1;
  let j = i;
  while (j < line.length && j - i < 9 && line[j] >= '0' && line[j] <= '9') j += 1;
  if (j > i && (line[j] === '.' || line[j] === ')') && isBlank(line[j + 1])) return j + 1;
  return -1;
}

function skipBlank(line: string, i: number): number {
  while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i += 1;
  return i;
}

/**
 * Escapes container markers past the {@link MAX_NESTING}th on a line, so they read as text. A
 * thematic break (`- - - -`) is left alone.
 */
export function capNesting(line: string): string {
  let i = 0;
  for (let depth = 0; ; depth += 1) {
    i = skipBlank(line, i);
    if (i >= line.length) return line;
    let end = line[i] === '>' ? i + 1 : listMarkerEnd(line, i);
    if (end > 0 && line[i] !== '>' && depth === 0 && isThematicBreak(line, i)) end = -1;
    if (end < 0) return line;
    if (depth >= MAX_NESTING) return `${line.slice(0, end - 1)}\\${line.slice(end - 1)}`;
    i = end;
  }
}

/** Length of the leading `>` markers of a line (each with up to 3 spaces before, 1 after). */
function quotePrefix(line: string): number {
  let end = 0;
  for (;;) {
    let i = end;
    while (i < line.length && i - end < 3 && line[i] === ' ') i += 1;
    if (line[i] !== '>') return end;
    i += 1;
    if (line[i] === ' ' || line[i] === '\t') i += 1;
    end = i;
  }
}

/** Whether a line can only be paragraph text (it cannot start or interrupt any other block). */
function isParagraphText(line: string, from = 0): boolean {
  const i = skipBlank(line, from);
  if (i >= line.length) return false;
  if ('>#=`~<|-+*_'.indexOf(line[i]) >= 0) return false;
  return listMarkerEnd(line, i) < 0;
}

function isFence(content: string): boolean {
  const i = skipBlank(content, 0);
  return content.startsWith('```', i) || content.startsWith('~~~', i);
}

/** Gives lazy continuation lines the `>` markers of the quoted paragraph they continue. */
export function explicitLazyLines(lines: string[]): string[] {
  let lazy = '';
  let quotedFence = false;
  return lines.map((line) => {
    const q = quotePrefix(line);
    if (q > 0) {
      const content = line.slice(q);
      if (isFence(content)) quotedFence = !quotedFence;
      let text = 0;
      for (
        let k = 0, m = listMarkerEnd(content, skipBlank(content, 0));
        k < MAX_NESTING && m > 0;
        k += 1
      ) {
        text = m;
        m = listMarkerEnd(content, skipBlank(content, m));
      }
      lazy = !quotedFence && isParagraphText(content, text) ? line.slice(0, q) : '';
      return line;
    }
    quotedFence = false;
    if (lazy !== '' && isParagraphText(line)) return lazy + line;
    lazy = '';
    return line;
  });
}

/** A top-level fence opening or closing line: its marker run (```` ``` ````, `~~~~`), or ''. */
function fenceRun(line: string): string {
  const i = skipBlank(line, 0);
  if (i > 3) return '';
  const c = line[i];
  if (c !== '`' && c !== '~') return '';
  let j = i;
  while (line[j] === c) j += 1;
  return j - i >= 3 ? line.slice(i, j) : '';
}

/** Splits lines into chunks of about {@link CHUNK_SIZE} characters (see the module comment). */
export function chunks(lines: readonly string[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let size = 0;
  let fence = '';
  const flush = (): void => {
    if (current.length > 0) out.push(current.join('\n'));
    current = [];
    size = 0;
  };
  for (const line of lines) {
    const run = fenceRun(line);
    const closes = fence !== '' && run[0] === fence[0] && run.length >= fence.length;
    if (fence === '' && size >= CHUNK_SIZE / 2 && line.trim() === '') flush();
    else if (size >= CHUNK_SIZE) {
      if (fence !== '' && !closes) {
        current.push(fence);
        flush();
        current.push(fence);
        size = fence.length;
      } else flush();
    }
    current.push(line);
    size += line.length + 1;
    if (closes && skipBlank(line, skipBlank(line, 0) + run.length) === line.length) fence = '';
    else if (fence === '' && run !== '') fence = run;
  }
  flush();
  return out;
}

/** The prepared source: the chunks marked lexes, and whether the input was cut. */
export function prepareMarkdown(markdown: string): { chunks: string[]; cut: boolean } {
  let source = markdown;
  let cut = false;
  if (source.length > MAX_INPUT) {
    const code = source.charCodeAt(MAX_INPUT - 1);
    source = source.slice(0, code >= 0xd800 && code <= 0xdbff ? MAX_INPUT - 1 : MAX_INPUT);
    cut = true;
  }
  const lines = explicitLazyLines(source.replace(/\r\n?/g, '\n').split('\n').map(capNesting));
  return { chunks: chunks(lines), cut };
}

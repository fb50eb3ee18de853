import path from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pruneIconCss, tokensOf } = require(
  path.resolve(__dirname, '../../scripts/prune-icons.js'),
) as {
  pruneIconCss: (
    css: string,
    used: Set<string>,
  ) => { css: string; kept: string[]; dropped: number };
  tokensOf: (text: string, into: Set<string>) => Set<string>;
};

const CSS = [
  "@font-face{font-family:t;src:url(https://example.com/t.woff) format('woff');}",
  '.t-icon{font-family:t!important;}',
  ".t-icon-star-filled:before{content:'\\E001';}",
  ".t-icon-service:before{content:'\\E002';}",
  ".t-icon-zoom-out:before{content:'\\E003';}",
].join('\n');

describe('tdesign icon pruning', () => {
  it('keeps the base rules and the icons named in code, drops the others', () => {
    const used = tokensOf(
      `<t-icon name="service" /> icon: ['star-filled', 'star-filled']`,
      new Set(),
    );
    const out = pruneIconCss(CSS, used);
    expect(out.kept).toEqual(['star-filled', 'service']);
    expect(out.dropped).toBe(1);
    expect(out.css).toContain('@font-face');
    expect(out.css).toContain('.t-icon{font-family:t!important;}');
    expect(out.css).not.toContain('zoom-out');
  });

  it('finds names in bindings and class names too', () => {
    const used = tokensOf(
      `<t-icon name="{{ok ? 'check' : 'close'}}" /> <view class="t-icon-zoom-out" />`,
      new Set(),
    );
    expect(used.has('check')).toBe(true);
    expect(used.has('close')).toBe(true);
    expect(used.has('zoom-out')).toBe(true);
  });
});

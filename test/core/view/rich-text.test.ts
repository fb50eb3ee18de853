import { t } from '../../../miniprogram/core/i18n/index';
import {
  isSafeUrl,
  markdownToNodes,
  nodesToText,
  ALLOWED_TAGS,
  MAX_NODES,
  MAX_NODE_BYTES,
} from '../../../miniprogram/core/view/rich-text';
import type { RichTextElementNode, RichTextNode } from '../../../miniprogram/core/view/rich-text';

function walk(nodes: RichTextNode[], visit: (n: RichTextNode) => void): void {
  for (const n of nodes) {
    visit(n);
    if (!('type' in n) && n.children) walk(n.children, visit);
  }
}

describe('markdownToNodes', () => {
  it('renders headings, emphasis, lists, code and links', () => {
    const nodes = markdownToNodes(
      '# 标题\n\n**粗体** 和 *斜体* `code`\n\n- 一\n- 二\n\n1. first\n\n[官网](https://example.com)',
    );
    expect(nodes.map((n) => ('name' in n ? n.name : 'text'))).toEqual(['h1', 'p', 'ul', 'ol', 'p']);
    expect(nodesToText(nodes)).toBe('标题粗体 和 斜体 code一二first官网');
    const link = (nodes[4] as { children: RichTextNode[] }).children[0];
    expect(link).toEqual({
      name: 'a',
      attrs: { href: 'https://example.com' },
      children: [{ type: 'text', text: '官网' }],
    });
  });

  it('keeps only http(s) images and links', () => {
    const nodes = markdownToNodes(
      '![x](https://img.example.com/a.png) ![y](javascript:alert(1)) [z](javascript:alert(1)) [w](data:text/html,1)',
    );
    const names: string[] = [];
    walk(nodes, (n) => {
      if ('name' in n) names.push(n.name);
      if ('name' in n && n.attrs) {
        for (const v of Object.values(n.attrs)) expect(v).not.toMatch(/javascript:|data:/i);
      }
    });
    expect(names.filter((n) => n === 'img')).toHaveLength(1);
    expect(names).not.toContain('a');
  });

  it('reduces raw HTML to text and drops scripts with their body', () => {
    const nodes = markdownToNodes(
      '<p>hi <b>there</b></p><script>alert(1)</script><img src="https://e.com/i.png" onerror="x()"><a href="javascript:x()">bad</a><style>p{}</style><iframe src="https://evil"></iframe>',
    );
    const text = nodesToText(nodes);
    expect(text).toContain('hi there');
    expect(text).toContain('bad');
    expect(text).not.toContain('alert');
    walk(nodes, (n) => {
      if ('name' in n) {
        expect(ALLOWED_TAGS.has(n.name)).toBe(true);
        for (const key of Object.keys(n.attrs ?? {}))
          expect(['href', 'src', 'alt', 'style']).toContain(key);
      }
    });
    let imgs = 0;
    walk(nodes, (n) => {
      if ('name' in n && n.name === 'img') imgs += 1;
    });
    expect(imgs).toBe(1);
  });

  it('keeps text that looks like tags inert (text nodes are not parsed by rich-text)', () => {
    const nodes = markdownToNodes('a &lt;script&gt; b');
    expect(nodesToText(nodes)).toBe('a <script> b');
    walk(nodes, (n) => {
      if ('name' in n) expect(n.name).not.toBe('script');
    });
  });

  it('never throws on hostile input and bounds its output', () => {
    const inputs = [
      '',
      '*'.repeat(10_000),
      '['.repeat(5000) + ']('.repeat(5000),
      '<'.repeat(20_000),
      '```\n'.repeat(1000),
      '> '.repeat(5000),
      'x\n'.repeat(50_000),
    ];
    for (const input of inputs) {
      const nodes = markdownToNodes(input);
      let count = 0;
      walk(nodes, () => (count += 1));
      expect(count).toBeLessThan(10_000);
    }
  });

  it('checks URLs strictly', () => {
    expect(isSafeUrl('https://a.b/c?d=e')).toBe(true);
    expect(isSafeUrl('http://a.b')).toBe(true);
    expect(isSafeUrl('https://a.b/"onload="x')).toBe(false);
    expect(isSafeUrl('//a.b')).toBe(false);
    expect(isSafeUrl('JAVASCRIPT:alert(1)')).toBe(false);
  });
});

function names(nodes: RichTextNode[]): string[] {
  const out: string[] = [];
  walk(nodes, (n) => {
    if ('name' in n) out.push(n.name);
  });
  return out;
}

function countNodes(nodes: RichTextNode[]): number {
  let count = 0;
  walk(nodes, () => (count += 1));
  return count;
}

describe('markdownToNodes on marked blocks', () => {
  it('renders the protocol fixture (src 30) as heading, paragraph with a link, and an image', () => {
    const nodes = markdownToNodes(
      '## 退款说明\n\n**原路退回**，预计 1-3 个工作日到账。详见 [退款规则](https://example.com/refund)。\n\n<img src="https://example.com/refund.png">',
    );
    expect(nodes.map((n) => ('name' in n ? n.name : 'text'))).toEqual(['h2', 'p', 'p']);
    expect(nodesToText(nodes)).toBe('退款说明原路退回，预计 1-3 个工作日到账。详见 退款规则。');
    expect(names(nodes)).toEqual(expect.arrayContaining(['strong', 'a', 'img']));
  });

  it('keeps emphasis next to CJK punctuation', () => {
    const nodes = markdownToNodes('请点击**“确认”**按钮');
    const strong = (nodes[0] as RichTextElementNode).children?.[1];
    expect(strong).toEqual({ name: 'strong', children: [{ type: 'text', text: '“确认”' }] });
  });

  it('nests emphasis, strikethrough and code spans, and keeps code literal', () => {
    const nodes = markdownToNodes('***both*** ~~gone~~ `a *b* <i>`');
    expect(names(nodes)).toEqual(['p', 'em', 'strong', 'del', 'code']);
    expect(nodesToText(nodes)).toBe('both gone a *b* <i>');
  });

  it('matches CommonMark on emphasis that cannot close', () => {
    expect(nodesToText(markdownToNodes('a * b * c'))).toBe('a * b * c');
    expect(names(markdownToNodes('snake_case_name'))).toEqual(['p']);
    expect(names(markdownToNodes('*[a*](https://x.y)'))).toEqual(['p', 'a']);
  });

  it('renders lists (nested, ordered, tasks), quotes, fences, rules and tables', () => {
    const nodes = markdownToNodes(
      '- a\n  - b\n- [x] done\n\n3. three\n\n> quote\n\n```js\nx < 1 && y\n```\n\n---\n\n| k | v |\n|---|---|\n| 1 | 2 |',
    );
    expect(nodes.map((n) => ('name' in n ? n.name : 'text'))).toEqual([
      'ul',
      'ol',
      'blockquote',
      'pre',
      'hr',
      'p',
      'p',
    ]);
    expect(nodesToText(nodes)).toBe('ab☑ donethreequotex < 1 && yk | v1 | 2');
  });

  it('autolinks bare URLs without trailing punctuation or following CJK text', () => {
    const nodes = markdownToNodes(
      '见 https://example.com/a?b=1。访问https://x.y/z, 或 <https://q.r>.',
    );
    const hrefs: string[] = [];
    walk(nodes, (n) => {
      if ('name' in n && n.name === 'a') hrefs.push(n.attrs?.href ?? '');
    });
    expect(hrefs).toEqual(['https://example.com/a?b=1', 'https://x.y/z', 'https://q.r']);
  });

  it('maps the inline HTML it knows and drops the rest, attributes included', () => {
    const nodes = markdownToNodes(
      'a<br>b <b>B</b> <i>I</i> <s>S</s> <a href="https://ok.example" onclick="x()">ok</a> <a href="javascript:x">no</a> <span style="color:red">plain</span> <img src="http://i.example/p.png" alt="pic">',
    );
    expect(names(nodes)).toEqual(['p', 'br', 'strong', 'em', 'del', 'a', 'img']);
    expect(nodesToText(nodes)).toBe('a\nb B I S ok no plain ');
    walk(nodes, (n) => {
      if ('name' in n && n.name === 'a') expect(n.attrs).toEqual({ href: 'https://ok.example' });
    });
  });

  it('does not nest links, and keeps the text of unsafe ones', () => {
    const nodes = markdownToNodes(
      '[outer [inner](https://in.example) text](https://out.example) [x](ftp://f)',
    );
    const links: RichTextElementNode[] = [];
    walk(nodes, (n) => {
      if ('name' in n && n.name === 'a') links.push(n);
    });
    // The inner link wins; the outer brackets stay text (GFM still autolinks the bare URL).
    expect(links.map((l) => l.attrs?.href)).toEqual(['https://in.example', 'https://out.example']);
    for (const link of links) expect(names(link.children ?? [])).toEqual([]);
    expect(nodesToText(nodes)).toBe('[outer inner text](https://out.example) x');
  });

  it('decodes character references in text and attributes but not in code blocks', () => {
    const nodes = markdownToNodes(
      'a &amp; b &#x4e2d; &bogus; [l](https://a.example/?x=1&amp;y=2)\n\n    &amp;',
    );
    expect(nodesToText(nodes)).toBe('a & b 中 &bogus; l&amp;');
    walk(nodes, (n) => {
      if ('name' in n && n.name === 'a') expect(n.attrs?.href).toBe('https://a.example/?x=1&y=2');
    });
  });

  it('caps container nesting on one line, keeping the rest as text', () => {
    const nodes = markdownToNodes('> '.repeat(50) + 'deep');
    let depth = 0;
    let node: RichTextNode | undefined = nodes[0];
    while (node && 'name' in node && node.name === 'blockquote') {
      depth += 1;
      node = node.children?.[0];
    }
    expect(depth).toBe(6);
    expect(nodesToText(nodes)).toContain('deep');
    expect(nodesToText(markdownToNodes('- - - - - - - - - -'))).toBe('');
    expect(names(markdownToNodes('- - - - - - - - - -'))).toEqual(['hr']);
  });

  it('gives [] for empty and non-string input, without throwing', () => {
    for (const input of [undefined, null, 0, 42, true, {}, [], { toString: () => '# x' }, ''])
      expect(markdownToNodes(input)).toEqual([]);
  });

  it('cuts at 3,000 nodes with a visible end in the requested language', () => {
    const list = '- item\n'.repeat(6500);
    const zh = markdownToNodes(list, { language: 'zh-CN' });
    const en = markdownToNodes(list, { language: 'en' });
    expect(countNodes(zh)).toBeLessThanOrEqual(MAX_NODES);
    expect(countNodes(zh)).toBeGreaterThan(2_900);
    expect(nodesToText([zh[zh.length - 1]])).toBe(
      t('tccc.rich-text.truncated', undefined, 'zh-CN'),
    );
    expect(nodesToText([en[en.length - 1]])).toBe(t('tccc.rich-text.truncated', undefined, 'en'));
    expect(
      markdownToNodes('- item\n'.repeat(10)).some((n) => nodesToText([n]).includes('截断')),
    ).toBe(false);
  });

  it('cuts input beyond 20,000 characters with the same visible end', () => {
    const nodes = markdownToNodes('字'.repeat(25_000), { language: 'en' });
    expect(nodesToText(nodes)).toBe(
      '字'.repeat(20_000) + t('tccc.rich-text.truncated', undefined, 'en'),
    );
  });

  it('keeps the JSON of one message within the byte budget, images with long URLs included', () => {
    const long = `![](https://img.example/${'a'.repeat(3000)}.png)\n`;
    const nodes = markdownToNodes(long.repeat(6));
    expect(Buffer.byteLength(JSON.stringify(nodes))).toBeLessThanOrEqual(MAX_NODE_BYTES + 1000);
    const wide = markdownToNodes('![](https://i.example/p.png)'.repeat(700));
    expect(Buffer.byteLength(JSON.stringify(wide))).toBeLessThanOrEqual(MAX_NODE_BYTES + 1000);
    expect(nodesToText([wide[wide.length - 1]])).toBe(t('tccc.rich-text.truncated'));
  });
});

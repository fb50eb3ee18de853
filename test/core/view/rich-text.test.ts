import {
  isSafeUrl,
  markdownToNodes,
  nodesToText,
  ALLOWED_TAGS,
} from '../../../miniprogram/core/view/rich-text';
import type { RichTextNode } from '../../../miniprogram/core/view/rich-text';

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

import { setLanguage } from '../../../miniprogram/core/i18n/index';
import { markdownToNodes } from '../../../miniprogram/core/view/rich-text';
import type { RichTextNode } from '../../../miniprogram/core/view/rich-text';
import {
  ariaLabelOf,
  avatarInitial,
  copyTextOf,
  richTextLinks,
  richTextToPlain,
  summaryOf,
} from '../../../miniprogram/core/chat/message-text';
import { baseMessage, cardView, menuView } from './fixtures';

afterEach(() => setLanguage('zh-CN'));

describe('message-text helpers', () => {
  it('richTextToPlain keeps text order and breaks lines between blocks', () => {
    const nodes = markdownToNodes('# 标题\n\n第一段 **加粗**\n\n- 甲\n- 乙');
    expect(richTextToPlain(nodes)).toBe('标题\n第一段 加粗\n甲\n乙');
    expect(richTextToPlain([])).toBe('');
    expect(richTextToPlain(undefined)).toBe('');
  });

  it('richTextToPlain stops at a depth cap instead of recursing without end', () => {
    let node: RichTextNode = { type: 'text', text: 'deep' };
    for (let i = 0; i < 200; i += 1) node = { name: 'em', children: [node] };
    expect(richTextToPlain([node, { type: 'text', text: 'after' }])).toBe('after');
  });

  it('richTextLinks lists links once each, in order, capped', () => {
    const md = Array.from({ length: 8 }, (_, i) => `[l${i}](https://e.example/${i})`).join(' ');
    const links = richTextLinks(markdownToNodes(md));
    expect(links).toHaveLength(5);
    expect(links[0]).toEqual({ text: 'l0', url: 'https://e.example/0' });
    const bare: RichTextNode[] = [{ name: 'a', attrs: { href: 'https://e.example/x' } }];
    expect(richTextLinks(bare)).toEqual([
      { text: 'https://e.example/x', url: 'https://e.example/x' },
    ]);
  });

  it('aria label: sender, time and content; no double spaces when the nick is empty', () => {
    expect(ariaLabelOf(baseMessage({ text: '你好' }))).toBe('客服 小王 10:32：你好');
    expect(ariaLabelOf(baseMessage({ nick: '', text: '你好' }))).toBe('客服 10:32：你好');
    expect(ariaLabelOf(baseMessage({ isMine: true, text: '在吗' }))).toBe('我 10:32：在吗');
    setLanguage('en');
    expect(ariaLabelOf(baseMessage({ text: 'hi' }))).toBe('Service 小王 10:32: hi');
  });

  it('summaries of cards, and copy text only for text-like kinds', () => {
    expect(summaryOf(baseMessage({ kind: 'product-card', card: cardView() }))).toBe(
      '[商品] 智能空调 KFR-35GW',
    );
    expect(summaryOf(baseMessage({ kind: 'menu', menu: menuView() }))).toBe('请选择您要咨询的问题');
    expect(copyTextOf(baseMessage({ kind: 'menu', menu: menuView() }))).toBe('');
    expect(
      copyTextOf(
        baseMessage({ kind: 'stream', stream: { text: 'abc', finished: true, showCursor: false } }),
      ),
    ).toBe('abc');
  });

  it("avatar initial: first character of the nick, 我 for one's own, 客 without a nick", () => {
    expect(avatarInitial(baseMessage({ nick: '小王' }))).toBe('小');
    expect(avatarInitial(baseMessage({ nick: '' }))).toBe('客');
    expect(avatarInitial(baseMessage({ nick: '😀Bot' }))).toBe('😀');
  });
});

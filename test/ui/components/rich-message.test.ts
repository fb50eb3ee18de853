import { markdownToNodes } from '../../../miniprogram/core/view/rich-text';
import { find, findAll, mountHost, tap } from './host';

const PATH = 'components/rich-message/rich-message';

describe('rich-message', () => {
  // <rich-text> draws nothing under simulate, so the nodes are checked as data.
  it('hands the sanitized nodes to rich-text unchanged', async () => {
    const nodes = markdownToNodes('# 退货说明\n\n1. 保持包装完好\n2. 七天内申请');
    const h = await mountHost(PATH, { nodes }, ['openurl']);
    expect(h.subject.data.nodes).toEqual(nodes);
    expect(h.subject.querySelector('.cs-rich__body')).toBeTruthy();
    expect(h.subject.querySelector('.cs-rich__links')).toBeUndefined();
  });

  it('offers every link as its own tappable row → openurl', async () => {
    const nodes = markdownToNodes(
      '查看[物流](https://example.com/track)或[发票](https://example.com/invoice)，再看[物流](https://example.com/track)',
    );
    const h = await mountHost(PATH, { nodes }, ['openurl']);
    const links = findAll(h.subject, '.cs-rich__link');
    expect(links.map((l) => l.dom!.textContent)).toEqual(['物流', '发票']);
    expect(h.subject.data.links[1].label).toBe('打开链接：发票');
    await tap(links[1]);
    expect(h.events).toEqual([{ type: 'openurl', detail: { url: 'https://example.com/invoice' } }]);
  });

  it('unsafe links never become rows (core drops them)', async () => {
    const nodes = markdownToNodes(
      '[点我](javascript:alert(1)) <a href="http://ok.example/x">好</a>',
    );
    const h = await mountHost(PATH, { nodes }, ['openurl']);
    const urls = (h.subject.data.links as { url: string }[]).map((l) => l.url);
    expect(urls).toEqual(['http://ok.example/x']);
    expect(find(h.subject, '.cs-rich__link').dom!.textContent).toBe('好');
  });
});

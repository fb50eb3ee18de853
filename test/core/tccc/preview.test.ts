import type { ClassifiedMessage } from '../../../miniprogram/core/tccc';
import {
  MAX_PREVIEW_LENGTH,
  classifyMessage,
  previewText,
  stripMarkup,
} from '../../../miniprogram/core/tccc';
import {
  customMessage,
  fixtureMessage,
  imageMessage,
  sdkMessage,
  textMessage,
} from './sdk-message';

const fixture = (name: string): ClassifiedMessage => classifyMessage(fixtureMessage(name));

describe('previewText', () => {
  it.each([
    ['src-9-rating', '[服务评价]', '[Rating]'],
    ['src-22-product-card', '[商品卡片]', '[Product]'],
    ['src-28-order-card', '[订单]', '[Order]'],
    ['src-21-form-choice', '[表单]', '[Form]'],
    ['src-33-task-form', '[表单]', '[Form]'],
  ])('%s → %s / %s', (name, zh, en) => {
    expect(previewText(fixture(name), 'zh-CN')).toBe(zh);
    expect(previewText(fixture(name), 'en')).toBe(en);
  });

  it('menus show their header or title', () => {
    expect(previewText(fixture('src-15-branch'), 'zh-CN')).toBe('您好，请问有什么可以帮您？');
    expect(previewText(fixture('src-32-task-branch'), 'zh-CN')).toBe('请选择要办理的业务');
    expect(previewText(fixture('src-29-robot-welcome'), 'zh-CN')).toBe('猜你想问');
    expect(previewText(fixture('src-29-robot-clarify'), 'zh-CN')).toBe('您是想问以下哪个问题？');
  });

  it('a menu without a header falls back to its first row, then to [菜单]', () => {
    const noHeader = classifyMessage(
      customMessage('{"src":"15","content":{"items":[{"content":"查订单"}]}}'),
    );
    expect(previewText(noHeader, 'zh-CN')).toBe('查订单');
    const empty = classifyMessage(customMessage('{"src":"15","content":{}}'));
    expect(previewText(empty, 'zh-CN')).toBe('[菜单]');
    expect(previewText(empty, 'en')).toBe('[Menu]');
  });

  it('rich text is stripped of markup', () => {
    expect(previewText(fixture('src-30-rich-text'), 'zh-CN')).toBe(
      '退款说明 原路退回，预计 1-3 个工作日到账。详见 退款规则。',
    );
  });

  it('streams show the text so far, or a placeholder while empty', () => {
    expect(previewText(fixture('src-31-stream-unfinished'), 'zh-CN')).toBe('您好，我是智能客服，');
    const empty = classifyMessage(customMessage('{"src":"31","chunks":[],"isFinished":0}'));
    expect(previewText(empty, 'zh-CN')).toBe('[正在回复]');
  });

  it('tips show their text', () => {
    expect(previewText(fixture('src-36-concurrency-limit'), 'zh-CN')).toBe(
      '当前咨询人数较多，请稍候',
    );
    expect(previewText(classifyMessage(customMessage('{"src":"34"}')), 'en')).toBe('[Notice]');
  });

  it('plain messages: text as one line, media as labels', () => {
    expect(previewText(classifyMessage(textMessage('第一行\n第二行')), 'zh-CN')).toBe(
      '第一行 第二行',
    );
    expect(previewText(classifyMessage(imageMessage()), 'zh-CN')).toBe('[图片]');
    expect(previewText(classifyMessage(imageMessage()), 'en')).toBe('[Image]');
    expect(
      previewText(classifyMessage(sdkMessage({ type: 'TIMFileElem', payload: {} })), 'zh-CN'),
    ).toBe('[文件]');
  });

  it('revoked and unsupported', () => {
    expect(previewText(classifyMessage(textMessage('x', { isRevoked: true })), 'zh-CN')).toBe(
      '消息已撤回',
    );
    expect(previewText(classifyMessage(customMessage('{"businessID":"x"}')), 'zh-CN')).toBe(
      '[暂不支持的消息]',
    );
    expect(previewText(classifyMessage(null), 'en')).toBe('[Unsupported message]');
  });

  it('invisible kinds have no preview', () => {
    for (const name of [
      'src-7-handshake',
      'src-10-rating-submission',
      'src-12-typing',
      'src-19-session-end',
    ]) {
      expect(previewText(fixture(name))).toBeUndefined();
    }
  });

  it('clips long previews', () => {
    const long = previewText(classifyMessage(textMessage('长'.repeat(500))), 'zh-CN');
    expect(long).toHaveLength(MAX_PREVIEW_LENGTH);
  });
});

describe('stripMarkup', () => {
  it.each([
    ['<p>Hello <b>world</b></p><p>again</p>', 'Hello world again '],
    ['![logo](https://x/y.png) see [docs](https://x)', 'logo see docs'],
    ['# Title\n- item\n> quote\n1. first', 'Title\nitem\nquote\nfirst'],
    ['**bold** __under__ ~~gone~~ `code`', 'bold under gone code'],
    ['a &lt;b&gt; &amp; &#20320;&#x597D; &nbsp;c &bogus;', 'a <b> & 你好  c &bogus;'],
  ])('%j → %j', (input, output) => {
    expect(stripMarkup(input)).toBe(output);
  });

  it('is bounded on pathological input', () => {
    const started = Date.now();
    stripMarkup('<'.repeat(1_000_000));
    stripMarkup('['.repeat(1_000_000));
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

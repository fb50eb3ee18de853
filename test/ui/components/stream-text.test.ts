import { find, mountHost } from './host';

const PATH = 'components/stream-text/stream-text';

describe('stream-text', () => {
  it('shows the text with a cursor until finished, then the text alone', async () => {
    const h = await mountHost(PATH, { text: '正在为', cursor: true }, []);
    expect(find(h.subject, '.cs-stream__text').dom!.textContent).toBe('正在为');
    expect(find(h.subject, '.cs-stream__cursor').dom!.textContent).toBe('▍');
    await h.update({ text: '正在为您查询订单', cursor: false });
    expect(find(h.subject, '.cs-stream__text').dom!.textContent).toBe('正在为您查询订单');
    expect(h.subject.querySelector('.cs-stream__cursor')).toBeUndefined();
  });
});

describe('stream-text language', () => {
  it('says "writing" in the current language, also after a switch', async () => {
    const { setLanguage, t } = await import('../../../miniprogram/core/i18n/index');
    const h = await mountHost(PATH, { text: '…', cursor: true }, []);
    expect(h.subject.data.writingLabel).toBe(t('components.stream.writing', undefined, 'zh-CN'));
    try {
      setLanguage('en');
      expect(h.subject.data.writingLabel).toBe(t('components.stream.writing', undefined, 'en'));
    } finally {
      setLanguage('zh-CN');
    }
  });
});

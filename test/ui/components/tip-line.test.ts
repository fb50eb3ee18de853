import { find, mountHost } from './host';

const PATH = 'components/tip-line/tip-line';

describe('tip-line', () => {
  it('draws its text centred, and nothing when empty', async () => {
    const h = await mountHost(PATH, { text: '客服小王已接入' }, []);
    expect(find(h.subject, '.cs-tip__text').dom!.textContent).toBe('客服小王已接入');
    await h.update({ text: '' });
    expect(h.subject.querySelector('.cs-tip')).toBeUndefined();
  });
});

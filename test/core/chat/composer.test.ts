import { composerView, MAX_TEXT_LENGTH, textLength } from '../../../miniprogram/core/chat/composer';

describe('composerView', () => {
  it('blank or whitespace-only text cannot be sent', () => {
    expect(composerView('', 'zh-CN').canSend).toBe(false);
    expect(composerView('   \n\t ', 'zh-CN').canSend).toBe(false);
    expect(composerView(' 在吗 ', 'zh-CN').canSend).toBe(true);
  });

  it('shows a counter only near the limit, and refuses text over it', () => {
    expect(composerView('x'.repeat(1799), 'en').counterText).toBe('');
    expect(composerView('x'.repeat(1800), 'en').counterText).toBe(`1800/${MAX_TEXT_LENGTH}`);
    const over = composerView('x'.repeat(MAX_TEXT_LENGTH + 1), 'en');
    expect(over).toMatchObject({ canSend: false, tooLong: true, counterText: '2001/2000' });
    expect(over.refusalText).toBe('Message too long (max 2000 characters).');
    expect(composerView('x'.repeat(MAX_TEXT_LENGTH), 'zh-CN')).toMatchObject({
      canSend: true,
      tooLong: false,
      refusalText: '',
    });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(textLength('😀😀')).toBe(2);
    expect(composerView('😀'.repeat(MAX_TEXT_LENGTH), 'zh-CN').canSend).toBe(true);
  });
});

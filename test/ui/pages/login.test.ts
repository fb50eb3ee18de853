import simulate from 'miniprogram-simulate';
import { loadMp, renderMp } from '../load';

describe('login page shell', () => {
  it('renders the tdesign login button and navigates on tap', async () => {
    const redirectTo = jest.fn();
    (wx as unknown as Record<string, unknown>).redirectTo = redirectTo;
    const page = renderMp(loadMp('pages/login/login'));
    await simulate.sleep(10);

    const html = page.dom!.innerHTML;
    expect(page.querySelector('#login-button')!.querySelector('.t-button')).toBeTruthy(); // tdesign's own template
    expect(html).toContain('微信一键登录');

    const button = page.querySelector('#login-button')!.querySelector('.t-button')!;
    button.dispatchEvent('tap');
    await simulate.sleep(10);
    expect(redirectTo).toHaveBeenCalledWith({ url: '/pages/conversations/conversations' });
  });
});

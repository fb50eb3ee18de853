import { getLanguage, onLanguageChange, setLanguage } from '../../../miniprogram/core/i18n/index';
import { loginFailureText } from '../../../miniprogram/core/i18n/login-failure';
import { appError } from '../../../miniprogram/core/result';

afterEach(() => setLanguage('zh-CN'));

describe('onLanguageChange', () => {
  it('tells each listener once per real change, until unsubscribed', () => {
    const seen: string[] = [];
    const stop = onLanguageChange((language) => seen.push(language));
    setLanguage('en');
    setLanguage('en');
    setLanguage('zh-CN');
    stop();
    stop();
    setLanguage('en');
    expect(seen).toEqual(['en', 'zh-CN']);
    expect(getLanguage()).toBe('en');
  });

  it('a listener that unsubscribes another during a change does not break the round', () => {
    const seen: string[] = [];
    let stopB = (): void => undefined;
    const stopA = onLanguageChange(() => {
      seen.push('a');
      stopB();
    });
    stopB = onLanguageChange(() => seen.push('b'));
    setLanguage('en');
    setLanguage('zh-CN');
    stopA();
    expect(seen).toEqual(['a', 'b', 'a']);
  });
});

describe('loginFailureText', () => {
  it('blames the network only when the device is offline', () => {
    expect(loginFailureText(appError('network', 'x'), false, 'zh-CN')).toBe(
      '网络不可用，请检查网络后重试',
    );
    expect(loginFailureText(appError('network', 'x'), true, 'zh-CN')).toBe(
      '暂时无法连接登录服务，请稍后重试',
    );
    expect(loginFailureText(appError('timeout', 'x'), true, 'en')).toBe(
      "Can't reach the login service right now. Please try again later.",
    );
    expect(loginFailureText(appError('server-refused', 'x'), true, 'en')).toBe(
      'The server refused the request. Please try again later.',
    );
  });
});

import simulate from 'miniprogram-simulate';
import {
  FALLBACK_AFTER_LOGIN_FAILURES,
  FALLBACK_AFTER_OFFLINE_MS,
  shouldOfferContactFallback,
} from '../../../../miniprogram/core/entry/fallback-policy';
import {
  MAX_SESSION_FROM,
  serializeSessionFrom,
} from '../../../../miniprogram/core/entry/session-from';
import { routeEntry } from '../../../../miniprogram/core/entry/route-entry';
import { setLanguage } from '../../../../miniprogram/core/i18n/index';
import { loadMp, renderMp } from '../../load';
import {
  boundName,
  configErrors,
  isInteractive,
  templateElements,
} from '../service-entry/template-a11y';

const COMPONENT = 'components/contact-fallback/contact-fallback';
const config = {
  serviceAccounts: ['@customer_service_account', '@complaint_service'],
  aliases: { complaint: '@complaint_service' },
};

let id = '';
beforeAll(() => {
  id = loadMp(COMPONENT);
});
beforeEach(() => setLanguage('zh-CN'));

describe('contact-fallback', () => {
  it('carries the entry context in session-from, without private data', async () => {
    const target = routeEntry(
      {
        scene: 1047,
        query: { scene: encodeURIComponent('s=complaint&g=vip&p=sku-42') },
      },
      config,
    );
    const comp = renderMp(id, {
      context: { ...target, reason: 'login-failed', userID: 'wx_secret_user', sessionToken: 't' },
    });
    await simulate.sleep(0);
    const sessionFrom = comp.data.sessionFrom as string;
    expect(JSON.parse(sessionFrom)).toEqual({
      service: '@complaint_service',
      group: 'vip',
      source: 'qr-code',
      scene: 1047,
      reason: 'login-failed',
      product: { id: 'sku-42' },
    });
    expect(sessionFrom).not.toMatch(/secret|sessionToken|conversationID/);
    expect(comp.data.cardPath).toBe('/pages/chat/chat?service=%40complaint_service&group=vip');
  });

  it('shows its label and hint, both translated', async () => {
    const comp = renderMp(id, { context: {} });
    await simulate.sleep(0);
    expect(comp.dom!.textContent).toContain('联系微信客服');
    expect(comp.querySelector('#contact-fallback-hint')).toBeTruthy();
    expect(comp.data.ariaLabel).toBe('联系微信客服，打开微信客服会话');

    setLanguage('en');
    const en = renderMp(id, { context: {}, label: 'Chat on WeChat', hint: false });
    await simulate.sleep(0);
    expect(en.dom!.textContent).toContain('Chat on WeChat');
    expect(en.querySelector('#contact-fallback-hint')).toBeFalsy();
    expect(en.data.ariaLabel).toBe('Chat on WeChat, opens WeChat customer service');
  });

  it('updates session-from when the context changes', async () => {
    const comp = renderMp(id, { context: { service: 'a' } });
    await simulate.sleep(0);
    comp.setData({ context: { service: 'b', reason: 'im-unreachable' } });
    await simulate.sleep(0);
    expect(JSON.parse(comp.data.sessionFrom as string)).toEqual({
      service: 'b',
      reason: 'im-unreachable',
    });
  });

  it('forwards WeChat contact callbacks to the host', async () => {
    const comp = renderMp(id, { context: {} });
    const events: unknown[] = [];
    comp.instance.triggerEvent = jest.fn((name: string, detail: unknown) =>
      events.push([name, detail]),
    );
    comp.instance.onContact({ detail: { path: 'pages/chat/chat', query: { service: 'a' } } });
    expect(events).toEqual([['contact', { path: 'pages/chat/chat', query: { service: 'a' } }]]);
  });

  it('is a native contact button whose bindings reach the component data', () => {
    const buttons = templateElements(COMPONENT).filter(isInteractive);
    expect(buttons).toHaveLength(1);
    const [button] = buttons;
    expect(button.tag).toBe('button');
    expect(button.attrs['open-type']).toBe('contact');
    expect(boundName(button.attrs['session-from'])).toBe('sessionFrom');
    expect(boundName(button.attrs['aria-label'])).toBe('ariaLabel');
    expect(boundName(button.attrs['send-message-path'])).toBe('cardPath');
    expect(button.attrs.bindcontact).toBe('onContact');
  });

  it('has a valid component config', () => {
    expect(configErrors(COMPONENT)).toEqual([]);
  });
});

describe('serializeSessionFrom', () => {
  it(`never exceeds ${MAX_SESSION_FROM} characters`, () => {
    const huge = {
      serviceAccount: 'x'.repeat(5000),
      group: '"\\'.repeat(3000),
      source: 'qr-code',
      scene: 1011,
      product: { id: 'p'.repeat(500), header: '很长的商品名'.repeat(400) },
      reason: 'im-unreachable',
    };
    const text = serializeSessionFrom(huge);
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(MAX_SESSION_FROM);
    expect(JSON.parse(text)).toMatchObject({ source: 'qr-code', scene: 1011 });
  });

  it('drops the product header before anything else', () => {
    const text = serializeSessionFrom({
      service: 'complaint',
      product: { id: 'sku-1', header: '商'.repeat(199) + '品'.repeat(1) },
      group: 'g'.repeat(128),
      reason: 'x'.repeat(32),
    });
    expect(JSON.parse(text).product).toBeDefined();
    const tooLong = serializeSessionFrom({
      service: '"'.repeat(128),
      group: '"'.repeat(128),
      product: { id: '"'.repeat(64), header: '"'.repeat(200) },
    });
    expect(tooLong.length).toBeLessThanOrEqual(MAX_SESSION_FROM);
    expect(JSON.parse(tooLong).product).toEqual({ id: '"'.repeat(64) });
  });

  it('strips control characters and ignores junk', () => {
    expect(serializeSessionFrom({ service: 'a\u0000b\nc', scene: 'abc' })).toBe(
      '{"service":"abc"}',
    );
    expect(serializeSessionFrom(null)).toBe('');
    expect(serializeSessionFrom({ userID: 'u1' })).toBe('');
    expect(serializeSessionFrom('service=a')).toBe('');
  });
});

describe('shouldOfferContactFallback', () => {
  const base = { loginFailures: 0, unreachableSince: null, networkAvailable: true, now: 100_000 };

  it('stays hidden while our chat works', () => {
    expect(shouldOfferContactFallback(base)).toBe(false);
    expect(
      shouldOfferContactFallback({ ...base, loginFailures: FALLBACK_AFTER_LOGIN_FAILURES - 1 }),
    ).toBe(false);
    expect(
      shouldOfferContactFallback({
        ...base,
        unreachableSince: base.now - FALLBACK_AFTER_OFFLINE_MS + 1,
      }),
    ).toBe(false);
  });

  it('appears when login keeps failing or the chat stays unreachable', () => {
    expect(
      shouldOfferContactFallback({ ...base, loginFailures: FALLBACK_AFTER_LOGIN_FAILURES }),
    ).toBe(true);
    expect(
      shouldOfferContactFallback({
        ...base,
        unreachableSince: base.now - FALLBACK_AFTER_OFFLINE_MS,
      }),
    ).toBe(true);
  });

  it('does not appear without any network (WeChat customer service would fail too)', () => {
    expect(
      shouldOfferContactFallback({
        ...base,
        networkAvailable: false,
        loginFailures: 5,
        unreachableSince: 0,
      }),
    ).toBe(false);
  });
});

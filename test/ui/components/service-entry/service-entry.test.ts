import simulate from 'miniprogram-simulate';
import {
  MAX_PRODUCT_PARAM,
  buildEntryUrl,
  productParam,
} from '../../../../miniprogram/core/entry/entry-url';
import { routeEntry } from '../../../../miniprogram/core/entry/route-entry';
import { setLanguage } from '../../../../miniprogram/core/i18n/index';
import { loadMp, renderMp } from '../../load';
import { boundName, configErrors, isInteractive, templateElements } from './template-a11y';

const COMPONENT = 'components/service-entry/service-entry';
const config = {
  serviceAccounts: ['@customer_service_account', '@complaint_service'],
  aliases: { complaint: '@complaint_service' },
};

type Callbacks = { url: string; success?: () => void; fail?: (e: { errMsg: string }) => void };
const w = wx as unknown as Record<string, unknown>;

/** What the chat page would receive: the query of `url`, decoded as WeChat hands it over. */
function queryOf(url: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of url.slice(url.indexOf('?') + 1).split('&')) {
    const [k, v] = pair.split('=');
    out[k] = decodeURIComponent(v);
  }
  return out;
}

let id = '';
beforeAll(() => {
  id = loadMp(COMPONENT);
});

beforeEach(() => {
  setLanguage('zh-CN');
  w.navigateTo = jest.fn((o: Callbacks) => o.success?.());
  w.redirectTo = jest.fn((o: Callbacks) => o.success?.());
  w.showToast = jest.fn();
});

async function tap(comp: ReturnType<typeof renderMp>): Promise<void> {
  comp.querySelector('#service-entry')!.dispatchEvent('tap');
  await simulate.sleep(0);
}

describe('service-entry', () => {
  it('opens the chat with its own service, group and product card', async () => {
    const comp = renderMp(id, {
      service: 'complaint',
      group: 'after-sale',
      label: '我要投诉',
      product: { id: 'sku-7', header: 'Kettle', desc: '1.7 L', url: 'https://shop.example.com/7' },
    });
    const opened = jest.fn();
    comp.instance.triggerEvent = jest.fn((name: string, detail: unknown) => opened(name, detail));
    await simulate.sleep(0);
    expect(comp.dom!.textContent).toContain('我要投诉');

    await tap(comp);
    const navigate = w.navigateTo as jest.Mock;
    expect(navigate).toHaveBeenCalledTimes(1);
    const url = (navigate.mock.calls[0][0] as Callbacks).url;
    expect(url.startsWith('/pages/chat/chat?service=complaint&group=after-sale&product=')).toBe(
      true,
    );
    expect(opened).toHaveBeenCalledWith('open', { url });

    const target = routeEntry({ scene: 1001, query: queryOf(url) }, config);
    expect(target).toMatchObject({
      serviceAccount: '@complaint_service',
      group: 'after-sale',
      product: { id: 'sku-7', header: 'Kettle', desc: '1.7 L', url: 'https://shop.example.com/7' },
      warnings: [],
    });
  });

  it('falls back to the default account and label when given nothing', async () => {
    const comp = renderMp(id, {});
    await simulate.sleep(0);
    expect(comp.dom!.textContent).toContain('联系客服');
    await tap(comp);
    const url = ((w.navigateTo as jest.Mock).mock.calls[0][0] as Callbacks).url;
    expect(routeEntry({ query: queryOf(url) }, config).serviceAccount).toBe(
      '@customer_service_account',
    );
  });

  it('ignores taps while a navigation is under way', async () => {
    w.navigateTo = jest.fn();
    const comp = renderMp(id, { service: 'complaint' });
    await tap(comp);
    await tap(comp);
    expect(w.navigateTo).toHaveBeenCalledTimes(1);
  });

  it('replaces the top page when the page stack is full', async () => {
    w.navigateTo = jest.fn((o: Callbacks) =>
      o.fail?.({ errMsg: 'navigateTo:fail webview count limit exceed' }),
    );
    const comp = renderMp(id, { service: 'complaint' });
    await tap(comp);
    expect(w.redirectTo).toHaveBeenCalledWith(
      expect.objectContaining({ url: '/pages/chat/chat?service=complaint' }),
    );
    expect(w.showToast).not.toHaveBeenCalled();
  });

  it('tells the user and the host when navigation fails, and can be tapped again', async () => {
    w.navigateTo = jest.fn((o: Callbacks) =>
      o.fail?.({ errMsg: 'navigateTo:fail page not found' }),
    );
    const comp = renderMp(id, { service: 'complaint' });
    const events: unknown[] = [];
    comp.instance.triggerEvent = jest.fn((name: string, detail: unknown) =>
      events.push([name, detail]),
    );
    await tap(comp);
    expect(events).toEqual([
      [
        'fail',
        { url: '/pages/chat/chat?service=complaint', errMsg: 'navigateTo:fail page not found' },
      ],
    ]);
    expect(w.showToast).toHaveBeenCalledWith(
      expect.objectContaining({ title: expect.stringContaining('客服') }),
    );
    await tap(comp);
    expect(w.navigateTo).toHaveBeenCalledTimes(2);
  });

  it.each(['button', 'cell', 'floating'])('renders the %s variant', async (variant) => {
    const comp = renderMp(id, { variant });
    await simulate.sleep(0);
    expect(comp.querySelector(`.service-entry--${variant}`)).toBeTruthy();
    expect(!!comp.querySelector('.service-entry__arrow')).toBe(variant === 'cell');
  });

  it('treats an unknown variant as a button', async () => {
    const comp = renderMp(id, { variant: 'banner' });
    await simulate.sleep(0);
    expect(comp.querySelector('.service-entry--button')).toBeTruthy();
  });

  it('has a spoken label that says what the entry opens, in the UI language', async () => {
    const complaint = renderMp(id, { label: '我要投诉' });
    await simulate.sleep(0);
    expect(complaint.data.ariaLabel).toBe('我要投诉，打开在线客服会话');

    setLanguage('en');
    const floating = renderMp(id, { variant: 'floating' });
    await simulate.sleep(0);
    expect(floating.dom!.textContent).toContain('Help');
    expect(floating.data.ariaLabel).toBe('Contact us, opens the customer service chat');
  });

  it('declares a button role and a bound aria-label on every interactive element', () => {
    const elements = templateElements(COMPONENT);
    const interactive = elements.filter(isInteractive);
    expect(interactive.length).toBeGreaterThan(0);
    for (const el of interactive) {
      expect(el.attrs['aria-role']).toBe('button');
      expect(boundName(el.attrs['aria-label'])).toBe('ariaLabel');
    }
    // Decorations are hidden from screen readers.
    for (const el of elements.filter((e) => /__(icon|arrow)/.test(e.attrs.class ?? ''))) {
      expect(el.attrs['aria-hidden']).toBe('true');
    }
  });

  it('has a valid component config', () => {
    expect(configErrors(COMPONENT)).toEqual([]);
  });
});

describe('entry URL', () => {
  it('keeps a product card within the routing limit, shrinking it as needed', () => {
    const long = {
      id: 'sku-9',
      header: '超大容量电热水壶 1.7 升 不锈钢内胆 双层防烫 自动断电 '.repeat(3),
      desc: '描述'.repeat(80),
      pic: `https://img.example.com/${'p'.repeat(200)}.png`,
      url: 'https://shop.example.com/9',
    };
    const param = productParam(long);
    expect(param.trimmed).toBe(true);
    expect(param.value!.length).toBeLessThanOrEqual(MAX_PRODUCT_PARAM);
    const back = routeEntry({ query: { product: decodeURIComponent(param.value!) } }, config);
    expect(back.product?.id).toBe('sku-9');
    expect(back.warnings).toEqual([]);
  });

  it('passes an id string through and drops unusable products', () => {
    expect(productParam('sku-42')).toEqual({ value: 'sku-42', trimmed: false });
    expect(productParam('<script>')).toEqual({ trimmed: true });
    expect(productParam(['x'])).toEqual({ trimmed: true });
    expect(productParam({ desc: 'no header' })).toEqual({ trimmed: true });
    expect(productParam({ id: 'p1', desc: 'no header' })).toEqual({ value: 'p1', trimmed: true });
    expect(productParam(null)).toEqual({ trimmed: false });
    expect(productParam({ header: 'Kettle', url: 'javascript:alert(1)' })).toEqual({
      value: encodeURIComponent('{"header":"Kettle"}'),
      trimmed: true,
    });
  });

  it('encodes what needs encoding', () => {
    expect(buildEntryUrl({ service: '@complaint_service', group: 'vip' }).url).toBe(
      '/pages/chat/chat?service=%40complaint_service&group=vip',
    );
    const { url } = buildEntryUrl({ service: 'a&b=c', product: { header: 'x&y=z' } });
    expect(queryOf(url)).toEqual({ service: 'a&b=c', product: '{"header":"x&y=z"}' });
  });
});

import {
  MAX_SCENE_LENGTH,
  chatPagePath,
  entryProductKey,
  routeEntry,
} from '../../../miniprogram/core/entry/route-entry';

const config = {
  serviceAccounts: ['@customer_service_account', '@complaint_service'],
  aliases: { complaint: '@complaint_service' },
};
const DEFAULT = '@customer_service_account';

describe('routeEntry', () => {
  it.each([
    [1011, 'qr-code'],
    [1012, 'qr-code'],
    [1013, 'qr-code'],
    [1047, 'qr-code'],
    [1048, 'qr-code'],
    [1049, 'qr-code'],
    [1007, 'share-card'],
    [1008, 'share-card'],
    [1073, 'service-card'],
    [1014, 'subscribe-message'],
    [1107, 'subscribe-message'],
    [1035, 'official-account-menu'],
    [1037, 'mini-program'],
    [1001, 'other'],
  ])('scene %i is a %s entry and opens the service from its query', (scene, source) => {
    const target = routeEntry({ scene, query: { service: '@complaint_service' } }, config);
    expect(target).toMatchObject({
      source,
      scene,
      serviceAccount: '@complaint_service',
      conversationID: 'C2C@complaint_service',
      warnings: [],
    });
  });

  it('decodes a mini-program code scene with short keys (1047)', () => {
    const scene = encodeURIComponent('s=complaint&g=vip&p=sku-42');
    const target = routeEntry({ scene: 1047, query: { scene } }, config);
    expect(target).toMatchObject({
      serviceAccount: '@complaint_service',
      group: 'vip',
      product: { id: 'sku-42' },
      warnings: [],
    });
  });

  it('accepts a bare alias as the whole scene', () => {
    expect(routeEntry({ scene: 1048, query: { scene: 'complaint' } }, config).serviceAccount).toBe(
      '@complaint_service',
    );
  });

  it('refuses a scene longer than WeChat allows and falls back to the default', () => {
    const scene = encodeURIComponent('s=complaint&g=' + 'x'.repeat(MAX_SCENE_LENGTH));
    const target = routeEntry({ scene: 1047, query: { scene } }, config);
    expect(target.serviceAccount).toBe(DEFAULT);
    expect(target.warnings.join()).toMatch(/longer than 32/);
  });

  it('reads the query of a URL QR code (q, 1011)', () => {
    const q = encodeURIComponent('https://example.com/cs?service=complaint&group=after-sale#top');
    expect(routeEntry({ scene: 1011, query: { q } }, config)).toMatchObject({
      serviceAccount: '@complaint_service',
      group: 'after-sale',
    });
  });

  it('reads the short s/g/p keys of a URL QR code too, long names winning', () => {
    const q = encodeURIComponent('https://example.com/cs?s=complaint&g=vip&p=sku-9');
    expect(routeEntry({ scene: 1011, query: { q } }, config)).toMatchObject({
      serviceAccount: '@complaint_service',
      group: 'vip',
      product: { id: 'sku-9' },
    });
    const both = encodeURIComponent('https://example.com/cs?g=short&group=long');
    expect(routeEntry({ scene: 1011, query: { q: both } }, config).group).toBe('long');
  });

  it('ignores a q that is not an http(s) URL', () => {
    const target = routeEntry(
      { scene: 1011, query: { q: encodeURIComponent('javascript:alert(1)?service=complaint') } },
      config,
    );
    expect(target.serviceAccount).toBe(DEFAULT);
    expect(target.warnings).toContain('q is not an http(s) URL');
  });

  it('takes a product card from a share-card path (1007)', () => {
    const product = JSON.stringify({
      id: 'sku-7',
      header: 'Kettle',
      desc: '1.7 L',
      pic: 'https://img.example.com/k.png',
      url: 'javascript:alert(1)',
    });
    const target = routeEntry({ scene: 1007, query: { product } }, config);
    expect(target.product).toEqual({
      id: 'sku-7',
      header: 'Kettle',
      desc: '1.7 L',
      pic: 'https://img.example.com/k.png',
    });
  });

  it('reads extraData from another mini-program (1037), the query winning', () => {
    const target = routeEntry(
      {
        scene: 1037,
        query: { group: 'g1' },
        extraData: { service: 'complaint', group: 'g2', product: { header: 'Phone' } },
      },
      config,
    );
    expect(target).toMatchObject({
      serviceAccount: '@complaint_service',
      group: 'g1',
      product: { id: 'Phone', header: 'Phone' },
    });
  });

  it.each([
    ['no launch info', undefined],
    ['null query', { scene: 1047, query: null }],
    ['unknown service', { scene: 1007, query: { service: '@someone_else' } }],
    ['bad URI in scene', { scene: 1047, query: { scene: '%E0%A4%A' } }],
    ['garbage scene number', { scene: 'abc', query: {} }],
    ['object values', { scene: 1007, query: { service: { toString: (): string => 'x' } } }],
    ['bad product JSON', { scene: 1007, query: { product: '{"header":' } }],
    ['product id with markup', { scene: 1007, query: { product: '<script>' } }],
    ['huge values', { scene: 1007, query: { service: 'x'.repeat(100000) } }],
  ])('falls back to the default account on %s', (_label, launch) => {
    const target = routeEntry(launch as never, config);
    expect(target.serviceAccount).toBe(DEFAULT);
    expect(target.product).toBeUndefined();
  });

  it('decodes page-path values, as WeChat passes them encoded, and reads the notification link (1014)', () => {
    const product = encodeURIComponent(JSON.stringify({ id: 'p9', header: '保温杯' }));
    const target = routeEntry(
      {
        scene: 1007,
        query: { service: encodeURIComponent('@complaint_service'), group: 'vip', product },
      },
      config,
    );
    expect(target).toMatchObject({
      serviceAccount: '@complaint_service',
      product: { id: 'p9', header: '保温杯' },
    });
    const fromNotification = routeEntry(
      { scene: 1014, query: { account: '%40complaint_service', from: 'subscribe' } },
      config,
    );
    expect(fromNotification).toMatchObject({
      source: 'subscribe-message',
      serviceAccount: '@complaint_service',
    });
  });

  it('builds the path that reopens the same service, without private data', () => {
    expect(chatPagePath({ serviceAccount: '@complaint_service', group: 'vip' })).toBe(
      '/pages/chat/chat?service=%40complaint_service&group=vip',
    );
    const back = routeEntry(
      { scene: 1007, query: { service: '@complaint_service', group: 'vip' } },
      config,
    );
    expect(back).toMatchObject({ serviceAccount: '@complaint_service', group: 'vip' });
  });

  it('keys a product per conversation', () => {
    expect(entryProductKey('C2C@a', { id: 'p1' })).not.toBe(entryProductKey('C2C@b', { id: 'p1' }));
  });
});

import { routeEntry } from '../../../miniprogram/core/entry/route-entry';
import {
  isNotificationEntry,
  normalizeNotificationQuery,
} from '../../../miniprogram/core/notify/index';

const config = { serviceAccounts: ['@customer_service_account', '@complaint_service'] };

describe('notification deep link', () => {
  it('lands in the service that replied (scene 1014, encoded account)', () => {
    const query = { account: encodeURIComponent('@complaint_service'), from: 'subscribe' };
    expect(isNotificationEntry({ scene: 1014, query })).toBe(true);
    const target = routeEntry({ scene: 1014, query: normalizeNotificationQuery(query) }, config);
    expect(target).toMatchObject({
      source: 'subscribe-message',
      serviceAccount: '@complaint_service',
      warnings: [],
    });
  });

  it('accepts an account WeChat already decoded', () => {
    expect(normalizeNotificationQuery({ account: '@complaint_service' })).toMatchObject({
      service: '@complaint_service',
    });
  });

  it('does not override an explicit service, and leaves other queries alone', () => {
    const q = { account: '@a', service: '@b' };
    expect(normalizeNotificationQuery(q)).toBe(q);
    const plain = { group: 'vip' };
    expect(normalizeNotificationQuery(plain)).toBe(plain);
    expect(normalizeNotificationQuery(null)).toEqual({});
  });

  it('survives malformed encoding (falls back to the default account in routing)', () => {
    const query = normalizeNotificationQuery({ account: '%E0%A4%A', from: 'subscribe' });
    expect(query).toMatchObject({ service: '%E0%A4%A' });
    expect(routeEntry({ scene: 1014, query }, config).serviceAccount).toBe(
      '@customer_service_account',
    );
  });

  it('recognises the notification by link or by scene', () => {
    expect(isNotificationEntry({ scene: 1107 })).toBe(true);
    expect(isNotificationEntry({ scene: 1001, query: { from: 'subscribe' } })).toBe(true);
    expect(isNotificationEntry({ scene: 1047, query: { from: 'share' } })).toBe(false);
    expect(isNotificationEntry({})).toBe(false);
  });
});

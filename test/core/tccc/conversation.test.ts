import { isServiceConversation } from '../../../miniprogram/core/tccc';

describe('isServiceConversation', () => {
  const accounts = ['@customer_service_account', '@im_agent#online_doctor'];

  it('matches C2C conversations with a configured account', () => {
    expect(isServiceConversation('C2C@customer_service_account', accounts)).toBe(true);
    expect(isServiceConversation('C2C@im_agent#online_doctor', new Set(accounts))).toBe(true);
  });

  it('does not guess from prefixes or other conversation types', () => {
    expect(isServiceConversation('C2C@im_agent#online_shopping_mall', accounts)).toBe(false);
    expect(isServiceConversation('GROUP@customer_service_account', accounts)).toBe(false);
    expect(isServiceConversation('@customer_service_account', accounts)).toBe(false);
    expect(isServiceConversation('C2Cuser_1', accounts)).toBe(false);
    expect(isServiceConversation('C2C', ['', ...accounts])).toBe(false);
  });

  it('is false for an empty list and for non-strings', () => {
    expect(isServiceConversation('C2C@customer_service_account', [])).toBe(false);
    expect(isServiceConversation(undefined, accounts)).toBe(false);
    expect(isServiceConversation(42, accounts)).toBe(false);
  });
});

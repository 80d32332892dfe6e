import { cardBrand, checkCard, luhnValid, TEST_CARDS } from './test-cards';

const NOW = new Date('2026-11-22T01:00:00Z');

describe('simulated provider test cards', () => {
  it('knows the three published test numbers', () => {
    expect(checkCard({ number: TEST_CARDS.success, expiry: '12/30', cvc: '123' }, NOW)).toEqual({ ok: true, outcome: 'success', brand: 'visa', last4: '4242' });
    expect(checkCard({ number: '4000 0000 0000 0002', expiry: '12/30', cvc: '123' }, NOW)).toMatchObject({ ok: true, outcome: 'decline' });
    expect(checkCard({ number: '4000-0000-0000-3220', expiry: '12/30', cvc: '1234' }, NOW)).toMatchObject({ ok: true, outcome: 'challenge' });
  });

  it('refuses other numbers, bad expiry dates and codes', () => {
    expect(checkCard({ number: '4111111111111111', expiry: '12/30', cvc: '123' }, NOW)).toEqual({ ok: false, problem: 'unknownCard' });
    expect(checkCard({ number: '4242424242424241', expiry: '12/30', cvc: '123' }, NOW)).toEqual({ ok: false, problem: 'number' });
    expect(checkCard({ number: TEST_CARDS.success, expiry: '10/26', cvc: '123' }, NOW)).toEqual({ ok: false, problem: 'expiry' });
    expect(checkCard({ number: TEST_CARDS.success, expiry: '11/26', cvc: '123' }, NOW)).toMatchObject({ ok: true });
    expect(checkCard({ number: TEST_CARDS.success, expiry: '13/30', cvc: '123' }, NOW)).toEqual({ ok: false, problem: 'expiry' });
    expect(checkCard({ number: TEST_CARDS.success, expiry: '12/30', cvc: '12' }, NOW)).toEqual({ ok: false, problem: 'cvc' });
    expect(checkCard({}, NOW)).toEqual({ ok: false, problem: 'number' });
  });

  it('names the brands residents use', () => {
    expect(['4242424242424242', '5555555555554444', '3530111333300000', '378282246310005', '30569309025904'].map(cardBrand)).toEqual(['visa', 'mastercard', 'jcb', 'amex', 'diners']);
    expect(luhnValid('378282246310005')).toBe(true);
  });
});

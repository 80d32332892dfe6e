import type { ProcedureDefinition } from '@madoguchi/workflow';
import { FeeError, quoteFee } from './submission-fee';

const definition = (fee: ProcedureDefinition['fee']): ProcedureDefinition =>
  ({ fee, steps: ['form', 'fee'], form: { schema: { type: 'object' } } }) as unknown as ProcedureDefinition;

describe('server-side fee quotes', () => {
  const perCopy = definition({
    rule: 'perCopy',
    amount: 300,
    quantityField: 'copies',
    timing: 'atSubmission',
    revenueAccountCode: '14-02-01-01',
    paymentDeadlineHours: 24,
    reductions: [
      { code: 'seikatsu-hogo', label: { ja: '生活保護', en: 'Public assistance' }, percent: 100 },
      { code: 'half', label: { ja: '半額', en: 'Half' }, percent: 50 },
    ],
  });

  it('prices per copy with the revenue account code', () => {
    expect(quoteFee(perCopy, { copies: 3 })).toEqual({ amount: 900, base: 900, quantity: 3, reduction: null, revenueAccountCode: '14-02-01-01' });
  });

  it('applies a reduction by code, exemption included, rounding yen down', () => {
    expect(quoteFee(perCopy, { copies: 3, reductionCode: 'half' })).toMatchObject({ amount: 450, base: 900, reduction: { code: 'half', percent: 50 } });
    expect(quoteFee(perCopy, { copies: 1, reductionCode: 'half' })?.amount).toBe(150);
    expect(quoteFee(perCopy, { copies: 2, reductionCode: 'seikatsu-hogo' })?.amount).toBe(0);
    expect(quoteFee({ ...perCopy, fee: { ...perCopy.fee, amount: 333 } }, { copies: 1, reductionCode: 'half' })?.amount).toBe(166);
  });

  it('refuses a reduction the procedure does not offer', () => {
    expect(() => quoteFee(perCopy, { copies: 1, reductionCode: 'friend-of-the-mayor' })).toThrow(FeeError);
  });

  it('charges nothing now for assessed fees, missing quantities or no fee', () => {
    expect(quoteFee({ ...perCopy, fee: { ...perCopy.fee, timing: 'afterAssessment' } }, { copies: 1 })).toBeNull();
    expect(quoteFee(perCopy, { copies: 0 })).toBeNull();
    expect(quoteFee(perCopy, { copies: '3' })).toBeNull();
    expect(quoteFee(definition({ rule: 'none' }), {})).toBeNull();
  });

  it('fixed and per-slot rules', () => {
    const fixed = definition({ rule: 'fixed', amount: 200, timing: 'atSubmission', revenueAccountCode: '1', paymentDeadlineHours: 1 });
    expect(quoteFee(fixed, { copies: 9 })?.amount).toBe(200);
    const perSlot = definition({ rule: 'perSlot', amount: 1000, quantityField: 'slots', timing: 'atSubmission', revenueAccountCode: '1', paymentDeadlineHours: 1 });
    expect(quoteFee(perSlot, { slots: 3 })?.amount).toBe(3000);
  });
});

import {
  COUNTER_PAYMENT_METHODS,
  decidePaymentTransition,
  decideRefundTransition,
  FINAL_PAYMENT_STATUSES,
  isCashlessMethod,
  isCounterMethod,
  isFinalPayment,
  methodGroup,
  OPEN_PAYMENT_STATUSES,
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  type PaymentStatus,
  refundable,
  REFUND_STATUSES,
} from './payment-status';

describe('payment state machine (transition table)', () => {
  it('splits every status into open or final, without overlap', () => {
    expect([...OPEN_PAYMENT_STATUSES, ...FINAL_PAYMENT_STATUSES].sort()).toEqual([...PAYMENT_STATUSES].sort());
    expect(OPEN_PAYMENT_STATUSES.filter((status) => FINAL_PAYMENT_STATUSES.includes(status))).toEqual([]);
  });

  it.each([
    ['created', 'started'],
    ['started', 'authorised'],
    ['authorised', 'succeeded'],
    // News can skip states: the first report of a payment can be its success.
    ['created', 'succeeded'],
    ['started', 'succeeded'],
    ['created', 'expired'],
    ['started', 'failed'],
    ['authorised', 'cancelled'],
  ] as Array<[PaymentStatus, PaymentStatus]>)('%s → %s advances', (from, to) => {
    expect(decidePaymentTransition(from, to)).toBe('advance');
  });

  it('never moves back, and leaves a final state only for a late capture', () => {
    for (const from of PAYMENT_STATUSES) {
      for (const to of PAYMENT_STATUSES) {
        const decision = decidePaymentTransition(from, to);
        if (from === to) expect(decision).toBe('same');
        else if (from === 'succeeded') expect(decision).toBe('refuse');
        else if (isFinalPayment(from)) expect({ from, to, decision }).toEqual({ from, to, decision: to === 'succeeded' ? 'advance' : 'refuse' });
        else if (PAYMENT_STATUSES.indexOf(to) < PAYMENT_STATUSES.indexOf(from)) expect(decision).toBe('refuse');
      }
    }
    expect(decidePaymentTransition('succeeded', 'started')).toBe('refuse');
    expect(decidePaymentTransition('succeeded', 'cancelled')).toBe('refuse');
    expect(decidePaymentTransition('expired', 'started')).toBe('refuse');
    expect(decidePaymentTransition('cancelled', 'failed')).toBe('refuse');
    expect(decidePaymentTransition('authorised', 'started')).toBe('refuse');
  });

  it('records a late capture after a final failure, cancellation or expiry', () => {
    for (const from of ['failed', 'cancelled', 'expired'] as const) expect(decidePaymentTransition(from, 'succeeded')).toBe('advance');
  });

  it('moves a refund from requested to a final state only', () => {
    expect(decideRefundTransition('requested', 'succeeded')).toBe('advance');
    expect(decideRefundTransition('requested', 'failed')).toBe('advance');
    expect(decideRefundTransition('requested', 'payableAtCounter')).toBe('refuse');
    for (const from of ['succeeded', 'failed'] as const) {
      for (const to of REFUND_STATUSES) expect(decideRefundTransition(from, to)).toBe(from === to ? 'same' : 'refuse');
    }
  });

  it('a refund of a counter payment is paid out at the desk, and cannot fail there', () => {
    expect(REFUND_STATUSES.map((to) => [to, decideRefundTransition('payableAtCounter', to)])).toEqual([
      ['requested', 'refuse'],
      ['payableAtCounter', 'same'],
      ['succeeded', 'advance'],
      ['failed', 'refuse'],
    ]);
  });

  it('groups QR brands and keeps the other methods as they are', () => {
    expect(PAYMENT_METHODS.map(methodGroup)).toEqual(['card', 'qr', 'qr', 'qr', 'qr', 'payeasy', 'konbini']);
  });

  it('groups the counter methods as counter; only cash is not cashless', () => {
    expect(COUNTER_PAYMENT_METHODS.map(methodGroup)).toEqual(['counter', 'counter', 'counter']);
    expect(COUNTER_PAYMENT_METHODS.filter((method) => !isCashlessMethod(method))).toEqual(['cash']);
    expect(PAYMENT_METHODS.every(isCashlessMethod)).toBe(true);
    expect([...PAYMENT_METHODS, ...COUNTER_PAYMENT_METHODS].filter(isCounterMethod)).toEqual(['cash', 'cardTerminal', 'qrTerminal']);
  });

  it('computes what is left to refund', () => {
    expect(refundable({ capturedAmount: 600, refundedAmount: 200 })).toBe(400);
    expect(refundable({ capturedAmount: 0, refundedAmount: 0 })).toBe(0);
  });
});

/**
 * The provider-neutral payment state machine, as a plain transition table.
 *
 * Why not XState here: a payment's status is not driven by our events but
 * reported by an outside authority (the provider) through webhooks, polls and
 * API answers that arrive late, twice or out of order, and may skip states
 * (a `succeeded` can be the first news we get of a `started` payment). What
 * we need is "move forward to what the provider says, never back, never out
 * of a final state", which a rank table says directly and which stays pure:
 * no persistence of actors, no restore of snapshots.
 *
 *   created ──► started ──► authorised ──► succeeded (captured)
 *      │           │             │               ▲
 *      └───────────┴─────────────┴──► failed | cancelled | expired
 *                                          (late capture)
 *
 * `succeeded` is terminal. The other final states are terminal for
 * everything but a late capture: when the provider, at a newer version, says
 * it took the money after all, that is recorded (money is never left
 * unaccounted for) and the application takes it or it is refunded.
 *
 * Refunds have their own: requested ──► succeeded | failed, carried out at
 * the provider; a refund of money taken at the counter is not the
 * provider's to make: payableAtCounter ──► succeeded, when staff hand the
 * money back at the desk.
 */

export const PAYMENT_STATUSES = ['created', 'started', 'authorised', 'succeeded', 'failed', 'cancelled', 'expired'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const OPEN_PAYMENT_STATUSES: readonly PaymentStatus[] = ['created', 'started', 'authorised'];
export const FINAL_PAYMENT_STATUSES: readonly PaymentStatus[] = ['succeeded', 'failed', 'cancelled', 'expired'];

export const REFUND_STATUSES = ['requested', 'payableAtCounter', 'succeeded', 'failed'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

/** What a resident can choose. QR code payments are named by their brand. */
export const PAYMENT_METHODS = ['card', 'paypay', 'dpay', 'aupay', 'rakutenpay', 'payeasy', 'konbini'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

/**
 * Fees taken by staff at the counter (窓口収納): cash, or the desk's own card
 * and QR terminals. Never chosen by a resident nor sent to a provider.
 */
export const COUNTER_PAYMENT_METHODS = ['cash', 'cardTerminal', 'qrTerminal'] as const;
export type CounterPaymentMethod = (typeof COUNTER_PAYMENT_METHODS)[number];

/** How a recorded payment was made: online through the provider, or at the counter. */
export type RecordedPaymentMethod = PaymentMethod | CounterPaymentMethod;

/** The `provider` of payments taken at the counter: no outside party holds that money. */
export const COUNTER_PROVIDER = 'counter';

export type PaymentMethodGroup = 'card' | 'qr' | 'payeasy' | 'konbini' | 'counter';

export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, { ja: string; en: string }> = {
  card: { ja: 'クレジットカード', en: 'Credit card' },
  paypay: { ja: 'PayPay', en: 'PayPay' },
  dpay: { ja: 'd払い', en: 'd Payment' },
  aupay: { ja: 'au PAY', en: 'au PAY' },
  rakutenpay: { ja: '楽天ペイ', en: 'Rakuten Pay' },
  payeasy: { ja: 'ペイジー', en: 'Pay-easy' },
  konbini: { ja: 'コンビニ払い', en: 'Convenience store' },
};

export function methodGroup(method: RecordedPaymentMethod): PaymentMethodGroup {
  switch (method) {
    case 'card':
    case 'payeasy':
    case 'konbini':
      return method;
    case 'cash':
    case 'cardTerminal':
    case 'qrTerminal':
      return 'counter';
    default:
      return 'qr';
  }
}

export function isCounterMethod(method: RecordedPaymentMethod): method is CounterPaymentMethod {
  return (COUNTER_PAYMENT_METHODS as readonly string[]).includes(method);
}

/**
 * Whether a fee paid this way counts as cashless (キャッシュレス). Everything
 * but notes and coins: the counter's card and QR terminals are cashless
 * even though the resident stood at the desk.
 */
export function isCashlessMethod(method: RecordedPaymentMethod): boolean {
  return method !== 'cash';
}

export function isFinalPayment(status: PaymentStatus): boolean {
  return FINAL_PAYMENT_STATUSES.includes(status);
}

export function isOpenPayment(status: PaymentStatus): boolean {
  return OPEN_PAYMENT_STATUSES.includes(status);
}

/** Where each status may go. */
const PAYMENT_TRANSITIONS: Record<PaymentStatus, readonly PaymentStatus[]> = {
  created: ['started', 'authorised', 'succeeded', 'failed', 'cancelled', 'expired'],
  started: ['authorised', 'succeeded', 'failed', 'cancelled', 'expired'],
  authorised: ['succeeded', 'failed', 'cancelled', 'expired'],
  succeeded: [],
  failed: ['succeeded'],
  cancelled: ['succeeded'],
  expired: ['succeeded'],
};

const REFUND_TRANSITIONS: Record<RefundStatus, readonly RefundStatus[]> = {
  requested: ['succeeded', 'failed'],
  // Paid out by hand: nobody can refuse it, so it has no failure.
  payableAtCounter: ['succeeded'],
  succeeded: [],
  failed: [],
};

/**
 * `advance`: write the new status (one payment event). `same`: nothing
 * changed. `refuse`: the report contradicts what we know (it would move
 * back, or out of a final state other than by a late capture); keep ours
 * and log the report.
 */
export type TransitionDecision = 'advance' | 'same' | 'refuse';

export function decidePaymentTransition(from: PaymentStatus, to: PaymentStatus): TransitionDecision {
  if (from === to) return 'same';
  return PAYMENT_TRANSITIONS[from].includes(to) ? 'advance' : 'refuse';
}

export function decideRefundTransition(from: RefundStatus, to: RefundStatus): TransitionDecision {
  if (from === to) return 'same';
  return REFUND_TRANSITIONS[from].includes(to) ? 'advance' : 'refuse';
}

/** Money still refundable: captured minus refunds requested or done. */
export function refundable(payment: { capturedAmount: number; refundedAmount: number }): number {
  return Math.max(0, payment.capturedAmount - payment.refundedAmount);
}

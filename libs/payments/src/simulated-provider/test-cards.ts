/**
 * The simulated provider's test cards, as real providers publish theirs.
 * Any other number is refused as unknown, so a real card number typed by
 * mistake is never treated as paying.
 */
export const TEST_CARDS = {
  success: '4242424242424242',
  decline: '4000000000000002',
  challenge: '4000000000003220',
} as const;

export type CardOutcome = 'success' | 'decline' | 'challenge';

export type CardCheck = { ok: true; outcome: CardOutcome; brand: string; last4: string } | { ok: false; problem: 'number' | 'expiry' | 'cvc' | 'unknownCard' };

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length >= 12 && sum % 10 === 0;
}

/** VISA, Mastercard, JCB, AMEX, Diners by their number ranges. */
export function cardBrand(digits: string): string {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (/^35(2[89]|[3-8])/.test(digits)) return 'jcb';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^3(0[0-5]|[689])/.test(digits)) return 'diners';
  return 'unknown';
}

/** Checks what a payer typed on the card page, at `now`. */
export function checkCard(input: { number?: string; expiry?: string; cvc?: string }, now: Date): CardCheck {
  const digits = (input.number ?? '').replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits) || !luhnValid(digits)) return { ok: false, problem: 'number' };
  const expiry = /^(0[1-9]|1[0-2])\s*\/\s*(\d{2})$/.exec((input.expiry ?? '').trim());
  if (!expiry) return { ok: false, problem: 'expiry' };
  const lastDay = new Date(Date.UTC(2000 + Number(expiry[2]), Number(expiry[1]), 1));
  if (lastDay.getTime() <= now.getTime()) return { ok: false, problem: 'expiry' };
  if (!/^\d{3,4}$/.test((input.cvc ?? '').trim())) return { ok: false, problem: 'cvc' };
  const outcome = (Object.entries(TEST_CARDS) as Array<[CardOutcome, string]>).find(([, number]) => number === digits)?.[0];
  if (!outcome) return { ok: false, problem: 'unknownCard' };
  return { ok: true, outcome, brand: cardBrand(digits), last4: digits.slice(-4) };
}

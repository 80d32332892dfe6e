import { RequestError } from '@madoguchi/kernel';
import type { ProcedureDefinition } from '@madoguchi/workflow';

/** The form field a resident uses to claim a reduction (減免) the procedure offers. */
export const REDUCTION_FIELD = 'reductionCode';

export interface FeeQuote {
  /** Yen to pay after any reduction. */
  amount: number;
  /** Before the reduction. */
  base: number;
  quantity: number;
  reduction: { code: string; percent: number } | null;
  revenueAccountCode: string | null;
}

export class FeeError extends RequestError {
  static unknownReduction(code: string): FeeError {
    return new FeeError(
      422,
      'FEE_REDUCTION_UNKNOWN',
      { ja: 'この手続では選択された減免は受けられません。', en: `The procedure has no reduction "${code}".` },
      { code },
    );
  }
}

/**
 * The fee, computed on the server from the definition and the answers; the
 * client never sends an amount. Null when nothing is charged now: no fee,
 * or an amount staff assess later, or slots priced by the booking step.
 */
export function quoteFee(definition: ProcedureDefinition, form: Record<string, unknown>): FeeQuote | null {
  const { fee } = definition;
  if (fee.rule === 'none' || fee.amount === undefined || fee.timing !== 'atSubmission') return null;
  let quantity = 1;
  if (fee.rule === 'perCopy' || fee.rule === 'perSlot') {
    const value = fee.quantityField ? form[fee.quantityField] : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) return null;
    quantity = value;
  }
  const base = fee.amount * quantity;
  const claimed = form[REDUCTION_FIELD];
  let reduction: FeeQuote['reduction'] = null;
  if (typeof claimed === 'string' && claimed !== '' && claimed !== 'none') {
    const offered = (fee.reductions ?? []).find((candidate) => candidate.code === claimed);
    if (!offered) throw FeeError.unknownReduction(claimed);
    reduction = { code: offered.code, percent: offered.percent };
  }
  // Yen have no fractions; a reduction never makes the resident pay more.
  const amount = reduction ? Math.floor((base * (100 - reduction.percent)) / 100) : base;
  return { amount, base, quantity, reduction, revenueAccountCode: fee.revenueAccountCode ?? null };
}

/** The amount due at submission, or null (see quoteFee). */
export function feeDueAtSubmission(definition: ProcedureDefinition, form: Record<string, unknown>): number | null {
  return quoteFee(definition, form)?.amount ?? null;
}

import type { ProcedureDefinition } from '@madoguchi/workflow';

/**
 * The fee due at submission, computed on the server from the form; null when
 * the procedure charges nothing now (no fee, or assessed later by staff).
 */
export function feeDueAtSubmission(definition: ProcedureDefinition, form: Record<string, unknown>): number | null {
  const { fee } = definition;
  if (fee.rule === 'none' || fee.timing !== 'atSubmission' || fee.amount === undefined) return null;
  if (fee.rule === 'perCopy' && fee.quantityField) {
    const copies = form[fee.quantityField];
    return typeof copies === 'number' && Number.isInteger(copies) && copies > 0 ? fee.amount * copies : null;
  }
  // perSlot is priced by the booking step; fixed is the amount itself.
  return fee.rule === 'fixed' ? fee.amount : null;
}

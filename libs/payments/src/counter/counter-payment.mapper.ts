import type { CounterReceiptRecord, RefundRecord } from '../payment.repository';
import type { CounterPaymentDto, CounterRefundDto } from './dto/counter-payment.dto';

/** 領収番号: `C<fiscal year>-<six digits>`, e.g. C2026-000001; the sequence starts again each fiscal year. */
export function receiptNumber(fiscalYear: number, seq: number): string {
  return `C${fiscalYear}-${String(seq).padStart(6, '0')}`;
}

/** The fields a counter payment answer carries, listed: a new column never leaks. */
export function toCounterPaymentDto(
  receipt: CounterReceiptRecord,
  applicationId: string,
  application: { state: string; revision: number },
): CounterPaymentDto {
  return {
    paymentId: receipt.paymentId,
    applicationId,
    receiptNumber: receipt.receiptNumber,
    method: receipt.method,
    amount: receipt.amountDue,
    amountReceived: receipt.amountReceived,
    change: receipt.changeGiven,
    receivedBy: receipt.receivedBy,
    receivedAt: receipt.receivedAt.toISOString(),
    applicationState: application.state,
    applicationRevision: application.revision,
  };
}

export function toCounterRefundDto(refund: RefundRecord): CounterRefundDto {
  return {
    id: refund.id,
    paymentId: refund.paymentId,
    amount: refund.amount,
    status: refund.status,
    reason: refund.reason,
    paidOutBy: refund.paidOutBy,
    paidOutAt: refund.paidOutAt?.toISOString() ?? null,
    createdAt: refund.createdAt.toISOString(),
  };
}

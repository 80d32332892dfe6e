import type { PaymentDto, RefundDto } from './dto/payment.dto';
import { isOpenPayment } from './domain/payment-status';
import type { PaymentRecord, RefundRecord } from './payment.repository';

/** The fields a payment response carries, listed: a new column never leaks. */
export function toPaymentDto(payment: PaymentRecord, refunds: RefundRecord[]): PaymentDto {
  const open = isOpenPayment(payment.status);
  const payeasy = payment.method === 'payeasy' && payment.instructions ? (payment.instructions as Record<string, string>) : null;
  return {
    paymentId: payment.id,
    applicationId: payment.applicationId,
    status: payment.status,
    method: payment.method,
    amount: payment.amount,
    capturedAmount: payment.capturedAmount,
    refundedAmount: payment.refundedAmount,
    redirectUrl: open ? payment.redirectUrl : null,
    konbini: payment.method === 'konbini' && payment.konbini ? { paymentNumber: payment.konbini.paymentNumber, deadline: payment.konbini.deadline.toISOString() } : null,
    payeasy: payeasy
      ? {
          collectorNumber: String(payeasy.collectorNumber),
          customerNumber: String(payeasy.customerNumber),
          confirmationNumber: String(payeasy.confirmationNumber),
          deadline: new Date(String(payeasy.deadline)).toISOString(),
        }
      : null,
    failureCode: payment.failureCode,
    expiresAt: payment.expiresAt?.toISOString() ?? null,
    refunds: refunds.filter((refund) => refund.paymentId === payment.id).map(toRefundDto),
    createdAt: payment.createdAt.toISOString(),
    updatedAt: payment.updatedAt.toISOString(),
  };
}

export function toRefundDto(refund: RefundRecord): RefundDto {
  return { id: refund.id, amount: refund.amount, status: refund.status, reason: refund.reason, createdAt: refund.createdAt.toISOString() };
}

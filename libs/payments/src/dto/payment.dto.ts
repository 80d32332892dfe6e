import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';
import {
  COUNTER_PAYMENT_METHODS,
  PAYMENT_METHODS,
  PAYMENT_STATUSES,
  type PaymentMethod,
  type PaymentStatus,
  type RecordedPaymentMethod,
  REFUND_STATUSES,
  type RefundStatus,
} from '../domain/payment-status';

/** The resident chooses only how to pay; the amount is the server's. Any other field is refused. */
export class StartPaymentDto {
  @ApiProperty({ enum: PAYMENT_METHODS, description: 'card; QR: paypay, dpay, aupay, rakutenpay; payeasy; konbini' })
  @IsIn(PAYMENT_METHODS)
  method!: PaymentMethod;
}

export class StaffRefundDto {
  @ApiProperty({ description: 'Yen, at most what remains refundable' }) @IsInt() @Min(1) @Max(100_000_000) amount!: number;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(500) reason!: string;
}

export class AccountingExportQuery {
  @ApiProperty({ example: '2026-11-22', description: 'Day in the municipality time zone (Asia/Tokyo)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  date!: string;
}

export class CashlessKpiQuery {
  @ApiPropertyOptional({ example: '2026-04-01', description: 'First day counted (default: start of the current fiscal year)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-22', description: 'Last day counted (default: today)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/)
  to?: string;
}

export class KonbiniSlipDto {
  @ApiProperty({ description: 'お支払い番号, given at the store' }) paymentNumber!: string;
  @ApiProperty() deadline!: string;
}

export class PayeasyNumbersDto {
  @ApiProperty({ description: '収納機関番号' }) collectorNumber!: string;
  @ApiProperty({ description: 'お客様番号' }) customerNumber!: string;
  @ApiProperty({ description: '確認番号' }) confirmationNumber!: string;
  @ApiProperty() deadline!: string;
}

export class RefundDto {
  @ApiProperty() id!: string;
  @ApiProperty() amount!: number;
  @ApiProperty({ enum: REFUND_STATUSES }) status!: RefundStatus;
  @ApiProperty() reason!: string;
  @ApiProperty() createdAt!: string;
}

export class PaymentDto {
  @ApiProperty() paymentId!: string;
  @ApiProperty() applicationId!: string;
  @ApiProperty({ enum: PAYMENT_STATUSES }) status!: PaymentStatus;
  @ApiProperty({ enum: [...PAYMENT_METHODS, ...COUNTER_PAYMENT_METHODS], nullable: true, description: 'cash, cardTerminal, qrTerminal: taken at the counter' })
  method!: RecordedPaymentMethod | null;
  @ApiProperty({ description: 'Yen due, computed by the server' }) amount!: number;
  @ApiProperty() capturedAmount!: number;
  @ApiProperty() refundedAmount!: number;
  @ApiProperty({ nullable: true, description: 'The payment page to send the resident to, while the payment is open' }) redirectUrl!: string | null;
  @ApiProperty({ type: KonbiniSlipDto, nullable: true }) konbini!: KonbiniSlipDto | null;
  @ApiProperty({ type: PayeasyNumbersDto, nullable: true }) payeasy!: PayeasyNumbersDto | null;
  @ApiProperty({ nullable: true }) failureCode!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The payment deadline: after it the attempt lapses and the application expires unpaid' })
  expiresAt!: string | null;
  @ApiProperty({ type: [RefundDto] }) refunds!: RefundDto[];
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CashlessKpiDto {
  @ApiProperty() municipalityId!: string;
  @ApiProperty() asOf!: string;
  @ApiProperty({ description: 'Procedures with a fee that residents can pay cashlessly online' }) cashlessProcedureCount!: number;
  @ApiProperty({ type: [String] }) cashlessProcedures!: string[];
  @ApiProperty({ description: 'From settings kpi.cashless, default 5 → 10' }) baseline!: { count: number; date: string | null };
  @ApiProperty() target!: { count: number; date: string | null };
  @ApiProperty() gap!: number;
  @ApiProperty() period!: { from: string; to: string };
  @ApiProperty({ description: 'Fees paid in the period (every paid transition of an application)' }) feePayments!: number;
  @ApiProperty({ description: 'Of those, paid without cash: online, or on a card or QR terminal at the counter' }) cashlessPayments!: number;
  @ApiProperty({ nullable: true, description: 'cashlessPayments / feePayments; null when no fee was paid' }) cashlessShare!: number | null;
  @ApiProperty({ description: 'Cashless payments by method' }) byMethod!: Record<string, number>;
  @ApiProperty({ description: 'Cashless payments by method group (card, qr, payeasy, konbini; counter for the desk’s card and QR terminals)' })
  byMethodGroup!: Record<string, number>;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { COUNTER_PAYMENT_METHODS, type CounterPaymentMethod, REFUND_STATUSES, type RefundStatus } from '../../domain/payment-status';

/** What the desk took. The amount due is the server's; this is only what the resident handed over. */
export class CounterPaymentInputDto {
  @ApiProperty({ enum: COUNTER_PAYMENT_METHODS, description: 'cash (現金), or the desk’s card or QR terminal' })
  @IsIn(COUNTER_PAYMENT_METHODS)
  method!: CounterPaymentMethod;

  @ApiProperty({ description: 'Yen handed over: at least the fee for cash (the change is answered), exactly the fee for a terminal' })
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  amountReceived!: number;

  @ApiPropertyOptional({ description: 'The application revision you last saw; a newer one is a 409' })
  @IsOptional()
  @IsInt()
  @Min(1)
  revision?: number;
}

/** The receipt (領収) the desk hands over, and where the application went. */
export class CounterPaymentDto {
  @ApiProperty() paymentId!: string;
  @ApiProperty() applicationId!: string;
  @ApiProperty({ description: '領収番号: per municipality and fiscal year, without gaps' }) receiptNumber!: string;
  @ApiProperty({ enum: COUNTER_PAYMENT_METHODS }) method!: CounterPaymentMethod;
  @ApiProperty({ description: 'The fee due, computed by the server' }) amount!: number;
  @ApiProperty() amountReceived!: number;
  @ApiProperty({ description: 'おつり: amountReceived − amount (0 for terminals)' }) change!: number;
  @ApiProperty({ description: 'Staff member who took the fee' }) receivedBy!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ description: 'The application’s state after the payment' }) applicationState!: string;
  @ApiProperty() applicationRevision!: number;
}

/** A refund of a counter payment, as the desk sees it. */
export class CounterRefundDto {
  @ApiProperty() id!: string;
  @ApiProperty() paymentId!: string;
  @ApiProperty() amount!: number;
  @ApiProperty({ enum: REFUND_STATUSES }) status!: RefundStatus;
  @ApiProperty() reason!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Staff member who handed the money back' }) paidOutBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) paidOutAt!: string | null;
  @ApiProperty() createdAt!: string;
}

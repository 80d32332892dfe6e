import { Body, Headers, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, type StaffPrincipal } from '@madoguchi/identity';
import { AcceptsIdempotencyKey, ApiController, StaffScoped } from '@madoguchi/kernel';
import { PAYMENT_ACCESS } from '../payment-access';
import { CounterPaymentsService } from './counter-payments.service';
import { CounterPaymentDto, CounterPaymentInputDto, CounterRefundDto } from './dto/counter-payment.dto';

const uuid = new ParseUUIDPipe();

/** Fees taken and refunds handed back at the counter (窓口収納). Reach as PAYMENT_ACCESS declares; departments checked in the service. */
@ApiTags('payments (counter)')
@ApiController('staff')
export class CounterPaymentsController {
  constructor(private readonly counter: CounterPaymentsService) {}

  @Post('applications/:id/payments/counter')
  @StaffScoped(PAYMENT_ACCESS.counterRecord)
  @ApiOperation({ summary: 'Record the fee taken at the counter (cash, card or QR terminal); answers the receipt number and the change' })
  @AcceptsIdempotencyKey()
  record(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', uuid) id: string,
    @Body() body: CounterPaymentInputDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CounterPaymentDto> {
    return this.counter.record(staff, id, body, idempotencyKey);
  }

  @Post('payments/:id/refunds/:refundId/paid')
  @StaffScoped(PAYMENT_ACCESS.counterPayout)
  @HttpCode(200)
  @ApiOperation({ summary: 'Record that a refund of a counter payment was handed back at the desk' })
  @AcceptsIdempotencyKey()
  paidOut(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', uuid) id: string,
    @Param('refundId', uuid) refundId: string,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CounterRefundDto> {
    return this.counter.payOutRefund(staff, id, refundId, idempotencyKey);
  }
}

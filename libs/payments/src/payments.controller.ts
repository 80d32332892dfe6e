import { Body, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentResident, CurrentStaff, type ResidentPrincipal, ResidentOnly, type StaffPrincipal } from '@madoguchi/identity';
import { ApiController, ApiFileResponse, CurrentMunicipality, type MunicipalityId, Public, StaffScoped } from '@madoguchi/kernel';
import type { Request, Response } from 'express';
import { AccountingExportService } from './accounting-export.service';
import { CashlessKpiService } from './cashless-kpi.service';
import { AccountingExportQuery, CashlessKpiDto, CashlessKpiQuery, PaymentDto, RefundDto, StaffRefundDto, StartPaymentDto } from './dto/payment.dto';
import { PAYMENT_ACCESS } from './payment-access';
import { PaymentWebhooksService, type WebhookAck } from './payment-webhooks.service';
import { PaymentsService } from './payments.service';
import { RefundsService } from './refunds.service';

const uuid = new ParseUUIDPipe();

@ApiTags('payments (resident)')
@ApiController('applications')
@ResidentOnly()
export class ResidentPaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  @Post(':id/payments')
  @ApiOperation({ summary: 'Start paying the fee with a method; the amount is the server’s. Answers the page to go to, or the numbers to pay with.' })
  start(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string, @Body() body: StartPaymentDto): Promise<PaymentDto> {
    return this.payments.startForResident(resident, id, body.method);
  }

  @Get(':id/payments')
  list(@CurrentResident() resident: ResidentPrincipal, @Param('id', uuid) id: string): Promise<PaymentDto[]> {
    return this.payments.listForResident(resident, id);
  }
}

@ApiTags('payments (staff)')
@ApiController()
export class StaffPaymentsController {
  constructor(
    private readonly exports: AccountingExportService,
    private readonly refunds: RefundsService,
  ) {}

  @Get('payments/export.csv')
  @ApiFileResponse('text/csv', 'The accounting export as CSV (UTF-8), as an attachment.')
  @StaffScoped(PAYMENT_ACCESS.accountingExport)
  @ApiOperation({ summary: 'Accounting CSV: captures and refunds of one day (municipality time zone), of the caller’s departments (accountant: all)' })
  @ApiProduces('text/csv')
  async exportCsv(@CurrentStaff() staff: StaffPrincipal, @Query() query: AccountingExportQuery, @Res() response: Response): Promise<void> {
    const { fileName, csv } = await this.exports.dailyCsv(staff, query.date);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
    response.setHeader('Cache-Control', 'no-store');
    response.send(csv);
  }

  @Post('staff/payments/:id/refunds')
  @StaffScoped(PAYMENT_ACCESS.refund)
  @ApiOperation({ summary: 'Refund part or all of a captured payment (at most what remains) of the caller’s departments (accountant: any)' })
  refund(@CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string, @Body() body: StaffRefundDto): Promise<RefundDto> {
    return this.refunds.refundByStaff(staff, id, body);
  }
}

@ApiTags('payments (provider webhooks)')
@ApiHeader({ name: 'X-Municipality-Id', required: true })
@ApiController('payments/webhooks')
@Public()
export class PaymentWebhooksController {
  constructor(private readonly webhooks: PaymentWebhooksService) {}

  /** Signed by the provider; the raw body is what the signature covers. */
  @Post(':provider')
  @HttpCode(200)
  receive(@CurrentMunicipality() municipalityId: MunicipalityId, @Param('provider') provider: string, @Req() request: Request & { rawBody?: Buffer }): Promise<WebhookAck> {
    return this.webhooks.receive(provider, municipalityId, { headers: request.headers, rawBody: request.rawBody });
  }
}

@ApiTags('kpi')
@ApiHeader({ name: 'X-Municipality-Id', required: false })
@ApiController('kpi')
@Public()
export class CashlessKpiController {
  constructor(private readonly kpi: CashlessKpiService) {}

  @Get('cashless')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({ summary: 'Procedures with a cashless method against the target, and the cashless share of fees paid (open data)' })
  @ApiOkResponse({ type: CashlessKpiDto })
  cashless(@CurrentMunicipality() municipalityId: MunicipalityId, @Query() query: CashlessKpiQuery): Promise<CashlessKpiDto> {
    return this.kpi.cashless(municipalityId, query);
  }
}

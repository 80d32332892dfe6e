import { Injectable } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import { MunicipalityDirectory } from '@madoguchi/config';
import { type StaffPrincipal, staffReach } from '@madoguchi/identity';
import { checkPeriod } from '@madoguchi/kernel';
import { dayRange, isRealDate, localTimestamp } from './domain/day-range';
import { methodGroup } from './domain/payment-status';
import { PAYMENT_ACCESS } from './payment-access';
import { PaymentError } from './payment.errors';
import { PaymentRepository } from './payment.repository';

/** Stable columns: accounting systems and open data read them by name. */
export const ACCOUNTING_CSV_COLUMNS = [
  'occurred_at',
  'kind',
  'reference_number',
  'procedure_code',
  'revenue_account_code',
  'method',
  'method_group',
  'payment_id',
  'refund_id',
  'provider_payment_id',
  'amount',
  // Appended: readers go by name. The desk's 領収番号, on a counter payment and its refunds.
  'receipt_number',
] as const;

/**
 * The accounting export: every capture and refund that succeeded on one day
 * of the municipality's calendar, straight from payment_events, so its
 * totals are the event log's. Refund amounts are negative: the column sums
 * to the day's net receipts. Money taken or handed back at the counter is
 * in it too (method cash, cardTerminal or qrTerminal, group `counter`, with
 * its receipt number): a refund of it appears on the day the desk paid it
 * out, not the day it was decided.
 *
 * Its rows are those of the caller's departments' payments (a payment is
 * its application's department's); 会計課 (`accountant`) gets every row.
 */
@Injectable()
export class AccountingExportService {
  constructor(
    private readonly payments: PaymentRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly audit: AuditService,
  ) {}

  async dailyCsv(staff: StaffPrincipal, date: string): Promise<{ fileName: string; csv: string; rows: number }> {
    const reach = staffReach(staff, PAYMENT_ACCESS.accountingExport);
    if (!isRealDate(date)) throw PaymentError.invalidDate(date);
    // A one-day period: the shared check keeps the day within years PostgreSQL can hold a day after.
    checkPeriod(date, date);
    const timeZone = this.directory.get(staff.municipalityId)?.timeZone ?? 'Asia/Tokyo';
    const { from, to } = dayRange(date, timeZone);
    const entries = await this.payments.settlements(staff.municipalityId, from, to, reach);
    const lines = [ACCOUNTING_CSV_COLUMNS.join(',')];
    for (const entry of entries) {
      lines.push(
        [
          localTimestamp(entry.occurredAt, timeZone),
          entry.kind,
          entry.referenceNumber,
          entry.procedureCode,
          entry.revenueAccountCode,
          entry.method ?? '',
          entry.method ? methodGroup(entry.method) : '',
          entry.paymentId,
          entry.refundId ?? '',
          entry.providerPaymentId ?? '',
          String(entry.kind === 'refund' ? -entry.amount : entry.amount),
          entry.receiptNumber ?? '',
        ]
          .map(csvField)
          .join(','),
      );
    }
    await this.audit.record(staff.municipalityId, {
      actor: { kind: 'staff', id: staff.id },
      action: AuditActions.ExportCreated,
      target: { type: 'export', id: `payments-${date}` },
      // Which departments' money left the building: 'all' for 会計課.
      details: { kind: 'accounting', date, rows: entries.length, departments: reach.kind === 'municipality' ? 'all' : reach.departments },
    });
    // A BOM so that spreadsheet software on Japanese Windows reads UTF-8.
    return { fileName: `payments-${staff.municipalityId}-${date}.csv`, csv: `\uFEFF${lines.join('\r\n')}\r\n`, rows: entries.length };
  }
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

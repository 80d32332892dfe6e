import { Injectable } from '@nestjs/common';
import { DEFAULT_CASHLESS_KPI, MunicipalityDirectory } from '@madoguchi/config';
import { checkPeriod, Clock, isoDateIn, type MunicipalityId } from '@madoguchi/kernel';
import { ProceduresService } from '@madoguchi/procedures';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { dayRange, isRealDate } from './domain/day-range';
import { isCashlessMethod, methodGroup } from './domain/payment-status';
import type { CashlessKpiDto } from './dto/payment.dto';
import { PaymentError } from './payment.errors';
import { PaymentRepository } from './payment.repository';

/**
 * A procedure has a cashless method when it charges a fee and its online
 * channel is open: online it is paid through the payment provider, whose
 * methods (card, QR, Pay-easy, convenience store) are all cashless. The
 * counter's card and QR terminals do not make a procedure count: which desk
 * has a terminal is not part of any procedure definition, so counting them
 * would claim more than we know.
 */
export function hasCashlessMethod(definition: ProcedureDefinition, onDate: string): boolean {
  const openedOn = definition.channels.online?.openedOn;
  return definition.fee.rule !== 'none' && Boolean(openedOn) && openedOn! <= onDate;
}

/**
 * The cashless KPI: procedures against the city's target, and the cashless
 * share of fees paid. Every paid transition counts as a fee paid; it is
 * cashless when a payment of ours settled it with a method other than cash
 * (so a card or QR terminal at the counter counts, notes and coins at the
 * counter do not, nor a payment reported without one of our payments).
 */

/** Five fiscal years: enough for any comparison the KPI page makes, bounded for the query. */
export const CASHLESS_MAX_DAYS = 5 * 366;
@Injectable()
export class CashlessKpiService {
  constructor(
    private readonly procedures: ProceduresService,
    private readonly payments: PaymentRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
  ) {}

  async cashless(municipalityId: MunicipalityId, query: { from?: string; to?: string }): Promise<CashlessKpiDto> {
    const settings = this.directory.get(municipalityId);
    if (!settings) throw new Error(`no settings for municipality ${municipalityId}`);
    const today = isoDateIn(this.clock.now(), settings.timeZone);
    const to = query.to ?? today;
    const from = query.from ?? fiscalYearStart(today, settings.fiscalYearStartMonth);
    for (const date of [from, to]) if (!isRealDate(date)) throw PaymentError.invalidDate(date);
    // Every payment of the period is read: a bounded span, in order.
    checkPeriod(from, to, CASHLESS_MAX_DAYS);
    const definitions = await this.procedures.latestDefinitions(municipalityId);
    const cashlessProcedures = definitions
      .filter((definition) => hasCashlessMethod(definition, to))
      .map((definition) => definition.code)
      .sort();
    const target = settings.kpi.cashless ?? DEFAULT_CASHLESS_KPI;
    const range = { from: dayRange(from, settings.timeZone).from, to: dayRange(to, settings.timeZone).to };
    const paid = await this.payments.feePayments(municipalityId, range.from, range.to);
    const byMethod: Record<string, number> = {};
    const byMethodGroup: Record<string, number> = {};
    let cashlessPayments = 0;
    for (const { method } of paid) {
      if (!method || !isCashlessMethod(method)) continue;
      cashlessPayments += 1;
      byMethod[method] = (byMethod[method] ?? 0) + 1;
      byMethodGroup[methodGroup(method)] = (byMethodGroup[methodGroup(method)] ?? 0) + 1;
    }
    return {
      municipalityId,
      asOf: to,
      cashlessProcedureCount: cashlessProcedures.length,
      cashlessProcedures,
      baseline: { count: target.baseline.count, date: target.baseline.date ?? null },
      target: { count: target.target.count, date: target.target.date ?? null },
      gap: Math.max(0, target.target.count - cashlessProcedures.length),
      period: { from, to },
      feePayments: paid.length,
      cashlessPayments,
      cashlessShare: paid.length === 0 ? null : Math.round((cashlessPayments / paid.length) * 10_000) / 10_000,
      byMethod,
      byMethodGroup,
    };
  }
}

function fiscalYearStart(today: string, startMonth: number): string {
  const [year, month] = today.split('-').map(Number);
  const fiscalYear = month >= startMonth ? year : year - 1;
  return `${fiscalYear}-${String(startMonth).padStart(2, '0')}-01`;
}

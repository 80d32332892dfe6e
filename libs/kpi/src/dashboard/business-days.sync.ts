import { Injectable } from '@nestjs/common';
import { addDays, isBusinessDay } from '@madoguchi/kernel';
import { DashboardRepository } from './dashboard.repository';

/** The span the table covers: the calendar library knows 1970–2050; applications before 2000 do not exist. */
export const BUSINESS_DAYS_FROM = '2000-01-01';
export const BUSINESS_DAYS_TO = '2050-12-31';

/**
 * Copies the kernel's business calendar into kpi_business_days at start, so
 * the processing-time rollup counts business days exactly as the kernel
 * does (ordinal differences, as businessDaysBetween). When a day changed,
 * the rollup is rebuilt from the applications.
 */
@Injectable()
export class BusinessDaysSync {
  constructor(private readonly repository: DashboardRepository) {}

  async sync(): Promise<number> {
    const days: Array<{ day: string; business: boolean; ordinal: number }> = [];
    let ordinal = 0;
    for (let day = BUSINESS_DAYS_FROM; day <= BUSINESS_DAYS_TO; day = addDays(day, 1)) {
      const business = isBusinessDay(day);
      if (business) ordinal += 1;
      days.push({ day, business, ordinal });
    }
    return this.repository.syncBusinessDays(days);
  }
}

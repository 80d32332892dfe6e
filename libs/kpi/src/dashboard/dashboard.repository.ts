import { Injectable } from '@nestjs/common';
import { type MunicipalityId, type ReadFrom, ReadReplica } from '@madoguchi/kernel';
import type { Channel } from '@madoguchi/workflow';
import { DataSource } from 'typeorm';

export interface RollupFilter {
  /** First and last local day, inclusive (YYYY-MM-DD); the rollups count whole months, so these select the months they fall in. */
  from: string;
  to: string;
  department?: string;
  procedureCodes?: string[];
}

export interface SubmissionCount {
  procedureCode: string;
  /** YYYY-MM-01. */
  month: string;
  channel: Channel;
  count: number;
}

export interface ProcessingCount {
  procedureCode: string;
  businessDays: number;
  count: number;
}

export interface FeePaymentCount {
  month: string;
  /** '' for a fee reported paid without a payment of ours. */
  method: string;
  count: number;
}

export interface CounterHourCount {
  serviceCode: string;
  hour: number;
  tickets: number;
  called: number;
  noShows: number;
  waitSecondsTotal: number;
}

/**
 * The dashboard's reads. Application figures come from the rollup tables the
 * triggers of migration 1795610000000 keep (counts, never rows, so nothing
 * personal leaves these queries); counter figures from the ticket event log.
 * Each read says where it may go (`from`): the dashboard tolerates a little
 * lag and reads the replica; the month-end snapshots read the primary.
 */
@Injectable()
export class DashboardRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly replica: ReadReplica,
  ) {}

  async submissions(municipalityId: MunicipalityId, filter: RollupFilter, from: ReadFrom): Promise<SubmissionCount[]> {
    const rows: Array<{ procedure_code: string; month: string; channel: Channel; count: number }> = await this.replica.reader(from).query(
      `SELECT procedure_code, to_char(month, 'YYYY-MM-DD') AS month, channel, sum(submitted)::int AS count
         FROM kpi_submission_rollup
        WHERE municipality_id = $1 AND month BETWEEN date_trunc('month', $2::date)::date AND $3::date
          AND ($4::text IS NULL OR department = $4) AND ($5::text[] IS NULL OR procedure_code = ANY($5))
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
      [municipalityId, filter.from, filter.to, filter.department ?? null, filter.procedureCodes ?? null],
    );
    return rows.map((row) => ({ procedureCode: row.procedure_code, month: row.month, channel: row.channel, count: row.count }));
  }

  /** Applications closed in the months of from..to, by procedure and business days from submission to closing. */
  async processing(municipalityId: MunicipalityId, filter: RollupFilter, from: ReadFrom): Promise<ProcessingCount[]> {
    const rows: Array<{ procedure_code: string; business_days: number; count: number }> = await this.replica.reader(from).query(
      `SELECT procedure_code, business_days, sum(closed)::int AS count
         FROM kpi_processing_rollup
        WHERE municipality_id = $1 AND month BETWEEN date_trunc('month', $2::date)::date AND $3::date AND business_days >= 0
          AND ($4::text IS NULL OR department = $4) AND ($5::text[] IS NULL OR procedure_code = ANY($5))
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [municipalityId, filter.from, filter.to, filter.department ?? null, filter.procedureCodes ?? null],
    );
    return rows.map((row) => ({ procedureCode: row.procedure_code, businessDays: row.business_days, count: row.count }));
  }

  async feePayments(municipalityId: MunicipalityId, filter: RollupFilter, from: ReadFrom): Promise<FeePaymentCount[]> {
    const rows: Array<{ month: string; method: string; count: number }> = await this.replica.reader(from).query(
      `SELECT to_char(month, 'YYYY-MM-DD') AS month, method, sum(payments)::int AS count
         FROM kpi_fee_payment_rollup
        WHERE municipality_id = $1 AND month BETWEEN date_trunc('month', $2::date)::date AND $3::date
          AND ($4::text IS NULL OR department = $4) AND ($5::text[] IS NULL OR procedure_code = ANY($5))
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [municipalityId, filter.from, filter.to, filter.department ?? null, filter.procedureCodes ?? null],
    );
    return rows;
  }

  /**
   * Counter tickets issued in [from, to), by service and local hour of issue:
   * the wait of a ticket is from its issue (waiting_since) to its first call,
   * at the service that issued it; a no-show is a ticket marked so.
   */
  async counterHours(municipalityId: MunicipalityId, from: Date, to: Date, timeZone: string, readFrom: ReadFrom): Promise<CounterHourCount[]> {
    const rows: Array<{ service_code: string; hour: number; tickets: number; called: number; no_shows: number; wait_seconds_total: number | null }> =
      await this.replica.reader(readFrom).query(
        `WITH tickets AS (
           SELECT i.ticket_id, i.service_code, i.waiting_since,
                  (SELECT min(c.occurred_at) FROM counter_ticket_events c
                    WHERE c.municipality_id = i.municipality_id AND c.ticket_id = i.ticket_id AND c.type = 'called') AS first_called_at,
                  EXISTS (SELECT 1 FROM counter_ticket_events n
                           WHERE n.municipality_id = i.municipality_id AND n.ticket_id = i.ticket_id AND n.type = 'noShow') AS no_show
             FROM counter_ticket_events i
            WHERE i.municipality_id = $1 AND i.type = 'issued' AND i.waiting_since >= $2 AND i.waiting_since < $3
         )
         SELECT service_code, extract(hour FROM waiting_since AT TIME ZONE $4)::int AS hour, count(*)::int AS tickets,
                count(first_called_at)::int AS called, count(*) FILTER (WHERE no_show)::int AS no_shows,
                sum(extract(epoch FROM first_called_at - waiting_since))::float8 AS wait_seconds_total
           FROM tickets GROUP BY 1, 2 ORDER BY 1, 2`,
        [municipalityId, from, to, timeZone],
      );
    return rows.map((row) => ({
      serviceCode: row.service_code,
      hour: row.hour,
      tickets: row.tickets,
      called: row.called,
      noShows: row.no_shows,
      waitSecondsTotal: row.wait_seconds_total ?? 0,
    }));
  }

  /** Names of the municipality's counter services. */
  async counterServiceNames(municipalityId: MunicipalityId, from: ReadFrom): Promise<Map<string, { ja: string; en: string }>> {
    const rows: Array<{ code: string; name_ja: string; name_en: string }> = await this.replica.reader(from).query(
      `SELECT code, name_ja, name_en FROM counter_services WHERE municipality_id = $1`,
      [municipalityId],
    );
    return new Map(rows.map((row) => [row.code, { ja: row.name_ja, en: row.name_en }]));
  }

  /**
   * Brings the business-day table in line with the kernel's calendar; when a
   * day changed (first start, or a holiday list update), rebuilds the
   * processing-time rollup from the applications, under a lock that holds
   * concurrent triggers back, so no closing is counted twice or missed.
   * Returns the number of days changed.
   */
  async syncBusinessDays(days: Array<{ day: string; business: boolean; ordinal: number }>): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const changed: unknown[] = await manager.query(
        `INSERT INTO kpi_business_days AS d (day, business, ordinal)
         SELECT * FROM unnest($1::date[], $2::boolean[], $3::int[])
         ON CONFLICT (day) DO UPDATE SET business = EXCLUDED.business, ordinal = EXCLUDED.ordinal
          WHERE d.business IS DISTINCT FROM EXCLUDED.business OR d.ordinal IS DISTINCT FROM EXCLUDED.ordinal
         RETURNING 1`,
        [days.map((d) => d.day), days.map((d) => d.business), days.map((d) => d.ordinal)],
      );
      if (changed.length > 0) {
        await manager.query(`LOCK TABLE kpi_processing_rollup IN EXCLUSIVE MODE`);
        await manager.query(`DELETE FROM kpi_processing_rollup`);
        await manager.query(
          `INSERT INTO kpi_processing_rollup (municipality_id, month, procedure_code, department, business_days, shard, closed)
           SELECT municipality_id, date_trunc('month', closed_at AT TIME ZONE kpi_local_zone(municipality_id))::date, procedure_code,
                  coalesce(department, ''),
                  coalesce(kpi_business_days_between((submitted_at AT TIME ZONE kpi_local_zone(municipality_id))::date,
                                                     (closed_at AT TIME ZONE kpi_local_zone(municipality_id))::date), -1),
                  kpi_shard(id), count(*)
             FROM applications WHERE submitted_at IS NOT NULL AND closed_at IS NOT NULL
            GROUP BY 1, 2, 3, 4, 5, 6`,
        );
      }
      return changed.length;
    });
  }
}

import { Injectable } from '@nestjs/common';
import { type MunicipalityId, ReadReplica } from '@madoguchi/kernel';

export interface MonthlyChannelCount {
  procedureCode: string;
  channel: string;
  /** YYYY-MM, local time of the municipality. */
  month: string;
  count: number;
}

/**
 * Read-only aggregates for open data: counts, never rows, so nothing
 * personal leaves these queries. The applications library owns the table.
 * Published figures tolerate a little lag: read from the replica.
 */
@Injectable()
export class OpenDataRepository {
  constructor(private readonly replica: ReadReplica) {}

  /** Submitted applications per procedure, channel and local month, from `from` (inclusive) to `to` (inclusive). */
  async applicationsByMonth(municipalityId: MunicipalityId, from: Date, to: Date, timeZone: string): Promise<MonthlyChannelCount[]> {
    const rows: Array<{ procedure_code: string; channel: string; month: string; count: number }> = await this.replica.query(
      `SELECT procedure_code, channel, to_char(submitted_at AT TIME ZONE $4, 'YYYY-MM') AS month, count(*)::int AS count
         FROM applications
        WHERE municipality_id = $1 AND submitted_at IS NOT NULL AND submitted_at >= $2 AND submitted_at <= $3
        GROUP BY 1, 2, 3 ORDER BY 3, 1, 2`,
      [municipalityId, from, to, timeZone],
    );
    return rows.map((row) => ({ procedureCode: row.procedure_code, channel: row.channel, month: row.month, count: row.count }));
  }
}

import { Injectable } from '@nestjs/common';
import { type MunicipalityId, ReadReplica } from '@madoguchi/kernel';
import type { Channel } from '@madoguchi/workflow';

export interface ChannelCount {
  procedureCode: string;
  channel: Channel;
  count: number;
}

/**
 * Read-only aggregates over the applications table for the KPI: counts,
 * never rows, so nothing personal leaves this query. The applications
 * library owns the table; this reads what it already records (`channel` is
 * set when an application is started and when a draft is handed over to the
 * counter, before submission). A public figure that tolerates a little
 * lag: read from the replica.
 */
@Injectable()
export class ApplicationChannelsRepository {
  constructor(private readonly replica: ReadReplica) {}

  /** Applications submitted on the local days `from`..`to` (inclusive), by procedure and channel. */
  async submittedByChannel(municipalityId: MunicipalityId, from: string, to: string, timeZone: string): Promise<ChannelCount[]> {
    const rows: Array<{ procedure_code: string; channel: Channel; count: number }> = await this.replica.query(
      `SELECT procedure_code, channel, count(*)::int AS count FROM applications
        WHERE municipality_id = $1 AND submitted_at IS NOT NULL
          AND submitted_at >= ($2::date)::timestamp AT TIME ZONE $4
          AND submitted_at < ($3::date + 1)::timestamp AT TIME ZONE $4
        GROUP BY procedure_code, channel ORDER BY procedure_code, channel`,
      [municipalityId, from, to, timeZone],
    );
    return rows.map((row) => ({ procedureCode: row.procedure_code, channel: row.channel, count: row.count }));
  }
}

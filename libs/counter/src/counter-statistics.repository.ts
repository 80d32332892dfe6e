import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';

/** Sums and counts of the visits of one service in one local hour of the day; averages are computed from these. */
export interface HourFigures {
  serviceCode: string;
  /** 0–23, local hour in which the wait began. */
  hour: number;
  /** Visits: a ticket waiting at a service, from issue or transfer until it leaves. */
  tickets: number;
  called: number;
  served: number;
  noShows: number;
  cancelled: number;
  waitSecondsTotal: number;
  /** Visits whose service both started and ended (finished, or transferred on). */
  serviceCount: number;
  serviceSecondsTotal: number;
}

interface Row {
  service_code: string;
  hour: number;
  tickets: number;
  called: number;
  served: number;
  no_shows: number;
  cancelled: number;
  wait_seconds_total: number | null;
  service_count: number;
  service_seconds_total: number | null;
}

/**
 * Statistics read from the append-only event log alone. Events are cut into
 * visits: a visit begins with `issued` or `requeued` (its waiting_since is
 * when the wait counts from) and holds the events up to the next one. The
 * wait of a visit is its first call minus waiting_since; its service time is
 * from `started` to `finished` or to a transfer made while serving.
 */
@Injectable()
export class CounterStatisticsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async hourFigures(municipalityId: MunicipalityId, from: Date, to: Date, timeZone: string): Promise<HourFigures[]> {
    const rows: Row[] = await this.dataSource.query(
      `WITH visit_events AS (
         SELECT e.ticket_id, e.seq, e.type, e.from_status, e.service_code, e.waiting_since, e.occurred_at,
                count(*) FILTER (WHERE e.type IN ('issued', 'requeued')) OVER (PARTITION BY e.ticket_id ORDER BY e.seq) AS visit
           FROM counter_ticket_events e
          WHERE e.municipality_id = $1
            AND e.ticket_id IN (SELECT ticket_id FROM counter_ticket_events
                                 WHERE municipality_id = $1 AND waiting_since >= $2 AND waiting_since < $3)
       ),
       visits AS (
         SELECT ticket_id, visit,
                max(service_code) FILTER (WHERE type IN ('issued', 'requeued')) AS service_code,
                max(waiting_since) AS waiting_since,
                min(occurred_at) FILTER (WHERE type = 'called') AS first_called_at,
                max(occurred_at) FILTER (WHERE type = 'started') AS started_at,
                max(occurred_at) FILTER (WHERE type IN ('finished', 'transferred') AND from_status = 'serving') AS service_ended_at,
                bool_or(type = 'finished') AS served,
                bool_or(type = 'noShow') AS no_show,
                bool_or(type = 'cancelled') AS cancelled
           FROM visit_events
          GROUP BY ticket_id, visit
       )
       SELECT service_code,
              extract(hour FROM waiting_since AT TIME ZONE $4)::int AS hour,
              count(*)::int AS tickets,
              count(first_called_at)::int AS called,
              count(*) FILTER (WHERE served)::int AS served,
              count(*) FILTER (WHERE no_show)::int AS no_shows,
              count(*) FILTER (WHERE cancelled)::int AS cancelled,
              sum(extract(epoch FROM first_called_at - waiting_since))::float8 AS wait_seconds_total,
              count(*) FILTER (WHERE started_at IS NOT NULL AND service_ended_at IS NOT NULL)::int AS service_count,
              sum(extract(epoch FROM service_ended_at - started_at)) FILTER (WHERE started_at IS NOT NULL)::float8 AS service_seconds_total
         FROM visits
        WHERE waiting_since >= $2 AND waiting_since < $3
        GROUP BY 1, 2
        ORDER BY 1, 2`,
      [municipalityId, from, to, timeZone],
    );
    return rows.map((row) => ({
      serviceCode: row.service_code,
      hour: row.hour,
      tickets: row.tickets,
      called: row.called,
      served: row.served,
      noShows: row.no_shows,
      cancelled: row.cancelled,
      waitSecondsTotal: row.wait_seconds_total ?? 0,
      serviceCount: row.service_count,
      serviceSecondsTotal: row.service_seconds_total ?? 0,
    }));
  }
}

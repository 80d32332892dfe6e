import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';

export interface StaffReadRow {
  seq: string;
  occurred_at: Date;
  action: string;
  target_type: string | null;
  target_id: string | null;
  details: Record<string, unknown>;
  /** The case's department and reference number, for entries written before reads named their department. */
  app_department: string | null;
  reference_number: string | null;
}

/** The audit actions that are staff reads of a resident's personal data. */
export const STAFF_READ_ACTIONS = ['application.read', 'individualNumber.decrypted'] as const;

/**
 * Reads the audit log for the resident's access log. Three ways an entry
 * names the resident: `details.subject` (every read recorded since reads
 * carry it), a `resident` target (an individual number revealed from the
 * resident's record), or, for older entries, an application target whose
 * applicant is the resident. Only reads by staff: the resident's own reads
 * and the system's are not "who looked".
 */
@Injectable()
export class AccessLogRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async staffReadsOf(municipalityId: MunicipalityId, residentId: string, options: { before?: number; limit: number }): Promise<StaffReadRow[]> {
    return this.dataSource.query(
      `WITH hits AS (
          SELECT seq FROM audit_log
           WHERE municipality_id = $1 AND details ? 'subject' AND details->>'subject' = $2
          UNION
          SELECT seq FROM audit_log
           WHERE municipality_id = $1 AND target_type = 'resident' AND target_id = $2
          UNION
          SELECT a.seq FROM audit_log a
            JOIN applications app ON app.municipality_id = a.municipality_id AND app.id::text = a.target_id
           WHERE a.municipality_id = $1 AND a.target_type = 'application' AND NOT a.details ? 'subject' AND app.applicant_id = $2
        )
        SELECT a.seq, a.occurred_at, a.action, a.target_type, a.target_id, a.details,
               app.department AS app_department, app.reference_number
          FROM audit_log a
          JOIN hits USING (seq)
          LEFT JOIN applications app ON a.target_type = 'application' AND app.municipality_id = a.municipality_id AND app.id::text = a.target_id
         WHERE a.municipality_id = $1 AND a.actor_kind = 'staff' AND a.action = ANY($3)
           AND ($4::bigint IS NULL OR a.seq < $4)
         ORDER BY a.seq DESC
         LIMIT $5`,
      [municipalityId, residentId, [...STAFF_READ_ACTIONS], options.before ?? null, options.limit],
    );
  }
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { MunicipalityId } from '@madoguchi/kernel';
import { RETENTION_CATEGORIES, RETENTION_DEFAULT, type RetentionCategory } from '@madoguchi/workflow';
import { DataSource, type EntityManager } from 'typeorm';

export interface DueErasure {
  municipalityId: MunicipalityId;
  applicationId: string;
  procedureCode: string;
  category: RetentionCategory;
}

export interface LegalHoldRow {
  reason: string;
  placedBy: string;
  placedAt: Date;
}

/**
 * What is due: each category of each closed case whose period, from the
 * procedure version's definition (RETENTION_DEFAULT where it states none),
 * counted from closed_at, has ended; never a case under legal hold, never a
 * category already erased. A discarded draft (closed, never submitted)
 * releases its attachments at once. `permanent` is never due.
 */
const DUE = `
  WITH categories(category) AS (SELECT unnest($3::text[])),
  candidates AS (
    SELECT a.municipality_id, a.id, a.procedure_code, a.closed_at, a.submitted_at, c.category,
           coalesce(d.definition->'retention'->>c.category, $4::jsonb->>c.category) AS period
      FROM applications a
      JOIN procedure_definitions d ON d.municipality_id = a.municipality_id AND d.code = a.procedure_code AND d.version = a.procedure_version
     CROSS JOIN categories c
     WHERE a.closed_at IS NOT NULL AND a.closed_at <= $1
       AND ($5::text IS NULL OR a.municipality_id = $5)
       AND NOT EXISTS (SELECT 1 FROM application_legal_holds h WHERE h.municipality_id = a.municipality_id AND h.application_id = a.id)
       AND NOT EXISTS (SELECT 1 FROM application_erasures e WHERE e.municipality_id = a.municipality_id AND e.application_id = a.id AND e.category = c.category)
  )
  SELECT municipality_id, id, procedure_code, category FROM candidates
   WHERE (submitted_at IS NULL AND category = 'attachments')
      OR (period <> 'permanent' AND closed_at + make_interval(years => rtrim(period, 'y')::int) <= $1)
   ORDER BY closed_at, id, category
   LIMIT $2`;

@Injectable()
export class ProcedureRetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Every municipality's due erasures (the job is the instance's), or one municipality's (the preview). */
  async due(now: Date, limit: number, municipalityId: MunicipalityId | null = null): Promise<DueErasure[]> {
    const rows: Array<{ municipality_id: string; id: string; procedure_code: string; category: RetentionCategory }> = await this.dataSource.query(DUE, [
      now,
      limit,
      [...RETENTION_CATEGORIES],
      JSON.stringify(RETENTION_DEFAULT),
      municipalityId,
    ]);
    return rows.map((row) => ({ municipalityId: row.municipality_id as MunicipalityId, applicationId: row.id, procedureCode: row.procedure_code, category: row.category }));
  }

  /** Through the owner's function: the service role cannot delete these rows itself. False when held or done already. */
  async erase(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, category: RetentionCategory, at: Date): Promise<boolean> {
    const [row] = await manager.query(`SELECT erase_case_personal_data($1, $2, $3, $4) AS erased`, [municipalityId, applicationId, category, at]);
    return row.erased === true;
  }

  async hold(municipalityId: MunicipalityId, applicationId: string): Promise<LegalHoldRow | null> {
    const rows = await this.dataSource.query(`SELECT reason, placed_by, placed_at FROM application_legal_holds WHERE municipality_id = $1 AND application_id = $2`, [
      municipalityId,
      applicationId,
    ]);
    return rows[0] ? { reason: rows[0].reason, placedBy: rows[0].placed_by, placedAt: rows[0].placed_at } : null;
  }

  /** Places (or replaces the reason of) a hold; returns whether one stood before. */
  async placeHold(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string, reason: string, by: string, at: Date): Promise<void> {
    await manager.query(
      `INSERT INTO application_legal_holds (municipality_id, application_id, reason, placed_by, placed_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (municipality_id, application_id) DO UPDATE SET reason = EXCLUDED.reason, placed_by = EXCLUDED.placed_by, placed_at = EXCLUDED.placed_at`,
      [municipalityId, applicationId, reason, by, at],
    );
  }

  async releaseHold(manager: EntityManager, municipalityId: MunicipalityId, applicationId: string): Promise<boolean> {
    const [, count]: [unknown, number] = await manager.query(`DELETE FROM application_legal_holds WHERE municipality_id = $1 AND application_id = $2`, [municipalityId, applicationId]);
    return count > 0;
  }

  async heldCount(municipalityId: MunicipalityId): Promise<number> {
    const [row] = await this.dataSource.query(`SELECT count(*)::int AS count FROM application_legal_holds WHERE municipality_id = $1`, [municipalityId]);
    return row.count;
  }

  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}

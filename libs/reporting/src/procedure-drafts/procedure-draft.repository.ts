import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { ApprovalLevel } from '@madoguchi/workflow';
import { DataSource } from 'typeorm';
import type { DryRunReport, RecordedCase, RecordedDecision } from './procedure-dry-run';

export interface ProcedureDraftRow {
  id: string;
  code: string;
  version: number;
  sourceText: string;
  textHash: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  dryRun: (DryRunReport & { baseVersion: number | null }) | null;
  dryRunTextHash: string | null;
  dryRunBaseVersion: number | null;
  dryRunAt: Date | null;
  publishedVersion: number | null;
  publishedBy: string | null;
  publishedAt: Date | null;
}

/** A draft as the list shows it: whether a dry run of its current text exists, and whether it went live. */
export interface ProcedureDraftSummaryRow {
  id: string;
  code: string;
  version: number;
  updatedAt: Date;
  dryRun: 'none' | 'current' | 'stale';
  publishedVersion: number | null;
}

const COLUMNS = `id, code, version, source_text, text_hash, created_by, created_at, updated_at, dry_run, dry_run_text_hash, dry_run_base_version, dry_run_at,
  published_version, published_by, published_at`;

const toRow = (row: Record<string, unknown>): ProcedureDraftRow => ({
  id: row.id as string,
  code: row.code as string,
  version: row.version as number,
  sourceText: row.source_text as string,
  textHash: row.text_hash as string,
  createdBy: row.created_by as string,
  createdAt: row.created_at as Date,
  updatedAt: row.updated_at as Date,
  dryRun: row.dry_run as ProcedureDraftRow['dryRun'],
  dryRunTextHash: row.dry_run_text_hash as string | null,
  dryRunBaseVersion: row.dry_run_base_version as number | null,
  dryRunAt: row.dry_run_at as Date | null,
  publishedVersion: row.published_version as number | null,
  publishedBy: row.published_by as string | null,
  publishedAt: row.published_at as Date | null,
});

/**
 * The only code that touches procedure_drafts; also reads, never writes, the
 * recorded cases a dry run replays (applications, application_events and
 * approval_decisions belong to the applications and approvals libraries).
 */
@Injectable()
export class ProcedureDraftRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(municipalityId: MunicipalityId, draft: { id: string; code: string; version: number; sourceText: string; textHash: string; by: string; at: Date }): Promise<ProcedureDraftRow> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `INSERT INTO procedure_drafts (municipality_id, id, code, version, source_text, text_hash, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING ${COLUMNS}`,
      [municipalityId, draft.id, draft.code, draft.version, draft.sourceText, draft.textHash, draft.by, draft.at],
    );
    return toRow(rows[0]);
  }

  async find(municipalityId: MunicipalityId, id: string): Promise<ProcedureDraftRow | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(`SELECT ${COLUMNS} FROM procedure_drafts WHERE municipality_id = $1 AND id = $2`, [municipalityId, id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** The municipality's drafts, newest first per procedure, without their texts and reports (the list page). */
  async list(municipalityId: MunicipalityId, limit: number): Promise<ProcedureDraftSummaryRow[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT id, code, version, updated_at, dry_run_at, dry_run_text_hash = text_hash AS dry_run_matches, published_version
         FROM procedure_drafts WHERE municipality_id = $1 ORDER BY code, updated_at DESC, id LIMIT $2`,
      [municipalityId, limit],
    );
    return rows.map((row) => ({
      id: row.id as string,
      code: row.code as string,
      version: row.version as number,
      updatedAt: row.updated_at as Date,
      dryRun: row.dry_run_at === null ? 'none' : row.dry_run_matches ? 'current' : 'stale',
      publishedVersion: row.published_version as number | null,
    }));
  }

  /** 受付番号 of recorded cases, for the dry run's examples (ids the report names; nothing else of the case). */
  async referenceNumbers(municipalityId: MunicipalityId, ids: readonly string[]): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; reference_number: string | null }> = await this.dataSource.query(
      `SELECT id, reference_number FROM applications WHERE municipality_id = $1 AND id = ANY($2::uuid[])`,
      [municipalityId, [...ids]],
    );
    return new Map(rows.map((row) => [row.id, row.reference_number]));
  }

  /** Replaces the text of an unpublished draft; its dry run stays, but no longer matches the text's hash. */
  async updateText(municipalityId: MunicipalityId, id: string, write: { code: string; version: number; sourceText: string; textHash: string; at: Date }): Promise<ProcedureDraftRow | null> {
    // For UPDATE … RETURNING the driver answers [rows, affected count].
    const [rows]: [Array<Record<string, unknown>>, number] = await this.dataSource.query(
      `UPDATE procedure_drafts SET code = $3, version = $4, source_text = $5, text_hash = $6, updated_at = $7
        WHERE municipality_id = $1 AND id = $2 AND published_version IS NULL RETURNING ${COLUMNS}`,
      [municipalityId, id, write.code, write.version, write.sourceText, write.textHash, write.at],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /** Stores a dry run only if the text it replayed is still the draft's text. */
  async saveDryRun(municipalityId: MunicipalityId, id: string, write: { report: DryRunReport & { baseVersion: number | null }; textHash: string; baseVersion: number | null; at: Date }): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE procedure_drafts SET dry_run = $3, dry_run_text_hash = $4, dry_run_base_version = $5, dry_run_at = $6
        WHERE municipality_id = $1 AND id = $2 AND text_hash = $4 AND published_version IS NULL RETURNING id`,
      [municipalityId, id, JSON.stringify(write.report), write.textHash, write.baseVersion, write.at],
    );
    return rows.length > 0;
  }

  async markPublished(municipalityId: MunicipalityId, id: string, write: { textHash: string; version: number; by: string; at: Date }): Promise<boolean> {
    const [rows]: [unknown[], number] = await this.dataSource.query(
      `UPDATE procedure_drafts SET published_version = $4, published_by = $5, published_at = $6
        WHERE municipality_id = $1 AND id = $2 AND text_hash = $3 AND published_version IS NULL RETURNING id`,
      [municipalityId, id, write.textHash, write.version, write.by, write.at],
    );
    return rows.length > 0;
  }

  /**
   * The last `limit` submitted cases of one version (in flight or closed,
   * most recently changed first), each with its events and approval
   * decisions in order.
   */
  async recordedCases(municipalityId: MunicipalityId, code: string, version: number, limit: number): Promise<RecordedCase[]> {
    const applications: Array<{ id: string; state: string; form_data: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT id, state, form_data FROM applications
        WHERE municipality_id = $1 AND procedure_code = $2 AND procedure_version = $3 AND submitted_at IS NOT NULL
        ORDER BY updated_at DESC, id LIMIT $4`,
      [municipalityId, code, version, limit],
    );
    if (applications.length === 0) return [];
    const ids = applications.map((application) => application.id);
    const events: Array<{ application_id: string; seq: number; type: string; payload: Record<string, unknown>; actor_kind: string; actor_id: string; occurred_at: Date }> =
      await this.dataSource.query(
        `SELECT application_id, seq, type, payload, actor_kind, actor_id, occurred_at FROM application_events
          WHERE municipality_id = $1 AND application_id = ANY($2::uuid[]) ORDER BY application_id, seq`,
        [municipalityId, ids],
      );
    const decisions: Array<{ application_id: string; outcome: RecordedDecision['outcome']; department: string; approver_id: string; approver_level: ApprovalLevel | null; on_behalf_of: string | null }> =
      await this.dataSource.query(
        `SELECT application_id, outcome, department, approver_id, approver_level, on_behalf_of FROM approval_decisions
          WHERE municipality_id = $1 AND application_id = ANY($2::uuid[]) ORDER BY application_id, seq`,
        [municipalityId, ids],
      );
    const byId = new Map<string, RecordedCase>(
      applications.map((application) => [application.id, { applicationId: application.id, state: application.state, formData: application.form_data ?? {}, events: [], decisions: [] }]),
    );
    for (const event of events) {
      byId.get(event.application_id)?.events.push({
        seq: event.seq,
        type: event.type,
        payload: event.payload ?? {},
        actor: { kind: event.actor_kind as RecordedCase['events'][number]['actor']['kind'], id: event.actor_id },
        occurredAt: event.occurred_at.toISOString(),
      });
    }
    for (const decision of decisions) {
      byId.get(decision.application_id)?.decisions.push({
        outcome: decision.outcome,
        department: decision.department,
        approverId: decision.approver_id,
        approverLevel: decision.approver_level,
        onBehalfOf: decision.on_behalf_of,
      });
    }
    return [...byId.values()];
  }
}

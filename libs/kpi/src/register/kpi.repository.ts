import { Injectable } from '@nestjs/common';
import { type MunicipalityId, type ReadFrom, ReadReplica } from '@madoguchi/kernel';
import { DataSource, type EntityManager } from 'typeorm';
import type { KpiDefinition, KpiMeasure, KpiRecord } from './kpi.types';

export interface KpiValueRecord {
  id: string;
  kpiCode: string;
  /** YYYY-MM-01. */
  month: string;
  value: number;
  note: string | null;
  enteredBy: string;
  enteredAt: Date;
}

export interface KpiSnapshotRecord {
  kpiCode: string;
  month: string;
  measure: string;
  value: number | null;
  details: Record<string, unknown>;
  takenAt: Date;
}

interface KpiRow {
  code: string;
  name_ja: string;
  name_en: string;
  unit: string;
  baseline_value: string;
  baseline_date: string;
  target_value: string;
  target_fiscal_year: number;
  direction: KpiRecord['direction'];
  source: KpiRecord['source'];
  measure: KpiMeasure | null;
  procedure_codes: string[];
  department: string | null;
  sort_order: number;
  active: boolean;
  config_checksum: string | null;
  revision: number;
  updated_by: string;
  updated_at: Date;
}

const KPI_COLUMNS = `code, name_ja, name_en, unit, baseline_value::text, to_char(baseline_date, 'YYYY-MM-DD') AS baseline_date, target_value::text,
  target_fiscal_year, direction, source, measure, procedure_codes, department, sort_order, active, config_checksum, revision, updated_by, updated_at`;

/**
 * The register, its revisions, entered values and snapshots. Values and
 * snapshots are only ever inserted. The reads behind the cards say where
 * they may go (`from`): the replica for the dashboard and the public
 * figures, the primary where staff see what they just changed.
 */
@Injectable()
export class KpiRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly replica: ReadReplica,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async list(municipalityId: MunicipalityId, options: { activeOnly: boolean }, from: ReadFrom): Promise<KpiRecord[]> {
    const rows: KpiRow[] = await this.replica.reader(from).query(
      `SELECT ${KPI_COLUMNS} FROM kpis WHERE municipality_id = $1 AND ($2::boolean IS FALSE OR active) ORDER BY sort_order, code`,
      [municipalityId, options.activeOnly],
    );
    return rows.map(toRecord);
  }

  async find(municipalityId: MunicipalityId, code: string, manager?: EntityManager): Promise<KpiRecord | null> {
    const rows: KpiRow[] = await (manager ?? this.dataSource).query(`SELECT ${KPI_COLUMNS} FROM kpis WHERE municipality_id = $1 AND code = $2`, [municipalityId, code]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** Creates or replaces the KPI under a row lock and appends the new revision; returns the revision. */
  async save(
    manager: EntityManager,
    municipalityId: MunicipalityId,
    definition: KpiDefinition,
    by: string,
    at: Date,
    configChecksum: string | null,
  ): Promise<number> {
    await manager.query(`SELECT 1 FROM kpis WHERE municipality_id = $1 AND code = $2 FOR UPDATE`, [municipalityId, definition.code]);
    const [row]: Array<{ revision: number }> = await manager.query(
      `INSERT INTO kpis AS k (municipality_id, code, name_ja, name_en, unit, baseline_value, baseline_date, target_value, target_fiscal_year,
                             direction, source, measure, procedure_codes, department, sort_order, active, config_checksum, revision, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1, $18, $19)
       ON CONFLICT (municipality_id, code) DO UPDATE SET
         name_ja = EXCLUDED.name_ja, name_en = EXCLUDED.name_en, unit = EXCLUDED.unit, baseline_value = EXCLUDED.baseline_value,
         baseline_date = EXCLUDED.baseline_date, target_value = EXCLUDED.target_value, target_fiscal_year = EXCLUDED.target_fiscal_year,
         direction = EXCLUDED.direction, source = EXCLUDED.source, measure = EXCLUDED.measure, procedure_codes = EXCLUDED.procedure_codes,
         department = EXCLUDED.department, sort_order = EXCLUDED.sort_order, active = EXCLUDED.active, config_checksum = EXCLUDED.config_checksum,
         revision = k.revision + 1, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
       RETURNING revision`,
      [
        municipalityId,
        definition.code,
        definition.name.ja,
        definition.name.en,
        definition.unit,
        definition.baseline.value,
        definition.baseline.date,
        definition.target.value,
        definition.target.fiscalYear,
        definition.direction,
        definition.source,
        definition.measure,
        definition.procedureCodes,
        definition.department,
        definition.sortOrder,
        definition.active,
        configChecksum,
        by,
        at,
      ],
    );
    await manager.query(
      `INSERT INTO kpi_revisions (municipality_id, kpi_code, revision, definition, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [municipalityId, definition.code, row.revision, JSON.stringify(definition), by, at],
    );
    return row.revision;
  }

  async revisions(municipalityId: MunicipalityId, code: string): Promise<Array<{ revision: number; definition: KpiDefinition; changedBy: string; changedAt: Date }>> {
    const rows: Array<{ revision: number; definition: KpiDefinition; changed_by: string; changed_at: Date }> = await this.dataSource.query(
      `SELECT revision, definition, changed_by, changed_at FROM kpi_revisions WHERE municipality_id = $1 AND kpi_code = $2 ORDER BY revision`,
      [municipalityId, code],
    );
    return rows.map((row) => ({ revision: row.revision, definition: row.definition, changedBy: row.changed_by, changedAt: row.changed_at }));
  }

  async appendValue(municipalityId: MunicipalityId, value: Omit<KpiValueRecord, 'id'>): Promise<KpiValueRecord> {
    const [row]: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO kpi_values (municipality_id, kpi_code, month, value, note, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id::text`,
      [municipalityId, value.kpiCode, value.month, value.value, value.note, value.enteredBy, value.enteredAt],
    );
    return { ...value, id: row.id };
  }

  /** Every entered value of the KPIs, oldest first (corrections included). */
  async values(municipalityId: MunicipalityId, codes: string[], from: ReadFrom): Promise<KpiValueRecord[]> {
    const rows: Array<{ id: string; kpi_code: string; month: string; value: string; note: string | null; entered_by: string; entered_at: Date }> = await this.replica.reader(from).query(
      `SELECT id::text, kpi_code, to_char(month, 'YYYY-MM-DD') AS month, value::text, note, entered_by, entered_at
         FROM kpi_values WHERE municipality_id = $1 AND kpi_code = ANY($2) ORDER BY kpi_code, month, entered_at, id`,
      [municipalityId, codes],
    );
    return rows.map((row) => ({
      id: row.id,
      kpiCode: row.kpi_code,
      month: row.month,
      value: Number(row.value),
      note: row.note,
      enteredBy: row.entered_by,
      enteredAt: row.entered_at,
    }));
  }

  async snapshots(municipalityId: MunicipalityId, codes: string[], from: ReadFrom): Promise<KpiSnapshotRecord[]> {
    const rows: Array<{ kpi_code: string; month: string; measure: string; value: string | null; details: Record<string, unknown>; taken_at: Date }> = await this.replica.reader(from).query(
      `SELECT kpi_code, to_char(month, 'YYYY-MM-DD') AS month, measure, value::text, details, taken_at
         FROM kpi_snapshots WHERE municipality_id = $1 AND kpi_code = ANY($2) ORDER BY kpi_code, month`,
      [municipalityId, codes],
    );
    return rows.map((row) => ({
      kpiCode: row.kpi_code,
      month: row.month,
      measure: row.measure,
      value: row.value === null ? null : Number(row.value),
      details: row.details,
      takenAt: row.taken_at,
    }));
  }

  /** The latest month with a snapshot of the KPI, if any. */
  async lastSnapshotMonth(municipalityId: MunicipalityId, code: string): Promise<string | null> {
    const [row]: Array<{ month: string | null }> = await this.dataSource.query(
      `SELECT to_char(max(month), 'YYYY-MM-DD') AS month FROM kpi_snapshots WHERE municipality_id = $1 AND kpi_code = $2`,
      [municipalityId, code],
    );
    return row?.month ?? null;
  }

  /** Stores a month's snapshot unless one is there already (another worker, or a rerun); true when this call stored it. */
  async insertSnapshot(municipalityId: MunicipalityId, snapshot: Omit<KpiSnapshotRecord, 'takenAt'>, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO kpi_snapshots (municipality_id, kpi_code, month, measure, value, details, taken_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (municipality_id, kpi_code, month) DO NOTHING RETURNING 1`,
      [municipalityId, snapshot.kpiCode, snapshot.month, snapshot.measure, snapshot.value, JSON.stringify(snapshot.details), at],
    );
    return rows.length === 1;
  }
}

function toRecord(row: KpiRow): KpiRecord {
  return {
    code: row.code,
    name: { ja: row.name_ja, en: row.name_en },
    unit: row.unit,
    baseline: { value: Number(row.baseline_value), date: row.baseline_date },
    target: { value: Number(row.target_value), fiscalYear: row.target_fiscal_year },
    direction: row.direction,
    source: row.source,
    measure: row.measure,
    procedureCodes: row.procedure_codes,
    department: row.department,
    sortOrder: row.sort_order,
    active: row.active,
    configChecksum: row.config_checksum,
    revision: row.revision,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';
import type { AreaRating, ItemMark } from './area-rating';

export interface EvaluationAreaRow {
  code: string;
  name: { ja: string; en: string };
  position: number;
}

export interface StoredItem {
  label: { ja: string; en: string };
  mark: ItemMark;
  /** Percent, as the national / prefectural survey publishes it. */
  nationalRate: number | null;
  prefecturalRate: number | null;
}

export interface EvaluationEntryRow {
  areaCode: string;
  fiscalYear: number;
  revision: number;
  items: StoredItem[];
  goodPoints: string;
  pointsToStudy: string;
  publishedRating: AreaRating | null;
  enteredBy: string;
  enteredAt: Date;
}

/** The only code that touches evaluation_areas and evaluation_entries (append-only). */
@Injectable()
export class EvaluationRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listAreas(municipalityId: MunicipalityId): Promise<EvaluationAreaRow[]> {
    const rows: Array<{ code: string; name_ja: string; name_en: string; position: number }> = await this.dataSource.query(
      'SELECT code, name_ja, name_en, position FROM evaluation_areas WHERE municipality_id = $1 ORDER BY position, code',
      [municipalityId],
    );
    return rows.map((row) => ({ code: row.code, name: { ja: row.name_ja, en: row.name_en }, position: row.position }));
  }

  /** Adds an area at the end; false when the code is taken. */
  async insertArea(municipalityId: MunicipalityId, code: string, name: { ja: string; en: string }, at: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO evaluation_areas (municipality_id, code, name_ja, name_en, position, created_at)
       SELECT $1, $2, $3, $4, coalesce(max(position), 0) + 1, $5 FROM evaluation_areas WHERE municipality_id = $1
       ON CONFLICT DO NOTHING RETURNING code`,
      [municipalityId, code, name.ja, name.en, at],
    );
    return rows.length === 1;
  }

  /** The newest revision of every area's entry for the fiscal year. */
  async latestEntries(municipalityId: MunicipalityId, fiscalYear: number): Promise<EvaluationEntryRow[]> {
    const rows: RawEntry[] = await this.dataSource.query(
      `SELECT DISTINCT ON (area_code) * FROM evaluation_entries
        WHERE municipality_id = $1 AND fiscal_year = $2 ORDER BY area_code, revision DESC`,
      [municipalityId, fiscalYear],
    );
    return rows.map(toEntry);
  }

  /**
   * Appends the next revision. Returns null when another save took the same
   * revision number first (the primary key refuses the second).
   */
  async appendEntry(
    municipalityId: MunicipalityId,
    entry: Omit<EvaluationEntryRow, 'revision'>,
  ): Promise<EvaluationEntryRow | null> {
    try {
      const rows: RawEntry[] = await this.dataSource.query(
        `INSERT INTO evaluation_entries (municipality_id, area_code, fiscal_year, revision, items, good_points, points_to_study, published_rating, entered_by, entered_at)
         SELECT $1, $2, $3, coalesce(max(revision), 0) + 1, $4, $5, $6, $7, $8, $9
           FROM evaluation_entries WHERE municipality_id = $1 AND area_code = $2 AND fiscal_year = $3
         RETURNING *`,
        [municipalityId, entry.areaCode, entry.fiscalYear, JSON.stringify(entry.items), entry.goodPoints, entry.pointsToStudy, entry.publishedRating, entry.enteredBy, entry.enteredAt],
      );
      return toEntry(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === '23505') return null;
      throw error;
    }
  }
}

interface RawEntry {
  area_code: string;
  fiscal_year: number;
  revision: number;
  items: StoredItem[];
  good_points: string;
  points_to_study: string;
  published_rating: AreaRating | null;
  entered_by: string;
  entered_at: Date;
}

function toEntry(row: RawEntry): EvaluationEntryRow {
  return {
    areaCode: row.area_code,
    fiscalYear: row.fiscal_year,
    revision: row.revision,
    items: row.items,
    goodPoints: row.good_points,
    pointsToStudy: row.points_to_study,
    publishedRating: row.published_rating,
    enteredBy: row.entered_by,
    enteredAt: row.entered_at,
  };
}

import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { DataSource } from 'typeorm';

export interface Department {
  code: string;
  name: { ja: string; en: string };
  active: boolean;
}

@Injectable()
export class DepartmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async list(municipalityId: MunicipalityId): Promise<Department[]> {
    const rows: Array<{ code: string; name_ja: string; name_en: string; active: boolean }> = await this.dataSource.query(
      `SELECT code, name_ja, name_en, active FROM departments WHERE municipality_id = $1 ORDER BY code`,
      [municipalityId],
    );
    return rows.map((row) => ({ code: row.code, name: { ja: row.name_ja, en: row.name_en }, active: row.active }));
  }

  /** Adds the departments the settings file names and the table lacks; never overwrites an edit. */
  async seed(municipalityId: MunicipalityId, departments: Array<{ code: string; name: { ja: string; en: string } }>, now: Date): Promise<void> {
    for (const department of departments) {
      await this.dataSource.query(
        `INSERT INTO departments (municipality_id, code, name_ja, name_en, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT DO NOTHING`,
        [municipalityId, department.code, department.name.ja, department.name.en, now],
      );
    }
  }

  async insert(municipalityId: MunicipalityId, department: Department, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO departments (municipality_id, code, name_ja, name_en, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)
       ON CONFLICT DO NOTHING RETURNING code`,
      [municipalityId, department.code, department.name.ja, department.name.en, department.active, now],
    );
    return rows.length === 1;
  }

  async update(municipalityId: MunicipalityId, department: Department, now: Date): Promise<boolean> {
    const [, count]: [unknown[], number] = await this.dataSource.query(
      `UPDATE departments SET name_ja = $3, name_en = $4, active = $5, updated_at = $6 WHERE municipality_id = $1 AND code = $2`,
      [municipalityId, department.code, department.name.ja, department.name.en, department.active, now],
    );
    return count === 1;
  }

  async existing(municipalityId: MunicipalityId, codes: string[]): Promise<string[]> {
    const rows: Array<{ code: string }> = await this.dataSource.query(
      `SELECT code FROM departments WHERE municipality_id = $1 AND code = ANY($2) AND active`,
      [municipalityId, codes],
    );
    return rows.map((row) => row.code);
  }
}

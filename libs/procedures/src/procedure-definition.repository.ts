import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { DataSource } from 'typeorm';
import { ProcedureDefinitionEntity } from './procedure-definition.entity';

/** The only code that reads or writes procedure_definitions. */
@Injectable()
export class ProcedureDefinitionRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(municipalityId: MunicipalityId, code: string, version: number): Promise<ProcedureDefinitionEntity | null> {
    return this.dataSource.getRepository(ProcedureDefinitionEntity).findOneBy({ municipalityId, code, version });
  }

  /** The newest version of every procedure of the municipality. */
  async listLatest(municipalityId: MunicipalityId): Promise<ProcedureDefinitionEntity[]> {
    return this.dataSource
      .getRepository(ProcedureDefinitionEntity)
      .createQueryBuilder('d')
      .distinctOn(['d.code'])
      .where('d.municipality_id = :municipalityId', { municipalityId })
      .orderBy('d.code')
      .addOrderBy('d.version', 'DESC')
      .getMany();
  }

  /** Every version of every procedure of the municipality (texts are checked against all of them). */
  async listAll(municipalityId: MunicipalityId): Promise<ProcedureDefinitionEntity[]> {
    return this.dataSource.getRepository(ProcedureDefinitionEntity).find({ where: { municipalityId }, order: { code: 'ASC', version: 'ASC' } });
  }

  async latestVersion(municipalityId: MunicipalityId, code: string): Promise<number | null> {
    const rows: Array<{ version: number | null }> = await this.dataSource.query(
      'SELECT max(version) AS version FROM procedure_definitions WHERE municipality_id = $1 AND code = $2',
      [municipalityId, code],
    );
    return rows[0]?.version ?? null;
  }

  /** Inserts a version; returns false when that (code, version) already exists. */
  async insert(
    municipalityId: MunicipalityId,
    row: { definition: ProcedureDefinition; checksum: string; source: 'catalog' | 'published'; publishedAt: Date; publishedBy: string | null },
  ): Promise<boolean> {
    const result: unknown[] = await this.dataSource.query(
      `INSERT INTO procedure_definitions (municipality_id, code, version, definition, checksum, source, published_at, published_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING
       RETURNING code`,
      [
        municipalityId,
        row.definition.code,
        row.definition.version,
        JSON.stringify(row.definition),
        row.checksum,
        row.source,
        row.publishedAt,
        row.publishedBy,
      ],
    );
    return result.length === 1;
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MunicipalityId } from './municipality-id';
import { MunicipalityEntity } from './municipality.entity';

@Injectable()
export class MunicipalityRepository {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(municipalityId: MunicipalityId, name: { ja: string; en: string }, settings: object): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO municipalities (municipality_id, name_ja, name_en, settings)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (municipality_id) DO UPDATE
         SET name_ja = EXCLUDED.name_ja, name_en = EXCLUDED.name_en,
             settings = EXCLUDED.settings, updated_at = now()`,
      [municipalityId, name.ja, name.en, JSON.stringify(settings)],
    );
  }

  async find(municipalityId: MunicipalityId): Promise<MunicipalityEntity | null> {
    return this.dataSource.getRepository(MunicipalityEntity).findOneBy({ municipalityId });
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import type { MunicipalitySettings } from '@madoguchi/config';
import { asMunicipalityId, canonicalJson, Clock, MunicipalityRepository, sha256Hex } from '@madoguchi/kernel';
import { type DefinitionError, DefinitionLoadError, loadDefinitionDirectory } from '@madoguchi/workflow';
import path from 'node:path';
import { ProcedureDefinitionRepository } from './procedure-definition.repository';
import { PROCEDURE_TEXTS_FOLDER, ProcedureTextsService } from './texts/procedure-texts.service';

export interface SyncReport {
  municipalityId: string;
  inserted: string[];
  unchanged: number;
}

/**
 * At boot, brings each municipality's catalog folder into the database. A
 * new (code, version) is inserted; an existing one must be byte-for-byte the
 * same definition, because applications in flight run on it.
 */
@Injectable()
export class CatalogSyncService {
  private readonly logger = new Logger('Catalog');

  constructor(
    private readonly municipalities: MunicipalityRepository,
    private readonly definitions: ProcedureDefinitionRepository,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly texts: ProcedureTextsService,
  ) {}

  async sync(configDir: string, settings: MunicipalitySettings[]): Promise<SyncReport[]> {
    const errors: DefinitionError[] = [];
    const reports: SyncReport[] = [];
    for (const municipality of settings) {
      const municipalityId = asMunicipalityId(municipality.id);
      const directory = path.join(configDir, municipality.catalog);
      let loaded;
      try {
        loaded = loadDefinitionDirectory(directory, { departments: municipality.departments.map((department) => department.code) });
      } catch (error) {
        if (error instanceof DefinitionLoadError) {
          errors.push(...error.errors);
          continue;
        }
        throw error;
      }
      await this.municipalities.upsert(municipalityId, municipality.name, municipality);
      const report: SyncReport = { municipalityId, inserted: [], unchanged: 0 };
      for (const { definition, file } of loaded) {
        const checksum = sha256Hex(canonicalJson(definition));
        const existing = await this.definitions.find(municipalityId, definition.code, definition.version);
        if (existing) {
          if (existing.checksum !== checksum) {
            errors.push({
              file,
              path: '/version',
              reason: `version ${definition.version} of "${definition.code}" is already in use with different content; publish the change as version ${definition.version + 1}`,
            });
          } else {
            report.unchanged += 1;
          }
          continue;
        }
        await this.definitions.insert(municipalityId, {
          definition,
          checksum,
          source: 'catalog',
          publishedAt: this.clock.now(),
          publishedBy: null,
        });
        report.inserted.push(`${definition.code}@${definition.version}`);
        await this.audit.record(municipalityId, {
          actor: { kind: 'system', id: 'catalog-sync' },
          action: AuditActions.CatalogPublished,
          target: { type: 'procedure', id: `${definition.code}@${definition.version}` },
          details: { source: 'catalog' },
        });
      }
      this.logger.log({ msg: 'catalog synced', municipalityId, inserted: report.inserted.length, unchanged: report.unchanged });
      reports.push(report);
    }
    if (errors.length > 0) throw new DefinitionLoadError(errors);
    // Texts are checked against every version now stored, published ones included.
    const versions = [];
    for (const report of reports) {
      versions.push(...(await this.definitions.listAll(asMunicipalityId(report.municipalityId))).map((row) => row.definition));
    }
    this.texts.load(path.join(configDir, PROCEDURE_TEXTS_FOLDER), versions);
    return reports;
  }
}

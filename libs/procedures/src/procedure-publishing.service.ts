import { Injectable } from '@nestjs/common';
import { AuditActions, AuditService } from '@madoguchi/audit';
import { MunicipalityDirectory } from '@madoguchi/config';
import { canonicalJson, Clock, type MunicipalityId, sha256Hex } from '@madoguchi/kernel';
import { type ProcedureDefinition, validateDefinition } from '@madoguchi/workflow';
import { ProcedureDefinitionRepository } from './procedure-definition.repository';
import { ProcedureError } from './procedure.errors';

/**
 * Publishes a definition version at run time. Applications already running
 * keep the version they started on; new ones take the newest.
 */
@Injectable()
export class ProcedurePublishingService {
  constructor(
    private readonly definitions: ProcedureDefinitionRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async publish(municipalityId: MunicipalityId, data: unknown, publishedBy: string): Promise<ProcedureDefinition> {
    const departments = this.directory.get(municipalityId)?.departments.map((department) => department.code) ?? [];
    const errors = validateDefinition(data, 'published', { departments });
    if (errors.length > 0) throw ProcedureError.invalidDefinition(errors);
    const definition = data as ProcedureDefinition;
    const latest = await this.definitions.latestVersion(municipalityId, definition.code);
    if (definition.version !== (latest ?? 0) + 1) throw ProcedureError.versionConflict(definition.code, definition.version);
    const inserted = await this.definitions.insert(municipalityId, {
      definition,
      checksum: sha256Hex(canonicalJson(definition)),
      source: 'published',
      publishedAt: this.clock.now(),
      publishedBy,
    });
    // Two publishers racing for the same version: one insert wins.
    if (!inserted) throw ProcedureError.versionConflict(definition.code, definition.version);
    await this.audit.record(municipalityId, {
      actor: { kind: 'staff', id: publishedBy },
      action: AuditActions.CatalogPublished,
      target: { type: 'procedure', id: `${definition.code}@${definition.version}` },
      details: { source: 'published' },
    });
    return definition;
  }
}

import { Injectable } from '@nestjs/common';
import type { MunicipalityId } from '@madoguchi/kernel';
import { CompiledProcedure } from '@madoguchi/workflow';
import { ProcedureDefinitionRepository } from './procedure-definition.repository';
import { ProcedureError } from './procedure.errors';

/**
 * Compiled machines by (municipality, code, version). A published version never
 * changes, so caching it is safe in any number of processes.
 */
@Injectable()
export class ProcedureRegistry {
  private readonly compiled = new Map<string, Promise<CompiledProcedure>>();

  constructor(private readonly definitions: ProcedureDefinitionRepository) {}

  get(municipalityId: MunicipalityId, code: string, version: number): Promise<CompiledProcedure> {
    const key = `${municipalityId}:${code}@${version}`;
    let entry = this.compiled.get(key);
    if (!entry) {
      entry = this.load(municipalityId, code, version);
      this.compiled.set(key, entry);
      entry.catch(() => this.compiled.delete(key));
    }
    return entry;
  }

  async latest(municipalityId: MunicipalityId, code: string): Promise<CompiledProcedure> {
    const version = await this.definitions.latestVersion(municipalityId, code);
    if (version === null) throw ProcedureError.notFound(code);
    return this.get(municipalityId, code, version);
  }

  private async load(municipalityId: MunicipalityId, code: string, version: number): Promise<CompiledProcedure> {
    const row = await this.definitions.find(municipalityId, code, version);
    if (!row) throw ProcedureError.notFound(code);
    return new CompiledProcedure(row.definition);
  }
}

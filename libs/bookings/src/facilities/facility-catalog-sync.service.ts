import { Injectable, Logger } from '@nestjs/common';
import type { MunicipalitySettings } from '@madoguchi/config';
import { asMunicipalityId, canonicalJson, Clock, type MunicipalityId, sha256Hex } from '@madoguchi/kernel';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { FacilityConfigEntryDto } from './dto/facility.dto';
import { checkFacility, type FacilityProblem } from './facility-rules';
import { toDefinition } from './facility.mapper';
import { FacilityRepository } from './facility.repository';
import type { FacilityDefinition } from './facility.types';
import { FacilitiesService, problemsText } from './facilities.service';

/** Facilities of a municipality live in config/facilities/<municipality id>.yaml (optional). */
export const FACILITIES_DIR = 'facilities';

export interface FacilitySyncReport {
  municipalityId: string;
  applied: string[];
  unchanged: number;
}

/** Raised at boot when a facilities file is wrong: one line per problem, with the file and a JSON pointer. */
export class FacilityConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`Facility configuration is not valid:\n${lines.join('\n')}`);
    this.name = 'FacilityConfigError';
  }
}

/**
 * At boot (after the procedure catalog and departments), brings each
 * municipality's facilities file into the database. An entry is applied
 * when it is new or changed since it was last applied (by checksum), so an
 * administrator's later edit over the API survives restarts until the file
 * itself changes. Facilities the file no longer lists are left alone:
 * retiring one is an explicit `active: false`.
 */
@Injectable()
export class FacilityCatalogSyncService {
  private readonly logger = new Logger('Facilities');

  constructor(
    private readonly facilities: FacilityRepository,
    private readonly service: FacilitiesService,
    private readonly clock: Clock,
  ) {}

  async sync(configDir: string, settings: MunicipalitySettings[]): Promise<FacilitySyncReport[]> {
    // Every file is checked before anything is written: a broken one stops the start and changes nothing.
    const errors: string[] = [];
    const checked: Array<{ municipalityId: MunicipalityId; definitions: FacilityDefinition[] }> = [];
    for (const municipality of settings) {
      const municipalityId = asMunicipalityId(municipality.id);
      const file = path.join(configDir, FACILITIES_DIR, `${municipality.id}.yaml`);
      if (!existsSync(file)) continue;
      const definitions = await this.check(municipalityId, file, path.relative(configDir, file), errors);
      if (definitions) checked.push({ municipalityId, definitions });
    }
    if (errors.length > 0) throw new FacilityConfigError(errors);

    const reports: FacilitySyncReport[] = [];
    for (const { municipalityId, definitions } of checked) {
      const report: FacilitySyncReport = { municipalityId, applied: [], unchanged: 0 };
      for (const definition of definitions) {
        const checksum = sha256Hex(canonicalJson(definition));
        const applied = await this.facilities.find(municipalityId, definition.code);
        if (applied?.configChecksum === checksum) {
          report.unchanged += 1;
          continue;
        }
        await this.service.save(municipalityId, definition, { source: 'config', configChecksum: checksum, now: this.clock.now() }, { kind: 'system', id: 'facility-sync' });
        report.applied.push(definition.code);
      }
      this.logger.log({ msg: 'facilities synced', municipalityId, applied: report.applied.length, unchanged: report.unchanged });
      reports.push(report);
    }
    return reports;
  }

  /** The file's facilities, checked whole; null (and lines in `errors`) when anything is wrong. */
  private async check(municipalityId: MunicipalityId, file: string, shown: string, errors: string[]): Promise<FacilityDefinition[] | null> {
    let raw: unknown;
    try {
      raw = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      errors.push(`${shown} /: not valid YAML (${(error as Error).message.split('\n')[0]})`);
      return null;
    }
    const entries = (raw as { facilities?: unknown } | null)?.facilities;
    if (!Array.isArray(entries)) {
      errors.push(`${shown} /facilities: must be a list of facilities`);
      return null;
    }
    const context = await this.service.context(municipalityId);
    const before = errors.length;
    const definitions: FacilityDefinition[] = [];
    for (const [index, entry] of entries.entries()) {
      const dto = plainToInstance(FacilityConfigEntryDto, entry);
      const shape = flatten(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }), `/facilities/${index}`);
      if (shape.length > 0) {
        errors.push(...problemsText(shown, shape));
        continue;
      }
      if (definitions.some((definition) => definition.code === dto.code)) {
        errors.push(`${shown} /facilities/${index}/code: duplicate facility "${dto.code}"`);
        continue;
      }
      const definition = toDefinition(dto.code, dto);
      errors.push(...problemsText(shown, checkFacility(definition, context).map((problem) => ({ ...problem, path: `/facilities/${index}${problem.path}` }))));
      definitions.push(definition);
    }
    return errors.length === before ? definitions : null;
  }
}

function flatten(errors: ValidationError[], base: string): FacilityProblem[] {
  return errors.flatMap((error) => {
    const here = `${base}/${error.property}`;
    return [...Object.values(error.constraints ?? {}).map((reason) => ({ path: here, reason })), ...flatten(error.children ?? [], here)];
  });
}

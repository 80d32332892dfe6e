import { Injectable, Logger } from '@nestjs/common';
import type { MunicipalitySettings } from '@madoguchi/config';
import { asMunicipalityId, canonicalJson, type MunicipalityId, sha256Hex } from '@madoguchi/kernel';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { KpiConfigEntryDto } from './kpi.dto';
import { KpiRepository } from './kpi.repository';
import { KpiRegisterService, toDefinition } from './kpi-register.service';
import type { KpiDefinition } from './kpi.types';

/** Plan KPIs of a municipality live in config/kpis/<municipality id>.yaml (optional). */
export const KPIS_DIR = 'kpis';

export class KpiConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(`KPI configuration is not valid:\n${lines.join('\n')}`);
    this.name = 'KpiConfigError';
  }
}

/**
 * At start (after the catalog and departments), brings each municipality's
 * KPI file into the register, like facilities: an entry is applied when it
 * is new or changed since it was last applied (by checksum), so an
 * administrator's later edit survives restarts until the file changes. Every
 * file is checked before anything is written.
 */
@Injectable()
export class KpiConfigSyncService {
  private readonly logger = new Logger('Kpis');

  constructor(
    private readonly kpis: KpiRepository,
    private readonly register: KpiRegisterService,
  ) {}

  async sync(configDir: string, settings: MunicipalitySettings[]): Promise<Array<{ municipalityId: string; applied: string[]; unchanged: number }>> {
    const errors: string[] = [];
    const checked: Array<{ municipalityId: MunicipalityId; definitions: KpiDefinition[] }> = [];
    for (const municipality of settings) {
      const municipalityId = asMunicipalityId(municipality.id);
      const file = path.join(configDir, KPIS_DIR, `${municipality.id}.yaml`);
      if (!existsSync(file)) continue;
      const definitions = await this.check(municipalityId, file, path.relative(configDir, file), errors);
      if (definitions) checked.push({ municipalityId, definitions });
    }
    if (errors.length > 0) throw new KpiConfigError(errors);
    const reports = [];
    for (const { municipalityId, definitions } of checked) {
      const report = { municipalityId, applied: [] as string[], unchanged: 0 };
      for (const definition of definitions) {
        const checksum = sha256Hex(canonicalJson(definition));
        if ((await this.kpis.find(municipalityId, definition.code))?.configChecksum === checksum) {
          report.unchanged += 1;
          continue;
        }
        await this.register.save(municipalityId, definition, 'system:kpi-config', checksum);
        report.applied.push(definition.code);
      }
      this.logger.log({ msg: 'kpis synced', municipalityId, applied: report.applied.length, unchanged: report.unchanged });
      reports.push(report);
    }
    return reports;
  }

  private async check(municipalityId: MunicipalityId, file: string, shown: string, errors: string[]): Promise<KpiDefinition[] | null> {
    let raw: unknown;
    try {
      raw = parse(readFileSync(file, 'utf8'));
    } catch (error) {
      errors.push(`${shown} /: not valid YAML (${(error as Error).message.split('\n')[0]})`);
      return null;
    }
    const entries = (raw as { kpis?: unknown } | null)?.kpis;
    if (!Array.isArray(entries)) {
      errors.push(`${shown} /kpis: must be a list of KPIs`);
      return null;
    }
    const before = errors.length;
    const definitions: KpiDefinition[] = [];
    for (const [index, entry] of entries.entries()) {
      const dto = plainToInstance(KpiConfigEntryDto, entry);
      const shape = flatten(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true }), `/kpis/${index}`);
      if (shape.length > 0) {
        errors.push(...shape.map((line) => `${shown} ${line}`));
        continue;
      }
      if (definitions.some((definition) => definition.code === dto.code)) {
        errors.push(`${shown} /kpis/${index}/code: duplicate KPI "${dto.code}"`);
        continue;
      }
      const definition = toDefinition(dto.code, dto);
      // The file's order is the register's order unless it says otherwise.
      if (dto.sortOrder === undefined) definition.sortOrder = index;
      errors.push(...(await this.register.problems(municipalityId, definition)).map((problem) => `${shown} /kpis/${index}${problem}`));
      definitions.push(definition);
    }
    return errors.length === before ? definitions : null;
  }
}

function flatten(errors: ValidationError[], base: string): string[] {
  return errors.flatMap((error) => {
    const at = `${base}/${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => `${at}: ${message}`);
    return [...own, ...flatten(error.children ?? [], at)];
  });
}

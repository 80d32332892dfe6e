import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { Clock, isoDateIn, type MunicipalityId } from '@madoguchi/kernel';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import type { ProcedureDetailDto, ProcedureSummaryDto } from './dto/procedure-response.dto';
import type { SearchProceduresQuery } from './dto/search-procedures.query';
import { ProcedureDefinitionRepository } from './procedure-definition.repository';
import { toDetailText, toProcedureDetail, toProcedureSummary, toSummaryText } from './procedure.mapper';
import type { TextLanguage } from './texts/procedure-texts';
import { ProcedureTextsService } from './texts/procedure-texts.service';
import { ProcedureError } from './procedure.errors';
import { matchesAllWords, searchWords } from './search-text';

/** The public catalog: what a resident can find and read without signing in. */
@Injectable()
export class ProceduresService {
  constructor(
    private readonly definitions: ProcedureDefinitionRepository,
    private readonly directory: MunicipalityDirectory,
    private readonly clock: Clock,
    private readonly texts: ProcedureTextsService,
  ) {}

  async search(municipalityId: MunicipalityId, query: SearchProceduresQuery): Promise<ProcedureSummaryDto[]> {
    const today = this.today(municipalityId);
    const words = searchWords(query.q ?? '');
    return (await this.latestDefinitions(municipalityId))
      .map((definition) => ({
        ...toProcedureSummary(definition, today),
        ...(query.lang ? { text: toSummaryText(this.texts.localize(definition, query.lang)) } : {}),
      }))
      .filter(
        (summary) =>
          (query.category === undefined || summary.category === query.category) &&
          (query.nationalCategory === undefined || summary.nationalCategory === query.nationalCategory) &&
          (query.targeted === undefined || summary.targeted === query.targeted) &&
          (query.online === undefined || summary.online === query.online) &&
          matchesAllWords(words, [summary.code, summary.name.ja, summary.name.en, summary.text?.name ?? '']),
      );
  }

  async detail(municipalityId: MunicipalityId, code: string, lang?: TextLanguage): Promise<ProcedureDetailDto> {
    const version = await this.definitions.latestVersion(municipalityId, code);
    const row = version === null ? null : await this.definitions.find(municipalityId, code, version);
    if (!row) throw ProcedureError.notFound(code);
    const detail = toProcedureDetail(row.definition, this.today(municipalityId));
    return lang ? { ...detail, text: toDetailText(this.texts.localize(row.definition, lang)) } : detail;
  }

  async latestDefinitions(municipalityId: MunicipalityId): Promise<ProcedureDefinition[]> {
    return (await this.definitions.listLatest(municipalityId)).map((row) => row.definition);
  }

  today(municipalityId: MunicipalityId): string {
    return isoDateIn(this.clock.now(), this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo');
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import {
  EMPTY_TEXT_CATALOG,
  type LocalizedProcedure,
  loadProcedureTextsDirectory,
  localizeProcedure,
  type ProcedureTextCatalog,
  type TextLanguage,
} from './procedure-texts';

/** Folder under config/ holding the presentation texts of every catalog. */
export const PROCEDURE_TEXTS_FOLDER = 'procedure-texts';

/**
 * The presentation texts, loaded and validated once at boot (by the catalog
 * sync, which knows every version) and then served from memory. Until they
 * are loaded, procedures show their definitions' own texts.
 */
@Injectable()
export class ProcedureTextsService {
  private readonly logger = new Logger('ProcedureTexts');
  private catalog: ProcedureTextCatalog = EMPTY_TEXT_CATALOG;

  /** Throws DefinitionLoadError listing every problem; keeps the previous texts then. */
  load(directory: string, versions: ProcedureDefinition[]): void {
    this.catalog = loadProcedureTextsDirectory(directory, versions);
    this.logger.log({ msg: 'procedure texts loaded', procedures: this.catalog.byCode.size });
  }

  localize(definition: ProcedureDefinition, language: TextLanguage): LocalizedProcedure {
    return localizeProcedure(definition, language, this.catalog);
  }
}

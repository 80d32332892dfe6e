import { RequestError } from '@madoguchi/kernel';
import type { DefinitionError } from '@madoguchi/workflow';

export enum ProcedureErrorCode {
  NotFound = 'PROCEDURE_NOT_FOUND',
  InvalidDefinition = 'PROCEDURE_INVALID_DEFINITION',
  VersionConflict = 'PROCEDURE_VERSION_CONFLICT',
}

export class ProcedureError extends RequestError {
  static notFound(code: string): ProcedureError {
    return new ProcedureError(404, ProcedureErrorCode.NotFound, {
      ja: 'お探しの手続は見つかりません。',
      en: `There is no procedure "${code}".`,
    }, { code });
  }

  static invalidDefinition(errors: DefinitionError[]): ProcedureError {
    return new ProcedureError(422, ProcedureErrorCode.InvalidDefinition, {
      ja: '手続の定義に誤りがあります。',
      en: 'The procedure definition is not valid.',
    }, { errors: errors.map(({ path, reason }) => ({ path, reason })) });
  }

  static versionConflict(code: string, version: number): ProcedureError {
    return new ProcedureError(409, ProcedureErrorCode.VersionConflict, {
      ja: '同じ版の手続定義が既に公開されています。',
      en: `Version ${version} of "${code}" is already published.`,
    }, { code, version });
  }
}

import { RequestError } from '@madoguchi/kernel';

export enum ReportingErrorCode {
  EvaluationAreaNotFound = 'EVALUATION_AREA_NOT_FOUND',
  EvaluationAreaExists = 'EVALUATION_AREA_EXISTS',
  EvaluationConflict = 'EVALUATION_CONFLICT',
  FiscalYearInvalid = 'REPORT_FISCAL_YEAR_INVALID',
  OpenDataDatasetNotFound = 'OPENDATA_DATASET_NOT_FOUND',
  ProcedureDraftNotFound = 'PROCEDURE_DRAFT_NOT_FOUND',
  ProcedureDraftInvalid = 'PROCEDURE_DRAFT_INVALID',
  ProcedureDraftDryRunRequired = 'PROCEDURE_DRAFT_DRY_RUN_REQUIRED',
  ProcedureDraftPublished = 'PROCEDURE_DRAFT_PUBLISHED',
}

export class ReportingError extends RequestError {
  static areaNotFound(code: string): ReportingError {
    return new ReportingError(404, ReportingErrorCode.EvaluationAreaNotFound, { ja: '評価分野が見つかりません。', en: `There is no evaluation area "${code}".` }, { code });
  }

  static areaExists(code: string): ReportingError {
    return new ReportingError(409, ReportingErrorCode.EvaluationAreaExists, { ja: '同じコードの評価分野が既にあります。', en: `An evaluation area "${code}" already exists.` }, { code });
  }

  static conflict(code: string, fiscalYear: number): ReportingError {
    return new ReportingError(
      409,
      ReportingErrorCode.EvaluationConflict,
      { ja: '同時に別の方がこの分野の評価を保存しました。内容を確認してからもう一度保存してください。', en: 'Someone else saved this area at the same time; check it and save again.' },
      { code, fiscalYear },
    );
  }

  static fiscalYearInvalid(value: string): ReportingError {
    return new ReportingError(400, ReportingErrorCode.FiscalYearInvalid, { ja: '年度は西暦4桁（2000〜2100）で指定してください。', en: 'The fiscal year must be a year from 2000 to 2100.' }, { value });
  }

  static datasetNotFound(id: string): ReportingError {
    return new ReportingError(404, ReportingErrorCode.OpenDataDatasetNotFound, { ja: 'お探しのデータセットはありません。', en: `There is no dataset "${id}".` }, { id });
  }
}

export class ProcedureDraftError extends RequestError {
  static notFound(id: string): ProcedureDraftError {
    return new ProcedureDraftError(404, ReportingErrorCode.ProcedureDraftNotFound, { ja: '手続定義の下書きが見つかりません。', en: `There is no procedure draft "${id}".` }, { id });
  }

  static invalid(errors: Array<{ file: string; path: string; reason: string }>): ProcedureDraftError {
    return new ProcedureDraftError(
      422,
      ReportingErrorCode.ProcedureDraftInvalid,
      { ja: '手続の定義に誤りがあります。各項目の理由を確認して直してください。', en: 'The procedure definition has errors; each one names the place and the reason.' },
      { errors },
    );
  }

  static dryRunRequired(reason: 'none' | 'textChanged' | 'baseChanged'): ProcedureDraftError {
    const why = {
      none: { ja: 'この下書きはまだ試行（ドライラン）されていません。', en: 'This draft has not been dry-run yet.' },
      textChanged: { ja: '試行の後に下書きが変更されました。', en: 'The draft was edited after its dry run.' },
      baseChanged: { ja: '試行の後に別の版が公開されました。', en: 'Another version was published after the dry run.' },
    }[reason];
    return new ProcedureDraftError(
      409,
      ReportingErrorCode.ProcedureDraftDryRunRequired,
      { ja: `${why.ja}公開する前に、今の内容で試行してください。`, en: `${why.en} Dry-run the current text before publishing.` },
      { reason },
    );
  }

  static published(id: string, version: number): ProcedureDraftError {
    return new ProcedureDraftError(409, ReportingErrorCode.ProcedureDraftPublished, { ja: 'この下書きは公開済みです。変更は新しい下書きで行ってください。', en: `This draft was already published as version ${version}; start a new draft.` }, { id, version });
  }
}

/** Fiscal years in paths: four digits, 2000–2100 (the column's check). */
export function parseFiscalYear(value: string): number {
  if (!/^\d{4}$/.test(value)) throw ReportingError.fiscalYearInvalid(value);
  const year = Number(value);
  if (year < 2000 || year > 2100) throw ReportingError.fiscalYearInvalid(value);
  return year;
}

import { RequestError } from '@madoguchi/kernel';

export enum ReportingErrorCode {
  EvaluationAreaNotFound = 'EVALUATION_AREA_NOT_FOUND',
  EvaluationAreaExists = 'EVALUATION_AREA_EXISTS',
  EvaluationConflict = 'EVALUATION_CONFLICT',
  FiscalYearInvalid = 'REPORT_FISCAL_YEAR_INVALID',
  OpenDataDatasetNotFound = 'OPENDATA_DATASET_NOT_FOUND',
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

/** Fiscal years in paths: four digits, 2000–2100 (the column's check). */
export function parseFiscalYear(value: string): number {
  if (!/^\d{4}$/.test(value)) throw ReportingError.fiscalYearInvalid(value);
  const year = Number(value);
  if (year < 2000 || year > 2100) throw ReportingError.fiscalYearInvalid(value);
  return year;
}

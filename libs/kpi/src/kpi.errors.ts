import { RequestError } from '@madoguchi/kernel';

export class KpiError extends RequestError {
  static periodInvalid(from: string, to: string): KpiError {
    return new KpiError(400, 'KPI_PERIOD_INVALID', { ja: '集計期間の開始日が終了日より後になっています。', en: 'The period starts after it ends.' }, { from, to });
  }
}

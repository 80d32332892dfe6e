import { RequestError } from '@madoguchi/kernel';

export class KpiError extends RequestError {
  static periodInvalid(from: string, to: string): KpiError {
    return new KpiError(400, 'KPI_PERIOD_INVALID', { ja: '集計期間の開始日が終了日より後になっています。', en: 'The period starts after it ends.' }, { from, to });
  }

  static notFound(code: string): KpiError {
    return new KpiError(404, 'KPI_NOT_FOUND', { ja: '指定された指標が見つかりません。', en: 'No such KPI.' }, { code });
  }

  static invalid(problems: string[]): KpiError {
    return new KpiError(422, 'KPI_INVALID', { ja: '指標の定義に誤りがあります。', en: 'The KPI definition is not valid.' }, { problems });
  }

  static notEntered(code: string): KpiError {
    return new KpiError(409, 'KPI_NOT_ENTERED', { ja: 'この指標はシステムが計測するため、値を入力できません。', en: 'This KPI is measured by the system; values cannot be entered.' }, { code });
  }

  static monthInFuture(month: string): KpiError {
    return new KpiError(422, 'KPI_MONTH_IN_FUTURE', { ja: 'まだ始まっていない月の値は入力できません。', en: 'A value cannot be entered for a month that has not begun.' }, { month });
  }
}

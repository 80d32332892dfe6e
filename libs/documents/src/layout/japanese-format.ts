import { eraOf, formatWareki } from '@madoguchi/kernel';

/** 令和8年11月22日 */
export function wareki(isoDate: string): string {
  return formatWareki(isoDate);
}

/** 令和8年11月22日（2026年11月22日）: the era date official documents use, with the Gregorian date for readers abroad. */
export function warekiWithGregorian(isoDate: string): string {
  return `${formatWareki(isoDate)}（${Number(isoDate.slice(0, 4))}年${Number(isoDate.slice(5, 7))}月${Number(isoDate.slice(8, 10))}日）`;
}

const WEEKDAYS = ['日', '月', '火', '水', '木', '金', '土'];

/** 令和8年11月22日（日） */
export function warekiWithWeekday(isoDate: string): string {
  return `${formatWareki(isoDate)}（${WEEKDAYS[new Date(`${isoDate}T00:00:00Z`).getUTCDay()]}）`;
}

/** 令和8年度: the fiscal year named by the year it starts in. */
export function fiscalYearLabel(fiscalYear: number): string {
  const era = eraOf(`${fiscalYear}-04-01`);
  return `${era.name}${era.year === 1 ? '元' : era.year}年度`;
}

/** 令和7年 (a calendar year, e.g. the year income was earned). */
export function eraYearLabel(year: number): string {
  const era = eraOf(`${year}-12-31`);
  return `${era.name}${era.year === 1 ? '元' : era.year}年`;
}

const YEN = new Intl.NumberFormat('ja-JP', { maximumFractionDigits: 0 });

/** 1,200円 */
export function yen(amount: number): string {
  return `${YEN.format(amount)}円`;
}

/** 10:00 in the municipality's time zone. */
export function timeIn(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(instant);
}

export function sexJa(sex: string): string {
  return sex === 'male' ? '男' : sex === 'female' ? '女' : '—';
}

/** The code as printed and typed: four groups of four. */
export function formatVerificationCode(code: string): string {
  return code.replace(/(.{4})(?=.)/g, '$1-');
}

/** 桜ヶ丘市長, 試験町長: the head of the municipality, who issues in its name. */
export function headOfMunicipality(nameJa: string): string {
  return `${nameJa}長`;
}

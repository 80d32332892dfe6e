/** Eras in force since the Meiji calendar reform, newest first. */
const ERAS = [
  { letter: 'R', name: '令和', start: '2019-05-01' },
  { letter: 'H', name: '平成', start: '1989-01-08' },
  { letter: 'S', name: '昭和', start: '1926-12-25' },
  { letter: 'T', name: '大正', start: '1912-07-30' },
  { letter: 'M', name: '明治', start: '1873-01-01' },
] as const;

export interface EraYear {
  letter: string;
  name: string;
  year: number;
}

/** The era and era year of a calendar date (YYYY-MM-DD). */
export function eraOf(isoDate: string): EraYear {
  const era = ERAS.find((candidate) => isoDate >= candidate.start);
  if (!era) throw new Error(`${isoDate} is before the eras this system knows`);
  return { letter: era.letter, name: era.name, year: Number(isoDate.slice(0, 4)) - Number(era.start.slice(0, 4)) + 1 };
}

/**
 * The fiscal year (年度) of a date, named by its starting Gregorian year, and
 * its era year. A fiscal year is named in the era in force on its last day:
 * FY2019 (April 2019 – March 2020) is 令和元年度.
 */
export function fiscalYearOf(isoDate: string, startMonth: number): { fiscalYear: number; era: EraYear } {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const fiscalYear = month >= startMonth ? year : year - 1;
  const lastMonth = startMonth === 1 ? 12 : startMonth - 1;
  const lastYear = startMonth === 1 ? fiscalYear : fiscalYear + 1;
  const lastDay = new Date(Date.UTC(lastYear, lastMonth, 0)).getUTCDate();
  const era = eraOf(`${lastYear}-${String(lastMonth).padStart(2, '0')}-${String(lastDay).padStart(2, '0')}`);
  const eraStartYear = Number(ERAS.find((candidate) => candidate.letter === era.letter)!.start.slice(0, 4));
  return { fiscalYear, era: { ...era, year: fiscalYear - eraStartYear + 1 } };
}

/** 令和8年11月22日 */
export function formatWareki(isoDate: string): string {
  const era = eraOf(isoDate);
  const yearText = era.year === 1 ? '元' : String(era.year);
  return `${era.name}${yearText}年${Number(isoDate.slice(5, 7))}月${Number(isoDate.slice(8, 10))}日`;
}

/**
 * Eras in force since the Meiji calendar reform, newest first. `firstYear` is
 * the Gregorian year of the era's first year (元年): Meiji began in 1868, but
 * dates are known only from the reform (1873-01-01, 明治6年).
 */
const ERAS = [
  { letter: 'R', name: '令和', start: '2019-05-01', firstYear: 2019 },
  { letter: 'H', name: '平成', start: '1989-01-08', firstYear: 1989 },
  { letter: 'S', name: '昭和', start: '1926-12-25', firstYear: 1926 },
  { letter: 'T', name: '大正', start: '1912-07-30', firstYear: 1912 },
  { letter: 'M', name: '明治', start: '1873-01-01', firstYear: 1868 },
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
  return { letter: era.letter, name: era.name, year: Number(isoDate.slice(0, 4)) - era.firstYear + 1 };
}

/**
 * The fiscal year (年度) of a date, named by its starting Gregorian year, and
 * its era year. A fiscal year is named in the newest era whose first year is
 * not later than the year the fiscal year starts in: FY2019 (April 2019 –
 * March 2020) is 令和元年度, FY1988 (April 1988 – March 1989) 昭和63年度.
 */
export function fiscalYearOf(isoDate: string, startMonth: number): { fiscalYear: number; era: EraYear } {
  eraOf(isoDate); // refuses dates before the known eras
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  const fiscalYear = month >= startMonth ? year : year - 1;
  const era = ERAS.find((candidate) => candidate.firstYear <= fiscalYear)!;
  return { fiscalYear, era: { letter: era.letter, name: era.name, year: fiscalYear - era.firstYear + 1 } };
}

/** 令和8年11月22日 */
export function formatWareki(isoDate: string): string {
  const era = eraOf(isoDate);
  const yearText = era.year === 1 ? '元' : String(era.year);
  return `${era.name}${yearText}年${Number(isoDate.slice(5, 7))}月${Number(isoDate.slice(8, 10))}日`;
}

import { eraOf, fiscalYearOf, formatWareki } from './japanese-era';

describe('eraOf', () => {
  it.each([
    ['2019-04-30', '平成', 'H', 31],
    ['2019-05-01', '令和', 'R', 1],
    ['2026-11-22', '令和', 'R', 8],
    ['1989-01-07', '昭和', 'S', 64],
    ['1989-01-08', '平成', 'H', 1],
    ['1926-12-24', '大正', 'T', 15],
    ['1926-12-25', '昭和', 'S', 1],
    ['1912-07-29', '明治', 'M', 45],
    ['1912-07-30', '大正', 'T', 1],
    ['1900-01-01', '明治', 'M', 33],
    ['1873-01-01', '明治', 'M', 6],
  ])('%s is %s (%s) %i', (date, name, letter, year) => {
    expect(eraOf(date)).toEqual({ name, letter, year });
  });

  it('refuses dates before the Gregorian calendar was adopted', () => {
    expect(() => eraOf('1872-12-31')).toThrow('1872-12-31 is before the eras this system knows');
  });
});

describe('fiscalYearOf (fiscal year starting in April)', () => {
  it.each([
    ['2026-11-22', 2026, 'R', 8],
    ['2027-03-31', 2026, 'R', 8],
    ['2027-04-01', 2027, 'R', 9],
    ['2026-04-01', 2026, 'R', 8],
    ['2026-03-31', 2025, 'R', 7],
  ])('%s is in FY%i (%s%i)', (date, fiscalYear, letter, year) => {
    const result = fiscalYearOf(date, 4);
    expect(result.fiscalYear).toBe(fiscalYear);
    expect(result.era).toMatchObject({ letter, year });
  });

  it('names FY2019 令和元年度, though it began in 平成31年', () => {
    for (const date of ['2019-04-01', '2019-04-30', '2019-05-01', '2020-03-31']) {
      expect(fiscalYearOf(date, 4)).toEqual({ fiscalYear: 2019, era: { letter: 'R', name: '令和', year: 1 } });
    }
  });

  it('names FY2018 平成30年度', () => {
    expect(fiscalYearOf('2018-04-01', 4)).toEqual({ fiscalYear: 2018, era: { letter: 'H', name: '平成', year: 30 } });
    expect(fiscalYearOf('2019-03-31', 4)).toEqual({ fiscalYear: 2018, era: { letter: 'H', name: '平成', year: 30 } });
  });

  it('names FY1988, which the Heisei era began in, 昭和63年度, and FY1989 平成元年度', () => {
    expect(fiscalYearOf('1989-03-31', 4)).toEqual({ fiscalYear: 1988, era: { letter: 'S', name: '昭和', year: 63 } });
    expect(fiscalYearOf('1989-04-01', 4)).toEqual({ fiscalYear: 1989, era: { letter: 'H', name: '平成', year: 1 } });
  });
});

describe('fiscalYearOf (limits)', () => {
  it('refuses dates before the eras it knows', () => {
    expect(() => fiscalYearOf('1872-12-31', 4)).toThrow('1872-12-31 is before the eras this system knows');
  });
});

describe('fiscalYearOf (other start months)', () => {
  it('a fiscal year starting in January is the calendar year', () => {
    expect(fiscalYearOf('2026-01-01', 1)).toEqual({ fiscalYear: 2026, era: { letter: 'R', name: '令和', year: 8 } });
    expect(fiscalYearOf('2026-12-31', 1)).toEqual({ fiscalYear: 2026, era: { letter: 'R', name: '令和', year: 8 } });
    expect(fiscalYearOf('2019-02-01', 1)).toEqual({ fiscalYear: 2019, era: { letter: 'R', name: '令和', year: 1 } });
  });

  it('a fiscal year starting in October', () => {
    expect(fiscalYearOf('2026-09-30', 10).fiscalYear).toBe(2025);
    expect(fiscalYearOf('2026-10-01', 10).fiscalYear).toBe(2026);
    expect(fiscalYearOf('2026-10-01', 10).era).toEqual({ letter: 'R', name: '令和', year: 8 });
  });
});

describe('formatWareki', () => {
  it.each([
    ['2026-11-22', '令和8年11月22日'],
    ['2019-05-01', '令和元年5月1日'],
    ['2019-04-30', '平成31年4月30日'],
    ['1989-01-08', '平成元年1月8日'],
    ['1989-01-07', '昭和64年1月7日'],
    ['2030-01-09', '令和12年1月9日'],
  ])('%s is %s', (date, text) => {
    expect(formatWareki(date)).toBe(text);
  });
});

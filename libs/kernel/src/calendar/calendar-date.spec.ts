import { daysBetween, isoDateIn, monthEnds } from './calendar-date';

describe('isoDateIn', () => {
  it('takes the date in the given zone, across the JST date line', () => {
    const instant = new Date('2026-11-22T15:30:00Z');
    expect(isoDateIn(instant, 'Asia/Tokyo')).toBe('2026-11-23');
    expect(isoDateIn(instant, 'UTC')).toBe('2026-11-22');
  });

  it('puts 15:00 UTC at midnight in Tokyo, a second earlier on the day before', () => {
    expect(isoDateIn(new Date('2026-12-31T14:59:59Z'), 'Asia/Tokyo')).toBe('2026-12-31');
    expect(isoDateIn(new Date('2026-12-31T15:00:00Z'), 'Asia/Tokyo')).toBe('2027-01-01');
  });

  it('works west of UTC too', () => {
    expect(isoDateIn(new Date('2026-03-01T03:00:00Z'), 'America/Los_Angeles')).toBe('2026-02-28');
  });

  it('gives the same answer on repeated calls with different zones', () => {
    const instant = new Date('2026-11-22T15:30:00Z');
    expect([isoDateIn(instant, 'Asia/Tokyo'), isoDateIn(instant, 'UTC'), isoDateIn(instant, 'Asia/Tokyo')]).toEqual([
      '2026-11-23',
      '2026-11-22',
      '2026-11-23',
    ]);
  });
});

describe('monthEnds', () => {
  it('lists the last day of each month, February of a leap year included', () => {
    expect(monthEnds('2024-01-15', '2024-04-02')).toEqual(['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']);
    expect(monthEnds('2023-02-01', '2023-02-01')).toEqual(['2023-02-28']);
  });

  it('crosses a year end', () => {
    expect(monthEnds('2025-11-30', '2026-02-10')).toEqual(['2025-11-30', '2025-12-31', '2026-01-31', '2026-02-28']);
  });

  it('gives one month when both dates are in it', () => {
    expect(monthEnds('2026-11-01', '2026-11-30')).toEqual(['2026-11-30']);
  });

  it('spans several years: a fiscal plan from March 2023 to March 2026', () => {
    const ends = monthEnds('2023-03-31', '2026-03-31');
    expect(ends).toHaveLength(37);
    expect(ends[0]).toBe('2023-03-31');
    expect(ends[10]).toBe('2024-01-31');
    expect(ends[11]).toBe('2024-02-29');
    expect(ends[36]).toBe('2026-03-31');
    expect(new Set(ends).size).toBe(37);
  });

  it('gives nothing when the end comes before the start', () => {
    expect(monthEnds('2026-05-01', '2026-04-30')).toEqual([]);
  });
});

describe('daysBetween', () => {
  it.each([
    ['2026-11-22', '2026-11-22', 0],
    ['2026-11-22', '2026-11-23', 1],
    ['2026-11-23', '2026-11-22', -1],
    ['2024-02-28', '2024-03-01', 2],
    ['2023-02-28', '2023-03-01', 1],
    ['2023-03-31', '2026-03-31', 1096],
    ['2025-12-31', '2026-01-01', 1],
  ])('%s to %s is %i days', (a, b, days) => {
    expect(daysBetween(a, b)).toBe(days);
  });
});

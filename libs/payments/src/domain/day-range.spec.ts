import { dayRange, isRealDate, localTimestamp, nextDay, offsetMinutes } from './day-range';

describe('day ranges in a municipality time zone', () => {
  it('starts a Tokyo day at 15:00 UTC the day before', () => {
    expect(dayRange('2026-11-22', 'Asia/Tokyo')).toEqual({ from: new Date('2026-11-21T15:00:00Z'), to: new Date('2026-11-22T15:00:00Z') });
  });

  it('follows daylight saving time where there is one', () => {
    // Europe/Berlin switched to summer time on 2026-03-29: a 23-hour day.
    const { from, to } = dayRange('2026-03-29', 'Europe/Berlin');
    expect(from).toEqual(new Date('2026-03-28T23:00:00Z'));
    expect(to).toEqual(new Date('2026-03-29T22:00:00Z'));
  });

  it('crosses months and years', () => {
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
  });

  it('tells real dates from look-alikes', () => {
    expect(isRealDate('2026-11-22')).toBe(true);
    expect(isRealDate('2026-02-29')).toBe(false);
    expect(isRealDate('2026-13-01')).toBe(false);
    expect(isRealDate('2026-1-01')).toBe(false);
  });

  it('writes local timestamps with their offset', () => {
    expect(offsetMinutes(new Date('2026-11-22T01:00:00Z'), 'Asia/Tokyo')).toBe(540);
    expect(localTimestamp(new Date('2026-11-22T01:00:00.123Z'), 'Asia/Tokyo')).toBe('2026-11-22T10:00:00+09:00');
    expect(localTimestamp(new Date('2026-11-22T01:00:00Z'), 'UTC')).toBe('2026-11-22T01:00:00+00:00');
  });
});

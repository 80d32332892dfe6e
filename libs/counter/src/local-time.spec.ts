import { localInstant, localParts, slotProblem, slotsOfDay } from './local-time';

const TOKYO = 'Asia/Tokyo';
// 2026-11-24 is a Tuesday.
const NOW = new Date('2026-11-22T01:00:00Z'); // Sunday 10:00 in Japan

describe('local time of a municipality', () => {
  it('reads the local date, time and weekday', () => {
    expect(localParts(new Date('2026-11-22T14:59:59Z'), TOKYO)).toMatchObject({ date: '2026-11-22', hour: 23, minute: 59, second: 59, weekday: 0 });
    expect(localParts(new Date('2026-11-22T15:00:00Z'), TOKYO)).toMatchObject({ date: '2026-11-23', hour: 0, weekday: 1 });
  });

  it('turns a local date and time into the instant', () => {
    expect(localInstant('2026-11-24', 14 * 60, TOKYO).toISOString()).toBe('2026-11-24T05:00:00.000Z');
    expect(localInstant('2026-11-24', 24 * 60, TOKYO).toISOString()).toBe('2026-11-24T15:00:00.000Z');
    // A zone with daylight saving: 2026-03-08 02:00 does not exist in New York, 03:00 is EDT.
    expect(localInstant('2026-03-08', 3 * 60, 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(localInstant('2026-01-15', 9 * 60, 'America/New_York').toISOString()).toBe('2026-01-15T14:00:00.000Z');
  });

  it('accepts a bookable slot and names what is wrong with others', () => {
    expect(slotProblem(new Date('2026-11-24T14:00:00+09:00'), NOW, TOKYO)).toBeNull();
    expect(slotProblem(new Date('2026-11-24T14:05:00+09:00'), NOW, TOKYO)).toBe('notOnGrid');
    expect(slotProblem(new Date('2026-11-24T08:15:00+09:00'), NOW, TOKYO)).toBe('outsideHours');
    expect(slotProblem(new Date('2026-11-24T17:00:00+09:00'), NOW, TOKYO)).toBe('outsideHours');
    expect(slotProblem(new Date('2026-11-28T10:00:00+09:00'), NOW, TOKYO)).toBe('closedDay');
    expect(slotProblem(new Date('2026-11-20T10:00:00+09:00'), NOW, TOKYO)).toBe('past');
    expect(slotProblem(new Date('2027-02-01T10:00:00+09:00'), NOW, TOKYO)).toBe('tooFar');
  });

  it('lists the 34 slots of a weekday from 8:30 to 16:45, only those still ahead on the day itself', () => {
    const slots = slotsOfDay('2026-11-24', NOW, TOKYO);
    expect(slots).toHaveLength(34);
    expect(slots[0].toISOString()).toBe('2026-11-23T23:30:00.000Z');
    expect(slots[33].toISOString()).toBe('2026-11-24T07:45:00.000Z');
    expect(slotsOfDay('2026-11-24', new Date('2026-11-24T03:00:00Z'), TOKYO)[0].toISOString()).toBe('2026-11-24T03:15:00.000Z');
    expect(slotsOfDay('2026-11-22', NOW, TOKYO)).toEqual([]);
  });
});

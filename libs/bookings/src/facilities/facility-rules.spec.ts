import { cancellationTier, checkFacility, dayPlan, quote, refundFor, slotGrid } from './facility-rules';
import { localInstant, localParts } from './facility-time';
import { type FacilityDefinition, type FacilityRules, NO_FACILITY_DETAILS, type Room } from './facility.types';

const weekdayHours = { open: '09:00', close: '21:00' };
const rules = (overrides: Partial<FacilityRules> = {}): FacilityRules => ({
  openingHours: { sun: { open: '09:00', close: '17:00' }, mon: null, tue: weekdayHours, wed: weekdayHours, thu: weekdayHours, fri: weekdayHours, sat: weekdayHours },
  slotMinutes: 120,
  holidays: 'closed',
  holidayHours: null,
  closedDates: ['2026-12-15'],
  closedAnnually: ['12-29', '12-30', '12-31', '01-01', '01-02', '01-03'],
  bookingWindowDays: 90,
  holds: { onlineMinutes: 15, counterMinutes: 1440 },
  cancellation: [
    { daysBefore: 7, refundPercent: 100 },
    { daysBefore: 3, refundPercent: 50 },
    { daysBefore: 0, refundPercent: 0 },
  ],
  reductions: [{ code: 'registered-group', label: { ja: '登録団体', en: 'Registered group' }, percent: 50 }],
  ...overrides,
});
const room: Room = { code: 'kaigi-1', name: { ja: '第1会議室', en: 'Room 1' }, capacity: 30, rates: { resident: 500, nonResident: 1000 }, active: true };
const definition = (overrides: Partial<FacilityDefinition> = {}): FacilityDefinition => ({
  code: 'chuo-kominkan',
  name: { ja: '中央公民館', en: 'Central Community Centre' },
  kind: 'meetingRoom',
  department: 'shogaigakushu',
  procedureCode: 'kominkan-yoyaku',
  details: { ...NO_FACILITY_DETAILS },
  rooms: [room],
  active: true,
  rules: rules(),
  ...overrides,
});
const context = { departments: ['shogaigakushu', 'sports'], bookingProcedures: ['kominkan-yoyaku', 'taiikukan-yoyaku'] };

describe('facility rules', () => {
  describe('the slot grid', () => {
    it('starts at opening time, one slot after another, the last ending by closing time', () => {
      expect(slotGrid({ open: '09:00', close: '21:00' }, 120).map((slot) => `${slot.start}-${slot.end}`)).toEqual([
        '09:00-11:00',
        '11:00-13:00',
        '13:00-15:00',
        '15:00-17:00',
        '17:00-19:00',
        '19:00-21:00',
      ]);
      // A remainder shorter than a slot is not a slot.
      expect(slotGrid({ open: '09:00', close: '16:00' }, 120).map((slot) => slot.start)).toEqual(['09:00', '11:00', '13:00']);
      expect(slotGrid({ open: '22:00', close: '24:00' }, 60).map((slot) => slot.end)).toEqual(['23:00', '24:00']);
      expect(slotGrid(null, 120)).toEqual([]);
    });
  });

  describe('closed days', () => {
    it('an ordinary Tuesday is open with its weekday grid', () => {
      expect(dayPlan(rules(), '2026-11-24')).toMatchObject({ weekday: 'tue', holiday: null, closed: null });
      expect(dayPlan(rules(), '2026-11-24').slots).toHaveLength(6);
      expect(dayPlan(rules(), '2026-11-22').slots.map((slot) => slot.start)).toEqual(['09:00', '11:00', '13:00', '15:00']);
    });

    it('a Monday is the weekly closed day', () => {
      expect(dayPlan(rules(), '2026-11-30')).toMatchObject({ weekday: 'mon', closed: 'weekly', slots: [] });
    });

    it('a national holiday closes a facility that closes on holidays, whatever the weekday', () => {
      // 建国記念の日, a Thursday; 成人の日, a Monday.
      expect(dayPlan(rules(), '2027-02-11')).toMatchObject({ closed: 'holiday', holiday: { ja: '建国記念の日', en: 'National Foundation Day' } });
      expect(dayPlan(rules(), '2027-02-11').slots).toHaveLength(6);
      expect(dayPlan(rules(), '2027-01-11')).toMatchObject({ closed: 'holiday', holiday: { ja: '成人の日' } });
      // A substitute holiday (振替休日) counts too: 2026-05-06 after Constitution Day on a Sunday.
      expect(dayPlan(rules(), '2026-05-06')).toMatchObject({ closed: 'holiday' });
    });

    it('a facility open on holidays opens with its holiday hours, even on its weekly closed day', () => {
      const open = rules({ holidays: 'open', holidayHours: { open: '09:00', close: '17:00' } });
      expect(dayPlan(open, '2027-01-11')).toMatchObject({ closed: null, holiday: { ja: '成人の日' } });
      expect(dayPlan(open, '2027-01-11').slots.map((slot) => slot.start)).toEqual(['09:00', '11:00', '13:00', '15:00']);
      // Without holiday hours it keeps the weekday's: none on a Monday.
      expect(dayPlan(rules({ holidays: 'open' }), '2027-01-11')).toMatchObject({ closed: 'weekly' });
      expect(dayPlan(rules({ holidays: 'open' }), '2027-02-11')).toMatchObject({ closed: null });
    });

    it('named dates and the yearly closure close the facility, before any other reason', () => {
      expect(dayPlan(rules(), '2026-12-15')).toMatchObject({ closed: 'date' });
      expect(dayPlan(rules(), '2026-12-29')).toMatchObject({ closed: 'annual' });
      // 元日 is a holiday and in the year-end closure: the closure is the reason given.
      expect(dayPlan(rules(), '2027-01-01')).toMatchObject({ closed: 'annual', holiday: { ja: '元日' } });
      expect(dayPlan(rules(), '2027-01-05')).toMatchObject({ closed: null });
    });
  });

  describe('fees', () => {
    it('rate per slot by residency, less the reduction, rounded down to the yen', () => {
      expect(quote(room, 2, 'resident', null)).toMatchObject({ rate: 500, base: 1000, amount: 1000 });
      expect(quote(room, 2, 'nonResident', null)).toMatchObject({ rate: 1000, base: 2000, amount: 2000 });
      const half = { code: 'registered-group', label: { ja: '', en: '' }, percent: 50 };
      expect(quote(room, 3, 'resident', half)).toMatchObject({ base: 1500, amount: 750 });
      expect(quote({ ...room, rates: { resident: 333, nonResident: 333 } }, 1, 'resident', { ...half, percent: 30 })).toMatchObject({ base: 333, amount: 233 });
      expect(quote(room, 1, 'resident', { ...half, percent: 100 })).toMatchObject({ amount: 0 });
    });
  });

  describe('cancellation', () => {
    it('gives every notice period exactly one tier', () => {
      const policy = rules().cancellation;
      const percents = [30, 8, 7, 6, 4, 3, 2, 1, 0].map((days) => [days, cancellationTier(policy, days).refundPercent]);
      expect(percents).toEqual([
        [30, 100],
        [8, 100],
        [7, 100],
        [6, 50],
        [4, 50],
        [3, 50],
        [2, 0],
        [1, 0],
        [0, 0],
      ]);
      expect(refundFor(1000, 50)).toBe(500);
      expect(refundFor(1500, 50)).toBe(750);
      expect(refundFor(999, 50)).toBe(499);
    });
  });

  describe('checking a facility', () => {
    it('accepts a sound facility', () => {
      expect(checkFacility(definition(), context)).toEqual([]);
    });

    it('takes a position as latitude and longitude together, never one alone', () => {
      const at = (latitude: number | null, longitude: number | null) => definition({ details: { ...NO_FACILITY_DETAILS, latitude, longitude } });
      expect(checkFacility(at(35.6581, 139.3284), context)).toEqual([]);
      expect(checkFacility(at(null, null), context)).toEqual([]);
      expect(checkFacility(at(35.6581, null), context)).toEqual([{ path: '/details', reason: 'give latitude and longitude together, or neither' }]);
      expect(checkFacility(at(null, 139.3284), context).map((problem) => problem.path)).toEqual(['/details']);
    });

    it('names every problem with a path', () => {
      const problems = checkFacility(
        definition({
          department: 'nowhere',
          procedureCode: 'juminhyo',
          rooms: [room, { ...room }],
          rules: rules({
            openingHours: { ...rules().openingHours, tue: { open: '21:00', close: '09:00' }, wed: { open: '09:00', close: '10:00' } },
            holidayHours: { open: '09:00', close: '17:00' },
            closedDates: ['2026-02-30'],
            closedAnnually: ['13-01'],
            cancellation: [
              { daysBefore: 3, refundPercent: 50 },
              { daysBefore: 7, refundPercent: 100 },
            ],
            reductions: [...rules().reductions, ...rules().reductions],
            holds: { onlineMinutes: 30, counterMinutes: 15 },
          }),
        }),
        context,
      ).map((problem) => problem.path);
      expect(problems).toEqual([
        '/department',
        '/procedureCode',
        '/rooms/1/code',
        '/openingHours/tue',
        '/openingHours/wed',
        '/holidayHours',
        '/closedDates/0',
        '/closedAnnually/0',
        '/cancellation/1/daysBefore',
        '/cancellation/1/refundPercent',
        '/cancellation/1/daysBefore',
        '/reductions/1/code',
        '/holds/counterMinutes',
      ]);
    });

    it('refuses a facility that is never open', () => {
      const closed = { sun: null, mon: null, tue: null, wed: null, thu: null, fri: null, sat: null };
      expect(checkFacility(definition({ rules: rules({ openingHours: closed }) }), context).map((problem) => problem.path)).toEqual(['/openingHours']);
    });
  });

  describe('local time', () => {
    it('turns a local date and time of Asia/Tokyo into the instant, and back', () => {
      expect(localInstant('2026-11-24', 9 * 60, 'Asia/Tokyo').toISOString()).toBe('2026-11-24T00:00:00.000Z');
      expect(localInstant('2026-11-24', 24 * 60, 'Asia/Tokyo').toISOString()).toBe('2026-11-24T15:00:00.000Z');
      expect(localParts(new Date('2026-11-22T15:30:00Z'), 'Asia/Tokyo')).toMatchObject({ date: '2026-11-23', minutes: 30 });
    });
  });
});

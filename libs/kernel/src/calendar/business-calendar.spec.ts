import { addBusinessDays, addDays, businessDayOnOrAfter, businessDaysBetween, isBusinessDay } from './business-calendar';

describe('business calendar (開庁日)', () => {
  describe('isBusinessDay', () => {
    it.each([
      ['2026-04-28', true, 'Tuesday before Golden Week'],
      ['2026-04-29', false, '昭和の日 (Wednesday)'],
      ['2026-04-30', true, 'Thursday between the holidays'],
      ['2026-05-01', true, 'Friday between the holidays'],
      ['2026-05-02', false, 'Saturday'],
      ['2026-05-03', false, '憲法記念日 on a Sunday'],
      ['2026-05-04', false, 'みどりの日'],
      ['2026-05-05', false, 'こどもの日'],
      ['2026-05-06', false, '振替休日 for 5/3'],
      ['2026-05-07', true, 'first day back'],
      ['2026-12-28', true, 'last day before the closure'],
      ['2026-12-29', false, 'year-end closure, a Tuesday'],
      ['2026-12-31', false, 'year-end closure'],
      ['2027-01-01', false, '元日'],
      ['2027-01-02', false, 'closure on a Saturday'],
      ['2027-01-03', false, 'closure on a Sunday'],
      ['2027-01-04', true, 'first day of the year'],
      ['2027-01-11', false, '成人の日'],
      ['2026-11-23', false, '勤労感謝の日'],
      ['2028-02-29', true, 'leap day, a Tuesday'],
    ])('%s is %s (%s)', (date, expected) => {
      expect(isBusinessDay(date)).toBe(expected);
    });

    it('closes 12/29–1/3 even where they fall on weekdays with no holiday', () => {
      // 2025-12-29 is a Monday, 2026-01-02 a Friday.
      expect(['2025-12-29', '2025-12-30', '2025-12-31', '2026-01-01', '2026-01-02', '2026-01-03'].map(isBusinessDay)).toEqual(Array(6).fill(false));
      expect(isBusinessDay('2025-12-26')).toBe(true);
      expect(isBusinessDay('2026-01-05')).toBe(true);
    });

    it.each(['2026-02-30', '2026-13-01', '2026-4-1', '2026-04-01T00:00:00Z', '', 'today'])('refuses %j as a programming error', (date) => {
      expect(() => isBusinessDay(date)).toThrow(RangeError);
    });
  });

  describe('addBusinessDays', () => {
    it('does not count the day of receipt: 1 day from Tuesday is Wednesday', () => {
      expect(addBusinessDays('2026-11-24', 1)).toBe('2026-11-25');
    });

    it('skips Golden Week 2026 (4/29 昭和の日, 5/3–5/6 with the 振替休日)', () => {
      expect(addBusinessDays('2026-04-28', 1)).toBe('2026-04-30');
      expect(addBusinessDays('2026-04-28', 2)).toBe('2026-05-01');
      expect(addBusinessDays('2026-04-28', 3)).toBe('2026-05-07');
      expect(addBusinessDays('2026-04-28', 5)).toBe('2026-05-11');
      expect(addBusinessDays('2026-05-01', 1)).toBe('2026-05-07');
    });

    it('counts a receipt on a closed day from the next business day', () => {
      // Received on the 振替休日: as if received 5/7, due the day after.
      expect(addBusinessDays('2026-05-06', 1)).toBe('2026-05-08');
      expect(addBusinessDays('2026-05-03', 1)).toBe('2026-05-08');
      // Saturday and Monday receipts are due the same day.
      expect(addBusinessDays('2026-11-28', 1)).toBe(addBusinessDays('2026-11-30', 1));
    });

    it('skips the year-end closure 2026 → 2027', () => {
      expect(addBusinessDays('2026-12-28', 1)).toBe('2027-01-04');
      expect(addBusinessDays('2026-12-25', 2)).toBe('2027-01-04');
      expect(addBusinessDays('2026-12-25', 5)).toBe('2027-01-07');
      // Received during the closure: counted from 1/4.
      expect(addBusinessDays('2026-12-30', 1)).toBe('2027-01-05');
    });

    it('skips the closure and then 成人の日 (2027-01-11)', () => {
      // 1/4, 1/5, 1/6, 1/7, 1/8, (1/9–1/11 closed), 1/12.
      expect(addBusinessDays('2026-12-28', 6)).toBe('2027-01-12');
      expect(addBusinessDays('2026-12-30', 5)).toBe('2027-01-12');
    });

    it('with zero days is the day itself, or the next business day when closed', () => {
      expect(addBusinessDays('2026-11-24', 0)).toBe('2026-11-24');
      expect(addBusinessDays('2026-11-28', 0)).toBe('2026-11-30');
      expect(addBusinessDays('2026-12-29', 0)).toBe('2027-01-04');
    });

    it('handles leap years', () => {
      expect(addBusinessDays('2028-02-28', 1)).toBe('2028-02-29');
      // 2028-02-23 天皇誕生日 is skipped on the way.
      expect(addBusinessDays('2028-02-22', 2)).toBe('2028-02-25');
      expect(addBusinessDays('2027-02-26', 1)).toBe('2027-03-01');
      expect(addBusinessDays('2024-02-28', 1)).toBe('2024-02-29');
    });

    it('goes back with a negative count', () => {
      expect(addBusinessDays('2026-05-07', -1)).toBe('2026-05-01');
      expect(addBusinessDays('2027-01-04', -1)).toBe('2026-12-28');
      expect(addBusinessDays('2026-05-03', -1)).toBe('2026-05-01'); // from 5/7, the closed day's business day
    });

    it('spans a long period without drifting', () => {
      // 2026 has 240 business days (261 weekdays, 17 weekday holidays including
      // 9/22 国民の休日, 4 more closure days), from 1/5 to 12/28.
      expect(businessDaysBetween('2026-01-05', '2026-12-28')).toBe(240 - 1);
      expect(addBusinessDays('2026-01-05', 239)).toBe('2026-12-28');
    });

    it('refuses a fractional count', () => {
      expect(() => addBusinessDays('2026-11-24', 1.5)).toThrow(RangeError);
    });
  });

  describe('businessDaysBetween', () => {
    it('is zero for the same day, and counts (from, to]', () => {
      expect(businessDaysBetween('2026-11-24', '2026-11-24')).toBe(0);
      expect(businessDaysBetween('2026-11-24', '2026-11-25')).toBe(1);
      expect(businessDaysBetween('2026-04-28', '2026-05-11')).toBe(5);
    });

    it('is negative when `to` is earlier (overdue by that many business days)', () => {
      expect(businessDaysBetween('2026-05-11', '2026-04-28')).toBe(-5);
      expect(businessDaysBetween('2027-01-05', '2026-12-28')).toBe(-2);
    });

    it('starts a closed `from` on the next business day, like addBusinessDays', () => {
      // Saturday: Monday is the current business day.
      expect(businessDaysBetween('2026-11-28', '2026-12-01')).toBe(1);
      expect(businessDaysBetween('2026-11-28', '2026-11-30')).toBe(0);
      // A Friday due date seen on Saturday is already overdue by one.
      expect(businessDaysBetween('2026-11-28', '2026-11-27')).toBe(-1);
    });

    it('agrees with a day-by-day count across years, leap days and 1970', () => {
      // One walk over the whole span, day by day, then differences.
      const running = new Map<string, number>();
      for (let day = '1968-01-01', count = 0; day <= '2052-12-31'; day = addDays(day, 1)) {
        if (isBusinessDay(day)) count += 1;
        running.set(day, count);
      }
      const walk = (from: string, to: string) => running.get(to)! - running.get(businessDayOnOrAfter(from))!;
      const dates = ['1968-12-30', '1969-12-31', '1970-01-01', '1970-01-05', '1999-12-31', '2024-02-29', '2025-12-28', '2026-05-06', '2027-01-12', '2028-03-01', '2051-06-15'];
      for (const from of dates) {
        for (const to of dates) expect({ from, to, n: businessDaysBetween(from, to) }).toEqual({ from, to, n: walk(from, to) });
      }
    });

    it('is the inverse of addBusinessDays for business-day targets, across Golden Week and the closure', () => {
      for (const from of ['2026-04-27', '2026-04-29', '2026-05-03', '2026-12-24', '2026-12-31', '2027-01-08']) {
        for (const n of [-7, -1, 0, 1, 3, 6, 20]) {
          const due = addBusinessDays(from, n);
          expect({ from, n, back: businessDaysBetween(from, due) }).toEqual({ from, n, back: n });
        }
      }
    });
  });

  it('businessDayOnOrAfter and addDays', () => {
    expect(businessDayOnOrAfter('2026-05-02')).toBe('2026-05-07');
    expect(businessDayOnOrAfter('2026-05-07')).toBe('2026-05-07');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
  });
});

import {
  administratorOf,
  as,
  COMING_OF_AGE_DAY,
  GYM,
  KOMINKAN,
  LABOR_THANKSGIVING,
  liveBookings,
  MONDAY,
  residentOf,
  slotStatuses,
  staffOf,
  TOWN,
  TUESDAY,
} from '../../../test/support/bookings-e2e';
import { type Caller, CITY, MINUTE, PaymentsDriver } from '../../../test/support/payments-driver';

/**
 * Facilities, public availability and provisional holds over HTTP, on a
 * real PostgreSQL: closed days and Japanese holidays, the concurrent-hold
 * race the exclusion constraint decides, and refusals with stable codes.
 */
describe('facility availability and holds (real HTTP, real PostgreSQL)', () => {
  let d: PaymentsDriver;

  beforeAll(async () => {
    d = await PaymentsDriver.start();
  });
  afterAll(() => d.close());
  afterEach(() => expect(d.unhandledErrors()).toEqual([]));

  const anyone = () => as(d.server, null);
  const hold = (caller: Caller, body: Record<string, unknown>) => as(d.server, caller).post('/api/v1/bookings/holds', body);
  const errorOf = (response: { status: number; body: { code?: string } }) => ({ status: response.status, code: response.body.code });

  describe('facilities', () => {
    it('lists the facilities from config/facilities without sign-in: rooms, rates, hours, policy', async () => {
      const response = await anyone().get('/api/v1/facilities').expect(200);
      expect(response.body.map((facility: { code: string }) => facility.code)).toEqual(['chuo-kominkan', 'kawabe-undojo', 'shimin-taiikukan']);
      const kominkan = response.body.find((facility: { code: string }) => facility.code === KOMINKAN);
      expect(kominkan).toMatchObject({
        name: { ja: '中央公民館', en: 'Central Community Centre' },
        kind: 'meetingRoom',
        procedureCode: 'kominkan-yoyaku',
        slotMinutes: 120,
        holidays: 'closed',
        openingHours: { mon: null, tue: { open: '09:00', close: '21:00' } },
        holds: { onlineMinutes: 15, counterMinutes: 1440 },
        cancellation: [
          { daysBefore: 7, refundPercent: 100 },
          { daysBefore: 3, refundPercent: 50 },
          { daysBefore: 0, refundPercent: 0 },
        ],
      });
      expect(kominkan.rooms[0]).toEqual({ code: 'kaigi-1', name: { ja: '第1会議室', en: 'Meeting Room 1' }, capacity: 30, rates: { resident: 500, nonResident: 1000 } });
      // The department and the bookkeeping are administrators' business.
      expect(kominkan).not.toHaveProperty('department');
      expect(kominkan).not.toHaveProperty('source');
      await anyone().get('/api/v1/facilities/chuo-kominkan').expect(200);
      expect(errorOf(await anyone().get('/api/v1/facilities/no-such-hall'))).toEqual({ status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' });
      expect(errorOf(await anyone().get('/api/v1/facilities/Not_A_Code'))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    });

    it('another municipality has its own facilities (990002 has none in config)', async () => {
      expect((await as(d.server, null, TOWN).get('/api/v1/facilities').expect(200)).body).toEqual([]);
      expect(errorOf(await as(d.server, null, TOWN).get(`/api/v1/facilities/${KOMINKAN}/availability`, { from: TUESDAY, to: TUESDAY }))).toEqual({
        status: 404,
        code: 'BOOKING_FACILITY_NOT_FOUND',
      });
    });
  });

  describe('availability', () => {
    it('shows each room and slot of each day: free, closed on the weekly closed day and on holidays', async () => {
      const response = await anyone().get(`/api/v1/facilities/${KOMINKAN}/availability`, { from: '2026-11-22', to: TUESDAY }).expect(200);
      expect(response.body).toMatchObject({ facility: KOMINKAN, timeZone: 'Asia/Tokyo', from: '2026-11-22', to: TUESDAY, slotMinutes: 120 });
      const [sunday, holiday, tuesday] = response.body.days;
      // Today, Sunday 10:00: the 09:00 slot has begun, the rest are free.
      expect(sunday).toMatchObject({ date: '2026-11-22', weekday: 'sun', holiday: null, closed: null });
      expect(sunday.rooms).toHaveLength(4);
      expect(sunday.rooms[0].slots).toEqual([
        { start: '09:00', end: '11:00', status: 'closed' },
        { start: '11:00', end: '13:00', status: 'free' },
        { start: '13:00', end: '15:00', status: 'free' },
        { start: '15:00', end: '17:00', status: 'free' },
      ]);
      // 勤労感謝の日 on the weekly closed day: the holiday is named, nothing can be booked.
      expect(holiday).toMatchObject({ date: LABOR_THANKSGIVING, weekday: 'mon', holiday: { ja: '勤労感謝の日', en: 'Labor Thanksgiving Day' }, closed: 'holiday' });
      expect(holiday.rooms[0].slots).toEqual([]);
      expect(tuesday.rooms[0].slots.map((slot: { start: string; status: string }) => `${slot.start} ${slot.status}`)).toEqual([
        '09:00 free',
        '11:00 free',
        '13:00 free',
        '15:00 free',
        '17:00 free',
        '19:00 free',
      ]);
    });

    it('a facility open on holidays shows its holiday hours; one closed on them shows the holiday as closed', async () => {
      const gym = await anyone().get(`/api/v1/facilities/${GYM}/availability`, { from: LABOR_THANKSGIVING, to: LABOR_THANKSGIVING, room: 'arena-a' }).expect(200);
      expect(gym.body.days[0]).toMatchObject({ closed: null, holiday: { ja: '勤労感謝の日' } });
      expect(gym.body.days[0].rooms[0].slots.map((slot: { start: string; status: string }) => `${slot.start} ${slot.status}`)).toEqual([
        '09:00 free',
        '11:00 free',
        '13:00 free',
        '15:00 free',
      ]);
      // 成人の日 2027 and 建国記念の日 (a Thursday) close the community centre; the year-end closure and a named date too.
      const days = await anyone().get(`/api/v1/facilities/${KOMINKAN}/availability`, { from: COMING_OF_AGE_DAY, to: COMING_OF_AGE_DAY }).expect(200);
      expect(days.body.days[0]).toMatchObject({ closed: 'holiday', holiday: { ja: '成人の日' } });
      const foundation = await anyone().get(`/api/v1/facilities/${KOMINKAN}/availability`, { from: '2027-02-11', to: '2027-02-11', room: 'kaigi-1' }).expect(200);
      expect(foundation.body.days[0]).toMatchObject({ weekday: 'thu', closed: 'holiday' });
      expect(new Set(foundation.body.days[0].rooms[0].slots.map((slot: { status: string }) => slot.status))).toEqual(new Set(['closed']));
      const yearEnd = await anyone().get(`/api/v1/facilities/${KOMINKAN}/availability`, { from: '2026-12-15', to: '2026-12-29', room: 'kaigi-1' }).expect(200);
      expect(yearEnd.body.days[0]).toMatchObject({ date: '2026-12-15', closed: 'date' });
      expect(yearEnd.body.days[14]).toMatchObject({ date: '2026-12-29', closed: 'annual' });
    });

    it('filters by room and by time of day', async () => {
      const response = await anyone().get(`/api/v1/facilities/${KOMINKAN}/availability`, { from: TUESDAY, to: '2026-11-25', room: 'washitsu', time: '14:30' }).expect(200);
      expect(response.body.days.map((day: { rooms: Array<{ room: string; slots: unknown[] }> }) => day.rooms)).toEqual([
        [{ room: 'washitsu', slots: [{ start: '13:00', end: '15:00', status: 'free' }] }],
        [{ room: 'washitsu', slots: [{ start: '13:00', end: '15:00', status: 'free' }] }],
      ]);
    });

    it('refuses malformed and oversized queries with 400 and a stable code, never a 500', async () => {
      const path = `/api/v1/facilities/${KOMINKAN}/availability`;
      const answers = [
        await anyone().get(path, { from: TUESDAY }),
        await anyone().get(path, { from: '2026-11-31', to: '2026-12-01' }),
        await anyone().get(path, { from: 'tomorrow', to: TUESDAY }),
        await anyone().get(path, { from: TUESDAY, to: TUESDAY, time: '25:00' }),
        await anyone().get(path, { from: TUESDAY, to: TUESDAY, room: 'x'.repeat(300) }),
        await anyone().get(path, { from: TUESDAY, to: TUESDAY, extra: '1' }),
      ].map(errorOf);
      expect(answers).toEqual(Array(6).fill({ status: 400, code: 'VALIDATION_FAILED' }));
      // 31 days at most, in order.
      await anyone().get(path, { from: '2026-12-01', to: '2026-12-31' }).expect(200);
      expect(errorOf(await anyone().get(path, { from: '2026-12-01', to: '2027-01-01' }))).toEqual({ status: 400, code: 'BOOKING_RANGE_INVALID' });
      expect(errorOf(await anyone().get(path, { from: '2026-12-02', to: '2026-12-01' }))).toEqual({ status: 400, code: 'BOOKING_RANGE_INVALID' });
      expect(errorOf(await anyone().get(path, { from: TUESDAY, to: TUESDAY, room: 'no-room' }))).toEqual({ status: 404, code: 'BOOKING_ROOM_NOT_FOUND' });
    });
  });

  describe('holds (仮予約)', () => {
    it('holds free slots for 15 minutes: 201, then the slots show as held to everyone', async () => {
      const resident = await residentOf(d.t);
      const response = await hold(resident, { facility: KOMINKAN, room: 'kaigi-2', date: TUESDAY, slots: ['11:00', '09:00'] });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        status: 'held',
        facility: { code: KOMINKAN, name: { ja: '中央公民館' } },
        room: { code: 'kaigi-2', name: { ja: '第2会議室' } },
        date: TUESDAY,
        slots: [
          { start: '09:00', end: '11:00' },
          { start: '11:00', end: '13:00' },
        ],
        channel: 'online',
        applicationId: null,
        expiresAt: new Date(d.t.clock.now().getTime() + 15 * MINUTE).toISOString(),
        fee: null,
      });
      expect(response.body.bookingNumber).toMatch(/^2026-\d{6}$/);
      expect(await slotStatuses(d.server, KOMINKAN, 'kaigi-2', TUESDAY)).toMatchObject({ '09:00': 'held', '11:00': 'held', '13:00': 'free' });
      // The resident sees it among theirs; another resident does not find it.
      const mine = await as(d.server, resident).get('/api/v1/bookings').expect(200);
      expect(mine.body.map((booking: { id: string }) => booking.id)).toEqual([response.body.id]);
      const stranger = await residentOf(d.t);
      expect(errorOf(await as(d.server, stranger).get(`/api/v1/bookings/${response.body.id}`))).toEqual({ status: 404, code: 'BOOKING_NOT_FOUND' });
      expect(errorOf(await hold(stranger, { facility: KOMINKAN, room: 'kaigi-2', date: TUESDAY, slots: ['11:00'] }))).toEqual({ status: 409, code: 'BOOKING_SLOT_TAKEN' });
    });

    it('hundreds of concurrent holds of one slot: exactly one 201, every other a 409 BOOKING_SLOT_TAKEN', async () => {
      const attempts = await Promise.all(Array.from({ length: 300 }, () => residentOf(d.t)));
      const started = Date.now();
      const answers = await Promise.all(attempts.map((resident) => hold(resident, { facility: KOMINKAN, room: 'kaigi-1', date: '2026-11-27', slots: ['17:00'] })));
      const elapsed = Date.now() - started;
      const byStatus = answers.reduce<Record<string, number>>((counts, answer) => ({ ...counts, [`${answer.status} ${answer.body.code ?? ''}`.trim()]: (counts[`${answer.status} ${answer.body.code ?? ''}`.trim()] ?? 0) + 1 }), {});
      expect(byStatus).toEqual({ '201': 1, '409 BOOKING_SLOT_TAKEN': 299 });
      expect(await liveBookings(d.t, KOMINKAN, 'kaigi-1', '2026-11-27')).toBe(1);
      const loser = answers.find((answer) => answer.status === 409)!;
      expect(loser.body.message.ja).toContain('ほかの方が先に予約されました');
      process.stdout.write(`concurrent holds: 300 requests for one slot in ${elapsed} ms, 1 held, 299 refused\n`);
    });

    it('a repeated request of the same resident gets the same hold back, even five at once', async () => {
      const resident = await residentOf(d.t);
      const body = { facility: KOMINKAN, room: 'chori', date: '2026-11-27', slots: ['19:00'] };
      const answers = await Promise.all(Array.from({ length: 5 }, () => hold(resident, body)));
      expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201, 201, 201]);
      expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
      expect(await liveBookings(d.t, KOMINKAN, 'chori', '2026-11-27')).toBe(1);
      // Another resident is still refused.
      expect(errorOf(await hold(await residentOf(d.t), body))).toEqual({ status: 409, code: 'BOOKING_SLOT_TAKEN' });
    });

    it('holds of neighbouring slots, other rooms and other days do not collide', async () => {
      const [a, b, c] = await Promise.all([residentOf(d.t), residentOf(d.t), residentOf(d.t)]);
      const answers = await Promise.all([
        hold(a, { facility: KOMINKAN, room: 'chori', date: '2026-11-28', slots: ['09:00'] }),
        hold(b, { facility: KOMINKAN, room: 'chori', date: '2026-11-28', slots: ['11:00'] }),
        hold(c, { facility: KOMINKAN, room: 'washitsu', date: '2026-11-28', slots: ['09:00'] }),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([201, 201, 201]);
      // One slot overlapping a held pair is enough to refuse the whole choice.
      expect(errorOf(await hold(await residentOf(d.t), { facility: KOMINKAN, room: 'chori', date: '2026-11-28', slots: ['11:00', '13:00'] }))).toEqual({
        status: 409,
        code: 'BOOKING_SLOT_TAKEN',
      });
    });

    it('refuses closed days and holidays, slots off the grid, started slots and dates beyond the window (422)', async () => {
      const resident = await residentOf(d.t);
      const choice = (date: string, slots: string[], room = 'kaigi-1') => hold(resident, { facility: KOMINKAN, room, date, slots });
      const answers = [
        await choice(MONDAY, ['13:00']),
        await choice(LABOR_THANKSGIVING, ['13:00']),
        await choice(COMING_OF_AGE_DAY, ['13:00']),
        await choice('2027-02-11', ['13:00']),
        await choice('2026-12-31', ['13:00']),
        await choice(TUESDAY, ['10:00']),
        await choice(TUESDAY, ['21:00']),
        await choice('2026-11-22', ['09:00']),
        await choice('2026-11-21', ['13:00']),
        await choice('2027-03-02', ['13:00']),
      ].map((response) => ({ ...errorOf(response), reason: response.body.details?.reason }));
      expect(answers).toEqual([
        { status: 422, code: 'BOOKING_DAY_CLOSED', reason: 'weekly' },
        { status: 422, code: 'BOOKING_DAY_CLOSED', reason: 'holiday' },
        { status: 422, code: 'BOOKING_DAY_CLOSED', reason: 'holiday' },
        { status: 422, code: 'BOOKING_DAY_CLOSED', reason: 'holiday' },
        { status: 422, code: 'BOOKING_DAY_CLOSED', reason: 'annual' },
        { status: 422, code: 'BOOKING_SLOT_INVALID', reason: undefined },
        { status: 422, code: 'BOOKING_SLOT_INVALID', reason: undefined },
        { status: 422, code: 'BOOKING_SLOT_PAST', reason: undefined },
        { status: 422, code: 'BOOKING_SLOT_PAST', reason: undefined },
        { status: 422, code: 'BOOKING_OUTSIDE_WINDOW', reason: undefined },
      ]);
      // The gymnasium opens on 勤労感謝の日 (09:00–17:00), not for its evening slots.
      expect((await hold(resident, { facility: GYM, room: 'budojo', date: LABOR_THANKSGIVING, slots: ['15:00'] })).status).toBe(201);
      expect(errorOf(await hold(resident, { facility: GYM, room: 'budojo', date: LABOR_THANKSGIVING, slots: ['17:00'] }))).toEqual({ status: 422, code: 'BOOKING_SLOT_INVALID' });
    });

    it('refuses malformed and oversized bodies with 400 VALIDATION_FAILED', async () => {
      const resident = await residentOf(d.t);
      const answers = [
        await hold(resident, {}),
        await hold(resident, { facility: KOMINKAN, room: 'kaigi-1', date: TUESDAY, slots: [] }),
        await hold(resident, { facility: KOMINKAN, room: 'kaigi-1', date: TUESDAY, slots: ['9:00'] }),
        await hold(resident, { facility: KOMINKAN, room: 'kaigi-1', date: '2026-02-30', slots: ['09:00'] }),
        await hold(resident, { facility: KOMINKAN, room: 'kaigi-1', date: TUESDAY, slots: Array.from({ length: 13 }, (_, hour) => `${String(hour + 8).padStart(2, '0')}:00`) }),
        await hold(resident, { facility: KOMINKAN, room: 'kaigi-1', date: TUESDAY, slots: ['09:00', '09:00'] }),
        await hold(resident, { facility: 'x'.repeat(5000), room: 'kaigi-1', date: TUESDAY, slots: ['09:00'] }),
        await hold(resident, { facility: KOMINKAN, room: 'kaigi-1', date: TUESDAY, slots: ['09:00'], price: 0 }),
      ].map(errorOf);
      expect(answers).toEqual(Array(8).fill({ status: 400, code: 'VALIDATION_FAILED' }));
      expect(errorOf(await hold(resident, { facility: 'no-such-hall', room: 'kaigi-1', date: TUESDAY, slots: ['09:00'] }))).toEqual({ status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' });
      expect(errorOf(await hold(resident, { facility: KOMINKAN, room: 'gym', date: TUESDAY, slots: ['09:00'] }))).toEqual({ status: 404, code: 'BOOKING_ROOM_NOT_FOUND' });
    });

    it('a resident holds at most three unused slots at a time', async () => {
      const resident = await residentOf(d.t);
      for (const start of ['09:00', '11:00', '13:00']) {
        expect((await hold(resident, { facility: KOMINKAN, room: 'washitsu', date: '2026-12-02', slots: [start] })).status).toBe(201);
      }
      expect(errorOf(await hold(resident, { facility: KOMINKAN, room: 'washitsu', date: '2026-12-02', slots: ['15:00'] }))).toEqual({ status: 409, code: 'BOOKING_TOO_MANY_HOLDS' });
    });

    it('a resident gives up a hold: the slots are free again at once', async () => {
      const resident = await residentOf(d.t);
      const held = await hold(resident, { facility: KOMINKAN, room: 'washitsu', date: '2026-12-03', slots: ['19:00'] }).expect(201);
      expect((await as(d.server, resident).get(`/api/v1/bookings/${held.body.id}/cancellation`).expect(200)).body).toEqual({
        cancellable: true,
        noticeDays: 11,
        refundPercent: 100,
        paid: 0,
        refundAmount: 0,
      });
      const cancelled = await as(d.server, resident).post(`/api/v1/bookings/${held.body.id}/cancel`, { reason: '予定変更' }).expect(200);
      expect(cancelled.body.status).toBe('released');
      expect(await slotStatuses(d.server, KOMINKAN, 'washitsu', '2026-12-03')).toMatchObject({ '19:00': 'free' });
      // Giving it up again is refused as such.
      expect(errorOf(await as(d.server, resident).post(`/api/v1/bookings/${held.body.id}/cancel`, {}))).toEqual({ status: 409, code: 'BOOKING_NOT_CANCELLABLE' });
    });

    it('who may hold: residents online, counter staff of the facility\'s department; nobody else', async () => {
      const body = { facility: KOMINKAN, room: 'kaigi-2', date: '2026-12-04', slots: ['09:00'] };
      expect(errorOf(await as(d.server, null).post('/api/v1/bookings/holds', body))).toEqual({ status: 401, code: 'AUTH_UNAUTHENTICATED' });
      const clerk = await staffOf(d.t, ['clerk'], ['shogaigakushu']);
      expect(errorOf(await as(d.server, clerk).post('/api/v1/bookings/holds', body))).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
      // At the counter: the hold lasts the counter's 24 hours.
      const counter = await as(d.server, clerk).post('/api/v1/staff/counter/bookings/holds', body).expect(201);
      expect(counter.body).toMatchObject({ channel: 'counter', expiresAt: new Date(d.t.clock.now().getTime() + 24 * 60 * MINUTE).toISOString() });
      const otherDepartment = await staffOf(d.t, ['clerk'], ['shimin']);
      expect(errorOf(await as(d.server, otherDepartment).post('/api/v1/staff/counter/bookings/holds', { ...body, slots: ['11:00'] }))).toEqual({ status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' });
      const manager = await staffOf(d.t, ['manager'], ['shogaigakushu']);
      expect(errorOf(await as(d.server, manager).post('/api/v1/staff/counter/bookings/holds', { ...body, slots: ['11:00'] }))).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
      const admin = await administratorOf(d.t);
      expect(errorOf(await as(d.server, admin).post('/api/v1/bookings/holds', body))).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
      // A 990002 resident cannot reach 990001's facilities, with or without naming 990001.
      const townResident = await residentOf(d.t, TOWN);
      expect(errorOf(await as(d.server, townResident).post('/api/v1/bookings/holds', { ...body, slots: ['13:00'] }))).toEqual({ status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' });
      expect(errorOf(await as(d.server, townResident, CITY).post('/api/v1/bookings/holds', { ...body, slots: ['13:00'] }))).toEqual({ status: 403, code: 'AUTH_TENANT_MISMATCH' });
    });
  });
});

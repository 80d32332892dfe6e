import {
  administratorOf,
  applyFor,
  as,
  bookingRow,
  GYM,
  gymForm,
  KOMINKAN,
  kominkanForm,
  refreshed,
  residentOf,
  slotStatuses,
  staffOf,
  TOWN,
  TUESDAY,
} from '../../../test/support/bookings-e2e';
import { type Caller, CITY, PaymentsDriver, TEST_CARDS } from '../../../test/support/payments-driver';
import { CONFIG_DIR, sampleSettings } from '../../../test/support/test-app';
import { FacilityCatalogSyncService } from './facilities/facility-catalog-sync.service';

/**
 * The facility desk over HTTP: blocks for municipal use or maintenance
 * (bookings under them flagged, never dropped), the day list, use and
 * no-show, the municipality's own cancellations; and administrators'
 * facility settings. Wrong roles, departments and municipalities refused.
 */
describe('facility desk and administration (real HTTP, real PostgreSQL)', () => {
  let d: PaymentsDriver;
  let clerk: Caller;

  beforeAll(async () => {
    d = await PaymentsDriver.start();
  });
  afterAll(() => d.close());
  beforeEach(async () => {
    clerk = await staffOf(d.t, ['clerk'], ['shogaigakushu']);
  });
  afterEach(() => expect(d.unhandledErrors()).toEqual([]));

  const errorOf = (response: { status: number; body: { code?: string } }) => ({ status: response.status, code: response.body.code });

  async function confirmedBooking(form: Record<string, unknown>): Promise<{ resident: Caller; id: string; bookingId: string }> {
    const resident = await residentOf(d.t);
    const { id, submitted } = await applyFor(as(d.server, resident), 'kominkan-yoyaku', form);
    if (submitted.status !== 200) throw new Error(`submit failed: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    await d.runOutbox();
    const started = await d.started(resident, id, 'card');
    await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    const booking: Array<{ id: string; status: string }> = await d.t.dataSource.query(`SELECT id, status FROM bookings WHERE application_id = $1`, [id]);
    expect(booking[0].status).toBe('confirmed');
    return { resident, id, bookingId: booking[0].id };
  }

  describe('blocks', () => {
    it('a block over bookings flags them for handling, keeps them, and takes the free slots out of booking', async () => {
      const booked = await confirmedBooking(kominkanForm({ room: 'kaigi-1', date: '2026-12-05', slots: ['13:00'] }));
      const holder = await residentOf(d.t);
      const held = await as(d.server, holder).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-2', date: '2026-12-05', slots: ['15:00'] }).expect(201);

      const blocked = await as(d.server, clerk).post(`/api/v1/staff/facilities/${KOMINKAN}/blocks`, { rooms: ['kaigi-1', 'kaigi-2'], date: '2026-12-05', start: '12:00', end: '17:00', reason: 'municipalUse', note: '市民文化祭の準備' });
      expect(blocked.status).toBe(201);
      expect(blocked.body.blocks).toEqual([
        expect.objectContaining({ room: 'kaigi-1', date: '2026-12-05', start: '12:00', end: '17:00', reason: 'municipalUse', note: '市民文化祭の準備' }),
        expect.objectContaining({ room: 'kaigi-2', start: '12:00', end: '17:00' }),
      ]);
      expect(blocked.body.flagged.map((booking: { id: string; needsAttention: boolean; status: string }) => [booking.id, booking.status, booking.needsAttention]).sort()).toEqual(
        [
          [booked.bookingId, 'confirmed', true],
          [held.body.id, 'held', true],
        ].sort(),
      );
      expect(await bookingRow(d.t, booked.bookingId)).toMatchObject({ status: 'confirmed', needs_attention: true });
      // The block shows over the booking; the free slots under it cannot be held.
      expect(await slotStatuses(d.server, KOMINKAN, 'kaigi-1', '2026-12-05')).toMatchObject({ '09:00': 'free', '11:00': 'blocked', '13:00': 'blocked', '15:00': 'blocked', '17:00': 'free' });
      expect(errorOf(await as(d.server, await residentOf(d.t)).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-1', date: '2026-12-05', slots: ['15:00'] }))).toEqual({
        status: 409,
        code: 'BOOKING_SLOT_BLOCKED',
      });
      // Blocks never overlap each other in a room; other rooms and times are fine.
      expect(errorOf(await as(d.server, clerk).post(`/api/v1/staff/facilities/${KOMINKAN}/blocks`, { rooms: ['kaigi-1'], date: '2026-12-05', start: '16:00', end: '18:00', reason: 'maintenance' }))).toEqual({
        status: 409,
        code: 'BOOKING_BLOCK_OVERLAP',
      });
      await as(d.server, clerk).post(`/api/v1/staff/facilities/${KOMINKAN}/blocks`, { rooms: ['kaigi-1'], date: '2026-12-05', start: '17:00', end: '18:00', reason: 'maintenance' }).expect(201);

      // The day list shows it all, per room.
      const day = await as(d.server, clerk).get(`/api/v1/staff/facilities/${KOMINKAN}/bookings`, { date: '2026-12-05' }).expect(200);
      expect(day.body).toMatchObject({ facility: KOMINKAN, date: '2026-12-05', closed: null });
      const room1 = day.body.rooms.find((room: { code: string }) => room.code === 'kaigi-1');
      expect(room1.bookings).toEqual([
        expect.objectContaining({ id: booked.bookingId, status: 'confirmed', organizerName: '桜ヶ丘読書会', attendees: 12, needsAttention: true, attentionReason: expect.stringContaining('市の使用') }),
      ]);
      expect(room1.blocks.map((block: { start: string; end: string }) => `${block.start}-${block.end}`)).toEqual(['12:00-17:00', '17:00-18:00']);

      // Handling: one booking stays (the flag is resolved), the other is cancelled by the municipality with a full refund.
      const resolved = await as(d.server, clerk).post(`/api/v1/staff/bookings/${held.body.id}/attention/resolve`, { note: '別室への変更で了承を得た' }).expect(200);
      expect(resolved.body).toMatchObject({ needsAttention: false, attentionReason: null, status: 'held' });
      expect(errorOf(await as(d.server, clerk).post(`/api/v1/staff/bookings/${held.body.id}/attention/resolve`, { note: '二重' }))).toEqual({ status: 409, code: 'BOOKING_NO_ATTENTION' });
      const cancelled = await as(d.server, clerk).post(`/api/v1/staff/bookings/${booked.bookingId}/cancel`, { reason: '市民文化祭で使用するため' }).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', needsAttention: false, cancellation: { by: 'staff', refundPercent: 100, refundAmount: 500 } });
      await d.settle();
      await d.expectAccounted(booked.id, { paid: 1, holds: 0 });

      // Lifting a block frees its slots.
      const blockId = blocked.body.blocks[0].id as string;
      await as(d.server, clerk).delete(`/api/v1/staff/facilities/${KOMINKAN}/blocks/${blockId}`).expect(200);
      expect(await slotStatuses(d.server, KOMINKAN, 'kaigi-1', '2026-12-05')).toMatchObject({ '11:00': 'free', '13:00': 'free', '17:00': 'blocked' });
      expect(errorOf(await as(d.server, clerk).delete(`/api/v1/staff/facilities/${KOMINKAN}/blocks/${blockId}`))).toEqual({ status: 404, code: 'BOOKING_BLOCK_NOT_FOUND' });
    });

    it('refuses malformed blocks (400) and unknown rooms (404)', async () => {
      const post = (body: Record<string, unknown>) => as(d.server, clerk).post(`/api/v1/staff/facilities/${KOMINKAN}/blocks`, body);
      const base = { date: '2026-12-06', start: '09:00', end: '12:00', reason: 'maintenance' };
      const answers = [
        await post({ ...base, reason: 'party' }),
        await post({ ...base, start: '9:00' }),
        await post({ ...base, date: '2026-13-01' }),
        await post({ ...base, rooms: [] }),
        await post({ ...base, note: 'x'.repeat(201) }),
      ].map(errorOf);
      expect(answers).toEqual(Array(5).fill({ status: 400, code: 'VALIDATION_FAILED' }));
      expect(errorOf(await post({ ...base, start: '12:00', end: '09:00' }))).toEqual({ status: 422, code: 'BOOKING_SLOT_INVALID' });
      expect(errorOf(await post({ ...base, rooms: ['gym'] }))).toEqual({ status: 404, code: 'BOOKING_ROOM_NOT_FOUND' });
    });
  });

  describe('use and no-show', () => {
    it('records use once the booking has begun, and a no-show; never before, never twice differently', async () => {
      const used = await confirmedBooking(kominkanForm({ room: 'washitsu', date: TUESDAY, slots: ['09:00'] }));
      const absent = await confirmedBooking(kominkanForm({ room: 'washitsu', date: TUESDAY, slots: ['11:00'] }));
      expect(errorOf(await as(d.server, clerk).post(`/api/v1/staff/bookings/${used.bookingId}/use`, { outcome: 'used' }))).toEqual({ status: 409, code: 'BOOKING_USE_NOT_YET' });
      // Tuesday 12:00: both slots have begun.
      d.t.clock.set(new Date('2026-11-24T03:00:00Z'));
      const desk = await refreshed(d.t, clerk, 'staff');
      const marked = await as(d.server, desk).post(`/api/v1/staff/bookings/${used.bookingId}/use`, { outcome: 'used' }).expect(200);
      expect(marked.body).toMatchObject({ useOutcome: 'used', useMarkedAt: '2026-11-24T03:00:00.000Z' });
      await as(d.server, desk).post(`/api/v1/staff/bookings/${used.bookingId}/use`, { outcome: 'used' }).expect(200);
      expect(errorOf(await as(d.server, desk).post(`/api/v1/staff/bookings/${used.bookingId}/use`, { outcome: 'noShow' }))).toEqual({ status: 409, code: 'BOOKING_USE_ALREADY_MARKED' });
      await as(d.server, desk).post(`/api/v1/staff/bookings/${absent.bookingId}/use`, { outcome: 'noShow' }).expect(200);
      expect(await bookingRow(d.t, absent.bookingId)).toMatchObject({ use_outcome: 'noShow' });
      expect(errorOf(await as(d.server, desk).post(`/api/v1/staff/bookings/${absent.bookingId}/use`, { outcome: 'late' }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      // A hold that never became a booking has no use to record.
      const day = await as(d.server, desk).get(`/api/v1/staff/facilities/${KOMINKAN}/bookings`, { date: TUESDAY }).expect(200);
      const washitsu = day.body.rooms.find((room: { code: string }) => room.code === 'washitsu');
      expect(washitsu.bookings.map((booking: { useOutcome: string | null }) => booking.useOutcome)).toEqual(['used', 'noShow']);
      d.t.clock.set(new Date('2026-11-22T01:00:00Z'));
    });
  });

  describe('who may use the desk', () => {
    it('staff of the facility\'s department only; other roles 403, other departments and municipalities 404', async () => {
      const booked = await confirmedBooking(kominkanForm({ room: 'chori', date: '2026-12-08', slots: ['09:00'] }));
      const answersOf = async (caller: Caller | null, header?: string) => [
        errorOf(await as(d.server, caller, header).get(`/api/v1/staff/facilities/${KOMINKAN}/bookings`, { date: '2026-12-08' })),
        errorOf(await as(d.server, caller, header).post(`/api/v1/staff/facilities/${KOMINKAN}/blocks`, { date: '2026-12-08', start: '19:00', end: '21:00', reason: 'maintenance' })),
        errorOf(await as(d.server, caller, header).post(`/api/v1/staff/bookings/${booked.bookingId}/use`, { outcome: 'used' })),
        errorOf(await as(d.server, caller, header).post(`/api/v1/staff/bookings/${booked.bookingId}/cancel`, { reason: '試験' })),
      ];
      expect(await answersOf(null)).toEqual(Array(4).fill({ status: 401, code: 'AUTH_UNAUTHENTICATED' }));
      expect(await answersOf(booked.resident)).toEqual(Array(4).fill({ status: 403, code: 'AUTH_FORBIDDEN' }));
      expect(await answersOf(await staffOf(d.t, ['manager'], ['shogaigakushu']))).toEqual(Array(4).fill({ status: 403, code: 'AUTH_FORBIDDEN' }));
      const sports = await staffOf(d.t, ['clerk'], ['sports']);
      expect(await answersOf(sports)).toEqual([
        { status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' },
        { status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' },
        { status: 404, code: 'BOOKING_NOT_FOUND' },
        { status: 404, code: 'BOOKING_NOT_FOUND' },
      ]);
      const town = await staffOf(d.t, ['clerk', 'reviewer'], ['shogaigakushu'], TOWN);
      expect(await answersOf(town)).toEqual([
        { status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' },
        { status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' },
        { status: 404, code: 'BOOKING_NOT_FOUND' },
        { status: 404, code: 'BOOKING_NOT_FOUND' },
      ]);
      expect(await answersOf(town, CITY)).toEqual(Array(4).fill({ status: 403, code: 'AUTH_TENANT_MISMATCH' }));
      // Nothing happened to the booking.
      expect(await bookingRow(d.t, booked.bookingId)).toMatchObject({ status: 'confirmed', use_outcome: null, needs_attention: false });
      // The sports division runs the gymnasium.
      await as(d.server, sports).get(`/api/v1/staff/facilities/${GYM}/bookings`, { date: '2026-12-08' }).expect(200);
    });
  });

  describe('administrators', () => {
    it('create a facility (here in 990002, which has none in config), then residents there book it; 990001 never sees it', async () => {
      const admin = await administratorOf(d.t, TOWN);
      const body = {
        name: { ja: '試験町民ホール', en: 'Shiken Town Hall' },
        kind: 'hall',
        department: 'kyodo',
        procedureCode: 'kominkan-yoyaku',
        rooms: [{ code: 'hall', name: { ja: 'ホール', en: 'Hall' }, capacity: 200, rates: { resident: 2000, nonResident: 4000 } }],
        openingHours: { sun: null, mon: null, tue: { open: '10:00', close: '22:00' }, wed: { open: '10:00', close: '22:00' }, thu: { open: '10:00', close: '22:00' }, fri: { open: '10:00', close: '22:00' }, sat: { open: '10:00', close: '22:00' } },
        slotMinutes: 180,
        holidays: 'closed',
        cancellation: [
          { daysBefore: 30, refundPercent: 100 },
          { daysBefore: 0, refundPercent: 0 },
        ],
      };
      const created = await as(d.server, admin).put('/api/v1/admin/facilities/town-hall', body).expect(200);
      expect(created.body).toMatchObject({
        code: 'town-hall',
        department: 'kyodo',
        source: 'admin',
        revision: 1,
        active: true,
        bookingWindowDays: 90,
        holds: { onlineMinutes: 15, counterMinutes: 1440 },
        rooms: [{ code: 'hall', active: true }],
      });
      // Changing it: a retired room is kept for its bookings, hidden from the public.
      const changed = await as(d.server, admin)
        .put('/api/v1/admin/facilities/town-hall', { ...body, rooms: [{ code: 'small-hall', name: { ja: '小ホール', en: 'Small hall' }, capacity: 50, rates: { resident: 800, nonResident: 1600 } }] })
        .expect(200);
      expect(changed.body).toMatchObject({ revision: 2, rooms: [{ code: 'hall', active: false }, { code: 'small-hall', active: true }] });
      const listed = await as(d.server, null, TOWN).get('/api/v1/facilities').expect(200);
      expect(listed.body.map((facility: { code: string; rooms: Array<{ code: string }> }) => [facility.code, facility.rooms.map((room) => room.code)])).toEqual([['town-hall', ['small-hall']]]);
      const resident = await residentOf(d.t, TOWN);
      const held = await as(d.server, resident).post('/api/v1/bookings/holds', { facility: 'town-hall', room: 'small-hall', date: TUESDAY, slots: ['13:00'] });
      expect(held.status).toBe(201);
      expect(errorOf(await as(d.server, resident).post('/api/v1/bookings/holds', { facility: 'town-hall', room: 'small-hall', date: TUESDAY, slots: ['12:00'] }))).toEqual({ status: 422, code: 'BOOKING_SLOT_INVALID' });
      // 990001 knows nothing of it, and its administrators cannot see it.
      expect(errorOf(await as(d.server, null).get('/api/v1/facilities/town-hall'))).toEqual({ status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' });
      const cityAdmin = await administratorOf(d.t);
      const cityList = await as(d.server, cityAdmin).get('/api/v1/admin/facilities').expect(200);
      expect(cityList.body.map((facility: { code: string }) => facility.code)).toEqual(['chuo-kominkan', 'kawabe-undojo', 'shimin-taiikukan']);
      expect(cityList.body[0]).toMatchObject({ source: 'config', department: 'shogaigakushu' });
      // The same code in another municipality is another facility.
      expect(await slotStatuses(d.server, KOMINKAN, 'kaigi-1', TUESDAY, CITY)).toBeDefined();
    });

    it('keep the public-facility details (kana, address, position, phone, URL): seeded from config, edited, refused when malformed', async () => {
      const admin = await administratorOf(d.t);
      const listed = (await as(d.server, admin).get('/api/v1/admin/facilities').expect(200)).body as Array<{ code: string; details: Record<string, unknown> }>;
      expect(listed.find((facility) => facility.code === 'chuo-kominkan')!.details).toEqual({
        nameKana: 'チュウオウコウミンカン',
        address: '架空県桜ヶ丘市中央1丁目2番3号',
        latitude: 35.6581,
        longitude: 139.3284,
        phone: '099-555-0101',
        url: 'https://www.city.sakuragaoka.example.jp/shisetsu/chuo-kominkan/',
      });
      // Without a URL in config: null, not absent.
      expect(listed.find((facility) => facility.code === 'kawabe-undojo')!.details.url).toBeNull();
      const townAdmin = await administratorOf(d.t, TOWN);
      const body = {
        name: { ja: '試験町民会館', en: 'Shiken Town Centre' },
        kind: 'hall',
        department: 'kyodo',
        procedureCode: 'kominkan-yoyaku',
        rooms: [{ code: 'hall', name: { ja: 'ホール', en: 'Hall' }, capacity: 100, rates: { resident: 1000, nonResident: 2000 } }],
        openingHours: { sun: null, mon: null, tue: { open: '10:00', close: '22:00' }, wed: null, thu: null, fri: null, sat: null },
        slotMinutes: 180,
        holidays: 'closed',
        cancellation: [{ daysBefore: 0, refundPercent: 0 }],
      };
      const saved = await as(d.server, townAdmin)
        .put('/api/v1/admin/facilities/town-centre', { ...body, details: { nameKana: 'シケンチョウミンカイカン', phone: '099-000-1234' } })
        .expect(200);
      expect(saved.body.details).toEqual({ nameKana: 'シケンチョウミンカイカン', address: null, latitude: null, longitude: null, phone: '099-000-1234', url: null });
      // The public sees them too.
      expect((await as(d.server, null, TOWN).get('/api/v1/facilities/town-centre').expect(200)).body.details.phone).toBe('099-000-1234');
      const lone = await as(d.server, townAdmin).put('/api/v1/admin/facilities/town-centre', { ...body, details: { latitude: 35.1 } });
      expect(errorOf(lone)).toEqual({ status: 422, code: 'BOOKING_FACILITY_INVALID' });
      expect(lone.body.details.problems.map((problem: { path: string }) => problem.path)).toEqual(['/details']);
      for (const details of [{ nameKana: 'しけん' }, { latitude: 91, longitude: 0 }, { url: 'javascript:alert(1)' }, { phone: 'call us' }]) {
        expect(errorOf(await as(d.server, townAdmin).put('/api/v1/admin/facilities/town-centre', { ...body, details }))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
      }
    });

    it('refuses an invalid facility with every problem named (422), a malformed body (400), and anyone but administrators (403)', async () => {
      const admin = await administratorOf(d.t);
      const answer = await as(d.server, admin).put('/api/v1/admin/facilities/broken', {
        name: { ja: '壊れた施設', en: 'Broken' },
        kind: 'hall',
        department: 'nowhere',
        procedureCode: 'juminhyo',
        rooms: [{ code: 'a', name: { ja: 'A', en: 'A' }, capacity: 10, rates: { resident: 100, nonResident: 200 } }],
        openingHours: { sun: null, mon: null, tue: { open: '18:00', close: '09:00' }, wed: null, thu: null, fri: null, sat: null },
        slotMinutes: 60,
        holidays: 'closed',
        cancellation: [{ daysBefore: 3, refundPercent: 50 }],
      });
      expect(errorOf(answer)).toEqual({ status: 422, code: 'BOOKING_FACILITY_INVALID' });
      expect(answer.body.details.problems.map((problem: { path: string }) => problem.path)).toEqual(['/department', '/procedureCode', '/openingHours/tue', '/cancellation/0/daysBefore']);
      expect(errorOf(await as(d.server, admin).get('/api/v1/admin/facilities/broken'))).toEqual({ status: 404, code: 'NOT_FOUND' });
      const malformed = [
        await as(d.server, admin).put('/api/v1/admin/facilities/broken', {}),
        await as(d.server, admin).put('/api/v1/admin/facilities/broken', { name: { ja: 'x', en: 'x' }, kind: 'castle' }),
        await as(d.server, admin).put('/api/v1/admin/facilities/BROKEN', { name: { ja: 'x', en: 'x' } }),
      ].map(errorOf);
      expect(malformed).toEqual(Array(3).fill({ status: 400, code: 'VALIDATION_FAILED' }));
      for (const caller of [clerk, await staffOf(d.t, ['manager'], ['shogaigakushu']), await residentOf(d.t)]) {
        expect(errorOf(await as(d.server, caller).get('/api/v1/admin/facilities'))).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
      }
    });

    it('a configured facility edited by an administrator keeps the edit across a restart sync until its config entry changes', async () => {
      const admin = await administratorOf(d.t);
      const current = (await as(d.server, admin).get('/api/v1/admin/facilities').expect(200)).body.find((facility: { code: string }) => facility.code === GYM);
      const { code: _code, department, active: _active, source: _source, revision: _revision, updatedAt: _updatedAt, ...rest } = current;
      const edited = { ...rest, department, rooms: current.rooms.map(({ active: _roomActive, ...room }: { active: boolean }) => room), bookingWindowDays: 120 };
      await as(d.server, admin).put(`/api/v1/admin/facilities/${GYM}`, edited).expect(200);
      const reports = await d.t.get(FacilityCatalogSyncService).sync(CONFIG_DIR, sampleSettings());
      expect(reports[0]).toMatchObject({ municipalityId: CITY, applied: [], unchanged: 3 });
      const after = (await as(d.server, admin).get('/api/v1/admin/facilities').expect(200)).body.find((facility: { code: string }) => facility.code === GYM);
      expect(after).toMatchObject({ bookingWindowDays: 120, source: 'admin' });
      // The gymnasium takes applications through its own procedure.
      const resident = await residentOf(d.t);
      const { submitted } = await applyFor(as(d.server, resident), 'taiikukan-yoyaku', gymForm({ date: '2026-12-09', slots: ['09:00'] }));
      expect(submitted.status).toBe(200);
    });
  });
});

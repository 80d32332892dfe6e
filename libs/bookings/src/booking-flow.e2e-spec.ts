import { DocumentContentSources } from '@madoguchi/documents';
import request from 'supertest';
import {
  applicationState,
  applyFor,
  as,
  bookingOfApplication,
  bookingRow,
  GYM,
  gymForm,
  KOMINKAN,
  kominkanForm,
  liveBookings,
  refreshed,
  residentOf,
  slotStatuses,
  staffOf,
  TUESDAY,
} from '../../../test/support/bookings-e2e';
import { type Caller, CITY, HOUR, MINUTE, PaymentsDriver, TEST_CARDS } from '../../../test/support/payments-driver';
import { BookingHoldsService } from './bookings/booking-holds.service';

/**
 * The booking procedure end to end over HTTP, on a real PostgreSQL: hold →
 * application → fee → 本予約 → permit content; slots taken at submission;
 * paying after the hold expired; cancellation at each notice period with
 * its refund; the review procedure; holds made at the counter.
 */
describe('booking procedures (real HTTP, real PostgreSQL)', () => {
  let d: PaymentsDriver;

  beforeAll(async () => {
    d = await PaymentsDriver.start();
  });
  afterAll(() => d.close());
  afterEach(() => expect(d.unhandledErrors()).toEqual([]));

  const errorOf = (response: { status: number; body: { code?: string } }) => ({ status: response.status, code: response.body.code });
  const sweep = () => d.t.get(BookingHoldsService).sweep();

  /** Holds the form's slots, applies with the hold and lets the booking step run: the application waits for its fee. */
  async function heldAndApplied(resident: Caller, form: Record<string, unknown>): Promise<{ id: string; bookingId: string }> {
    const held = await as(d.server, resident).post('/api/v1/bookings/holds', { facility: form.facility, room: form.room, date: form.date, slots: form.slots });
    if (held.status !== 201) throw new Error(`hold failed: ${held.status} ${JSON.stringify(held.body)}`);
    const { id, submitted } = await applyFor(as(d.server, resident), 'kominkan-yoyaku', { ...form, holdId: held.body.id });
    if (submitted.status !== 200) throw new Error(`submit failed: ${submitted.status} ${JSON.stringify(submitted.body)}`);
    await d.runOutbox();
    return { id, bookingId: held.body.id as string };
  }

  async function bookedAndPaid(resident: Caller, form: Record<string, unknown>): Promise<{ id: string; bookingId: string; paymentId: string }> {
    const { id, bookingId } = await heldAndApplied(resident, form);
    const started = await d.started(resident, id, 'card');
    await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    expect((await bookingRow(d.t, bookingId)).status).toBe('confirmed');
    return { id, bookingId, paymentId: started.paymentId };
  }

  describe('community centre (fee at submission)', () => {
    it('hold → apply with it → pay → 本予約, and the permit prints the booking', async () => {
      const resident = await residentOf(d.t);
      const form = kominkanForm({ room: 'kaigi-1', date: TUESDAY, slots: ['13:00', '15:00'] });
      const { id, bookingId } = await heldAndApplied(resident, form);
      expect(await applicationState(d.t, id)).toBe('awaitingPayment');
      // Two slots of Meeting Room 1 at the resident rate: priced by the server, never by the client.
      expect(await bookingRow(d.t, bookingId)).toMatchObject({ status: 'held', application_id: id, fee_base: 1000, fee_amount: 1000 });
      const timeline = await as(d.server, resident).get(`/api/v1/applications/${id}/timeline`).expect(200);
      expect(JSON.stringify(timeline.body)).toContain('booking.confirmed');
      const started = await d.started(resident, id, 'card');
      expect(started.amount).toBe(1000);
      await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
      await d.settle();

      expect(['issuing', 'notifying', 'completed']).toContain(await applicationState(d.t, id));
      const booking = await as(d.server, resident).get(`/api/v1/bookings/${bookingId}`).expect(200);
      expect(booking.body).toMatchObject({
        status: 'confirmed',
        applicationId: id,
        expiresAt: null,
        fee: { residency: 'resident', base: 1000, reductionCode: null, reductionPercent: null, amount: 1000 },
        cancellation: null,
      });
      expect(await slotStatuses(d.server, KOMINKAN, 'kaigi-1', TUESDAY)).toMatchObject({ '11:00': 'free', '13:00': 'booked', '15:00': 'booked', '17:00': 'free' });
      expect(await d.t.get(DocumentContentSources).contentFor('permit', CITY, id)).toEqual({
        bookingNumber: booking.body.bookingNumber,
        facility: { ja: '中央公民館', en: 'Central Community Centre' },
        room: { ja: '第1会議室', en: 'Meeting Room 1' },
        slots: [
          { date: TUESDAY, start: '13:00', end: '15:00' },
          { date: TUESDAY, start: '15:00', end: '17:00' },
        ],
        organizerName: '桜ヶ丘読書会',
        purpose: '定例会',
        attendees: 12,
        fee: 1000,
        reduction: null,
      });
      await d.expectAccounted(id, { paid: 1, holds: 1000 });
    });

    it('prices by residency and reduction: 市外 pays the non-resident rate, a registered group half', async () => {
      const outsider = await heldAndApplied(await residentOf(d.t), kominkanForm({ room: 'chori', date: '2026-11-25', slots: ['09:00', '11:00'], residency: 'nonResident' }));
      expect(await bookingRow(d.t, outsider.bookingId)).toMatchObject({ fee_base: 3200, fee_amount: 3200 });
      const group = await heldAndApplied(
        await residentOf(d.t),
        kominkanForm({ room: 'chori', date: '2026-11-25', slots: ['13:00', '15:00', '17:00'], reductionCode: 'registered-group', groupRegistrationNumber: '1234' }),
      );
      expect(await bookingRow(d.t, group.bookingId)).toMatchObject({ fee_base: 2400, fee_amount: 1200 });
      expect(await d.t.get(DocumentContentSources).contentFor('permit', CITY, group.id)).toBeNull();
    });

    it('without a hold, submission takes the slots itself; the loser of a race gets 409 BOOKING_SLOT_TAKEN and keeps a draft', async () => {
      const residents = await Promise.all(Array.from({ length: 12 }, () => residentOf(d.t)));
      const drafts = await Promise.all(
        residents.map(async (resident) => {
          const created = await as(d.server, resident).post('/api/v1/applications', { procedureCode: 'kominkan-yoyaku', formData: kominkanForm({ room: 'washitsu', date: '2026-11-26', slots: ['19:00'] }) });
          return { resident, id: created.body.id as string };
        }),
      );
      const answers = await Promise.all(drafts.map(({ resident, id }) => as(d.server, resident).post(`/api/v1/applications/${id}/submit`, {})));
      expect(answers.map((answer) => `${answer.status} ${answer.body.code ?? ''}`.trim()).sort()).toEqual(['200', ...Array(11).fill('409 BOOKING_SLOT_TAKEN')]);
      const loser = drafts[answers.findIndex((answer) => answer.status === 409)];
      expect(await applicationState(d.t, loser.id)).toBe('draft');
      expect(await bookingOfApplication(d.t, loser.id)).toBeUndefined();
      expect(await liveBookings(d.t, KOMINKAN, 'washitsu', '2026-11-26')).toBe(1);
      const winner = drafts[answers.findIndex((answer) => answer.status === 200)];
      expect(answers.find((answer) => answer.status === 200)!.body).toMatchObject({ state: 'awaitingBooking' });
      await d.runOutbox();
      expect(await applicationState(d.t, winner.id)).toBe('awaitingPayment');
      // The loser picks another slot and submits the same draft.
      const edited = await as(d.server, loser.resident).put(`/api/v1/applications/${loser.id}/form`, { formData: kominkanForm({ room: 'washitsu', date: '2026-11-26', slots: ['17:00'] }), revision: 1 });
      expect(edited.status).toBe(200);
      expect((await as(d.server, loser.resident).post(`/api/v1/applications/${loser.id}/submit`, {})).status).toBe(200);
    });

    it('refuses a form that does not fit its hold, someone else\'s hold, a full room or another procedure\'s facility (4xx, nothing written)', async () => {
      const resident = await residentOf(d.t);
      const other = await residentOf(d.t);
      const held = await as(d.server, resident).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-2', date: '2026-11-27', slots: ['09:00'] }).expect(201);
      const othersHold = await as(d.server, other).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-2', date: '2026-11-27', slots: ['11:00'] }).expect(201);
      const base = kominkanForm({ room: 'kaigi-2', date: '2026-11-27', slots: ['09:00'], attendees: 10 });
      const attempts = [
        { ...base, holdId: held.body.id, slots: ['09:00', '11:00'] },
        { ...base, holdId: othersHold.body.id, slots: ['11:00'] },
        { ...base, holdId: held.body.id, attendees: 16 },
        { ...base, facility: GYM, room: 'arena-a', slots: ['09:00'] },
        { ...base, holdId: held.body.id, slots: [] },
      ];
      const answers = [];
      for (const formData of attempts) answers.push(errorOf((await applyFor(as(d.server, resident), 'kominkan-yoyaku', formData)).submitted));
      expect(answers).toEqual([
        { status: 422, code: 'BOOKING_HOLD_MISMATCH' },
        { status: 404, code: 'BOOKING_NOT_FOUND' },
        { status: 422, code: 'BOOKING_OVER_CAPACITY' },
        { status: 422, code: 'BOOKING_WRONG_PROCEDURE' },
        { status: 422, code: 'APPLICATION_FORM_INVALID' },
      ]);
      expect(await bookingRow(d.t, held.body.id)).toMatchObject({ status: 'held', application_id: null });
      // A hold serves one application only.
      const first = await applyFor(as(d.server, resident), 'kominkan-yoyaku', { ...base, holdId: held.body.id });
      expect(first.submitted.status).toBe(200);
      expect(errorOf((await applyFor(as(d.server, resident), 'kominkan-yoyaku', { ...base, holdId: held.body.id })).submitted)).toEqual({ status: 409, code: 'BOOKING_HOLD_IN_USE' });
    });

    it('applying without naming one\'s own hold of the same slots uses that hold', async () => {
      const resident = await residentOf(d.t);
      const held = await as(d.server, resident).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-2', date: '2026-11-29', slots: ['09:00'] }).expect(201);
      const { id, submitted } = await applyFor(as(d.server, resident), 'kominkan-yoyaku', kominkanForm({ room: 'kaigi-2', date: '2026-11-29', slots: ['09:00'] }));
      expect(submitted.status).toBe(200);
      expect(await bookingRow(d.t, held.body.id)).toMatchObject({ status: 'held', application_id: id });
      expect(await liveBookings(d.t, KOMINKAN, 'kaigi-2', '2026-11-29')).toBe(1);
    });

    it('withdrawing before paying gives the slots back', async () => {
      const resident = await residentOf(d.t);
      const { id, bookingId } = await heldAndApplied(resident, kominkanForm({ room: 'kaigi-2', date: '2026-11-28', slots: ['13:00'] }));
      await as(d.server, resident).post(`/api/v1/applications/${id}/withdraw`, { reason: '日程変更' }).expect(200);
      expect(await bookingRow(d.t, bookingId)).toMatchObject({ status: 'released' });
      expect(await slotStatuses(d.server, KOMINKAN, 'kaigi-2', '2026-11-28')).toMatchObject({ '13:00': 'free' });
    });
  });

  describe('paying after the hold expired', () => {
    it('paid on the card page after the expiry, before the sweep: the payment is refunded automatically and the application expires', async () => {
      const resident = await residentOf(d.t);
      const { id, bookingId } = await heldAndApplied(resident, kominkanForm({ room: 'washitsu', date: '2026-12-01', slots: ['09:00'] }));
      const started = await d.started(resident, id, 'card');
      d.t.clock.advance(15 * MINUTE + 1000);
      // Availability already shows the slot free: a hold counts only until its expiry.
      expect(await slotStatuses(d.server, KOMINKAN, 'washitsu', '2026-12-01')).toMatchObject({ '09:00': 'free' });
      await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
      await d.settle();
      expect(await d.refundRows(id)).toEqual([{ amount: 400, status: 'succeeded', cause: 'application.closed' }]);
      expect(await d.paidTransitions(id)).toBe(0);
      expect(await sweep()).toBeGreaterThanOrEqual(1);
      await d.settle();
      expect(await applicationState(d.t, id)).toBe('expired');
      expect(await bookingRow(d.t, bookingId)).toMatchObject({ status: 'expired' });
      await d.expectAccounted(id, { paid: 0, holds: 0 });
      // Someone else books the slot.
      expect((await as(d.server, await residentOf(d.t)).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'washitsu', date: '2026-12-01', slots: ['09:00'] })).status).toBe(201);
    });

    it('after the sweep ended the application: the payment is cancelled at the provider and paying there is refused', async () => {
      const resident = await residentOf(d.t);
      const { id, bookingId } = await heldAndApplied(resident, kominkanForm({ room: 'washitsu', date: '2026-12-02', slots: ['09:00'] }));
      const started = await d.started(resident, id, 'card');
      d.t.clock.advance(16 * MINUTE);
      expect(await sweep()).toBeGreaterThanOrEqual(1);
      await d.settle();
      expect(await applicationState(d.t, id)).toBe('expired');
      expect(await bookingRow(d.t, bookingId)).toMatchObject({ status: 'expired' });
      const path = new URL(started.redirectUrl!).pathname;
      const posted = await request(d.server).post(`${path}/card`).type('form').send({ number: TEST_CARDS.success, expiry: '12/34', cvc: '123' });
      expect(posted.status).toBe(409);
      await d.settle();
      await d.expectAccounted(id, { paid: 0, holds: 0 });
      // A hold nobody applied with lapses too; submitting with it afterwards is a clear 409.
      const late = await refreshed(d.t, resident);
      const held = await as(d.server, late).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'washitsu', date: '2026-12-02', slots: ['11:00'] }).expect(201);
      d.t.clock.advance(15 * MINUTE);
      const expired = await applyFor(as(d.server, await refreshed(d.t, resident)), 'kominkan-yoyaku', kominkanForm({ room: 'washitsu', date: '2026-12-02', slots: ['11:00'], holdId: held.body.id }));
      expect(errorOf(expired.submitted)).toEqual({ status: 409, code: 'BOOKING_HOLD_EXPIRED' });
      expect(expired.submitted.body.message.ja).toContain('仮予約の有効期限が過ぎた');
    });
  });

  describe('cancellation by notice period (7+ days 100 %, 3–6 days 50 %, less 0 %)', () => {
    it.each([
      ['2026-12-02', 10, 100, 1000, ['11:00', '13:00']],
      ['2026-11-29', 7, 100, 1000, ['11:00', '13:00']],
      ['2026-11-28', 6, 50, 500, ['11:00', '13:00']],
      ['2026-11-25', 3, 50, 500, ['11:00', '13:00']],
      ['2026-11-24', 2, 0, 0, ['17:00', '19:00']],
      ['2026-11-22', 0, 0, 0, ['13:00', '15:00']],
    ])('use on %s, %i days ahead: %i %% back (%i yen)', async (date, noticeDays, percent, refund, slots) => {
      const resident = await refreshed(d.t, await residentOf(d.t));
      const { id, bookingId } = await bookedAndPaid(resident, kominkanForm({ room: 'kaigi-1', date, slots }));
      const api = as(d.server, resident);
      expect((await api.get(`/api/v1/bookings/${bookingId}/cancellation`).expect(200)).body).toEqual({ cancellable: true, noticeDays, refundPercent: percent, paid: 1000, refundAmount: refund });
      const cancelled = await api.post(`/api/v1/bookings/${bookingId}/cancel`, { reason: '行事が中止になったため' }).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancellation: { by: 'resident', reason: '行事が中止になったため', refundPercent: percent, refundAmount: refund } });
      await d.settle();
      expect(await d.refundRows(id)).toEqual(refund > 0 ? [{ amount: refund, status: 'succeeded', cause: `booking.cancelled:${bookingId}` }] : []);
      await d.expectAccounted(id, { paid: 1, holds: 1000 - refund });
      // The application says so, through the engine, and the resident is told what comes back.
      expect(await d.state(id)).toBe('cancelled');
      const [event] = await d.t.dataSource.query(`SELECT from_state, to_state, payload FROM application_events WHERE application_id = $1 AND type = 'booking.cancelled'`, [id]);
      expect(event).toMatchObject({ from_state: 'completed', to_state: 'cancelled', payload: { refundAmount: refund, refundPercent: percent } });
      const [row] = await d.t.dataSource.query(`SELECT snapshot FROM applications WHERE id = $1`, [id]);
      expect(row.snapshot.context.cancellation).toMatchObject({ refundAmount: refund, refundPercent: percent, reason: '行事が中止になったため' });
      const notices = await d.t.dataSource.query(`SELECT kind FROM notifications WHERE application_id = $1 AND kind = 'bookingCancelled'`, [id]);
      expect(notices).toHaveLength(1);
      const statuses = await slotStatuses(d.server, KOMINKAN, 'kaigi-1', date);
      expect(slots.map((start) => statuses[start])).toEqual(['free', 'free']);
      // Once is enough; nobody else may.
      expect(errorOf(await api.post(`/api/v1/bookings/${bookingId}/cancel`, {}))).toEqual({ status: 409, code: 'BOOKING_NOT_CANCELLABLE' });
      expect(errorOf(await as(d.server, await residentOf(d.t)).post(`/api/v1/bookings/${bookingId}/cancel`, {}))).toEqual({ status: 404, code: 'BOOKING_NOT_FOUND' });
    });

    it('revokes the use permit of a cancelled booking, so its verification says so', async () => {
      const resident = await refreshed(d.t, await residentOf(d.t));
      const { id, bookingId } = await bookedAndPaid(resident, kominkanForm({ room: 'kaigi-2', date: '2026-12-09', slots: ['09:00'] }));
      await d.settle();
      const permits = async () =>
        (await d.t.dataSource.query(`SELECT verification_code, status FROM documents WHERE application_id = $1 AND kind = 'usePermit'`, [id])) as Array<{
          verification_code: string;
          status: string;
        }>;
      const [permit] = await permits();
      expect(permit.status).toBe('issued');
      await as(d.server, resident).post(`/api/v1/bookings/${bookingId}/cancel`, { reason: '予定変更' }).expect(200);
      expect(await permits()).toEqual([{ verification_code: permit.verification_code, status: 'revoked' }]);
      const verified = await request(d.server).post('/api/v1/documents/verify').set('X-Municipality-Id', '990001').send({ code: permit.verification_code }).expect(200);
      expect(verified.body.status).toBe('revoked');
    });

    it('a reduced fee refunds its share; a booking that has started cannot be cancelled', async () => {
      const resident = await residentOf(d.t);
      const { id, bookingId } = await bookedAndPaid(resident, kominkanForm({ room: 'kaigi-2', date: '2026-11-27', slots: ['09:00', '11:00'], reductionCode: 'registered-group', groupRegistrationNumber: '5678' }));
      expect(await bookingRow(d.t, bookingId)).toMatchObject({ fee_base: 600, fee_amount: 300 });
      // 2026-11-27 is 5 days ahead: half of the 300 yen paid.
      const cancelled = await as(d.server, resident).post(`/api/v1/bookings/${bookingId}/cancel`, {}).expect(200);
      expect(cancelled.body.cancellation).toMatchObject({ refundPercent: 50, refundAmount: 150 });
      await d.settle();
      await d.expectAccounted(id, { paid: 1, holds: 150 });

      const later = await residentOf(d.t);
      const started = await bookedAndPaid(later, kominkanForm({ room: 'kaigi-2', date: '2026-11-22', slots: ['11:00'] }));
      d.t.clock.advance(HOUR + MINUTE);
      const tooLate = await as(d.server, await refreshed(d.t, later)).post(`/api/v1/bookings/${started.bookingId}/cancel`, {});
      expect(errorOf(tooLate)).toEqual({ status: 409, code: 'BOOKING_ALREADY_STARTED' });
      expect((await bookingRow(d.t, started.bookingId)).status).toBe('confirmed');
    });
  });

  describe('gymnasium (review, then the assessed fee)', () => {
    it('the hold stays while staff review; assessed, paid, confirmed', async () => {
      const resident = await residentOf(d.t);
      const { id, submitted } = await applyFor(as(d.server, resident), 'taiikukan-yoyaku', gymForm({ room: 'arena-b', date: '2026-12-03', slots: ['19:00'], reductionCode: 'registered-group', groupRegistrationNumber: '2468' }));
      expect(submitted.status).toBe(200);
      await d.runOutbox();
      expect(await applicationState(d.t, id)).toBe('underReview');
      const booking = (await bookingOfApplication(d.t, id))!;
      expect(booking).toMatchObject({ status: 'held', expires_at: null, fee_base: 1000, fee_amount: 500 });
      // Staff take their time: the hold does not lapse under review.
      d.t.clock.advance(2 * HOUR);
      await sweep();
      expect(await bookingRow(d.t, booking.id)).toMatchObject({ status: 'held' });
      const clerk = await staffOf(d.t, ['clerk'], ['sports']);
      await as(d.server, clerk).post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
      await as(d.server, clerk).post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.assessFee', payload: { amount: 500 } }).expect(200);
      await d.runOutbox();
      const fresh = await refreshed(d.t, resident);
      const started = await d.started(fresh, id, 'card');
      expect(started.amount).toBe(500);
      await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
      await d.settle();
      expect(await bookingRow(d.t, booking.id)).toMatchObject({ status: 'confirmed', fee_amount: 500 });
    });

    it('a rejected application gives its slots back', async () => {
      const resident = await residentOf(d.t);
      const { id } = await applyFor(as(d.server, resident), 'taiikukan-yoyaku', gymForm({ room: 'budojo', date: '2026-12-03', slots: ['09:00'] }));
      await d.runOutbox();
      const reviewer = await staffOf(d.t, ['reviewer'], ['sports']);
      await as(d.server, reviewer).post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.reject', payload: { reason: '利用目的が要件を満たさないため' } }).expect(200);
      expect(await bookingOfApplication(d.t, id)).toMatchObject({ status: 'released' });
      expect(await slotStatuses(d.server, GYM, 'budojo', '2026-12-03')).toMatchObject({ '09:00': 'free' });
    });
  });

  describe('at the counter', () => {
    it('a counter hold lasts 24 hours: staff enter the application with it, it is still held after 16 minutes, lapses after a day', async () => {
      const clerk = await staffOf(d.t, ['clerk'], ['shogaigakushu']);
      const held = await as(d.server, clerk).post('/api/v1/staff/counter/bookings/holds', { facility: KOMINKAN, room: 'kaigi-1', date: '2026-12-04', slots: ['19:00'] }).expect(201);
      const visitor = await residentOf(d.t);
      const created = await as(d.server, clerk)
        .post('/api/v1/staff/counter/applications', { procedureCode: 'kominkan-yoyaku', residentId: visitor.id, formData: kominkanForm({ room: 'kaigi-1', date: '2026-12-04', slots: ['19:00'], holdId: held.body.id }) })
        .expect(201);
      const id = created.body.id as string;
      const submitted = await as(d.server, clerk).post(`/api/v1/staff/counter/applications/${id}/submit`, { revision: created.body.revision });
      expect(submitted.status).toBe(200);
      await d.runOutbox();
      expect(await applicationState(d.t, id)).toBe('awaitingPayment');
      d.t.clock.advance(16 * MINUTE);
      await sweep();
      expect(await bookingRow(d.t, held.body.id)).toMatchObject({ status: 'held', application_id: id });
      // The visitor sees the booking made for their application.
      const theirs = await as(d.server, await refreshed(d.t, visitor)).get('/api/v1/bookings').expect(200);
      expect(theirs.body.map((booking: { id: string }) => booking.id)).toContain(held.body.id);
      d.t.clock.advance(24 * HOUR);
      expect(await sweep()).toBeGreaterThanOrEqual(1);
      await d.settle();
      expect(await applicationState(d.t, id)).toBe('expired');
    });
  });
});

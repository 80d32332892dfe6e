import { OutboxDispatcher } from '@madoguchi/kernel';
import { applicationState, applyFor, as, bookingRow, KOMINKAN, kominkanForm, residentOf, slotStatuses, staffOf, TUESDAY } from '../../../test/support/bookings-e2e';
import { createTestApp, DEFAULT_TEST_NOW, type TestApp } from '../../../test/support/test-app';
import { createTestDatabase } from '../../../test/support/test-database';
import { BookingHoldsService } from './bookings/booking-holds.service';

const MINUTE = 60_000;

async function drainOutbox(t: TestApp): Promise<void> {
  for (let round = 0; round < 20; round += 1) {
    const result = await t.get(OutboxDispatcher).dispatchDue();
    if (result.delivered === 0) return;
  }
  throw new Error('the outbox does not drain');
}

/**
 * A hold's expiry is a row, not a timer in memory: holds placed by one
 * process lapse in the next one, with their applications, and their slots
 * can be booked again.
 */
describe('holds expiring across a restart (real PostgreSQL)', () => {
  it('a process restarted after the expiry frees the slots and ends the application; a counter hold keeps its 24 hours', async () => {
    const db = await createTestDatabase();
    try {
      const first = await createTestApp({ db });
      let applicationId: string;
      let appliedHold: string;
      let bareHold: string;
      let counterHold: string;
      try {
        const server = first.app.getHttpServer();
        const applicant = await residentOf(first);
        const held = await as(server, applicant).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-1', date: TUESDAY, slots: ['09:00'] }).expect(201);
        appliedHold = held.body.id;
        const { id, submitted } = await applyFor(as(server, applicant), 'kominkan-yoyaku', kominkanForm({ room: 'kaigi-1', date: TUESDAY, slots: ['09:00'], holdId: appliedHold }));
        expect(submitted.status).toBe(200);
        applicationId = id;
        await drainOutbox(first);
        expect(await applicationState(first, applicationId)).toBe('awaitingPayment');
        bareHold = (await as(server, await residentOf(first)).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-1', date: TUESDAY, slots: ['11:00'] }).expect(201)).body.id;
        const clerk = await staffOf(first, ['clerk'], ['shogaigakushu']);
        counterHold = (await as(server, clerk).post('/api/v1/staff/counter/bookings/holds', { facility: KOMINKAN, room: 'kaigi-1', date: TUESDAY, slots: ['13:00'] }).expect(201)).body.id;
        // Nothing lapses early.
        first.clock.advance(14 * MINUTE);
        await first.get(BookingHoldsService).sweep();
        expect((await bookingRow(first, appliedHold)).status).toBe('held');
      } finally {
        await first.close();
      }

      const second = await createTestApp({ db, now: new Date(DEFAULT_TEST_NOW.getTime() + 16 * MINUTE) });
      try {
        const server = second.app.getHttpServer();
        // Past their expiry the holds no longer count, even before the sweep.
        expect(await slotStatuses(server, KOMINKAN, 'kaigi-1', TUESDAY)).toMatchObject({ '09:00': 'free', '11:00': 'free', '13:00': 'held' });
        expect(await second.get(BookingHoldsService).sweep()).toBe(2);
        expect(await bookingRow(second, appliedHold)).toMatchObject({ status: 'expired' });
        expect(await bookingRow(second, bareHold)).toMatchObject({ status: 'expired' });
        expect(await bookingRow(second, counterHold)).toMatchObject({ status: 'held' });
        await drainOutbox(second);
        expect(await applicationState(second, applicationId)).toBe('expired');
        const events: Array<{ type: string; payload: { reason?: string } }> = await second.dataSource.query(
          `SELECT type, payload FROM application_events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1`,
          [applicationId],
        );
        expect(events).toEqual([{ type: 'deadline.reached', payload: { reason: 'holdExpired', bookingId: appliedHold } }]);
        // A second sweep finds nothing; the slots go to the next resident.
        expect(await second.get(BookingHoldsService).sweep()).toBe(0);
        const next = await as(server, await residentOf(second)).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-1', date: TUESDAY, slots: ['09:00', '11:00'] });
        expect(next.status).toBe(201);
        const history: Array<{ type: string }> = await second.dataSource.query(`SELECT type FROM booking_events WHERE booking_id = $1 ORDER BY seq`, [appliedHold]);
        expect(history.map((event) => event.type)).toEqual(['hold.placed', 'hold.applied', 'hold.expired']);
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });
});

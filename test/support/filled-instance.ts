import request from 'supertest';
import { applyFor, as, kominkanForm } from './bookings-e2e';
import { type Caller, type PaymentsDriver, TEST_CARDS } from './payments-driver';

/**
 * Work that fills an instance the way residents and staff do, for the
 * drills that compare databases (backup and restore, export and import).
 */

/** An application paid by card and accepted: a payment, an issued document, audit entries. */
export async function certificateCompleted(d: PaymentsDriver): Promise<{ resident: Caller; id: string }> {
  const resident = await d.resident();
  const clerk = await d.staff(['clerk'], ['shimin']);
  const id = await d.submitted(resident);
  await d.runOutbox();
  const started = await d.started(resident, id, 'card');
  await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
  await d.settle();
  await request(d.server).post(`/api/v1/staff/applications/${id}/events`).auth(clerk.token, { type: 'bearer' }).send({ type: 'staff.accept' }).expect(200);
  await d.settle();
  expect(await d.state(id)).toBe('completed');
  return { resident, id };
}

/** A room of 中央公民館 booked and paid for: a confirmed booking. Returns the booking's application id. */
export async function confirmedBooking(d: PaymentsDriver, date: string): Promise<string> {
  const resident = await d.resident();
  const { id, submitted } = await applyFor(as(d.server, resident), 'kominkan-yoyaku', kominkanForm({ room: 'kaigi-1', date, slots: ['13:00'] }));
  expect(submitted.status).toBe(200);
  await d.runOutbox();
  const started = await d.started(resident, id, 'card');
  await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
  await d.settle();
  return id;
}

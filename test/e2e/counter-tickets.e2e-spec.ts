import { ApplicationsService } from '@madoguchi/applications';
import { asMunicipalityId } from '@madoguchi/kernel';
import request from 'supertest';
import { type Caller, CounterDriver, jst } from '../support/counter-e2e';
import { expectError, IdentityDriver } from '../support/identity-e2e';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';

/**
 * Queue tickets through the HTTP API on a real PostgreSQL: numbering per
 * service and Japanese day, the call order (priority, appointments at their
 * time, arrival), many staff calling at once, transfer, recall and no-show,
 * and who may do what. Each test uses services of its own, so queues do not
 * mix; the clock only moves forward.
 */

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('counter: queue tickets (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let identity: IdentityDriver;
  let c: CounterDriver;
  let admin: Caller;
  let otherAdmin: Caller;
  let clerks: Caller[];
  let manager: Caller;
  let otherClerk: Caller;
  let residentA: Caller & { token: string };
  let residentB: Caller & { token: string };

  const staffCaller = (handle: { id: string; municipalityId: string }): Caller => ({ kind: 'staff', id: handle.id, municipalityId: handle.municipalityId });

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url } });
    identity = new IdentityDriver(t, mailbox);
    c = new CounterDriver(t);
    admin = staffCaller(await identity.administrator('counter.admin'));
    otherAdmin = staffCaller(await identity.administrator('counter.admin2', OTHER_MUNICIPALITY));
    clerks = [];
    for (const name of ['clerk1', 'clerk2', 'clerk3', 'clerk4']) clerks.push(staffCaller(await identity.staff(`counter.${name}`, ['clerk'], { departments: ['shimin'] })));
    manager = staffCaller(await identity.staff('counter.manager', ['manager']));
    otherClerk = staffCaller(await identity.staff('counter.other', ['clerk'], { municipalityId: OTHER_MUNICIPALITY }));
    const a = await identity.resident('counter-a@example.jp');
    const b = await identity.resident('counter-b@example.jp');
    residentA = { kind: 'resident', id: a.id, municipalityId: SAMPLE_MUNICIPALITY, token: a.token };
    residentB = { kind: 'resident', id: b.id, municipalityId: SAMPLE_MUNICIPALITY, token: b.token };
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });

  describe('numbering', () => {
    it('numbers per service and per Japanese day, from 1 again the next day (not the UTC day)', async () => {
      await c.createService(admin, 'certificates', 'A', { ja: '住民票・印鑑証明', en: 'Certificates' });
      await c.createService(admin, 'moving', 'B', { ja: '転入・転出', en: 'Moving in and out' });
      await c.createCounter(admin, '市民課 1番窓口', ['certificates', 'moving']);
      const numbers = async (serviceCode: string) => ((await c.kiosk(serviceCode).expect(201)).body as { number: string }).number;

      t.clock.set(jst('2026-11-22 10:00'));
      expect([await numbers('certificates'), await numbers('certificates'), await numbers('moving')]).toEqual(['A-001', 'A-002', 'B-001']);
      expect((await c.staffTicket(clerks[0], 'certificates')).number).toBe('A-003');
      t.clock.set(jst('2026-11-22 23:59'));
      expect(await numbers('certificates')).toBe('A-004');
      // Midnight in Japan: a new day, new numbers for every service.
      t.clock.set(jst('2026-11-23 00:00'));
      expect([await numbers('certificates'), await numbers('moving')]).toEqual(['A-001', 'B-001']);
      // 09:00 in Japan is midnight UTC: the same Japanese day goes on.
      t.clock.set(jst('2026-11-23 08:59'));
      expect(await numbers('certificates')).toBe('A-002');
      t.clock.set(jst('2026-11-23 09:00'));
      expect(await numbers('certificates')).toBe('A-003');

      const days: Array<{ service_day: string; numbers: number[] }> = await t.dataSource.query(
        `SELECT service_day::text, array_agg(number ORDER BY number) AS numbers FROM counter_tickets
          WHERE municipality_id = $1 AND issued_service_code = 'certificates' GROUP BY service_day ORDER BY service_day`,
        [SAMPLE_MUNICIPALITY],
      );
      expect(days).toEqual([
        { service_day: '2026-11-22', numbers: [1, 2, 3, 4] },
        { service_day: '2026-11-23', numbers: [1, 2, 3] },
      ]);
    });

    it('the kiosk answers the slip: number, place and no personal data; the QR link reads the same', async () => {
      const slip = await c.kiosk('moving', { priorityReason: 'elderly' }).expect(201);
      expect(slip.body).toEqual({
        id: expect.any(String),
        number: 'B-002',
        serviceCode: 'moving',
        serviceName: { ja: '転入・転出', en: 'Moving in and out' },
        status: 'waiting',
        statusLabel: { ja: expect.any(String), en: 'Please wait to be called' },
        calledTo: null,
        peopleAhead: 0,
        estimatedWaitMinutes: 0,
        appointmentAt: null,
        priority: true,
        issuedAt: jst('2026-11-23 09:00').toISOString(),
      });
      const viaQr = await request(c.server).get(`/api/v1/counter/tickets/${slip.body.id}`).expect(200);
      expect(viaQr.body).toEqual(slip.body);
    });

    it('limits the kiosk per address: the 31st ticket in a minute is 429', async () => {
      await c.createService(admin, 'kiosk-limit', 'K', { ja: '発券制限', en: 'Kiosk limit' });
      t.clock.set(jst('2026-11-23 09:10'));
      await t.dataSource.query(`DELETE FROM rate_limits`);
      for (let n = 0; n < 30; n += 1) await c.kiosk('kiosk-limit').expect(201);
      const limited = await c.kiosk('kiosk-limit');
      // Not a sign-in: the generic code, and the header every 429 has.
      expectError(limited, 429, 'RATE_LIMITED');
      expect(limited.headers['retry-after']).toBe(String(limited.body.details.retryAfterSeconds));
      t.clock.set(jst('2026-11-23 09:11'));
      await c.kiosk('kiosk-limit').expect(201);
    });
  });

  describe('call order', () => {
    it('calls priority first, appointments once their slot has come before walk-ins, then by arrival', async () => {
      await c.createService(admin, 'order', 'P', { ja: '順番確認', en: 'Order check' }, 2);
      const counter = await c.createCounter(admin, '順番窓口', ['order']);
      const clerk = clerks[0];

      t.clock.set(jst('2026-11-24 09:00'));
      const booked = await c.as(residentA, 'post', '/api/v1/counter/bookings', { serviceCode: 'order', slotAt: '2026-11-24T09:30:00+09:00' }).expect(201);
      expect(booked.body).toMatchObject({ number: 'P-001', appointmentAt: jst('2026-11-24 09:30').toISOString(), peopleAhead: null, status: 'waiting' });
      t.clock.set(jst('2026-11-24 09:05'));
      const walkIn1 = (await c.kiosk('order').expect(201)).body.id as string;
      t.clock.set(jst('2026-11-24 09:10'));
      const walkIn2 = (await c.kiosk('order').expect(201)).body.id as string;
      t.clock.set(jst('2026-11-24 09:12'));
      const pregnant = (await c.kiosk('order', { priorityReason: 'pregnant' }).expect(201)).body.id as string;

      // The staff view shows the call order, and the appointment waiting for its slot.
      t.clock.set(jst('2026-11-24 09:15'));
      const queue = await c.as(clerk, 'get', `/api/v1/staff/counters/${counter}/queue`).expect(200);
      expect(queue.body.waiting.map((ticket: { id: string }) => ticket.id)).toEqual([pregnant, walkIn1, walkIn2]);
      expect(queue.body.upcoming.map((ticket: { id: string }) => ticket.id)).toEqual([booked.body.id]);

      const order: string[] = [];
      const call = async () => {
        const response = await c.callNext(clerk, counter).expect(200);
        order.push(response.body.id);
        await c.act(clerk, response.body.id, 'start');
        await c.act(clerk, response.body.id, 'finish');
      };
      await call(); // 09:15: the priority ticket, though it came last
      t.clock.set(jst('2026-11-24 09:20'));
      await call(); // the appointment's slot has not come: the first walk-in
      t.clock.set(jst('2026-11-24 09:31'));
      const walkIn3 = (await c.kiosk('order').expect(201)).body.id as string;
      await call(); // the slot has come: before the walk-in who came at 09:10
      await call();
      await call();
      expect(order).toEqual([pregnant, walkIn1, booked.body.id, walkIn2, walkIn3]);
      expectError(await c.callNext(clerk, counter), 409, 'COUNTER_NOBODY_WAITING');
    });
  });

  describe('concurrency', () => {
    it('20 simultaneous "call next" over 20 waiting tickets from four staff at three counters: 20 different tickets', async () => {
      t.clock.set(jst('2026-11-24 10:00'));
      await c.createService(admin, 'rush', 'Q', { ja: '混雑受付', en: 'Rush' });
      const counters = [await c.createCounter(admin, 'Q1', ['rush']), await c.createCounter(admin, 'Q2', ['rush']), await c.createCounter(admin, 'Q3', ['rush'])];
      const issued: string[] = [];
      for (let n = 0; n < 20; n += 1) issued.push((await c.staffTicket(clerks[n % 4], 'rush')).id);
      for (const clerk of clerks) await c.token(clerk);

      const responses = await Promise.all(Array.from({ length: 20 }, (_, n) => c.callNext(clerks[n % 4], counters[n % 3])));
      expect(responses.map((response) => response.status)).toEqual(Array(20).fill(200));
      const called = responses.map((response) => response.body.id as string);
      expect(new Set(called).size).toBe(20);
      expect([...called].sort()).toEqual([...issued].sort());
      // Each was called once, to the counter that asked, with one event.
      const rows: Array<{ status: string; call_count: number; calls: number }> = await t.dataSource.query(
        `SELECT t.status, t.call_count, (SELECT count(*)::int FROM counter_ticket_events e
                                          WHERE e.municipality_id = t.municipality_id AND e.ticket_id = t.id AND e.type = 'called') AS calls
           FROM counter_tickets t WHERE t.municipality_id = $1 AND t.service_code = 'rush'`,
        [SAMPLE_MUNICIPALITY],
      );
      expect(rows).toHaveLength(20);
      expect(rows.every((row) => row.status === 'called' && row.call_count === 1 && row.calls === 1)).toBe(true);
      responses.forEach((response, n) => expect(response.body.counterId).toBe(counters[n % 3]));
    });

    it('with fewer tickets than calls the extra calls get 409 COUNTER_NOBODY_WAITING, never a ticket twice', async () => {
      await c.createService(admin, 'sparse', 'S', { ja: '少数受付', en: 'Sparse' });
      const counters = [await c.createCounter(admin, 'S1', ['sparse']), await c.createCounter(admin, 'S2', ['sparse'])];
      const issued = [];
      for (let n = 0; n < 5; n += 1) issued.push((await c.staffTicket(clerks[0], 'sparse')).id);

      const responses = await Promise.all(Array.from({ length: 12 }, (_, n) => c.callNext(clerks[n % 4], counters[n % 2])));
      const ok = responses.filter((response) => response.status === 200);
      const refused = responses.filter((response) => response.status !== 200);
      expect(ok).toHaveLength(5);
      expect(new Set(ok.map((response) => response.body.id)).size).toBe(5);
      expect(ok.map((response) => response.body.id).sort()).toEqual([...issued].sort());
      expect(refused).toHaveLength(7);
      for (const response of refused) expectError(response, 409, 'COUNTER_NOBODY_WAITING');
    });
  });

  describe('transfer, recall and no-show', () => {
    it('a transferred resident keeps their place (number and arrival) at the new service; a named counter alone calls them', async () => {
      await c.createService(admin, 'reception', 'T', { ja: '総合受付', en: 'Reception' });
      await c.createService(admin, 'moving-in', 'U', { ja: '転入手続', en: 'Moving in' });
      const reception = await c.createCounter(admin, '総合案内', ['reception']);
      const u1 = await c.createCounter(admin, '転入 1番', ['moving-in']);
      const u2 = await c.createCounter(admin, '転入 2番', ['moving-in']);
      const [clerk1, clerk2] = clerks;

      t.clock.set(jst('2026-11-24 10:40'));
      const resident = await c.staffTicket(clerk1, 'reception');
      t.clock.set(jst('2026-11-24 10:41'));
      const y1 = await c.staffTicket(clerk2, 'moving-in');
      t.clock.set(jst('2026-11-24 10:42'));
      const y2 = await c.staffTicket(clerk2, 'moving-in');

      t.clock.set(jst('2026-11-24 10:45'));
      expect((await c.callNext(clerk1, reception).expect(200)).body.id).toBe(resident.id);
      await c.act(clerk1, resident.id, 'start');
      t.clock.set(jst('2026-11-24 10:50'));
      const moved = await c.as(clerk1, 'post', `/api/v1/staff/counter-tickets/${resident.id}/transfer`, { serviceCode: 'moving-in' }).expect(200);
      expect(moved.body).toMatchObject({
        number: 'T-001',
        serviceCode: 'moving-in',
        issuedServiceCode: 'reception',
        status: 'waiting',
        queuedAt: jst('2026-11-24 10:40').toISOString(),
        counterId: null,
        assignedCounterId: null,
      });
      const slip = await request(c.server).get(`/api/v1/counter/tickets/${resident.id}`).expect(200);
      expect(slip.body).toMatchObject({ number: 'T-001', serviceCode: 'moving-in', status: 'waiting', peopleAhead: 0 });

      // Arrived at 10:40, before y1 and y2: called first at the new service.
      expect((await c.callNext(clerk2, u1).expect(200)).body.id).toBe(resident.id);
      await c.act(clerk2, resident.id, 'start');
      // On to counter 2 of the same service: counter 1 passes them over, counter 2 calls them.
      t.clock.set(jst('2026-11-24 10:55'));
      await c.as(clerk2, 'post', `/api/v1/staff/counter-tickets/${resident.id}/transfer`, { counterId: u2 }).expect(200);
      expect((await c.callNext(clerk2, u1).expect(200)).body.id).toBe(y1.id);
      expect((await c.callNext(clerk1, u2).expect(200)).body).toMatchObject({ id: resident.id, counterId: u2, number: 'T-001' });
      expect((await c.callNext(clerk1, u2).expect(200)).body.id).toBe(y2.id);

      const detail = await c.as(clerk1, 'get', `/api/v1/staff/counter-tickets/${resident.id}`).expect(200);
      expect(detail.body.events.map((event: { type: string; fromStatus: string | null; toStatus: string; serviceCode: string }) => [event.type, event.fromStatus, event.toStatus, event.serviceCode])).toEqual([
        ['issued', null, 'waiting', 'reception'],
        ['called', 'waiting', 'called', 'reception'],
        ['started', 'called', 'serving', 'reception'],
        ['transferred', 'serving', 'transferred', 'reception'],
        ['requeued', 'transferred', 'waiting', 'moving-in'],
        ['called', 'waiting', 'called', 'moving-in'],
        ['started', 'called', 'serving', 'moving-in'],
        ['transferred', 'serving', 'transferred', 'moving-in'],
        ['requeued', 'transferred', 'waiting', 'moving-in'],
        ['called', 'waiting', 'called', 'moving-in'],
      ]);
      // The event log is append-only, for every role the database has.
      await expect(t.dataSource.query(`UPDATE counter_ticket_events SET type = 'finished' WHERE ticket_id = $1`, [resident.id])).rejects.toThrow(/append-only/);

      // What a transfer refuses.
      expectError(await c.as(clerk1, 'post', `/api/v1/staff/counter-tickets/${y2.id}/transfer`, {}), 422, 'COUNTER_TRANSFER_INVALID');
      expectError(await c.as(clerk1, 'post', `/api/v1/staff/counter-tickets/${y2.id}/transfer`, { serviceCode: 'moving-in' }), 422, 'COUNTER_TRANSFER_INVALID');
      expectError(await c.as(clerk1, 'post', `/api/v1/staff/counter-tickets/${y2.id}/transfer`, { counterId: u1, serviceCode: 'reception' }), 422, 'COUNTER_SERVICE_NOT_SERVED');
      expectError(await c.as(clerk1, 'post', `/api/v1/staff/counter-tickets/${y2.id}/transfer`, { serviceCode: 'no-such-service' }), 404, 'COUNTER_SERVICE_NOT_FOUND');
      const waiting = await c.staffTicket(clerk1, 'reception');
      expectError(await c.as(clerk1, 'post', `/api/v1/staff/counter-tickets/${waiting.id}/transfer`, { serviceCode: 'moving-in' }), 409, 'COUNTER_TICKET_STATE');
    });

    it('recall calls the same ticket again; a no-show closes it; finished and no-show tickets take no more actions', async () => {
      await c.createService(admin, 'recall', 'V', { ja: '再呼出', en: 'Recall' });
      const counter = await c.createCounter(admin, '再呼出窓口', ['recall']);
      const clerk = clerks[2];
      t.clock.set(jst('2026-11-24 11:00'));
      const first = await c.staffTicket(clerk, 'recall');
      const second = await c.staffTicket(clerk, 'recall');

      expect((await c.callNext(clerk, counter).expect(200)).body).toMatchObject({ id: first.id, status: 'called', callCount: 1 });
      t.clock.set(jst('2026-11-24 11:02'));
      expect((await c.act(clerk, first.id, 'recall')).body).toMatchObject({ status: 'called', callCount: 2, counterId: counter, calledAt: jst('2026-11-24 11:00').toISOString() });
      expect((await c.act(clerk, first.id, 'recall')).body).toMatchObject({ status: 'called', callCount: 3 });
      // Still called (not back in the queue): the next call takes the second ticket.
      const board = await request(c.server).get('/api/v1/counter/status').expect(200);
      expect(board.body.services.find((service: { code: string }) => service.code === 'recall')).toMatchObject({
        nowServing: [{ number: 'V-001', counterId: counter, counterName: { ja: '再呼出窓口', en: '再呼出窓口' }, status: 'called' }],
        waiting: 1,
      });
      t.clock.set(jst('2026-11-24 11:05'));
      const noShow = await c.act(clerk, first.id, 'no-show');
      expect(noShow.body).toMatchObject({ status: 'noShow', closedAt: jst('2026-11-24 11:05').toISOString(), allowedActions: [] });
      for (const action of ['recall', 'start', 'no-show', 'finish'] as const) {
        const refused = await c.as(clerk, 'post', `/api/v1/staff/counter-tickets/${first.id}/${action}`);
        expectError(refused, 409, 'COUNTER_TICKET_STATE');
        expect(refused.body.details).toMatchObject({ status: 'noShow', allowedActions: [] });
      }
      expect((await request(c.server).get(`/api/v1/counter/tickets/${first.id}`).expect(200)).body).toMatchObject({ status: 'noShow', peopleAhead: null, calledTo: null });

      expect((await c.callNext(clerk, counter).expect(200)).body.id).toBe(second.id);
      // Finish before start is refused with what is allowed.
      const early = await c.as(clerk, 'post', `/api/v1/staff/counter-tickets/${second.id}/finish`);
      expectError(early, 409, 'COUNTER_TICKET_STATE');
      expect(early.body.details.allowedActions).toEqual(['recall', 'noShow', 'start', 'transfer']);
      await c.act(clerk, second.id, 'start');
      expect((await c.act(clerk, second.id, 'finish')).body).toMatchObject({ status: 'done', allowedActions: [] });
      expectError(await c.as(clerk, 'post', `/api/v1/staff/counter-tickets/${second.id}/finish`), 409, 'COUNTER_TICKET_STATE');
      const events = await c.as(clerk, 'get', `/api/v1/staff/counter-tickets/${first.id}`).expect(200);
      expect(events.body.events.map((event: { type: string }) => event.type)).toEqual(['issued', 'called', 'recalled', 'recalled', 'noShow']);
    });
  });

  describe('bookings and applications', () => {
    it('a resident books a slot, sees and cancels it; capacity, one per day, the grid and closed services are enforced', async () => {
      await c.createService(admin, 'consult', 'C', { ja: '子育て相談', en: 'Childcare consultation' }, 1);
      await c.createService(admin, 'walk-in-only', 'W', { ja: '窓口のみ', en: 'Walk-in only' }, 0);
      t.clock.set(jst('2026-11-24 11:10'));
      const slots = await request(c.server).get('/api/v1/counter/services/consult/slots?date=2026-11-25').expect(200);
      expect(slots.body).toHaveLength(34);
      expect(slots.body[0]).toEqual({ at: jst('2026-11-25 08:30').toISOString(), remaining: 1 });

      const booking = await c.as(residentA, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: '2026-11-25T08:30:00+09:00' }).expect(201);
      expect(booking.body).toMatchObject({ number: 'C-001', status: 'waiting', applicationId: null });
      const after = await request(c.server).get('/api/v1/counter/services/consult/slots?date=2026-11-25').expect(200);
      expect(after.body[0]).toEqual({ at: jst('2026-11-25 08:30').toISOString(), remaining: 0 });

      expectError(await c.as(residentB, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: '2026-11-25T08:30:00+09:00' }), 409, 'COUNTER_SLOT_FULL');
      expectError(await c.as(residentA, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: '2026-11-25T10:00:00+09:00' }), 409, 'COUNTER_BOOKING_EXISTS');
      expectError(await c.as(residentB, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: '2026-11-25T10:05:00+09:00' }), 422, 'COUNTER_SLOT_INVALID');
      expectError(await c.as(residentB, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: '2026-11-28T10:00:00+09:00' }), 422, 'COUNTER_SLOT_INVALID');
      expectError(await c.as(residentB, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: '2026-11-24T11:00:00+09:00' }), 422, 'COUNTER_SLOT_INVALID');
      expectError(await c.as(residentB, 'post', '/api/v1/counter/bookings', { serviceCode: 'walk-in-only', slotAt: '2026-11-25T10:00:00+09:00' }), 409, 'COUNTER_BOOKING_CLOSED');

      const mine = await c.as(residentA, 'get', '/api/v1/counter/bookings').expect(200);
      expect(mine.body.map((ticket: { id: string }) => ticket.id)).toContain(booking.body.id);
      expect((await c.as(residentB, 'get', '/api/v1/counter/bookings').expect(200)).body.map((ticket: { id: string }) => ticket.id)).not.toContain(booking.body.id);
      // Someone else's booking is not found, not forbidden.
      expectError(await c.as(residentB, 'post', `/api/v1/counter/bookings/${booking.body.id}/cancel`), 404, 'COUNTER_TICKET_NOT_FOUND');
      expect((await c.as(residentA, 'post', `/api/v1/counter/bookings/${booking.body.id}/cancel`).expect(200)).body.status).toBe('cancelled');
      expectError(await c.as(residentA, 'post', `/api/v1/counter/bookings/${booking.body.id}/cancel`), 409, 'COUNTER_TICKET_STATE');
      // The place is free again.
      await c.as(residentB, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: '2026-11-25T08:30:00+09:00' }).expect(201);
    });

    it('links a ticket to an application of the same municipality only; a resident only to their own', async () => {
      const applications = t.get(ApplicationsService);
      const draft = async (municipalityId: string, applicantId: string) =>
        (
          await applications.createDraft(asMunicipalityId(municipalityId), {
            procedureCode: 'kosodate-13',
            channel: 'online',
            applicantId,
            formData: {},
            actor: { kind: 'resident', id: applicantId },
          })
        ).id;
      const ofA = await draft(SAMPLE_MUNICIPALITY, residentA.id);
      const ofOtherCity = await draft(OTHER_MUNICIPALITY, 'someone');

      const issued = await c.as(clerks[0], 'post', '/api/v1/staff/counter-tickets', { serviceCode: 'consult', applicationId: ofA }).expect(201);
      expect(issued.body).toMatchObject({ applicationId: ofA, source: 'staff' });
      expectError(await c.as(clerks[0], 'post', '/api/v1/staff/counter-tickets', { serviceCode: 'consult', applicationId: ofOtherCity }), 404, 'APPLICATION_NOT_FOUND');

      const walkIn = await c.kiosk('consult').expect(201);
      expect(walkIn.body).not.toHaveProperty('applicationId');
      const linked = await c.as(clerks[0], 'put', `/api/v1/staff/counter-tickets/${walkIn.body.id}/application`, { applicationId: ofA }).expect(200);
      expect(linked.body.applicationId).toBe(ofA);
      expectError(await c.as(clerks[0], 'put', `/api/v1/staff/counter-tickets/${walkIn.body.id}/application`, { applicationId: ofOtherCity }), 404, 'APPLICATION_NOT_FOUND');

      const slot = '2026-11-26T09:00:00+09:00';
      expectError(await c.as(residentB, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: slot, applicationId: ofA }), 404, 'APPLICATION_NOT_FOUND');
      const own = await c.as(residentA, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: slot, applicationId: ofA }).expect(201);
      expect(own.body.applicationId).toBe(ofA);
      // The public view of the same ticket never names the application.
      expect((await request(c.server).get(`/api/v1/counter/tickets/${own.body.id}`).expect(200)).body).not.toHaveProperty('applicationId');
    });
  });

  describe('who may do what', () => {
    let counter: string;
    let ticket: string;

    beforeAll(async () => {
      await c.createService(admin, 'guarded', 'G', { ja: '権限確認', en: 'Access check' });
      counter = await c.createCounter(admin, '権限窓口', ['guarded']);
      ticket = (await c.staffTicket(clerks[0], 'guarded')).id;
    });

    const staffRoutes = (): Array<[ 'get' | 'post' | 'put', string, object?]> => [
      ['get', '/api/v1/staff/counters'],
      ['get', `/api/v1/staff/counters/${counter}/queue`],
      ['put', `/api/v1/staff/counters/${counter}/open`, { open: true }],
      ['post', `/api/v1/staff/counters/${counter}/call-next`],
      ['post', '/api/v1/staff/counter-tickets', { serviceCode: 'guarded' }],
      ['get', `/api/v1/staff/counter-tickets/${ticket}`],
      ['post', `/api/v1/staff/counter-tickets/${ticket}/recall`],
      ['post', `/api/v1/staff/counter-tickets/${ticket}/transfer`, { serviceCode: 'guarded' }],
    ];

    it('refuses anonymous callers (401) and residents (403) on staff routes', async () => {
      for (const [method, path, body] of staffRoutes()) {
        expectError(await c.as(null, method, path, body, SAMPLE_MUNICIPALITY), 401, 'AUTH_UNAUTHENTICATED');
        expectError(await c.as(residentA, method, path, body), 403, 'AUTH_FORBIDDEN');
      }
    });

    it('refuses staff without the role: a manager cannot call, a clerk cannot set up counters or read statistics', async () => {
      expectError(await c.callNext(manager, counter), 403, 'AUTH_FORBIDDEN');
      expectError(await c.as(clerks[0], 'post', '/api/v1/admin/counters', { name: { ja: 'x', en: 'x' }, serviceCodes: ['guarded'] }), 403, 'AUTH_FORBIDDEN');
      expectError(await c.as(clerks[0], 'get', '/api/v1/staff/counter-statistics?from=2026-11-01&to=2026-11-30'), 403, 'AUTH_FORBIDDEN');
      expectError(await c.as(admin, 'post', `/api/v1/staff/counters/${counter}/call-next`), 403, 'AUTH_FORBIDDEN');
      expectError(await c.as(residentA, 'get', '/api/v1/admin/counter-services'), 403, 'AUTH_FORBIDDEN');
      expectError(await c.as(clerks[0], 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: '2026-11-26T09:15:00+09:00' }), 403, 'AUTH_FORBIDDEN');
    });

    it("answers staff of another municipality 404 on this municipality's counters, tickets and services", async () => {
      const counterRoutes = staffRoutes().filter(([, path]) => path.includes(counter));
      for (const [method, path, body] of counterRoutes) expectError(await c.as(otherClerk, method, path, body), 404, 'COUNTER_NOT_FOUND');
      const ticketRoutes = staffRoutes().filter(([, path]) => path.includes(ticket));
      for (const [method, path, body] of ticketRoutes) expectError(await c.as(otherClerk, method, path, body), 404, 'COUNTER_TICKET_NOT_FOUND');
      expectError(await c.as(otherClerk, 'post', '/api/v1/staff/counter-tickets', { serviceCode: 'guarded' }), 404, 'COUNTER_SERVICE_NOT_FOUND');
      expectError(await c.as(otherAdmin, 'get', `/api/v1/admin/counters/${counter}`), 404, 'COUNTER_NOT_FOUND');
      expectError(await c.as(otherAdmin, 'put', '/api/v1/admin/counter-services/guarded', { name: { ja: 'x', en: 'x' }, ticketPrefix: 'G' }), 404, 'COUNTER_SERVICE_NOT_FOUND');
      expectError(await c.as(otherAdmin, 'delete', `/api/v1/admin/counters/${counter}`), 404, 'COUNTER_NOT_FOUND');
      expect(JSON.stringify((await c.as(otherClerk, 'get', '/api/v1/staff/counters').expect(200)).body)).not.toContain(counter);
      // Naming this municipality with the other one's token is a mismatch, not a way in.
      expectError(await c.as(otherClerk, 'post', `/api/v1/staff/counters/${counter}/call-next`, undefined, SAMPLE_MUNICIPALITY), 403, 'AUTH_TENANT_MISMATCH');
      // The public slip of one municipality is not found from another.
      expectError(await c.as(null, 'get', `/api/v1/counter/tickets/${ticket}`, undefined, OTHER_MUNICIPALITY), 404, 'COUNTER_TICKET_NOT_FOUND');
      // Nothing was called or changed by any of it.
      expect((await c.as(clerks[0], 'get', `/api/v1/staff/counter-tickets/${ticket}`).expect(200)).body).toMatchObject({ status: 'waiting', callCount: 0 });
    });

    it('refuses malformed input with 400', async () => {
      const bad: Array<[Caller | null, 'get' | 'post' | 'put', string, object?]> = [
        [null, 'post', '/api/v1/counter/tickets', {}],
        [null, 'post', '/api/v1/counter/tickets', { serviceCode: 'guarded', priorityReason: 'vip' }],
        [null, 'post', '/api/v1/counter/tickets', { serviceCode: 'guarded', extra: 1 }],
        [null, 'post', '/api/v1/counter/tickets', { serviceCode: 'Guarded!' }],
        [null, 'get', '/api/v1/counter/services/guarded/slots?date=2026-02-30'],
        [null, 'get', '/api/v1/counter/services/guarded/slots'],
        [null, 'get', '/api/v1/counter/services/NOT_A_CODE/slots?date=2026-11-25'],
        [residentA, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: '2026-11-26T09:15:00' }],
        [residentA, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: 'tomorrow' }],
        [residentA, 'post', '/api/v1/counter/bookings', { serviceCode: 'consult', slotAt: '2026-11-26T09:15:00+09:00', applicationId: 'x' }],
        [clerks[0], 'post', `/api/v1/staff/counters/not-a-uuid/call-next`],
        [clerks[0], 'put', `/api/v1/staff/counters/${counter}/open`, { open: 'yes' }],
        [clerks[0], 'post', '/api/v1/staff/counter-tickets', { serviceCode: 'guarded', applicationId: 'not-a-uuid' }],
        [clerks[0], 'post', `/api/v1/staff/counter-tickets/${ticket}/transfer`, { counterId: 'Q1' }],
        [clerks[0], 'put', `/api/v1/staff/counter-tickets/${ticket}/application`, {}],
        [manager, 'get', '/api/v1/staff/counter-statistics?from=2026-13-01&to=2026-11-30'],
        [manager, 'get', '/api/v1/staff/counter-statistics?from=2026-11-01'],
        [admin, 'post', '/api/v1/admin/counter-services', { code: 'x', name: { ja: 'x', en: 'x' }, ticketPrefix: 'AB' }],
        [admin, 'post', '/api/v1/admin/counter-services', { code: 'ok-code', name: { ja: '', en: 'x' }, ticketPrefix: 'X', slotCapacity: -1 }],
        [admin, 'post', '/api/v1/admin/counters', { name: { ja: 'x', en: 'x' }, serviceCodes: [] }],
        [admin, 'put', `/api/v1/admin/counters/${counter}`, { name: { ja: 'x', en: 'x' }, serviceCodes: ['guarded', 'guarded'] }],
      ];
      for (const [caller, method, path, body] of bad) {
        const response = await c.as(caller, method, path, body, caller ? undefined : SAMPLE_MUNICIPALITY);
        expect({ path, body, status: response.status, code: response.body.code }).toEqual({ path, body, status: 400, code: expect.stringMatching(/^(VALIDATION_FAILED|BAD_REQUEST)$/) });
      }
      // Well-formed but unknown: not found.
      expectError(await c.kiosk('no-such-service'), 404, 'COUNTER_SERVICE_NOT_FOUND');
      expectError(await c.callNext(clerks[0], UNKNOWN_ID), 404, 'COUNTER_NOT_FOUND');
      expectError(await c.act(clerks[0], UNKNOWN_ID, 'start', 404), 404, 'COUNTER_TICKET_NOT_FOUND');
    });
  });

  describe('administration', () => {
    it('creates, lists, updates and retires services and counters; a slip letter belongs to one active service', async () => {
      t.clock.set(jst('2026-11-24 12:00'));
      const created = await c.as(admin, 'post', '/api/v1/admin/counter-services', { code: 'tax', name: { ja: '税証明', en: 'Tax certificates' }, ticketPrefix: 'X', slotCapacity: 3 }).expect(201);
      expect(created.body).toEqual({ code: 'tax', name: { ja: '税証明', en: 'Tax certificates' }, ticketPrefix: 'X', slotCapacity: 3, active: true });
      expectError(await c.as(admin, 'post', '/api/v1/admin/counter-services', { code: 'tax', name: { ja: 'x', en: 'x' }, ticketPrefix: 'Y' }), 409, 'COUNTER_SERVICE_EXISTS');
      expectError(await c.as(admin, 'post', '/api/v1/admin/counter-services', { code: 'tax2', name: { ja: 'x', en: 'x' }, ticketPrefix: 'X' }), 409, 'COUNTER_PREFIX_TAKEN');
      // Another municipality has its own letters.
      await c.as(otherAdmin, 'post', '/api/v1/admin/counter-services', { code: 'tax', name: { ja: '税', en: 'Tax' }, ticketPrefix: 'X' }).expect(201);

      const counter = await c.as(admin, 'post', '/api/v1/admin/counters', { name: { ja: '税務課 窓口', en: 'Tax counter' }, serviceCodes: ['tax'] }).expect(201);
      expect(counter.body).toEqual({ id: expect.any(String), name: { ja: '税務課 窓口', en: 'Tax counter' }, serviceCodes: ['tax'], open: true, active: true });
      expectError(await c.as(admin, 'post', '/api/v1/admin/counters', { name: { ja: 'x', en: 'x' }, serviceCodes: ['no-such'] }), 404, 'COUNTER_SERVICE_NOT_FOUND');
      const updated = await c.as(admin, 'put', `/api/v1/admin/counters/${counter.body.id}`, { name: { ja: '税務課 1番', en: 'Tax 1' }, serviceCodes: ['tax', 'certificates'] }).expect(200);
      expect(updated.body).toMatchObject({ serviceCodes: ['certificates', 'tax'], open: true, active: true });
      expect((await c.as(admin, 'get', `/api/v1/admin/counters/${counter.body.id}`).expect(200)).body).toEqual(updated.body);
      await c.as(admin, 'put', '/api/v1/admin/counter-services/tax', { name: { ja: '税証明', en: 'Tax certificates' }, ticketPrefix: 'X', slotCapacity: 0 }).expect(200);

      await c.as(admin, 'delete', '/api/v1/admin/counter-services/tax').expect(204);
      expect((await c.as(admin, 'get', '/api/v1/admin/counter-services').expect(200)).body).toContainEqual(expect.objectContaining({ code: 'tax', active: false, slotCapacity: 0 }));
      expectError(await c.kiosk('tax'), 404, 'COUNTER_SERVICE_NOT_FOUND');
      // The letter is free once its service is retired.
      await c.as(admin, 'post', '/api/v1/admin/counter-services', { code: 'tax-new', name: { ja: '税', en: 'Tax' }, ticketPrefix: 'X' }).expect(201);

      await c.as(admin, 'delete', `/api/v1/admin/counters/${counter.body.id}`).expect(204);
      expect((await c.as(admin, 'get', `/api/v1/admin/counters/${counter.body.id}`).expect(200)).body).toMatchObject({ open: false, active: false });
      expect((await c.as(clerks[0], 'get', '/api/v1/staff/counters').expect(200)).body.map((item: { id: string }) => item.id)).not.toContain(counter.body.id);
      expectError(await c.callNext(clerks[0], counter.body.id), 404, 'COUNTER_NOT_FOUND');
    });
  });
});

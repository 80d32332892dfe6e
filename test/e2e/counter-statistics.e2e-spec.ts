import request from 'supertest';
import { type Caller, CounterDriver, jst } from '../support/counter-e2e';
import { expectError, IdentityDriver } from '../support/identity-e2e';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { TestMailbox } from '../support/test-mailbox';

/**
 * The public queue status (待たせない) and the managers' statistics, checked
 * against a constructed day at the counter on Tuesday 2026-11-24 (Japan):
 *
 * Service E (certificates), counters e1 and e2 open, e3 closed:
 *   09:00 E-001..E-004 from the kiosk
 *   E-001  e1 called 09:00, start 09:00, finish 09:04   wait   0 s, service 240 s
 *   E-002  e2 called 09:00, start 09:01, finish 09:11   wait   0 s, service 600 s
 *   E-003  e1 called 09:04, start 09:05, finish 09:11   wait 240 s, service 360 s
 *   E-004  e1 called 09:11, no-show 09:13               wait 660 s
 *   10:00 E-005..E-009 from the kiosk; 10:01 E-010 with priority (elderly)
 *   → status at 10:00: 5 waiting, 2 counters open, median service 360 s,
 *     estimate 360 × 5 ÷ 2 = 15 min (somewhat crowded)
 *   E-010  e1 called 10:05, start 10:06, finish 10:16   wait 240 s, service 600 s
 *   E-005  e2 called 10:05, no-show 10:07               wait 300 s
 *   E-006  e2 called 10:07, start 10:07, transferred to F while served at 10:10
 *                                                       wait 420 s, service 180 s
 *   E-007..E-009 still waiting; 11:00 slot booked online and cancelled
 * Service F (moving), counter f1:
 *   E-006  f1 called 10:12, start 10:12, finish 10:20   wait 120 s, service 480 s
 * 2026-11-25 08:30 Japan (still 11-24 in UTC): one more E ticket, on the 25th.
 */

describe('counter: public status and statistics (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let mailbox: TestMailbox;
  let c: CounterDriver;
  let admin: Caller;
  let clerk: Caller;
  let manager: Caller;
  let resident: Caller;
  const counters: Record<'e1' | 'e2' | 'e3' | 'f1' | 'g1', string> = { e1: '', e2: '', e3: '', f1: '', g1: '' };
  const numbers = new Map<string, string>();

  const at = (local: string) => t.clock.set(jst(`2026-11-24 ${local}`));
  const kiosk = async (extra: Record<string, unknown> = {}) => {
    const response = await c.kiosk('certificates', extra).expect(201);
    numbers.set(response.body.number, response.body.id);
    return response.body as { id: string; number: string };
  };
  const id = (number: string) => numbers.get(number)!;
  const call = async (counter: keyof typeof counters, expected: string) => {
    const response = await c.callNext(clerk, counters[counter]).expect(200);
    expect(response.body.number).toBe(expected);
  };
  const status = async () => (await request(c.server).get('/api/v1/counter/status').expect(200)).body;

  beforeAll(async () => {
    mailbox = await TestMailbox.start();
    t = await createTestApp({ env: { SMTP_URL: mailbox.url }, now: jst('2026-11-24 08:00') });
    const identity = new IdentityDriver(t, mailbox);
    c = new CounterDriver(t);
    const toCaller = (handle: { id: string; municipalityId: string }): Caller => ({ kind: 'staff', id: handle.id, municipalityId: handle.municipalityId });
    admin = toCaller(await identity.administrator('stats.admin'));
    clerk = toCaller(await identity.staff('stats.clerk', ['clerk']));
    manager = toCaller(await identity.staff('stats.manager', ['manager']));
    const signedUp = await identity.resident('stats-resident@example.jp');
    resident = { kind: 'resident', id: signedUp.id, municipalityId: SAMPLE_MUNICIPALITY };

    await c.createService(admin, 'certificates', 'E', { ja: '住民票・印鑑証明', en: 'Certificates' }, 2);
    await c.createService(admin, 'moving', 'F', { ja: '転入・転出', en: 'Moving in and out' });
    await c.createService(admin, 'childcare', 'H', { ja: '子育て相談', en: 'Childcare consultation' });
    counters.e1 = await c.createCounter(admin, '市民課 1番窓口', ['certificates']);
    counters.e2 = await c.createCounter(admin, '市民課 2番窓口', ['certificates']);
    counters.e3 = await c.createCounter(admin, '市民課 3番窓口', ['certificates']);
    counters.f1 = await c.createCounter(admin, '市民課 4番窓口', ['moving']);
    counters.g1 = await c.createCounter(admin, 'こども家庭課 相談窓口', ['childcare'], false);
    await c.as(clerk, 'put', `/api/v1/staff/counters/${counters.e3}/open`, { open: false }).expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await mailbox?.close();
  });

  it('before anything is finished: people waiting, but no estimate to give', async () => {
    at('09:00');
    for (let n = 0; n < 4; n += 1) await kiosk();
    const body = await status();
    expect(body.services.find((service: { code: string }) => service.code === 'certificates')).toMatchObject({
      waiting: 4,
      countersOpen: 2,
      medianServiceSeconds: null,
      estimatedWaitMinutes: null,
      nowServing: [],
      // No estimate: 4 people on 2 open counters is 2 each, not crowded.
      crowding: { level: 'low' },
    });
  });

  it('shows the numbers being served and at which counter', async () => {
    await call('e1', 'E-001');
    await c.act(clerk, id('E-001'), 'start');
    await call('e2', 'E-002');
    const body = await status();
    expect(body.services.find((service: { code: string }) => service.code === 'certificates')).toMatchObject({
      waiting: 2,
      nowServing: [
        { number: 'E-001', counterId: counters.e1, counterName: { ja: '市民課 1番窓口', en: '市民課 1番窓口' }, status: 'serving' },
        { number: 'E-002', counterId: counters.e2, counterName: { ja: '市民課 2番窓口', en: '市民課 2番窓口' }, status: 'called' },
      ],
    });
  });

  it('estimates the wait from the median of recent service times × people ahead ÷ counters open', async () => {
    at('09:01');
    await c.act(clerk, id('E-002'), 'start');
    at('09:04');
    await c.act(clerk, id('E-001'), 'finish');
    await call('e1', 'E-003');
    at('09:05');
    await c.act(clerk, id('E-003'), 'start');
    at('09:11');
    await c.act(clerk, id('E-002'), 'finish');
    await c.act(clerk, id('E-003'), 'finish');
    await call('e1', 'E-004');
    at('09:13');
    await c.act(clerk, id('E-004'), 'no-show');

    at('10:00');
    for (let n = 0; n < 5; n += 1) await kiosk();
    const body = await status();
    const certificates = body.services.find((service: { code: string }) => service.code === 'certificates');
    // Service times 240, 600, 360 s: median 360 s. 5 waiting, 2 open counters (e3 is closed).
    expect(certificates).toMatchObject({ waiting: 5, countersOpen: 2, medianServiceSeconds: 360, estimatedWaitMinutes: 15, nowServing: [] });
    expect(certificates.crowding).toEqual({ level: 'moderate', label: { ja: 'やや混んでいます', en: 'Somewhat crowded' } });
    // F has an open counter and nobody waiting; H has no open counter.
    expect(body.services.find((service: { code: string }) => service.code === 'moving')).toMatchObject({ waiting: 0, countersOpen: 1, estimatedWaitMinutes: 0, crowding: { level: 'low' } });
    expect(body.services.find((service: { code: string }) => service.code === 'childcare')).toMatchObject({ countersOpen: 0, crowding: { level: 'closed' } });
    expect(body.crowding.level).toBe('moderate');

    // One ticket's place: E-007 has two ahead → 360 × 2 ÷ 2 = 6 minutes.
    const slip = await request(c.server).get(`/api/v1/counter/tickets/${id('E-007')}`).expect(200);
    expect(slip.body).toMatchObject({ number: 'E-007', peopleAhead: 2, estimatedWaitMinutes: 6 });
    // A priority ticket goes to the front, and everyone else is one further back.
    at('10:01');
    const priority = await kiosk({ priorityReason: 'elderly' });
    expect(priority).toMatchObject({ number: 'E-010', peopleAhead: 0, estimatedWaitMinutes: 0, priority: true });
    expect((await request(c.server).get(`/api/v1/counter/tickets/${id('E-007')}`).expect(200)).body).toMatchObject({ peopleAhead: 3, estimatedWaitMinutes: 9 });
    // A third counter opening shortens every estimate.
    await c.as(clerk, 'put', `/api/v1/staff/counters/${counters.e3}/open`, { open: true }).expect(200);
    expect((await request(c.server).get(`/api/v1/counter/tickets/${id('E-007')}`).expect(200)).body).toMatchObject({ peopleAhead: 3, estimatedWaitMinutes: 6 });
    await c.as(clerk, 'put', `/api/v1/staff/counters/${counters.e3}/open`, { open: false }).expect(200);
  });

  it('statistics per service and hour match the constructed day: waiting and service times, no-show rate', async () => {
    at('10:05');
    await call('e1', 'E-010');
    await call('e2', 'E-005');
    at('10:06');
    await c.act(clerk, id('E-010'), 'start');
    at('10:07');
    await c.act(clerk, id('E-005'), 'no-show');
    await call('e2', 'E-006');
    await c.act(clerk, id('E-006'), 'start');
    at('10:10');
    await c.as(clerk, 'post', `/api/v1/staff/counter-tickets/${id('E-006')}/transfer`, { serviceCode: 'moving' }).expect(200);
    at('10:12');
    await call('f1', 'E-006');
    await c.act(clerk, id('E-006'), 'start');
    at('10:16');
    await c.act(clerk, id('E-010'), 'finish');
    at('10:20');
    await c.act(clerk, id('E-006'), 'finish');
    // A booking for 11:00, cancelled: a visit that was never called.
    const booking = await c.as(resident, 'post', '/api/v1/counter/bookings', { serviceCode: 'certificates', slotAt: '2026-11-24T11:00:00+09:00' }).expect(201);
    await c.as(resident, 'post', `/api/v1/counter/bookings/${booking.body.id}/cancel`).expect(200);
    // 08:30 on the 25th in Japan is still the 24th in UTC: it belongs to the 25th.
    t.clock.set(jst('2026-11-25 08:30'));
    await kiosk();

    const report = await c.as(manager, 'get', '/api/v1/staff/counter-statistics?from=2026-11-24&to=2026-11-24').expect(200);
    expect(report.body).toEqual({
      from: '2026-11-24',
      to: '2026-11-24',
      timeZone: 'Asia/Tokyo',
      total: { tickets: 12, called: 8, served: 5, noShows: 2, cancelled: 1, noShowRate: 0.25, averageWaitSeconds: 247.5, averageServiceSeconds: 410 },
      services: [
        {
          code: 'certificates',
          name: { ja: '住民票・印鑑証明', en: 'Certificates' },
          // Waits (900 + 960) ÷ 7; service (1200 + 780) ÷ 5; no-shows 2 of 7 called.
          tickets: 11,
          called: 7,
          served: 4,
          noShows: 2,
          cancelled: 1,
          noShowRate: 0.2857,
          averageWaitSeconds: 265.7,
          averageServiceSeconds: 396,
          hours: [
            { hour: 9, tickets: 4, called: 4, served: 3, noShows: 1, cancelled: 0, noShowRate: 0.25, averageWaitSeconds: 225, averageServiceSeconds: 400 },
            { hour: 10, tickets: 6, called: 3, served: 1, noShows: 1, cancelled: 0, noShowRate: 0.3333, averageWaitSeconds: 320, averageServiceSeconds: 390 },
            { hour: 11, tickets: 1, called: 0, served: 0, noShows: 0, cancelled: 1, noShowRate: null, averageWaitSeconds: null, averageServiceSeconds: null },
          ],
        },
        {
          code: 'moving',
          name: { ja: '転入・転出', en: 'Moving in and out' },
          tickets: 1,
          called: 1,
          served: 1,
          noShows: 0,
          cancelled: 0,
          noShowRate: 0,
          averageWaitSeconds: 120,
          averageServiceSeconds: 480,
          hours: [{ hour: 10, tickets: 1, called: 1, served: 1, noShows: 0, cancelled: 0, noShowRate: 0, averageWaitSeconds: 120, averageServiceSeconds: 480 }],
        },
        {
          code: 'childcare',
          name: { ja: '子育て相談', en: 'Childcare consultation' },
          tickets: 0,
          called: 0,
          served: 0,
          noShows: 0,
          cancelled: 0,
          noShowRate: null,
          averageWaitSeconds: null,
          averageServiceSeconds: null,
          hours: [],
        },
      ],
    });

    // Two days: the 08:30 ticket of the 25th is in, at hour 8.
    const twoDays = await c.as(manager, 'get', '/api/v1/staff/counter-statistics?from=2026-11-24&to=2026-11-25').expect(200);
    expect(twoDays.body.services[0].hours[0]).toMatchObject({ hour: 8, tickets: 1, called: 0 });
    expect(twoDays.body.total.tickets).toBe(13);
  });

  it('gives the same figures as CSV with stable columns', async () => {
    const response = await c.as(manager, 'get', '/api/v1/staff/counter-statistics.csv?from=2026-11-24&to=2026-11-24').expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="counter-statistics-${SAMPLE_MUNICIPALITY}-2026-11-24-2026-11-24.csv"`);
    expect(response.text.startsWith('\uFEFF')).toBe(true);
    expect(response.text.slice(1).split('\r\n')).toEqual([
      'service_code,service_name_ja,service_name_en,hour,tickets,called,served,no_shows,cancelled,no_show_rate,average_wait_seconds,average_service_seconds',
      'certificates,住民票・印鑑証明,Certificates,9,4,4,3,1,0,0.25,225,400',
      'certificates,住民票・印鑑証明,Certificates,10,6,3,1,1,0,0.3333,320,390',
      'certificates,住民票・印鑑証明,Certificates,11,1,0,0,0,1,,,',
      'moving,転入・転出,Moving in and out,10,1,1,1,0,0,0,120,480',
      '',
    ]);
  });

  it('refuses a range that runs backwards or is longer than a year, and callers without the manager role', async () => {
    expectError(await c.as(manager, 'get', '/api/v1/staff/counter-statistics?from=2026-11-25&to=2026-11-24'), 422, 'COUNTER_RANGE_INVALID');
    expectError(await c.as(manager, 'get', '/api/v1/staff/counter-statistics?from=2025-01-01&to=2026-11-24'), 422, 'COUNTER_RANGE_INVALID');
    await c.as(manager, 'get', '/api/v1/staff/counter-statistics?from=2025-11-25&to=2026-11-24').expect(200);
    expectError(await c.as(clerk, 'get', '/api/v1/staff/counter-statistics?from=2026-11-24&to=2026-11-24'), 403, 'AUTH_FORBIDDEN');
    expectError(await c.as(null, 'get', '/api/v1/staff/counter-statistics.csv?from=2026-11-24&to=2026-11-24', undefined, SAMPLE_MUNICIPALITY), 401, 'AUTH_UNAUTHENTICATED');
  });

  it('a closed counter that calls the next ticket counts as open again', async () => {
    expect((await status()).services.find((service: { code: string }) => service.code === 'certificates').countersOpen).toBe(2);
    await call('e3', 'E-007');
    const certificates = (await status()).services.find((service: { code: string }) => service.code === 'certificates');
    expect(certificates.countersOpen).toBe(3);
    expect((await c.as(clerk, 'get', '/api/v1/staff/counters').expect(200)).body.find((counter: { id: string }) => counter.id === counters.e3)).toMatchObject({ open: true });
  });
});

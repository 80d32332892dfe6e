import { createHash } from 'node:crypto';
import {
  applicationState,
  applyFor,
  as,
  bookingRow,
  KOMINKAN,
  kominkanForm,
  liveBookings,
  refreshed,
  residentOf,
  slotStatuses,
  staffOf,
  TOWN,
} from '../../../test/support/bookings-e2e';
import { type Caller, CITY, HOUR, PaymentsDriver, TEST_CARDS } from '../../../test/support/payments-driver';
import { BookingHoldsService } from './bookings/booking-holds.service';
import { LotteryService } from './lottery/lottery.service';

/**
 * The lottery (抽選) over HTTP on a real PostgreSQL: entries until the
 * deadline, a draw anyone can redo from the published seed and entry list,
 * one draw under concurrent requests, winners holding their slots and paying
 * through the booking procedure, unpaid wins passing down the waitlist in
 * draw order, and the refusals (role, department, municipality, state, input).
 *
 * The community centre (中央公民館, department shogaigakushu) is closed on
 * Mondays and holidays; every test opens its own lottery over its own room
 * and dates with a deadline an hour from the test clock.
 */

/** HMAC-SHA256 written out from SHA-256 (RFC 2104), so the check does not trust the server's createHmac call. */
function hmacSha256(key: Buffer, message: string): string {
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
  const pad = (byte: number) => Buffer.from(block.map((b) => b ^ byte));
  const inner = createHash('sha256').update(pad(0x36)).update(Buffer.from(message, 'ascii')).digest();
  return createHash('sha256').update(pad(0x5c)).update(inner).digest('hex');
}

interface PublicEntry {
  entryNumber: number;
  room: string;
  date: string;
  slots: string[];
}

/** The draw redone from public data only: the seed, the lottery id and the sorted entry list (no bookings existed before the lottery here). */
function reproduce(lotteryId: string, seed: string, entries: PublicEntry[]) {
  const keyed = entries.map((entry) => ({ entry, key: hmacSha256(Buffer.from(seed, 'hex'), `${lotteryId}:${entry.entryNumber}`) }));
  keyed.sort((a, b) => (a.key === b.key ? a.entry.entryNumber - b.entry.entryNumber : a.key < b.key ? -1 : 1));
  const taken = new Set<string>();
  const order = keyed.map(({ entry, key }, index) => {
    const cells = entry.slots.map((slot) => `${entry.room}|${entry.date}|${slot}`);
    const free = cells.every((cell) => !taken.has(cell));
    if (free) cells.forEach((cell) => taken.add(cell));
    return { position: index + 1, entryNumber: entry.entryNumber, key, outcome: free ? 'won' : 'waitlisted' };
  });
  const hash = createHash('sha256')
    .update(order.map((line) => `${line.position}:${line.entryNumber}:${line.key}:${line.outcome}\n`).join(''))
    .digest('hex');
  return { order, hash };
}

describe('lottery (抽選) (real HTTP, real PostgreSQL)', () => {
  let d: PaymentsDriver;
  let clerk: Caller;

  beforeAll(async () => {
    d = await PaymentsDriver.start();
    clerk = await staffOf(d.t, ['clerk'], ['shogaigakushu']);
  });
  afterAll(() => d.close());
  afterEach(() => expect(d.unhandledErrors()).toEqual([]));

  const errorOf = (response: { status: number; body: { code?: string } }) => ({ status: response.status, code: response.body.code });
  const staff = async () => (clerk = await refreshed(d.t, clerk, 'staff'));
  const deadline = () => new Date(d.t.clock.now().getTime() + HOUR).toISOString();

  async function openLottery(body: Record<string, unknown>): Promise<{ id: string; seed: string }> {
    const response = await as(d.server, await staff()).post(`/api/v1/staff/facilities/${KOMINKAN}/lotteries`, { entryClosesAt: deadline(), ...body });
    if (response.status !== 201) throw new Error(`lottery failed: ${response.status} ${JSON.stringify(response.body)}`);
    return { id: response.body.id as string, seed: response.body.seed as string };
  }

  function entry(room: string, date: string, slots: string[], extra: Record<string, unknown> = {}) {
    return { room, date, slots, organizerName: '桜ヶ丘読書会', purpose: '定例会', attendees: 10, ...extra };
  }

  async function enter(resident: Caller, lotteryId: string, body: object): Promise<number> {
    const response = await as(d.server, resident).post(`/api/v1/lotteries/${lotteryId}/entries`, body);
    if (response.status !== 201) throw new Error(`entry failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.entryNumber as number;
  }

  async function pastDeadline(): Promise<void> {
    d.t.clock.advance(HOUR + 1000);
  }

  it('lottery reproducibility from the published seed: anyone redoes the draw from the seed and the sorted entries; one draw under concurrent requests; audited', async () => {
    const { id, seed } = await openLottery({ rooms: ['kaigi-1'], periodFrom: '2026-12-01', periodTo: '2026-12-08', maxEntriesPerResident: 2 });
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    const published = await as(d.server, null).get(`/api/v1/lotteries/${id}`).expect(200);
    expect(published.body).toMatchObject({ id, facility: KOMINKAN, rooms: ['kaigi-1'], seed, status: 'open', entryCount: 0, drawnAt: null, resultHash: null });
    expect((await as(d.server, null).get('/api/v1/lotteries', { facility: KOMINKAN }).expect(200)).body.map((lottery: { id: string }) => lottery.id)).toContain(id);
    expect(errorOf(await as(d.server, null).get(`/api/v1/lotteries/${id}/draw`))).toEqual({ status: 409, code: 'LOTTERY_NOT_DRAWN' });

    // Twelve residents, mostly after the same popular evening; some want two slots, overlapping others.
    const residents = await Promise.all(Array.from({ length: 12 }, () => residentOf(d.t)));
    const wishes = [
      ['2026-12-01', ['19:00']],
      ['2026-12-01', ['19:00']],
      ['2026-12-01', ['17:00', '19:00']],
      ['2026-12-01', ['19:00']],
      ['2026-12-01', ['17:00']],
      ['2026-12-01', ['13:00']],
      ['2026-12-02', ['19:00']],
      ['2026-12-01', ['19:00']],
      ['2026-12-02', ['19:00']],
      ['2026-12-01', ['15:00', '17:00']],
      ['2026-12-01', ['19:00']],
      ['2026-12-03', ['09:00']],
    ] as const;
    // Entries arrive at once: numbers are still sequential, one each.
    const numbers = await Promise.all(residents.map((resident, index) => enter(resident, id, entry('kaigi-1', wishes[index][0], [...wishes[index][1]]))));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, index) => index + 1));

    // The rules of entry: the same request twice, more than the limit, a closed Monday, a room or date outside the lottery.
    const eager = residents[0];
    expect(errorOf(await as(d.server, eager).post(`/api/v1/lotteries/${id}/entries`, entry('kaigi-1', wishes[0][0], [...wishes[0][1]])))).toEqual({ status: 409, code: 'LOTTERY_DUPLICATE_ENTRY' });
    await enter(eager, id, entry('kaigi-1', '2026-12-04', ['09:00']));
    expect(errorOf(await as(d.server, eager).post(`/api/v1/lotteries/${id}/entries`, entry('kaigi-1', '2026-12-05', ['09:00'])))).toEqual({ status: 409, code: 'LOTTERY_TOO_MANY_ENTRIES' });
    const another = await residentOf(d.t);
    expect(errorOf(await as(d.server, another).post(`/api/v1/lotteries/${id}/entries`, entry('kaigi-1', '2026-12-07', ['09:00'])))).toEqual({ status: 422, code: 'BOOKING_DAY_CLOSED' });
    expect(errorOf(await as(d.server, another).post(`/api/v1/lotteries/${id}/entries`, entry('kaigi-1', '2026-12-01', ['10:00'])))).toEqual({ status: 422, code: 'BOOKING_SLOT_INVALID' });
    expect(errorOf(await as(d.server, another).post(`/api/v1/lotteries/${id}/entries`, entry('kaigi-2', '2026-12-01', ['09:00'])))).toEqual({ status: 422, code: 'LOTTERY_OUTSIDE_PERIOD' });
    expect(errorOf(await as(d.server, another).post(`/api/v1/lotteries/${id}/entries`, entry('kaigi-1', '2026-12-09', ['09:00'])))).toEqual({ status: 422, code: 'LOTTERY_OUTSIDE_PERIOD' });
    expect(errorOf(await as(d.server, another).post(`/api/v1/lotteries/${id}/entries`, entry('kaigi-1', '2026-12-01', ['09:00'], { attendees: 31 })))).toEqual({ status: 422, code: 'BOOKING_OVER_CAPACITY' });
    expect((await as(d.server, another).post(`/api/v1/lotteries/${id}/entries`, { ...entry('kaigi-1', '2026-12-01', ['9am']), attendees: 'many' })).status).toBe(400);
    // Withdrawn before the deadline: out of the draw; someone else's entry is not found.
    const withdrawing = await enter(another, id, entry('kaigi-1', '2026-12-01', ['19:00']));
    expect(errorOf(await as(d.server, eager).post(`/api/v1/lotteries/${id}/entries/${withdrawing}/withdraw`))).toEqual({ status: 404, code: 'LOTTERY_ENTRY_NOT_FOUND' });
    await as(d.server, another).post(`/api/v1/lotteries/${id}/entries/${withdrawing}/withdraw`).expect(200);
    expect((await as(d.server, another).post(`/api/v1/lotteries/${id}/entries/abc/withdraw`)).status).toBe(400);

    // Ordinary holds stay off the lottery's room and dates until the draw; other rooms book as usual.
    expect(errorOf(await as(d.server, another).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-1', date: '2026-12-03', slots: ['13:00'] }))).toEqual({
      status: 409,
      code: 'BOOKING_SLOT_IN_LOTTERY',
    });
    const viaApplication = await applyFor(as(d.server, another), 'kominkan-yoyaku', kominkanForm({ room: 'kaigi-1', date: '2026-12-03', slots: ['13:00'] }));
    expect(errorOf(viaApplication.submitted)).toEqual({ status: 409, code: 'BOOKING_SLOT_IN_LOTTERY' });
    await as(d.server, another).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-2', date: '2026-12-03', slots: ['13:00'] }).expect(201);
    // Availability says so: the lottery's free slots are not for first come.
    expect((await slotStatuses(d.server, KOMINKAN, 'kaigi-1', '2026-12-05'))['09:00']).toBe('lottery');
    expect((await slotStatuses(d.server, KOMINKAN, 'kaigi-2', '2026-12-03'))['13:00']).toBe('held');

    // Before the deadline nobody draws.
    expect(errorOf(await as(d.server, await staff()).post(`/api/v1/staff/lotteries/${id}/draw`))).toEqual({ status: 409, code: 'LOTTERY_STILL_OPEN' });
    expect(await d.t.get(LotteryService).drawDue()).toBe(0);

    await pastDeadline();
    const late = await refreshed(d.t, await residentOf(d.t));
    expect(errorOf(await as(d.server, late).post(`/api/v1/lotteries/${id}/entries`, entry('kaigi-1', '2026-12-02', ['09:00'])))).toEqual({ status: 409, code: 'LOTTERY_CLOSED' });
    expect((await as(d.server, null).get(`/api/v1/lotteries/${id}`).expect(200)).body).toMatchObject({ status: 'closed', entryCount: 13 });

    // Six staff requests and the worker at once: one draw, the same published result for all.
    const clerks = await Promise.all(Array.from({ length: 6 }, () => staffOf(d.t, ['reviewer'], ['shogaigakushu'])));
    const [worker, ...answers] = await Promise.all([d.t.get(LotteryService).drawDue(), ...clerks.map((one) => as(d.server, one).post(`/api/v1/staff/lotteries/${id}/draw`))]);
    expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(200));
    expect(worker).toBeLessThanOrEqual(1);
    expect(new Set(answers.map((answer) => answer.body.resultHash)).size).toBe(1);
    const audited: Array<{ details: Record<string, unknown>; actor_kind: string }> = await d.t.dataSource.query(
      `SELECT details, actor_kind FROM audit_log WHERE municipality_id = $1 AND action = 'lottery.drawn' AND target_id = $2`,
      [CITY, id],
    );
    expect(audited).toHaveLength(1);

    // Anyone: the published entry list and seed are enough to redo the draw, keys, order, outcomes and hash.
    const draw = await as(d.server, null).get(`/api/v1/lotteries/${id}/draw`).expect(200);
    expect(draw.body).toMatchObject({ lotteryId: id, seed, entryCount: 13 });
    const entries: PublicEntry[] = draw.body.entries;
    expect(entries.map((one) => one.entryNumber)).toEqual([...entries.map((one) => one.entryNumber)].sort((a, b) => a - b));
    expect(entries.map((one) => one.entryNumber)).not.toContain(withdrawing);
    expect(JSON.stringify(draw.body)).not.toContain('桜ヶ丘読書会');
    const redone = reproduce(id, seed, entries);
    expect(draw.body.order.map(({ position, entryNumber, key, outcome }: Record<string, unknown>) => ({ position, entryNumber, key, outcome }))).toEqual(redone.order);
    expect(draw.body.resultHash).toBe(redone.hash);
    expect(audited[0].details).toEqual({ seed, entryCount: 13, winners: redone.order.filter((line) => line.outcome === 'won').length, resultHash: redone.hash });
    expect(JSON.stringify(audited[0].details)).not.toMatch(/読書会|定例会/);

    // Winners hold their slots (the exclusion constraint allows one live booking per slot); the rest wait in draw order.
    const winners = redone.order.filter((line) => line.outcome === 'won');
    const rows: Array<{ status: string; origin: string; lottery_entry_number: number; expires_at: Date; slot_starts: string[]; use_date: string }> = await d.t.dataSource.query(
      `SELECT status, origin, lottery_entry_number, expires_at, slot_starts, use_date::text AS use_date FROM bookings WHERE municipality_id = $1 AND lottery_id = $2 ORDER BY lottery_entry_number`,
      [CITY, id],
    );
    expect(rows.map((row) => row.lottery_entry_number)).toEqual(winners.map((line) => line.entryNumber).sort((a, b) => a - b));
    expect(rows.every((row) => row.status === 'held' && row.origin === 'lottery' && row.expires_at.getTime() === d.t.clock.now().getTime() + 72 * HOUR)).toBe(true);
    // Seven entries wanted the evening of 12-01: exactly one holds it.
    expect(rows.filter((row) => row.use_date === '2026-12-01' && row.slot_starts.includes('19:00'))).toHaveLength(1);
    expect(await liveBookings(d.t, KOMINKAN, 'kaigi-1', '2026-12-01')).toBe(rows.filter((row) => row.use_date === '2026-12-01').length);
    for (const [index, resident] of residents.entries()) {
      const mine = await as(d.server, await refreshed(d.t, resident)).get(`/api/v1/lotteries/${id}/entries/mine`).expect(200);
      const line = redone.order.find((one) => one.entryNumber === numbers[index])!;
      expect(mine.body.find((one: { entryNumber: number }) => one.entryNumber === numbers[index])).toMatchObject({ status: line.outcome, drawPosition: line.position });
    }
    // After the draw, what nobody won is first come, first served again.
    expect((await slotStatuses(d.server, KOMINKAN, 'kaigi-1', '2026-12-05'))['09:00']).toBe('free');
    await as(d.server, late).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'kaigi-1', date: '2026-12-05', slots: ['09:00'] }).expect(201);
    // A second staff draw answers the same result; nothing more is written.
    const again = await as(d.server, await staff()).post(`/api/v1/staff/lotteries/${id}/draw`).expect(200);
    expect(again.body.resultHash).toBe(redone.hash);
  });

  it('a winner pays through the booking procedure with the hold of the win; its expiry is the payment deadline', async () => {
    const { id } = await openLottery({ rooms: ['chori'], periodFrom: '2026-12-01', periodTo: '2026-12-05', paymentHours: 48 });
    const winner = await residentOf(d.t);
    await enter(winner, id, entry('chori', '2026-12-02', ['09:00', '11:00']));
    await pastDeadline();
    const drawnAt = d.t.clock.now();
    await d.t.get(LotteryService).drawDue();
    const fresh = await refreshed(d.t, winner);
    const [mine] = (await as(d.server, fresh).get(`/api/v1/lotteries/${id}/entries/mine`).expect(200)).body;
    expect(mine).toMatchObject({ status: 'won', drawPosition: 1 });
    const held = await as(d.server, fresh).get(`/api/v1/bookings/${mine.bookingId}`).expect(200);
    expect(held.body).toMatchObject({ status: 'held', expiresAt: new Date(drawnAt.getTime() + 48 * HOUR).toISOString() });
    // A win does not count against the three open holds of ordinary booking.
    for (const start of ['09:00', '11:00', '13:00']) await as(d.server, fresh).post('/api/v1/bookings/holds', { facility: KOMINKAN, room: 'washitsu', date: '2026-12-12', slots: [start] }).expect(201);

    d.t.clock.advance(24 * HOUR);
    const payer = await refreshed(d.t, winner);
    const { id: applicationId, submitted } = await applyFor(as(d.server, payer), 'kominkan-yoyaku', kominkanForm({ room: 'chori', date: '2026-12-02', slots: ['09:00', '11:00'], holdId: mine.bookingId }));
    expect(submitted.status).toBe(200);
    await d.runOutbox();
    expect(await applicationState(d.t, applicationId)).toBe('awaitingPayment');
    const started = await d.started(payer, applicationId, 'card');
    expect(started.amount).toBe(1600);
    await d.payByCard(started.redirectUrl!, TEST_CARDS.success);
    await d.settle();
    expect(await bookingRow(d.t, mine.bookingId)).toMatchObject({ status: 'confirmed', application_id: applicationId, expires_at: null });
    // Paid: the sweep has nothing to forfeit.
    d.t.clock.advance(48 * HOUR);
    await d.t.get(BookingHoldsService).sweep();
    await d.settle();
    const [after] = (await as(d.server, await refreshed(d.t, winner)).get(`/api/v1/lotteries/${id}/entries/mine`).expect(200)).body;
    expect(after.status).toBe('won');
  });

  it('an unpaid win lapses: the entry is forfeited and the next waitlisted entry in draw order is promoted with a fresh payment window', async () => {
    const { id, seed } = await openLottery({ rooms: ['washitsu'], periodFrom: '2026-12-08', periodTo: '2026-12-12', paymentHours: 24 });
    const residents = await Promise.all(Array.from({ length: 4 }, () => residentOf(d.t)));
    // Three want the same evening; the fourth wants 17:00 and 19:00, so it cannot win while any of them holds 19:00.
    const numbers: number[] = [];
    for (const [index, resident] of residents.entries()) numbers.push(await enter(resident, id, entry('washitsu', '2026-12-09', index === 3 ? ['17:00', '19:00'] : ['19:00'])));
    await pastDeadline();
    await as(d.server, await staff()).post(`/api/v1/staff/lotteries/${id}/draw`).expect(200);
    const draw = (await as(d.server, null).get(`/api/v1/lotteries/${id}/draw`).expect(200)).body;
    expect(draw.order.map((line: { entryNumber: number; outcome: string }) => line.outcome)).toEqual(reproduce(id, seed, draw.entries).order.map((line) => line.outcome));
    const [first, second, third] = draw.order as Array<{ entryNumber: number; position: number }>;
    const firstRow: Array<{ id: string }> = await d.t.dataSource.query(`SELECT id FROM bookings WHERE lottery_id = $1 AND lottery_entry_number = $2`, [id, first.entryNumber]);

    // The winner never pays; the payment deadline passes and the sweep lapses the hold.
    d.t.clock.advance(24 * HOUR + 1000);
    expect(await d.t.get(BookingHoldsService).sweep()).toBeGreaterThanOrEqual(1);
    await d.settle();
    expect(await bookingRow(d.t, firstRow[0].id)).toMatchObject({ status: 'expired' });
    const statuses = async () => {
      const rows: Array<{ entry_number: number; status: string; booking_id: string | null }> = await d.t.dataSource.query(
        `SELECT entry_number, status, booking_id FROM lottery_entries WHERE municipality_id = $1 AND lottery_id = $2`,
        [CITY, id],
      );
      return Object.fromEntries(rows.map((row) => [row.entry_number, row.status]));
    };
    const after = await statuses();
    expect(after[first.entryNumber]).toBe('forfeited');
    // The next in draw order whose whole request is free now is promoted; only one fits the one freed slot.
    const waitlisted = (draw.order as Array<{ entryNumber: number; outcome: string }>).filter((line) => line.outcome === 'waitlisted').map((line) => line.entryNumber);
    expect(after[waitlisted[0]]).toBe('promoted');
    expect(waitlisted.slice(1).map((n) => after[n])).toEqual(waitlisted.slice(1).map(() => 'waitlisted'));
    expect([second.entryNumber, third.entryNumber]).toContain(waitlisted[0]);
    const promotedRow: Array<{ status: string; holder_id: string; expires_at: Date }> = await d.t.dataSource.query(
      `SELECT b.status, b.holder_id, b.expires_at FROM bookings b JOIN lottery_entries e ON e.municipality_id = b.municipality_id AND e.booking_id = b.id
        WHERE e.lottery_id = $1 AND e.entry_number = $2`,
      [id, waitlisted[0]],
    );
    expect(promotedRow[0]).toMatchObject({ status: 'held', holder_id: residents[numbers.indexOf(waitlisted[0])].id });
    expect(promotedRow[0].expires_at.getTime()).toBe(d.t.clock.now().getTime() + 24 * HOUR);
    expect(await liveBookings(d.t, KOMINKAN, 'washitsu', '2026-12-09')).toBe(1);
    // A redelivered message changes nothing.
    await d.t.get(LotteryService).onForfeit({ municipalityId: CITY, id: 'redelivery', topic: 'lottery.forfeit', payload: { bookingId: firstRow[0].id }, applicationId: null, attempts: 2 });
    expect(await statuses()).toEqual(after);
    const forfeits: unknown[] = await d.t.dataSource.query(`SELECT 1 FROM audit_log WHERE action = 'lottery.forfeited' AND target_id = $1`, [id]);
    expect(forfeits).toHaveLength(1);
  });

  it('a win given up by its winner passes down the waitlist in draw order too', async () => {
    const { id } = await openLottery({ rooms: ['washitsu'], periodFrom: '2026-12-21', periodTo: '2026-12-25', paymentHours: 24 });
    const residents = await Promise.all(Array.from({ length: 3 }, () => residentOf(d.t)));
    const numbers: number[] = [];
    for (const resident of residents) numbers.push(await enter(resident, id, entry('washitsu', '2026-12-23', ['19:00'])));
    await pastDeadline();
    await as(d.server, await staff()).post(`/api/v1/staff/lotteries/${id}/draw`).expect(200);
    const order = (await as(d.server, null).get(`/api/v1/lotteries/${id}/draw`).expect(200)).body.order as Array<{ entryNumber: number; outcome: string }>;
    const winner = order.find((line) => line.outcome === 'won')!;
    const firstWaiting = order.find((line) => line.outcome === 'waitlisted')!;
    const [win]: Array<{ id: string }> = await d.t.dataSource.query(`SELECT id FROM bookings WHERE lottery_id = $1 AND lottery_entry_number = $2`, [id, winner.entryNumber]);
    const winnerApi = as(d.server, await refreshed(d.t, residents[numbers.indexOf(winner.entryNumber)]));
    await winnerApi.post(`/api/v1/bookings/${win.id}/cancel`, { reason: '都合がつかなくなったため' }).expect(200);
    await d.settle();
    const rows: Array<{ entry_number: number; status: string }> = await d.t.dataSource.query(
      `SELECT entry_number, status FROM lottery_entries WHERE municipality_id = $1 AND lottery_id = $2 ORDER BY entry_number`,
      [CITY, id],
    );
    const status = Object.fromEntries(rows.map((row) => [row.entry_number, row.status]));
    expect(status[winner.entryNumber]).toBe('forfeited');
    expect(status[firstWaiting.entryNumber]).toBe('promoted');
    expect(await liveBookings(d.t, KOMINKAN, 'washitsu', '2026-12-23')).toBe(1);
  });

  it('refuses the wrong role, another department, another municipality, an overlapping lottery and malformed input (4xx with a stable code)', async () => {
    const body = { rooms: ['kaigi-2'], periodFrom: '2026-12-15', periodTo: '2026-12-20', entryClosesAt: deadline() };
    const approver = await staffOf(d.t, ['approver'], ['shogaigakushu']);
    const otherDepartment = await staffOf(d.t, ['clerk'], ['shimin']);
    const townClerk = await staffOf(d.t, ['clerk'], ['shogaigakushu'], TOWN);
    const resident = await residentOf(d.t);
    const townResident = await residentOf(d.t, TOWN);
    const url = `/api/v1/staff/facilities/${KOMINKAN}/lotteries`;
    expect(errorOf(await as(d.server, approver).post(url, body))).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
    expect(errorOf(await as(d.server, resident).post(url, body))).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
    expect(errorOf(await as(d.server, null).post(url, body))).toEqual({ status: 401, code: 'AUTH_UNAUTHENTICATED' });
    expect(errorOf(await as(d.server, otherDepartment).post(url, body))).toEqual({ status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' });
    expect(errorOf(await as(d.server, townClerk).post(url, body))).toEqual({ status: 404, code: 'BOOKING_FACILITY_NOT_FOUND' });
    const invalid = [
      { ...body, entryClosesAt: new Date(d.t.clock.now().getTime() - 1000).toISOString() },
      { ...body, periodFrom: '2026-11-22' },
      { ...body, periodTo: '2026-12-10' },
      { ...body, periodTo: '2027-06-30' },
      { ...body, entryOpensAt: new Date(d.t.clock.now().getTime() + 2 * HOUR).toISOString() },
    ];
    for (const attempt of invalid) expect(errorOf(await as(d.server, await staff()).post(url, attempt))).toEqual({ status: 422, code: 'LOTTERY_INVALID' });
    expect(errorOf(await as(d.server, await staff()).post(url, { ...body, rooms: ['gym'] }))).toEqual({ status: 404, code: 'BOOKING_ROOM_NOT_FOUND' });
    for (const malformed of [{ ...body, entryClosesAt: 'tomorrow' }, { ...body, periodFrom: '2026-02-30' }, { ...body, paymentHours: 0 }, { ...body, extra: 1 }]) {
      expect(errorOf(await as(d.server, await staff()).post(url, malformed))).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect((await as(d.server, await staff()).post('/api/v1/staff/facilities/BAD CODE/lotteries', body)).status).toBe(400);

    const { id } = await openLottery(body);
    expect(errorOf(await as(d.server, await staff()).post(url, { ...body, periodFrom: '2026-12-18', periodTo: '2026-12-26' }))).toEqual({ status: 409, code: 'LOTTERY_OVERLAP' });
    // Another municipality sees nothing of it.
    expect(errorOf(await as(d.server, townResident).get(`/api/v1/lotteries/${id}`))).toEqual({ status: 404, code: 'LOTTERY_NOT_FOUND' });
    expect(errorOf(await as(d.server, null, '990002').get(`/api/v1/lotteries/${id}`))).toEqual({ status: 404, code: 'LOTTERY_NOT_FOUND' });
    expect(errorOf(await as(d.server, townResident).post(`/api/v1/lotteries/${id}/entries`, entry('kaigi-2', '2026-12-16', ['09:00'])))).toEqual({ status: 404, code: 'LOTTERY_NOT_FOUND' });
    expect((await as(d.server, townResident).get('/api/v1/lotteries').expect(200)).body).toEqual([]);
    // Only residents enter; only desk staff of the department draw.
    expect(errorOf(await as(d.server, await staff()).post(`/api/v1/lotteries/${id}/entries`, entry('kaigi-2', '2026-12-16', ['09:00'])))).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
    expect(errorOf(await as(d.server, resident).post(`/api/v1/staff/lotteries/${id}/draw`))).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
    expect(errorOf(await as(d.server, approver).post(`/api/v1/staff/lotteries/${id}/draw`))).toEqual({ status: 403, code: 'AUTH_FORBIDDEN' });
    expect(errorOf(await as(d.server, otherDepartment).post(`/api/v1/staff/lotteries/${id}/draw`))).toEqual({ status: 404, code: 'LOTTERY_NOT_FOUND' });
    expect(errorOf(await as(d.server, townClerk).post(`/api/v1/staff/lotteries/${id}/draw`))).toEqual({ status: 404, code: 'LOTTERY_NOT_FOUND' });
    expect((await as(d.server, null).get('/api/v1/lotteries/not-a-uuid')).status).toBe(400);
    expect((await as(d.server, null).get('/api/v1/lotteries', { facility: 'BAD CODE' })).status).toBe(400);
    expect(errorOf(await as(d.server, resident).get(`/api/v1/lotteries/00000000-0000-4000-8000-000000000000/entries/mine`))).toEqual({ status: 404, code: 'LOTTERY_NOT_FOUND' });
  });
});

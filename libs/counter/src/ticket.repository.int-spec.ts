import type { StaffPrincipal } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import type { QueryRunner } from 'typeorm';
import { createTestApp, type TestApp } from '../../../test/support/test-app';
import { CounterSetupRepository } from './counter-setup.repository';
import { TicketIssueService } from './ticket-issue.service';
import { TicketRepository } from './ticket.repository';

const CITY = asMunicipalityId('990001');
const COUNTER = '11111111-1111-4111-8111-111111111111';

/**
 * "Call next" at the repository, with transactions held open by hand: a
 * ticket locked by one call is skipped by the next, which neither waits nor
 * takes it; a call that rolls back gives its ticket back.
 */
describe('TicketRepository.callNext (SKIP LOCKED, real PostgreSQL)', () => {
  let t: TestApp;
  let tickets: TicketRepository;
  const runners: QueryRunner[] = [];
  const clerk = { kind: 'staff', id: 'int-clerk', municipalityId: CITY, roles: ['clerk'], departments: [], approvalLevel: null } as unknown as StaffPrincipal;

  beforeAll(async () => {
    t = await createTestApp();
    tickets = t.get(TicketRepository);
    const setup = t.get(CounterSetupRepository);
    await setup.insertService(CITY, { code: 'locks', name: { ja: 'ロック', en: 'Locks' }, ticketPrefix: 'L', slotCapacity: 0, active: true }, t.clock.now());
    await setup.insertCounter(CITY, { id: COUNTER, name: { ja: 'L1', en: 'L1' }, open: true, active: true, serviceCodes: ['locks'] }, t.clock.now());
  });
  afterEach(async () => {
    for (const runner of runners.splice(0)) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });
  afterAll(() => t.close());

  const issue = async () => (await t.get(TicketIssueService).staffIssue(clerk, { serviceCode: 'locks' })).id;

  /** A transaction that gives up after 1 s if it has to wait for a lock: waiting would be the bug. */
  const open = async () => {
    const runner = t.dataSource.createQueryRunner();
    runners.push(runner);
    await runner.connect();
    await runner.startTransaction();
    await runner.query(`SET LOCAL lock_timeout = '1s'`);
    return runner;
  };

  it('a second call while the first still holds its ticket takes the next one, without waiting', async () => {
    const [first, second] = [await issue(), await issue()];
    const one = await open();
    const two = await open();
    const three = await open();

    const taken1 = await tickets.callNext(one.manager, CITY, COUNTER, ['locks'], t.clock.now());
    const started = Date.now();
    const taken2 = await tickets.callNext(two.manager, CITY, COUNTER, ['locks'], t.clock.now());
    const taken3 = await tickets.callNext(three.manager, CITY, COUNTER, ['locks'], t.clock.now());
    expect(Date.now() - started).toBeLessThan(900);

    expect(taken1?.after.id).toBe(first);
    expect(taken2?.after.id).toBe(second);
    // Both are locked by transactions still open: nobody is left for the third.
    expect(taken3).toBeNull();
    await one.commitTransaction();
    await two.commitTransaction();
    expect((await tickets.find(CITY, first))?.status).toBe('called');
    expect((await tickets.find(CITY, second))?.status).toBe('called');
  });

  it('a call that rolls back leaves its ticket waiting, first in line again', async () => {
    const ticket = await issue();
    const one = await open();
    expect((await tickets.callNext(one.manager, CITY, COUNTER, ['locks'], t.clock.now()))?.after.id).toBe(ticket);
    await one.rollbackTransaction();
    expect((await tickets.find(CITY, ticket))?.status).toBe('waiting');

    const two = await open();
    expect((await tickets.callNext(two.manager, CITY, COUNTER, ['locks'], t.clock.now()))?.after.id).toBe(ticket);
    await two.commitTransaction();
  });

  it('a committed call is not taken again by a transaction that began before it committed', async () => {
    const ticket = await issue();
    const early = await open();
    // The early transaction has already read something: under READ COMMITTED each statement sees the latest commits.
    await early.query('SELECT 1');
    const one = await open();
    expect((await tickets.callNext(one.manager, CITY, COUNTER, ['locks'], t.clock.now()))?.after.id).toBe(ticket);
    await one.commitTransaction();
    expect(await tickets.callNext(early.manager, CITY, COUNTER, ['locks'], t.clock.now())).toBeNull();
  });
});

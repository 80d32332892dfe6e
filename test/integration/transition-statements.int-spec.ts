import { asMunicipalityId } from '@madoguchi/kernel';
import type { WorkflowActor } from '@madoguchi/workflow';
import { sqlSent } from '../support/sent-statements';
import { createTestApp, type TestApp } from '../support/test-app';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';
import { ApplicationRepository, ApplicationWorkflowService, TRANSITION_HOOK_ORDER, TransitionHooks, type TransitionOutcome } from '@madoguchi/engine';
import { ApplicationsService } from '@madoguchi/applications';

/**
 * Database round trips of one engine transition, counted at the driver
 * (every query a pg client sends, BEGIN and COMMIT included). Counts are not
 * timing: they belong in tests. Issue 14: at most 4 (begin, lock-and-read,
 * one write, commit); 2 when no hook has work under the lock.
 */

const CITY = asMunicipalityId('990001');
const resident: WorkflowActor = { kind: 'resident', id: 'resident-statements' };
const clerk: WorkflowActor = { kind: 'staff', id: 'clerk-statements' };
const provider: WorkflowActor = { kind: 'provider', id: 'sim' };

describe('statements per engine transition (real PostgreSQL)', () => {
  let t: TestApp;
  let applications: ApplicationsService;
  let workflow: ApplicationWorkflowService;

  beforeAll(async () => {
    t = await createTestApp();
    await publishTestCertificate(t);
    applications = t.get(ApplicationsService);
    workflow = t.get(ApplicationWorkflowService);
  });
  afterAll(async () => {
    await t.close();
  });

  const counted = sqlSent;

  const newCertificate = () =>
    applications.createDraft(CITY, { procedureCode: TEST_CERTIFICATE, channel: 'online', applicantId: resident.id, formData: { scope: '本人のみ', purpose: '学校への提出', copies: 1 }, actor: resident });

  it('a transition whose hooks only contribute is two round trips without a transaction: the row with its version, one write', async () => {
    const draft = await newCertificate();
    // The first submission also draws the gap-free reference number, inside the one write.
    let outcome: TransitionOutcome | undefined;
    const submit = await counted(async () => (outcome = await workflow.transition(CITY, draft.id, { type: 'resident.submit', actor: resident })));
    expect(submit).toHaveLength(2);
    expect(submit[0]).toMatch(/xmin::text AS row_version FROM applications/);
    expect(submit[1]).toMatch(/^WITH target AS \(SELECT 1 FROM applications .* AND xmin = \$\d+::xid FOR UPDATE\)/);
    expect(submit.filter((sql) => sql.includes('tenant_sequences'))).toHaveLength(1);
    // Rendered in SQL as the format says ({era}{eraYear}-{seq:6}) from the number drawn, and returned.
    const [drawn] = await t.dataSource.query(
      `SELECT a.reference_number, s.scope, s.last_value::int AS last FROM applications a
         JOIN tenant_sequences s ON s.municipality_id = a.municipality_id AND s.sequence = 'reference'
        WHERE a.id = $1 AND s.scope LIKE 'R%-{seq}'`,
      [draft.id],
    );
    expect(drawn.reference_number).toBe(drawn.scope.replace('{seq}', String(drawn.last).padStart(6, '0')));
    expect(outcome?.referenceNumber).toBe(drawn.reference_number);
    // Submit wrote the snapshot, the event, two timers, the submission snapshot, the due date and three outbox rows in that one write.
    const [row] = await t.dataSource.query(`SELECT state, due_on IS NOT NULL AS due FROM applications WHERE id = $1`, [draft.id]);
    expect(row).toEqual({ state: 'awaitingPayment', due: true });
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM timers WHERE application_id = $1 AND status = 'scheduled'`, [draft.id])).toEqual([{ n: 2 }]);
    expect(await t.dataSource.query(`SELECT seq FROM application_submissions WHERE application_id = $1`, [draft.id])).toEqual([{ seq: 2 }]);
    expect(await t.dataSource.query(`SELECT topic FROM outbox WHERE application_id = $1 ORDER BY id`, [draft.id])).toHaveLength(3);

    const paid = await counted(() => workflow.transition(CITY, draft.id, { type: 'payment.succeeded', actor: provider }));
    expect(paid).toHaveLength(2);
    // The timers of the state it left were cancelled in the same write.
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM timers WHERE application_id = $1 AND status = 'scheduled'`, [draft.id])).toEqual([{ n: 0 }]);

    // A staff step takes the row lock at once (the claims hook checks the claim under it): begin, lock-and-read, one write, commit.
    await t.dataSource.query(`UPDATE applications SET claimed_by = $2, claimed_at = now(), claim_active_at = now() WHERE id = $1`, [draft.id, clerk.id]);
    const sendBack = await counted(() => workflow.transition(CITY, draft.id, { type: 'staff.sendBack', actor: clerk, payload: { fields: ['purpose'], message: '使用目的をご確認ください' } }));
    expect(sendBack).toHaveLength(4);
    expect(sendBack[0]).toMatch(/^(START TRANSACTION|BEGIN)/);
    expect(sendBack[1]).toContain('FOR UPDATE');
    expect(sendBack[2]).toMatch(/^WITH target AS \(SELECT 1 FROM applications WHERE municipality_id = \$1 AND id = \$2 AND revision = \$3 FOR UPDATE\)/);
    expect(sendBack[3]).toBe('COMMIT');
    const resubmit = await counted(() => workflow.transition(CITY, draft.id, { type: 'resident.resubmit', actor: resident }));
    expect(resubmit).toHaveLength(2);
    expect(await t.dataSource.query(`SELECT seq FROM application_submissions WHERE application_id = $1 ORDER BY seq`, [draft.id])).toEqual([{ seq: 2 }, { seq: 5 }]);
    const accept = await counted(() => workflow.transition(CITY, draft.id, { type: 'staff.accept', actor: clerk }));
    expect(accept).toHaveLength(4);
    const [after] = await t.dataSource.query(`SELECT state, claimed_by, revision FROM applications WHERE id = $1`, [draft.id]);
    expect(after).toEqual({ state: 'issuing', claimed_by: null, revision: 6 });
    const audits: Array<{ action: string }> = await t.dataSource.query(`SELECT payload->>'action' AS action FROM outbox WHERE application_id = $1 AND topic = 'audit.record' ORDER BY id`, [draft.id]);
    expect(audits.map((audit) => audit.action)).toEqual([...Array(5).fill('application.transition'), 'application.claim.ended']);
  });

  it('a transition inside the caller\'s transaction takes the row lock: lock-and-read, one write', async () => {
    const draft = await newCertificate();
    const inside = await counted(() => t.dataSource.transaction((manager) => workflow.transition(CITY, draft.id, { type: 'resident.submit', actor: resident }, manager)));
    expect(inside).toHaveLength(4);
    expect(inside[1]).toMatch(/FOR UPDATE$/);
    expect(inside[2]).toMatch(/^WITH target AS .*\n?.*drawn AS \(INSERT INTO tenant_sequences/s);
  });

  describe('a row that changed between the read and the write', () => {
    /**
     * Runs `change` after the engine's read without lock and before its
     * write (as another request would, in that gap), by holding the write
     * until the change has committed.
     */
    const betweenReadAndWrite = async <T>(change: () => Promise<unknown>, transition: () => Promise<T>): Promise<{ result: T; sent: string[] }> => {
      const repository = t.get(ApplicationRepository);
      const write = repository.writeTransition.bind(repository);
      let changed = false;
      const spy = jest.spyOn(repository, 'writeTransition').mockImplementation(async (...args) => {
        if (!changed) {
          changed = true;
          await change();
        }
        return write(...args);
      });
      try {
        let result: T | undefined;
        const sent = await counted(async () => (result = await transition()));
        return { result: result as T, sent };
      } finally {
        spy.mockRestore();
      }
    };

    it('writes nothing and draws no number, then runs under the lock on the row as it is now', async () => {
      const draft = await newCertificate();
      const before: Array<{ last: number }> = await t.dataSource.query(`SELECT coalesce(max(last_value), 0)::int AS last FROM tenant_sequences WHERE sequence = 'reference'`);
      // A change that leaves the revision as it was (a signature's hash, a claim): only the row version tells.
      const { result, sent } = await betweenReadAndWrite(
        () => t.dataSource.query(`UPDATE applications SET updated_at = updated_at WHERE id = $1`, [draft.id]),
        () => workflow.transition(CITY, draft.id, { type: 'resident.submit', actor: resident }),
      );
      // The read, the refused write (it wrote nothing), then begin, lock-and-read, write, commit.
      expect(sent.filter((sql) => sql.startsWith('WITH target'))).toHaveLength(2);
      expect(sent.filter((sql) => /^(START TRANSACTION|BEGIN)/.test(sql))).toHaveLength(1);
      expect(result.revision).toBe(2);
      expect(await t.dataSource.query(`SELECT seq FROM application_events WHERE application_id = $1 ORDER BY seq`, [draft.id])).toEqual([{ seq: 1 }, { seq: 2 }]);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM outbox WHERE application_id = $1`, [draft.id])).toEqual([{ n: 3 }]);
      expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM timers WHERE application_id = $1`, [draft.id])).toEqual([{ n: 2 }]);
      // One number drawn, no gap: the refused write drew none.
      const after: Array<{ last: number }> = await t.dataSource.query(`SELECT max(last_value)::int AS last FROM tenant_sequences WHERE sequence = 'reference'`);
      expect(after[0].last).toBe(before[0].last + 1);
    });

    it('a concurrent transition that got there first: the late one is judged on the new state', async () => {
      const draft = await newCertificate();
      await applications.submit(CITY, draft.id, resident);
      const late = betweenReadAndWrite(
        () => workflow.transition(CITY, draft.id, { type: 'payment.succeeded', actor: provider }),
        () => workflow.transition(CITY, draft.id, { type: 'payment.succeeded', actor: provider }),
      );
      // Paid once: under the lock the second finds underReview, where payment.succeeded is not taken.
      await expect(late.then(({ result }) => result)).rejects.toMatchObject({ code: 'WORKFLOW_EVENT_NOT_ALLOWED' });
      expect(await t.dataSource.query(`SELECT type FROM application_events WHERE application_id = $1 AND type = 'payment.succeeded'`, [draft.id])).toHaveLength(1);
    });
  });

  it("someone else's staff event on a claimed case is refused before anything is written", async () => {
    const draft = await newCertificate();
    await applications.submit(CITY, draft.id, resident);
    await workflow.transition(CITY, draft.id, { type: 'payment.succeeded', actor: provider });
    await t.dataSource.query(`UPDATE applications SET claimed_by = 'someone-else', claimed_at = now(), claim_active_at = now() WHERE id = $1`, [draft.id]);
    const refused = await counted(() => workflow.transition(CITY, draft.id, { type: 'staff.accept', actor: clerk }).catch((error: unknown) => error));
    expect(refused.some((sql) => sql.startsWith('WITH updated'))).toBe(false);
    expect((await applications.get(CITY, draft.id)).state).toBe('underReview');
  });

  it('runs the hooks in the order the engine declares', () => {
    expect(t.get(TransitionHooks).names()).toEqual(TRANSITION_HOOK_ORDER.filter((name) => t.get(TransitionHooks).names().includes(name)));
    expect(t.get(TransitionHooks).names().length).toBeGreaterThanOrEqual(6);
    expect(() => new TransitionHooks().register({ name: 'undeclared' })).toThrow(/not in TRANSITION_HOOK_ORDER/);
  });
});

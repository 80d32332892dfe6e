import { asMunicipalityId } from '@madoguchi/kernel';
import type { WorkflowActor } from '@madoguchi/workflow';
import { sqlSent } from '../support/sent-statements';
import { createTestApp, type TestApp } from '../support/test-app';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';
import { ApplicationWorkflowService, TRANSITION_HOOK_ORDER, TransitionHooks, type TransitionOutcome } from '@madoguchi/engine';
import { ApplicationsService } from '@madoguchi/applications';

/**
 * Database round trips of one engine transition, counted at the driver
 * (every query a pg client sends, BEGIN and COMMIT included). Counts are not
 * timing: they belong in tests.
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

  it('a transition is begin, lock-and-read, one write, commit: four round trips with its hooks, timers and outbox rows', async () => {
    const draft = await newCertificate();
    // The first submission also draws the gap-free reference number, inside the one write.
    let outcome: TransitionOutcome | undefined;
    const submit = await counted(async () => (outcome = await workflow.transition(CITY, draft.id, { type: 'resident.submit', actor: resident })));
    expect(submit).toHaveLength(4);
    expect(submit[2]).toMatch(/^WITH drawn AS \(INSERT INTO tenant_sequences/);
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

    const paid = await counted(() => workflow.transition(CITY, draft.id, { type: 'payment.succeeded', actor: provider }));
    expect(paid).toHaveLength(4);
    expect(paid[0]).toMatch(/^(START TRANSACTION|BEGIN)/);
    expect(paid[1]).toContain('FOR UPDATE');
    expect(paid[2]).toMatch(/^WITH updated AS \(UPDATE applications/);
    expect(paid[3]).toBe('COMMIT');
    // The timers of the state it left were cancelled in the same write.
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM timers WHERE application_id = $1 AND status = 'scheduled'`, [draft.id])).toEqual([{ n: 0 }]);

    // A claimed case: the claims hook reads the claim from the locked row and ends it in the write.
    await t.dataSource.query(`UPDATE applications SET claimed_by = $2, claimed_at = now(), claim_active_at = now() WHERE id = $1`, [draft.id, clerk.id]);
    const sendBack = await counted(() => workflow.transition(CITY, draft.id, { type: 'staff.sendBack', actor: clerk, payload: { fields: ['purpose'], message: '使用目的をご確認ください' } }));
    expect(sendBack).toHaveLength(4);
    const resubmit = await counted(() => workflow.transition(CITY, draft.id, { type: 'resident.resubmit', actor: resident }));
    expect(resubmit).toHaveLength(4);
    expect(await t.dataSource.query(`SELECT seq FROM application_submissions WHERE application_id = $1 ORDER BY seq`, [draft.id])).toEqual([{ seq: 2 }, { seq: 5 }]);
    const accept = await counted(() => workflow.transition(CITY, draft.id, { type: 'staff.accept', actor: clerk }));
    expect(accept).toHaveLength(4);
    const [after] = await t.dataSource.query(`SELECT state, claimed_by, revision FROM applications WHERE id = $1`, [draft.id]);
    expect(after).toEqual({ state: 'issuing', claimed_by: null, revision: 6 });
    const audits: Array<{ action: string }> = await t.dataSource.query(`SELECT payload->>'action' AS action FROM outbox WHERE application_id = $1 AND topic = 'audit.record' ORDER BY id`, [draft.id]);
    expect(audits.map((audit) => audit.action)).toEqual([...Array(5).fill('application.transition'), 'application.claim.ended']);
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

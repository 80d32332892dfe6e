import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { asMunicipalityId } from '@madoguchi/kernel';
import type { ProcedureDefinition, WorkflowActor } from '@madoguchi/workflow';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { parse, stringify } from 'yaml';
import { IdentityDriver } from '../support/identity-e2e';
import { CONFIG_DIR, createTestApp, type TestApp } from '../support/test-app';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';
import type { TestMailbox } from '../support/test-mailbox';

/**
 * Procedure versions tried before they go live (issue 13), over HTTP on real
 * PostgreSQL: cases recorded by the real engine on the test certificate
 * (juminhyo without the card signature) v1 are replayed
 * in memory against a changed definition (an approval step added, at most
 * one copy), and publishing waits for a dry run of exactly the text.
 */
const CITY = asMunicipalityId('990001');
const resident: WorkflowActor = { kind: 'resident', id: 'resident-dry-run' };
const clerk: WorkflowActor = { kind: 'staff', id: 'clerk-dry-run' };
const provider: WorkflowActor = { kind: 'provider', id: 'sim' };
const system: WorkflowActor = { kind: 'system', id: 'worker' };
const FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 2 };
const CODE = TEST_CERTIFICATE;
/** The test certificate (juminhyo without the card signature) as YAML text at `version`. */
const definitionText = (version: number, change: (definition: ProcedureDefinition) => void = () => undefined): string => {
  const definition = parse(readFileSync(path.join(CONFIG_DIR, 'procedures/juminhyo.yaml'), 'utf8')) as ProcedureDefinition;
  definition.code = CODE;
  definition.version = version;
  definition.identity = 'account';
  definition.steps = definition.steps.filter((step) => step !== 'identity');
  change(definition);
  return stringify(definition);
};
const copiesAtMost = (maximum: number) => (definition: ProcedureDefinition) => {
  (definition.form.schema.properties as Record<string, Record<string, unknown>>).copies.maximum = maximum;
};
/** Version 2 adds a 係長 approval step and allows one copy per request. */
const withApproval = (maximum: number) => (definition: ProcedureDefinition) => {
  definition.approvalRoute = [{ role: 'approver', level: 'kakaricho' }];
  definition.steps = ['form', 'fee', 'review', 'approval', 'issue', 'notify'];
  copiesAtMost(maximum)(definition);
};
const DRAFT = definitionText(2, withApproval(1));

describe('procedure drafts: validate, diff, dry run against recorded cases, publish (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let admin: string;
  let clerkToken: string;
  let otherAdmin: string;
  const cases: Record<'completed' | 'underReview' | 'returned', string> = { completed: '', underReview: '', returned: '' };

  const as = (token: string) => ({
    get: (url: string) => request(t.app.getHttpServer()).get(`/api/v1${url}`).auth(token, { type: 'bearer' }),
    post: (url: string, body: unknown = {}) => request(t.app.getHttpServer()).post(`/api/v1${url}`).auth(token, { type: 'bearer' }).send(body as object),
    put: (url: string, body: unknown) => request(t.app.getHttpServer()).put(`/api/v1${url}`).auth(token, { type: 'bearer' }).send(body as object),
  });

  /** A juminhyo v1 case driven through the real engine: submitted and paid, then `then` more events. */
  const recordCase = async (then: Array<{ type: string; actor: WorkflowActor; payload?: Record<string, unknown> }>): Promise<string> => {
    const applications = t.get(ApplicationsService);
    const workflow = t.get(ApplicationWorkflowService);
    const draft = await applications.createDraft(CITY, { procedureCode: CODE, channel: 'online', formData: FORM, actor: resident });
    await workflow.transition(CITY, draft.id, { type: 'resident.submit', actor: resident, payload: { amount: 600 } });
    await workflow.transition(CITY, draft.id, { type: 'payment.succeeded', actor: provider });
    for (const event of then) await workflow.transition(CITY, draft.id, event);
    return draft.id;
  };

  beforeAll(async () => {
    t = await createTestApp();
    await publishTestCertificate(t, ['990001']);
    const identity = new IdentityDriver(t, undefined as unknown as TestMailbox);
    admin = (await identity.administrator('drafts.admin')).token;
    clerkToken = (await identity.staff('drafts.clerk', ['clerk'])).token;
    otherAdmin = (await identity.administrator('drafts.other', '990002')).token;
    cases.completed = await recordCase([
      { type: 'staff.accept', actor: clerk },
      { type: 'document.issued', actor: system },
      { type: 'notification.sent', actor: system },
    ]);
    cases.underReview = await recordCase([]);
    cases.returned = await recordCase([{ type: 'staff.sendBack', actor: clerk, payload: { fields: ['purpose'], message: '使用目的を確認してください' } }]);
  });
  afterAll(() => t.close());

  it('refuses an invalid definition with every problem, its file, JSON pointer and reason; stores nothing', async () => {
    const broken = definitionText(2, (definition) => {
      withApproval(1)(definition);
      definition.steps.splice(4, 0, 'teleport' as never);
    });
    const response = await as(admin).post('/admin/procedure-drafts', { yaml: broken, fileName: 'juminhyo.yaml' }).expect(422);
    expect(response.body.code).toBe('PROCEDURE_DRAFT_INVALID');
    expect(response.body.details.errors).toContainEqual({ file: 'juminhyo.yaml', path: '/steps/4', reason: expect.stringContaining('unknown step kind "teleport"') });

    const notYaml = await as(admin).post('/admin/procedure-drafts', { yaml: 'code: [unclosed' }).expect(422);
    expect(notYaml.body.details.errors[0]).toMatchObject({ file: 'draft.yaml', path: '/', reason: expect.stringContaining('not valid YAML') });

    const skipping = await as(admin).post('/admin/procedure-drafts', { yaml: definitionText(3, withApproval(1)) }).expect(422);
    expect(skipping.body.details.errors).toEqual([{ file: 'draft.yaml', path: '/version', reason: expect.stringContaining('must be 2') }]);
    const [{ count }] = await t.dataSource.query('SELECT count(*)::int AS count FROM procedure_drafts');
    expect(count).toBe(0);
  });

  it('only administrators of the municipality reach drafts', async () => {
    await as(clerkToken).post('/admin/procedure-drafts', { yaml: DRAFT }).expect(403);
    const created = (await as(admin).post('/admin/procedure-drafts', { yaml: DRAFT }).expect(201)).body;
    const hidden = await as(otherAdmin).get(`/admin/procedure-drafts/${created.id}`).expect(404);
    expect(hidden.body.code).toBe('PROCEDURE_DRAFT_NOT_FOUND');
    await as(admin).get('/admin/procedure-drafts/not-a-uuid').expect(404);
  });

  it('diffs the draft against the published version: form field, approval route, steps; fee and document unchanged', async () => {
    const created = (await as(admin).post('/admin/procedure-drafts', { yaml: DRAFT }).expect(201)).body;
    expect(created).toMatchObject({ code: CODE, version: 2, dryRun: null, published: null });
    const diff = (await as(admin).get(`/admin/procedure-drafts/${created.id}/diff`).expect(200)).body;
    expect(diff).toMatchObject({ code: CODE, fromVersion: 1, toVersion: 2, otherChanges: [] });
    expect(diff.fields).toEqual([{ field: 'copies', change: 'constraintsChanged', before: { type: 'integer', required: true }, after: { type: 'integer', required: true } }]);
    expect(diff.steps).toMatchObject({ changed: true, added: ['approval'], removed: [] });
    expect(diff.approvalRoute).toMatchObject({ changed: true, before: { route: [] }, after: { route: [{ role: 'approver', level: 'kakaricho' }] } });
    expect(diff.fee.changed).toBe(false);
    expect(diff.document.changed).toBe(false);
  });

  it('dry-runs the recorded cases in memory: same state, refused at an event, answers no longer valid; writes nothing else', async () => {
    const created = (await as(admin).post('/admin/procedure-drafts', { yaml: DRAFT }).expect(201)).body;
    const before = await t.dataSource.query(
      `SELECT (SELECT count(*) FROM applications)::int AS applications, (SELECT count(*) FROM application_events)::int AS events,
              (SELECT count(*) FROM outbox)::int AS outbox, (SELECT count(*) FROM procedure_definitions)::int AS definitions,
              (SELECT string_agg(id || state || revision, ',' ORDER BY id) FROM applications) AS states`,
    );
    const run = (await as(admin).post(`/admin/procedure-drafts/${created.id}/dry-run`, {}).expect(200)).body;
    expect(run).toMatchObject({ code: CODE, baseVersion: 1, draftVersion: 2, sample: 200 });
    const report = run.report;
    expect(report.cases).toBe(3);
    // Under review and returned end where they are; the completed case now needs an approval before its document.
    expect(report.sameState).toBe(2);
    expect(report.refusedCases).toBe(1);
    expect(report.refused).toEqual([{ eventType: 'document.issued', fromState: 'underApproval', reason: 'notAllowed', count: 1, examples: [cases.completed] }]);
    expect(report.differentState).toEqual([]);
    // Two copies were asked for in every case; the draft allows one.
    expect(report.formInvalidCases).toBe(3);
    expect(report.formProblems).toEqual([{ field: 'copies', keyword: 'maximum', reason: expect.any(String), count: 3, examples: expect.arrayContaining([cases.completed, cases.underReview, cases.returned]) }]);
    expect(await t.dataSource.query(
      `SELECT (SELECT count(*) FROM applications)::int AS applications, (SELECT count(*) FROM application_events)::int AS events,
              (SELECT count(*) FROM outbox)::int AS outbox, (SELECT count(*) FROM procedure_definitions)::int AS definitions,
              (SELECT string_agg(id || state || revision, ',' ORDER BY id) FROM applications) AS states`,
    )).toEqual(before);

    // A sample of one replays only the most recently changed case.
    const one = (await as(admin).post(`/admin/procedure-drafts/${created.id}/dry-run`, { sample: 1 }).expect(200)).body;
    expect(one.report.cases).toBe(1);
    await as(admin).post(`/admin/procedure-drafts/${created.id}/dry-run`, { sample: 0 }).expect(400);
    await as(admin).post(`/admin/procedure-drafts/${created.id}/dry-run`, { sample: 5000 }).expect(400);
  });

  it('the same definition unchanged replays every case to the state it is in', async () => {
    // Version 1's own text as version 2: nothing may differ.
    const created = (await as(admin).post('/admin/procedure-drafts', { yaml: definitionText(2) }).expect(201)).body;
    const run = (await as(admin).post(`/admin/procedure-drafts/${created.id}/dry-run`, {}).expect(200)).body;
    expect(run.report).toMatchObject({ cases: 3, sameState: 3, refusedCases: 0, refused: [], differentState: [], formInvalidCases: 0, formProblems: [] });
  });

  it('publishes only after a dry run of exactly the current text; in-flight cases stay on version 1; audited', async () => {
    const created = (await as(admin).post('/admin/procedure-drafts', { yaml: DRAFT }).expect(201)).body;
    const none = await as(admin).post(`/admin/procedure-drafts/${created.id}/publish`).expect(409);
    expect(none.body).toMatchObject({ code: 'PROCEDURE_DRAFT_DRY_RUN_REQUIRED', details: { reason: 'none' } });

    await as(admin).post(`/admin/procedure-drafts/${created.id}/dry-run`, {}).expect(200);
    const edited = definitionText(2, withApproval(2));
    const put = await as(admin).put(`/admin/procedure-drafts/${created.id}`, { yaml: edited });
    expect(put.body).toMatchObject({ version: 2 });
    const afterEdit = put.body;
    expect(afterEdit.dryRun.matchesText).toBe(false);
    const stale = await as(admin).post(`/admin/procedure-drafts/${created.id}/publish`).expect(409);
    expect(stale.body.details.reason).toBe('textChanged');

    const rerun = (await as(admin).post(`/admin/procedure-drafts/${created.id}/dry-run`, {}).expect(200)).body;
    expect(rerun.report.formInvalidCases).toBe(0);
    const published = (await as(admin).post(`/admin/procedure-drafts/${created.id}/publish`).expect(200)).body;
    expect(published).toMatchObject({ code: CODE, version: 2 });

    const rows = await t.dataSource.query(`SELECT version, source, published_by FROM procedure_definitions WHERE municipality_id = $1 AND code = $2 ORDER BY version`, [CITY, CODE]);
    expect(rows).toEqual([
      { version: 1, source: 'published', published_by: 'test' },
      { version: 2, source: 'published', published_by: expect.any(String) },
    ]);
    const [{ count: audited }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'catalog.published' AND target_id = $1`, [`${CODE}@2`]);
    expect(audited).toBe(1);
    const inFlight = await t.dataSource.query(`SELECT procedure_version FROM applications WHERE id = $1`, [cases.underReview]);
    expect(inFlight).toEqual([{ procedure_version: 1 }]);

    const again = await as(admin).post(`/admin/procedure-drafts/${created.id}/publish`).expect(409);
    expect(again.body.code).toBe('PROCEDURE_DRAFT_PUBLISHED');
    // The next draft must be version 3 now.
    const next = (await as(admin).post('/admin/procedure-drafts', { yaml: definitionText(3, withApproval(2)) }).expect(201)).body;
    expect(next.version).toBe(3);
  });
});

import { asMunicipalityId, FixedClock } from '@madoguchi/kernel';
import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationTimerPoller, ApplicationWorkflowService } from '@madoguchi/engine';
import { CatalogSyncService, ProcedurePublishingService, ProcedureRegistry } from '@madoguchi/procedures';
import { CompiledProcedure, DefinitionLoadError, type PersistedSnapshot, type ProcedureDefinition, type WorkflowActor } from '@madoguchi/workflow';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { createTestDatabase } from '../support/test-database';
import { CONFIG_DIR, createTestApp, sampleSettings, type TestApp } from '../support/test-app';
import { accountVariant, publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';

const CITY = asMunicipalityId('990001');
const FIXTURES = path.resolve(__dirname, '../fixtures');
const resident: WorkflowActor = { kind: 'resident', id: 'resident-1' };
const clerk: WorkflowActor = { kind: 'staff', id: 'clerk-1' };
const provider: WorkflowActor = { kind: 'provider', id: 'sim' };
const at = '2026-11-22T02:00:00.000Z';

const definitionV1 = (): ProcedureDefinition => parse(readFileSync(path.join(CONFIG_DIR, 'procedures/juminhyo.yaml'), 'utf8'));
const definitionV2 = (): ProcedureDefinition => parse(readFileSync(path.join(FIXTURES, 'definitions/juminhyo-v2.yaml'), 'utf8'));
const fixture = (name: string): PersistedSnapshot => JSON.parse(readFileSync(path.join(FIXTURES, 'snapshots', `${name}.json`), 'utf8'));
const certificateForm = { scope: '本人のみ', purpose: '学校への提出', copies: 2 };
/**
 * The engine tests below move applications without a card: 住民票 needs a My
 * Number Card signature to enter review, so they run on its account-only
 * copy (same machine, same form and fee), published as version 1 and moved
 * to the frozen version 2 from there.
 */
const CERTIFICATE = TEST_CERTIFICATE;
const certificateV2 = (): ProcedureDefinition => accountVariant(definitionV2(), CERTIFICATE);

describe('stored snapshots of every version still restore (frozen fixtures)', () => {
  const machines = { v1: new CompiledProcedure(definitionV1()), v2: new CompiledProcedure(definitionV2()) };

  it.each([
    ['v1', 'awaitingPayment', ['deadline.reached', 'payment.succeeded', 'resident.withdraw']],
    ['v1', 'underReview', ['resident.withdraw', 'staff.accept', 'staff.reject', 'staff.sendBack']],
    ['v1', 'returned', ['resident.resubmit', 'resident.withdraw']],
    ['v2', 'awaitingPayment', ['deadline.reached', 'payment.succeeded', 'resident.withdraw']],
    ['v2', 'underReview', ['resident.withdraw', 'staff.accept', 'staff.reject', 'staff.sendBack']],
    ['v2', 'returned', ['resident.resubmit', 'resident.withdraw']],
  ] as const)('%s %s restores with the events it accepts', (version, state, events) => {
    const snapshot = fixture(`juminhyo-${version}-${state}`);
    expect(machines[version].stateOf(snapshot)).toBe(state);
    expect(machines[version].allowedEvents(snapshot)).toEqual(events);
  });

  it('each version continues on its own shape', () => {
    const accept = { type: 'staff.accept', at, actor: clerk, payload: {} };
    expect(machines.v1.step(fixture('juminhyo-v1-underReview'), accept).to).toBe('issuing');
    expect(machines.v2.step(fixture('juminhyo-v2-underReview'), accept).to).toBe('underApproval');
    const resubmit = { type: 'resident.resubmit', at, actor: resident, payload: {} };
    const back = machines.v1.step(fixture('juminhyo-v1-returned'), resubmit);
    expect(back.to).toBe('underReview');
    expect(back.context.sendBackCount).toBe(1);
  });
});

describe('snapshots stored by an older machine compiler still restore', () => {
  const booking = new CompiledProcedure(parse(readFileSync(path.join(CONFIG_DIR, 'procedures/kominkan-yoyaku.yaml'), 'utf8')));

  it('a booking application completed under compiler 2 (a final, `done` snapshot) reopens to accept booking.cancelled', () => {
    const stored = fixture('kominkan-yoyaku-v2-completed-compiler2');
    expect(stored.status).toBe('done');
    expect(booking.stateOf(stored)).toBe('completed');
    expect(booking.allowedEvents(stored)).toEqual(['booking.cancelled']);
    const cancelled = booking.step(stored, { type: 'booking.cancelled', at, actor: resident, payload: { refundAmount: 500, refundPercent: 50, reason: '予定変更' } });
    expect(cancelled).toMatchObject({ from: 'completed', to: 'cancelled', meta: { phase: 'final' } });
    expect(cancelled.context.cancellation).toEqual({ by: 'resident-1', byKind: 'resident', reason: '予定変更', refundAmount: 500, refundPercent: 50, at });
    expect(cancelled.context.fee.amount).toBe(1000);
    expect(booking.allowedEvents(cancelled.snapshot)).toEqual([]);
  });

  it('procedures without a booking step keep a final completed that accepts nothing', () => {
    const certificate = new CompiledProcedure(definitionV1());
    const done = { ...fixture('juminhyo-v1-underReview'), status: 'done', value: 'completed' } as PersistedSnapshot;
    expect(certificate.allowedEvents(done)).toEqual([]);
    expect(certificate.stateNames).not.toContain('cancelled');
  });
});

describe('publishing versions with applications in flight (real PostgreSQL)', () => {
  let t: TestApp;
  let applications: ApplicationsService;
  let workflow: ApplicationWorkflowService;
  let publishing: ProcedurePublishingService;

  beforeAll(async () => {
    t = await createTestApp();
    applications = t.get(ApplicationsService);
    workflow = t.get(ApplicationWorkflowService);
    publishing = t.get(ProcedurePublishingService);
    await publishTestCertificate(t, [CITY]);
  });
  afterAll(() => t.close());

  const paidCertificate = async () => {
    const draft = await applications.createDraft(CITY, { procedureCode: CERTIFICATE, channel: 'online', formData: certificateForm, actor: resident });
    await workflow.transition(CITY, draft.id, { type: 'resident.submit', actor: resident, payload: { amount: 600 } });
    await workflow.transition(CITY, draft.id, { type: 'payment.succeeded', actor: provider });
    return draft;
  };

  it('a new version changes new applications only', async () => {
    const before = await paidCertificate();
    expect(before.procedureVersion).toBe(1);
    await publishing.publish(CITY, certificateV2(), 'admin-1');
    const after = await paidCertificate();
    expect(after.procedureVersion).toBe(2);

    await workflow.transition(CITY, before.id, { type: 'staff.accept', actor: clerk });
    await workflow.transition(CITY, after.id, { type: 'staff.accept', actor: clerk });
    expect(await applications.get(CITY, before.id)).toMatchObject({ procedureVersion: 1, state: 'issuing' });
    expect(await applications.get(CITY, after.id)).toMatchObject({ procedureVersion: 2, state: 'underApproval' });
    const published = await t.dataSource.query(
      `SELECT version, source, published_by FROM procedure_definitions WHERE municipality_id = $1 AND code = $2 ORDER BY version`,
      [CITY, CERTIFICATE],
    );
    expect(published).toEqual([
      { version: 1, source: 'published', published_by: 'test' },
      { version: 2, source: 'published', published_by: 'admin-1' },
    ]);
  });

  it('an application stored by an earlier release, from a frozen snapshot, carries on', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    await t.dataSource.query(
      `INSERT INTO applications (municipality_id, id, procedure_code, procedure_version, channel, state, phase, snapshot, revision, created_at, updated_at)
       VALUES ($1, $2, $3, 1, 'online', 'returned', 'active', $4, 5, now(), now())`,
      [CITY, id, CERTIFICATE, JSON.stringify(fixture('juminhyo-v1-returned'))],
    );
    await workflow.transition(CITY, id, { type: 'resident.resubmit', actor: resident });
    await workflow.transition(CITY, id, { type: 'staff.accept', actor: clerk });
    expect(await applications.get(CITY, id)).toMatchObject({ state: 'issuing', revision: 7 });
  });

  it('refuses a version that does not follow the latest, and an invalid definition', async () => {
    const skipping = { ...certificateV2(), version: 5 };
    await expect(publishing.publish(CITY, skipping, 'admin-1')).rejects.toMatchObject({ code: 'PROCEDURE_VERSION_CONFLICT', httpStatus: 409 });
    const broken = { ...certificateV2(), version: 3, steps: ['form', 'teleport'] };
    const error = await publishing.publish(CITY, broken, 'admin-1').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PROCEDURE_INVALID_DEFINITION', httpStatus: 422 });
    expect((error as { details: { errors: Array<{ path: string; reason: string }> } }).details.errors).toContainEqual({
      path: '/steps/1',
      reason: expect.stringContaining('unknown step kind "teleport"'),
    });
  });

  it('two administrators publishing the same version at once: one wins', async () => {
    const next = { ...certificateV2(), version: 3, name: { ja: '住民票の写しの交付請求', en: 'Certificate of residence (v3)' } };
    const results = await Promise.allSettled([publishing.publish(CITY, next, 'admin-1'), publishing.publish(CITY, next, 'admin-2')]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((result): result is PromiseRejectedResult => result.status === 'rejected')!.reason).toMatchObject({
      code: 'PROCEDURE_VERSION_CONFLICT',
    });
    expect((await t.get(ProcedureRegistry).latest(CITY, CERTIFICATE)).definition.version).toBe(3);
  });

  it('refuses to start when a landed version was edited in place', async () => {
    const configDir = mkdtempSync(path.join(tmpdir(), 'madoguchi-config-'));
    try {
      cpSync(CONFIG_DIR, configDir, { recursive: true });
      const file = path.join(configDir, 'procedures/juminhyo.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('amount: 300', 'amount: 350'));
      const error = await t.get(CatalogSyncService).sync(configDir, sampleSettings()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DefinitionLoadError);
      expect((error as DefinitionLoadError).errors).toEqual([
        expect.objectContaining({ file, path: '/version', reason: expect.stringContaining('publish the change as version 2') }),
        expect.objectContaining({ file, path: '/version' }),
      ]);
    } finally {
      rmSync(configDir, { recursive: true, force: true });
    }
  });
});

describe('restart in the middle', () => {
  it('a deadline set before a restart fires in the next process', async () => {
    const db = await createTestDatabase();
    try {
      const first = await createTestApp({ db });
      await publishTestCertificate(first, [CITY]);
      const draft = await first.get(ApplicationsService).createDraft(CITY, { procedureCode: CERTIFICATE, channel: 'online', formData: certificateForm, actor: resident });
      await first.get(ApplicationWorkflowService).transition(CITY, draft.id, { type: 'resident.submit', actor: resident, payload: { amount: 600 } });
      await first.close();

      const second = await createTestApp({ db, now: new Date(Date.parse('2026-11-22T01:00:00Z') + 24 * 3600_000 + 1) });
      try {
        expect(second.clock).toBeInstanceOf(FixedClock);
        // The deadline fires; its reminder, due as well by now, is settled void.
        expect(await second.get(ApplicationTimerPoller).fireDue()).toBe(2);
        expect(await second.get(ApplicationsService).get(CITY, draft.id)).toMatchObject({ state: 'expired', phase: 'final' });
        const topics = await second.dataSource.query(`SELECT topic FROM outbox WHERE application_id = $1 AND topic NOT IN ('audit.record', 'notification.resident') ORDER BY id`, [draft.id]);
        expect(topics).toEqual([{ topic: 'payment.request' }, { topic: 'application.expired' }]);
      } finally {
        await second.close();
      }
    } finally {
      await db.drop();
    }
  });
});

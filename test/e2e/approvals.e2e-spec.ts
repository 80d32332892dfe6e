import { OutboxDispatcher } from '@madoguchi/kernel';
import { expectError, type StaffHandle } from '../support/identity-e2e';
import { client, type Client, expectNoServerErrors, startSubmissionApp, type SubmissionHarness } from '../support/submission-e2e';
import { OTHER_MUNICIPALITY } from '../support/test-app';
import { publishTestSubsidy, TEST_SUBSIDY } from '../support/test-procedures';

/**
 * E-approval (電子決裁) over HTTP: a subsidy through review, a return for
 * correction, its approval route (係長 → 財政課との合議 → 課長 → 部長 for the
 * maximum amount) and the grant decision; separation of duties, concurrent
 * approvers, returns, rejection, delegation (代決) and the decision hash chain.
 */

const SUBSIDY = TEST_SUBSIDY;
const DAY = 24 * 60 * 60 * 1000;

const form = (requestedAmount: number) => ({
  applicantName: '窓口 花子',
  applicantKana: 'マドグチ ハナコ',
  phone: '03-1234-5678',
  installationAddress: '桜ヶ丘市本町1-2-3',
  buildingType: '既存住宅',
  capacityKw: 5,
  installationCost: 1200000,
  requestedAmount,
  installerName: '桜ヶ丘電設株式会社',
  plannedCompletionDate: '2027-02-28',
});

describe('e-approval (電子決裁) over HTTP', () => {
  let h: SubmissionHarness;
  let resident: Client;
  let residentId: string;
  let clerk: Client;
  const people = {} as Record<
    'kakarichoA' | 'kakarichoB' | 'zaisei' | 'kacho' | 'bucho' | 'reviewerApprover' | 'deskApprover' | 'shiminBucho' | 'otherBucho' | 'manager' | 'kankyoClerk',
    StaffHandle & { as: Client }
  >;

  beforeAll(async () => {
    h = await startSubmissionApp();
    await publishTestSubsidy(h.t);
    const me = await h.identity.resident('approvals-resident@example.jp');
    residentId = me.id;
    resident = client(h.server, me.token);
    const make = async (loginId: string, roles: Parameters<typeof h.identity.staff>[1], departments: string[], approvalLevel?: 'kakaricho' | 'kacho' | 'bucho', municipalityId?: string) => {
      const handle = await h.identity.staff(loginId, roles, { departments, approvalLevel, municipalityId });
      return { ...handle, as: client(h.server, handle.token) };
    };
    people.kankyoClerk = await make('kankyo-clerk', ['clerk', 'reviewer'], ['kankyo']);
    clerk = people.kankyoClerk.as;
    people.kakarichoA = await make('kankyo-kakaricho-a', ['approver'], ['kankyo'], 'kakaricho');
    people.kakarichoB = await make('kankyo-kakaricho-b', ['approver'], ['kankyo'], 'kakaricho');
    people.zaisei = await make('zaisei-kakaricho', ['approver'], ['zaisei'], 'kakaricho');
    people.kacho = await make('kankyo-kacho', ['approver'], ['kankyo'], 'kacho');
    people.bucho = await make('kankyo-bucho', ['approver'], ['kankyo'], 'bucho');
    people.reviewerApprover = await make('kankyo-reviewer-approver', ['reviewer', 'approver'], ['kankyo'], 'kacho');
    people.deskApprover = await make('kankyo-desk-approver', ['clerk', 'approver'], ['kankyo'], 'kacho');
    people.shiminBucho = await make('shimin-bucho', ['approver'], ['shimin'], 'bucho');
    people.otherBucho = await make('other-bucho', ['approver'], ['kankyo'], 'bucho', OTHER_MUNICIPALITY);
    people.manager = await make('kankyo-manager', ['manager'], ['kankyo']);
  });
  afterAll(async () => {
    expectNoServerErrors(h);
    await h.close();
  });

  const submitted = async (requestedAmount = 80000): Promise<string> => {
    const created = await resident.post('/api/v1/applications', { procedureCode: SUBSIDY, formData: form(requestedAmount) }).expect(201);
    await resident.post(`/api/v1/applications/${created.body.id}/submit`, {}).expect(200);
    return created.body.id as string;
  };

  const inApproval = async (requestedAmount = 80000, reviewer: Client = clerk): Promise<string> => {
    const id = await submitted(requestedAmount);
    await reviewer.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
    return id;
  };

  const approve = (who: Client, id: string, body: object = {}) => who.post(`/api/v1/staff/applications/${id}/approvals/approve`, body);
  const decisions = async (id: string): Promise<number> => {
    const [row] = await h.t.dataSource.query(`SELECT count(*)::int AS n FROM approval_decisions WHERE application_id = $1`, [id]);
    return row.n as number;
  };
  const state = async (id: string): Promise<string> => (await h.t.dataSource.query(`SELECT state FROM applications WHERE id = $1`, [id]))[0].state;

  it('takes a subsidy from submission through a return, three levels and a 合議 to its grant decision', async () => {
    const id = await submitted(100000);
    // 差戻し: the resident fixes the flagged field and resubmits.
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.sendBack', payload: { fields: ['installerName'], message: '施工業者名を正式名称で' } }).expect(200);
    const returned = await resident.get(`/api/v1/applications/${id}`).expect(200);
    await resident.put(`/api/v1/applications/${id}/corrections`, { changes: { installerName: '株式会社桜ヶ丘電設' }, revision: returned.body.revision }).expect(200);
    await resident.post(`/api/v1/applications/${id}/resubmit`, {}).expect(200);
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);

    const route = (await people.kacho.as.get(`/api/v1/staff/applications/${id}/approvals`).expect(200)).body;
    expect(route).toMatchObject({ state: 'underApproval', round: 1, status: 'open', stepIndex: 0, waitingDepartments: ['kankyo'] });
    expect(route.route.map((step: { kind: string; level: string | null; departments: string[] }) => [step.kind, step.level, step.departments])).toEqual([
      ['level', 'kakaricho', ['kankyo']],
      ['consultation', null, ['zaisei']],
      ['level', 'kacho', ['kankyo']],
      ['level', 'bucho', ['kankyo']],
    ]);
    // The 部長 step comes from the amount rule (the maximum grant).
    expect(route.route[3].addedByRule).toEqual({ field: 'requestedAmount', atLeast: 100000 });

    // Each approver sees the case when it is theirs to decide, not before.
    const pendingIds = async (who: Client) => ((await who.get('/api/v1/staff/approvals/pending').expect(200)).body as Array<{ applicationId: string }>).map((item) => item.applicationId);
    expect(await pendingIds(people.kakarichoA.as)).toContain(id);
    expect(await pendingIds(people.zaisei.as)).not.toContain(id);
    expect(await pendingIds(people.kacho.as)).toContain(id); // a 課長 may decide a 係長 step

    await approve(people.kakarichoA.as, id, { step: 0, comment: '内容確認済み' }).expect(200);
    expect(await pendingIds(people.kakarichoA.as)).not.toContain(id);
    expect(await pendingIds(people.zaisei.as)).toContain(id);
    expectError(await approve(people.kacho.as, id, { step: 1 }), 403, 'APPROVAL_NOT_AUTHORIZED');
    await approve(people.zaisei.as, id, { step: 1, comment: '予算の範囲内' }).expect(200);
    await approve(people.kacho.as, id, { step: 2 }).expect(200);
    expect(await state(id)).toBe('underApproval');
    expectError(await approve(people.bucho.as, id, { step: 3, grantAmount: 100001 }), 422, 'APPROVAL_GRANT_AMOUNT_INVALID');
    const done = await approve(people.bucho.as, id, { step: 3, grantAmount: 90000, comment: '交付決定' }).expect(200);

    expect(done.body.state).toBe('issuing');
    expect(done.body.status).toBe('closed');
    expect(done.body.decisions.map((decision: { step: number; outcome: string; approverId: string; department: string }) => [decision.step, decision.outcome, decision.approverId, decision.department])).toEqual([
      [0, 'approved', people.kakarichoA.id, 'kankyo'],
      [1, 'approved', people.zaisei.id, 'zaisei'],
      [2, 'approved', people.kacho.id, 'kankyo'],
      [3, 'approved', people.bucho.id, 'kankyo'],
    ]);
    expect(done.body.verification).toEqual({ intact: true, brokenAt: null, contentMatchesLastDecision: true, decisions: 4 });
    expect(done.body.grantDecision).toMatchObject({ kind: 'grant', amount: 90000, requestedAmount: 100000, decisionNumber: 'R8-kankyo-00001' });

    // The resident reads the decision (交付決定); another resident cannot.
    const decision = await resident.get(`/api/v1/applications/${id}/decision`).expect(200);
    expect(decision.body).toMatchObject({ kind: 'grant', title: { ja: '補助金交付決定' }, amount: 90000, decidedOnWareki: '令和8年11月22日' });
    const stranger = await h.identity.resident('approvals-stranger@example.jp');
    expectError(await client(h.server, stranger.token).get(`/api/v1/applications/${id}/decision`), 404, 'APPLICATION_NOT_FOUND');

    // The audit chain records each decision with its hash.
    for (let round = 0; round < 5; round += 1) await h.t.get(OutboxDispatcher).dispatchDue();
    const audited: Array<{ actor_id: string; details: { hash: string; step: number } }> = await h.t.dataSource.query(
      `SELECT actor_id, details FROM audit_log WHERE action = 'approval.decided' AND target_id = $1 ORDER BY seq`,
      [id],
    );
    expect(audited.map((entry) => [entry.actor_id, entry.details.step, entry.details.hash])).toEqual(
      done.body.decisions.map((decision: { approverId: string; step: number; hash: string }) => [decision.approverId, decision.step, decision.hash]),
    );
  });

  it('detects a changed decision or changed answers afterwards', async () => {
    const id = await inApproval();
    await approve(people.kakarichoA.as, id).expect(200);
    await approve(people.zaisei.as, id).expect(200);
    await approve(people.kacho.as, id).expect(200);
    // The service's own role may not change the record at all, and the owner only past the trigger.
    await expect(h.t.dataSource.query(`UPDATE approval_decisions SET comment = 'x' WHERE application_id = $1`, [id])).rejects.toThrow(/permission denied/);
    await h.t.db.asOwner(async (owner) => {
      await expect(owner.query(`UPDATE approval_decisions SET comment = 'x' WHERE application_id = $1`, [id])).rejects.toThrow(/append-only/);
      // Someone with the table owner's rights gets past the trigger: the chain still shows it.
      await owner.query(`ALTER TABLE approval_decisions DISABLE TRIGGER approval_decisions_append_only`);
      try {
        await owner.query(`UPDATE approval_decisions SET comment = '承認済み（後から追記）' WHERE application_id = $1 AND seq = 2`, [id]);
      } finally {
        await owner.query(`ALTER TABLE approval_decisions ENABLE TRIGGER approval_decisions_append_only`);
      }
    });
    const tampered = await people.kacho.as.get(`/api/v1/staff/applications/${id}/approvals`).expect(200);
    expect(tampered.body.verification).toMatchObject({ intact: false, brokenAt: 2 });

    const other = await inApproval();
    await approve(people.kakarichoA.as, other).expect(200);
    await h.t.dataSource.query(`UPDATE applications SET form_data = jsonb_set(form_data, '{requestedAmount}', '99999') WHERE id = $1`, [other]);
    const changed = await people.kacho.as.get(`/api/v1/staff/applications/${other}/approvals`).expect(200);
    expect(changed.body.verification).toEqual({ intact: true, brokenAt: null, contentMatchesLastDecision: false, decisions: 1 });
  });

  it('keeps those who entered, reviewed or already approved the case from deciding it', async () => {
    // The reviewer-approver accepted (reviewed) the case: never its approver.
    const id = await inApproval(80000, people.reviewerApprover.as);
    const before = await decisions(id);
    expectError(await approve(people.reviewerApprover.as, id), 403, 'APPROVAL_SEPARATION_OF_DUTIES');
    expectError(await people.reviewerApprover.as.post(`/api/v1/staff/applications/${id}/approvals/reject`, { reason: '対象外' }), 403, 'APPROVAL_SEPARATION_OF_DUTIES');
    expect(await decisions(id)).toBe(before);
    expect(((await people.reviewerApprover.as.get('/api/v1/staff/approvals/pending').expect(200)).body as Array<{ applicationId: string }>).map((item) => item.applicationId)).not.toContain(id);

    // Nobody approves two steps of one round, even with the level for both.
    await approve(people.bucho.as, id, { step: 0 }).expect(200);
    await approve(people.zaisei.as, id, { step: 1 }).expect(200);
    expectError(await approve(people.bucho.as, id, { step: 2 }), 403, 'APPROVAL_SEPARATION_OF_DUTIES');
    await approve(people.kacho.as, id, { step: 2 }).expect(200);
    expect(await state(id)).toBe('issuing');
  });

  it('keeps the clerk who entered a case at the counter (書かない窓口) from approving it', async () => {
    const desk = people.deskApprover.as;
    const created = await desk.post('/api/v1/staff/counter/applications', { procedureCode: SUBSIDY, formData: form(80000) }).expect(201);
    await desk.post(`/api/v1/staff/counter/applications/${created.body.id}/submit`, { revision: created.body.revision }).expect(200);
    const id = created.body.id as string;
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
    await approve(people.kakarichoA.as, id, { step: 0 }).expect(200);
    await approve(people.zaisei.as, id, { step: 1 }).expect(200);
    expectError(await approve(desk, id, { step: 2 }), 403, 'APPROVAL_SEPARATION_OF_DUTIES');
    await approve(people.kacho.as, id, { step: 2 }).expect(200);
    const [row] = await h.t.dataSource.query(`SELECT channel, entered_by, state FROM applications WHERE id = $1`, [id]);
    expect(row).toEqual({ channel: 'counter', entered_by: people.deskApprover.id, state: 'issuing' });
  });

  it('lets exactly one of several approvers decide a step at the same moment', async () => {
    const id = await inApproval();
    const { revision } = (await people.kacho.as.get(`/api/v1/staff/applications/${id}/approvals`).expect(200)).body;
    const answers = await Promise.all(
      [people.kakarichoA, people.kakarichoB, people.kacho, people.bucho].map((person) => approve(person.as, id, { step: 0, revision })),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409, 409, 409]);
    for (const refused of answers.filter((answer) => answer.status === 409)) {
      expect(['APPROVAL_STEP_ALREADY_DECIDED', 'WORKFLOW_REVISION_CONFLICT']).toContain(refused.body.code);
    }
    const rows = await h.t.dataSource.query(`SELECT step_index FROM approval_decisions WHERE application_id = $1`, [id]);
    expect(rows).toEqual([{ step_index: 0 }]);
    const view = (await people.kacho.as.get(`/api/v1/staff/applications/${id}/approvals`).expect(200)).body;
    expect(view).toMatchObject({ stepIndex: 1, waitingDepartments: ['zaisei'] });
  });

  it('returns a case one step back, or to the clerk for a new round, and rejects it with a 不交付決定', async () => {
    const id = await inApproval();
    expectError(await people.kakarichoA.as.post(`/api/v1/staff/applications/${id}/approvals/return`, { to: 'previous', comment: '確認' }), 422, 'APPROVAL_NO_PREVIOUS_STEP');
    expectError(await people.kakarichoA.as.post(`/api/v1/staff/applications/${id}/approvals/return`, { to: 'previous' }), 400, 'VALIDATION_FAILED');
    await approve(people.kakarichoA.as, id).expect(200);
    const back = await people.zaisei.as.post(`/api/v1/staff/applications/${id}/approvals/return`, { to: 'previous', comment: '積算根拠の確認をお願いします' }).expect(200);
    expect(back.body).toMatchObject({ state: 'underApproval', stepIndex: 0 });
    // The 係長's earlier approval no longer counts: deciding again is not "twice".
    await approve(people.kakarichoA.as, id, { step: 0 }).expect(200);
    await approve(people.zaisei.as, id, { step: 1 }).expect(200);

    const toClerk = await people.kacho.as.post(`/api/v1/staff/applications/${id}/approvals/return`, { to: 'clerk', comment: '設置場所の確認を' }).expect(200);
    expect(toClerk.body).toMatchObject({ state: 'underReview', status: 'closed' });
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
    const second = (await people.kacho.as.get(`/api/v1/staff/applications/${id}/approvals`).expect(200)).body;
    expect(second).toMatchObject({ round: 2, stepIndex: 0, status: 'open' });
    expect(second.decisions.map((decision: { round: number; outcome: string }) => [decision.round, decision.outcome])).toEqual([
      [1, 'approved'],
      [1, 'returnedToPrevious'],
      [1, 'approved'],
      [1, 'approved'],
      [1, 'returnedToClerk'],
    ]);
    expect(second.verification.intact).toBe(true);

    await approve(people.kakarichoA.as, id).expect(200);
    expectError(await people.zaisei.as.post(`/api/v1/staff/applications/${id}/approvals/reject`, {}), 400, 'VALIDATION_FAILED');
    const rejected = await people.zaisei.as.post(`/api/v1/staff/applications/${id}/approvals/reject`, { reason: '予算の上限に達したため' }).expect(200);
    expect(rejected.body.state).toBe('rejected');
    expect(rejected.body.grantDecision).toMatchObject({ kind: 'nonGrant', amount: null, reason: '予算の上限に達したため' });
    expect(rejected.body.grantDecision.approvalHash).toBe(rejected.body.decisions.at(-1).hash);
    const seen = await resident.get(`/api/v1/applications/${id}/decision`).expect(200);
    expect(seen.body).toMatchObject({ kind: 'nonGrant', title: { ja: '補助金不交付決定', en: 'Decision not to grant' } });
  });

  it('records a rejection at review as a 不交付決定 too', async () => {
    const id = await submitted();
    await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.reject', payload: { reason: '対象外の設備です' } }).expect(200);
    const seen = await resident.get(`/api/v1/applications/${id}/decision`).expect(200);
    expect(seen.body).toMatchObject({ kind: 'nonGrant', reason: '対象外の設備です', approvalHash: null });
    const pending = await submitted();
    expectError(await resident.get(`/api/v1/applications/${pending}/decision`), 404, 'APPROVAL_DECISION_NOT_FOUND');
  });

  it('代決: a delegate decides for an absent approver within the period, recorded as such', async () => {
    const now = h.t.clock.now();
    const create = (who: Client, body: object) => who.post('/api/v1/staff/approvals/delegations', body);
    const period = { startsAt: new Date(now.getTime() - 60_000).toISOString(), endsAt: new Date(now.getTime() + 3 * DAY).toISOString(), reason: '出張のため' };
    expectError(await create(people.kacho.as, { ...period, delegateId: people.kacho.id }), 422, 'APPROVAL_DELEGATION_INVALID');
    expectError(await create(people.kacho.as, { ...period, delegateId: people.shiminBucho.id }), 422, 'APPROVAL_DELEGATION_INVALID');
    expectError(await create(people.kacho.as, { ...period, delegateId: people.kankyoClerk.id }), 422, 'APPROVAL_DELEGATION_INVALID');
    expectError(await create(people.kacho.as, { ...period, delegateId: people.kakarichoB.id, endsAt: new Date(now.getTime() + 91 * DAY).toISOString() }), 422, 'APPROVAL_DELEGATION_INVALID');
    expectError(await create(people.kacho.as, { ...period, delegateId: people.kakarichoB.id, endsAt: period.startsAt }), 422, 'APPROVAL_DELEGATION_INVALID');
    expectError(await create(people.kacho.as, { ...period, delegateId: 'not-a-uuid' }), 400, 'VALIDATION_FAILED');
    expectError(await create(people.kankyoClerk.as, { ...period, delegateId: people.kakarichoB.id }), 403, 'AUTH_FORBIDDEN');
    const delegation = await create(people.kacho.as, { ...period, delegateId: people.kakarichoB.id }).expect(201);
    expect(delegation.body).toMatchObject({ delegatorId: people.kacho.id, delegateId: people.kakarichoB.id, active: true });
    expect((await people.kakarichoB.as.get('/api/v1/staff/approvals/delegations').expect(200)).body).toHaveLength(1);

    const id = await inApproval();
    await approve(people.kakarichoA.as, id).expect(200);
    await approve(people.zaisei.as, id).expect(200);
    const pending = (await people.kakarichoB.as.get('/api/v1/staff/approvals/pending').expect(200)).body as Array<{ applicationId: string; onBehalfOf: string | null }>;
    expect(pending.find((item) => item.applicationId === id)).toMatchObject({ onBehalfOf: people.kacho.id });
    const decided = await approve(people.kakarichoB.as, id, { step: 2 }).expect(200);
    expect(decided.body.state).toBe('issuing');
    expect(decided.body.decisions.at(-1)).toMatchObject({ approverId: people.kakarichoB.id, approverLevel: 'kakaricho', onBehalfOf: people.kacho.id, outcome: 'approved' });

    // Revoked (or outside its period), the delegation gives nothing.
    await people.kacho.as.post(`/api/v1/staff/approvals/delegations/${delegation.body.id}/revoke`, {}).expect(204);
    expectError(await people.kacho.as.post(`/api/v1/staff/approvals/delegations/${delegation.body.id}/revoke`, {}), 404, 'APPROVAL_DELEGATION_NOT_FOUND');
    const later = await inApproval();
    await approve(people.kakarichoA.as, later).expect(200);
    await approve(people.zaisei.as, later).expect(200);
    expectError(await approve(people.kakarichoB.as, later, { step: 2 }), 403, 'APPROVAL_NOT_AUTHORIZED');
  });

  it('refuses the wrong role, department, municipality, state and stale input, writing nothing', async () => {
    const id = await inApproval();
    const before = await decisions(id);
    expectError(await approve(people.manager.as, id), 403, 'AUTH_FORBIDDEN');
    expectError(await approve(clerk, id), 403, 'AUTH_FORBIDDEN');
    expectError(await approve(people.shiminBucho.as, id), 404, 'APPLICATION_NOT_FOUND');
    expectError(await people.shiminBucho.as.get(`/api/v1/staff/applications/${id}/approvals`), 404, 'APPLICATION_NOT_FOUND');
    expectError(await approve(people.otherBucho.as, id), 404, 'APPLICATION_NOT_FOUND');
    expectError(await approve(people.kacho.as, id, { revision: 1 }), 409, 'WORKFLOW_REVISION_CONFLICT');
    expectError(await approve(people.kacho.as, id, { step: 2 }), 409, 'APPROVAL_STEP_ALREADY_DECIDED');
    expectError(await approve(people.kacho.as, id, { grantAmount: 1000 }), 422, 'APPROVAL_GRANT_AMOUNT_INVALID');
    expectError(await approve(people.kacho.as, id, { comment: 'x'.repeat(1001) }), 400, 'VALIDATION_FAILED');
    expectError(await approve(people.kacho.as, id, { step: -1 }), 400, 'VALIDATION_FAILED');
    expectError(await people.kacho.as.post(`/api/v1/staff/applications/${id}/approvals/return`, { to: 'mayor', comment: 'x' }), 400, 'VALIDATION_FAILED');
    expectError(await approve(people.kacho.as, 'not-a-uuid'), 400, 'BAD_REQUEST');
    expect(await decisions(id)).toBe(before);

    const reviewing = await submitted();
    expectError(await approve(people.kacho.as, reviewing), 409, 'WORKFLOW_EVENT_NOT_ALLOWED');
    // Review events no longer carry approvals.
    expectError(await clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'approver.approve' }), 400, 'VALIDATION_FAILED');
    expect(residentId).toBeTruthy();
  });
});

import { ClaimIdleReleaseJob, ClaimsHook } from '@madoguchi/applications';
import { SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId } from '@madoguchi/kernel';
import { ProcedurePublishingService } from '@madoguchi/procedures';
import type { ProcedureDefinition } from '@madoguchi/workflow';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type request from 'supertest';
import { parse } from 'yaml';
import { expectError, PASSWORD, type StaffHandle, withCheckDigit } from '../support/identity-e2e';
import {
  CERTIFICATE_FORM,
  client,
  type Client,
  expectNoServerErrors,
  markPaid,
  MINUTE,
  MUNICIPALITY,
  refusedWithoutWrites,
  SECOND,
  startSubmissionApp,
  storedApplication,
  submitted,
  type SubmissionHarness,
  UNKNOWN_ID,
} from '../support/submission-e2e';
import { CONFIG_DIR, OTHER_MUNICIPALITY } from '../support/test-app';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * Case work over HTTP (issue 5): claims (claim, release, assign, only the
 * holder acts, the claim ends when the case moves on, idle claims released
 * by the worker), internal notes that residents never see, and the diff of a
 * resubmission for staff and for the resident.
 *
 * Claims use the test certificate (市民課, paid at submission: payment is
 * applied directly); diffs use a 児童手当 form twin with an individual number
 * and a nested bank account, reviewed by 市民課 with no fee or signature.
 */

const DIFF_PROCEDURE = 'test-case-diff';
const NUMBER = withCheckDigit('12345678901');
const NEW_NUMBER = withCheckDigit('98765432109');
const DIFF_FORM = {
  applicantName: '窓口 花子',
  applicantKana: 'マドグチ ハナコ',
  individualNumber: NUMBER,
  phone: '03-1234-5678',
  pensionType: '厚生年金',
  children: [{ name: '窓口 太郎', birthDate: '2026-04-01', relationship: '子', livesTogether: true }],
  bankAccount: { bankCode: '0001', branchCode: '001', accountType: '普通', accountNumber: '1234567', accountHolderKana: 'マドグチ ハナコ' },
};
const masked = (number: string) => `********${number.slice(-4)}`;

async function publishDiffProcedure(h: SubmissionHarness): Promise<void> {
  const kosodate = parse(readFileSync(path.join(CONFIG_DIR, 'procedures/kosodate-01.yaml'), 'utf8')) as ProcedureDefinition;
  await h.t.get(ProcedurePublishingService).publish(
    MUNICIPALITY,
    { ...kosodate, code: DIFF_PROCEDURE, version: 1, department: 'shimin', identity: 'account', approvalRoute: [], document: null, steps: ['form', 'review'], nationalCategory: null, nationalCode: null, targeted: false },
    'test',
  );
}

describe('case work: claims, internal notes and resubmission diffs (HTTP, real PostgreSQL)', () => {
  let h: SubmissionHarness;
  let resident: Client;
  let otherResident: Client;
  let staffHandles: Record<'clerk' | 'clerk2' | 'reviewer' | 'approver' | 'manager' | 'zeimuClerk' | 'otherClerk', StaffHandle>;
  const as = {} as Record<keyof typeof staffHandles | 'administrator', Client>;
  let inactiveColleague: string;
  const accounts: Array<{ municipalityId: string; kind: 'resident' | 'staff'; id: string; use: (as: Client) => void }> = [];
  let signedInAt = 0;

  /**
   * Access tokens last 15 minutes of the test clock, which the claim tests
   * move by hours: everyone gets a fresh session (as a sign-in would give)
   * once the clock has moved on.
   */
  async function signInAgain(): Promise<void> {
    for (const account of accounts) {
      const { accessToken } = await h.t.get(SessionService).issue(asMunicipalityId(account.municipalityId), { kind: account.kind, id: account.id }, 'bearer', 'password');
      account.use(client(h.server, accessToken));
    }
    signedInAt = h.t.clock.now().getTime();
  }

  beforeAll(async () => {
    h = await startSubmissionApp();
    await publishDiffProcedure(h);
    await publishTestCertificate(h.t, [OTHER_MUNICIPALITY]);
    const residentA = await h.identity.resident('casework@example.jp');
    const residentB = await h.identity.resident('casework-other@example.jp');
    accounts.push(
      { municipalityId: MUNICIPALITY, kind: 'resident', id: residentA.id, use: (as) => (resident = as) },
      { municipalityId: MUNICIPALITY, kind: 'resident', id: residentB.id, use: (as) => (otherResident = as) },
    );
    const shimin = { departments: ['shimin'] };
    staffHandles = {
      clerk: await h.identity.staff('clerk.casework', ['clerk'], shimin),
      clerk2: await h.identity.staff('clerk2.casework', ['clerk'], shimin),
      reviewer: await h.identity.staff('reviewer.casework', ['reviewer'], shimin),
      approver: await h.identity.staff('approver.casework', ['approver'], { ...shimin, approvalLevel: 'kacho' }),
      manager: await h.identity.staff('manager.casework', ['manager'], shimin),
      zeimuClerk: await h.identity.staff('clerk.zeimu.casework', ['clerk'], { departments: ['zeimu'] }),
      otherClerk: await h.identity.staff('clerk.other.casework', ['clerk'], { ...shimin, municipalityId: OTHER_MUNICIPALITY }),
    };
    const administrator = await h.identity.administrator('admin.casework');
    for (const [name, handle] of [...Object.entries(staffHandles), ['administrator', administrator] as const]) {
      accounts.push({ municipalityId: handle.municipalityId, kind: 'staff', id: handle.id, use: (client) => (as[name as keyof typeof as] = client) });
    }
    await signInAgain();
    inactiveColleague = (
      await h.t.get(StaffAdminService).create(MUNICIPALITY, 'test-setup', {
        loginId: 'retired.casework',
        password: PASSWORD,
        displayName: '退職 職員',
        roles: ['clerk'],
        approvalLevel: null,
        departments: ['shimin'],
        active: false,
      })
    ).account.id;
  });
  afterAll(async () => {
    if (h) expectNoServerErrors(h);
    await h?.close();
  });
  beforeEach(async () => {
    h.t.clock.advance(SECOND);
    if (h.t.clock.now().getTime() - signedInAt > 10 * MINUTE) await signInAgain();
  });

  /** A certificate request submitted and paid: waiting for review in 市民課. */
  async function underReview(): Promise<string> {
    const application = await submitted(resident, TEST_CERTIFICATE, CERTIFICATE_FORM);
    await markPaid(h.t, application.id);
    return application.id;
  }

  async function claimColumns(id: string): Promise<{ claimed_by: string | null; claimed_at: Date | null; claim_active_at: Date | null }> {
    const [row] = await h.t.dataSource.query(`SELECT claimed_by, claimed_at, claim_active_at FROM applications WHERE id = $1`, [id]);
    return row;
  }

  async function auditOf(id: string, action: string): Promise<Array<{ actor_kind: string; actor_id: string; details: Record<string, unknown> }>> {
    return h.t.dataSource.query(`SELECT actor_kind, actor_id, details FROM audit_log WHERE target_type = 'application' AND target_id = $1 AND action = $2 ORDER BY seq`, [
      id,
      action,
    ]);
  }

  async function auditCount(): Promise<number> {
    const [row] = await h.t.dataSource.query(`SELECT count(*)::int AS count FROM audit_log`);
    return row.count;
  }

  /** Refused with the given error, and neither the application rows nor the claim nor the audit log changed. */
  async function refusedUnchanged(id: string, send: () => Promise<request.Response>, status: number, code: string): Promise<request.Response> {
    const claim = await claimColumns(id);
    const audit = await auditCount();
    const response = await refusedWithoutWrites(h, send, status, code);
    expect(await claimColumns(id)).toEqual(claim);
    expect(await auditCount()).toBe(audit);
    return response;
  }

  describe('claims', () => {
    it('claims an application (200, audited); claiming it again only refreshes the activity time', async () => {
      const id = await underReview();
      const claimed = await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      const at = h.t.clock.now().toISOString();
      expect(claimed.body).toEqual({ applicationId: id, claimedBy: { id: staffHandles.clerk.id, name: 'clerk.casework' }, claimedAt: at, lastActiveAt: at });
      expect(await auditOf(id, 'application.claim.taken')).toEqual([{ actor_kind: 'staff', actor_id: staffHandles.clerk.id, details: { state: 'underReview' } }]);
      // A claim is not a change to the application: no revision, no event, no outbox row.
      expect(await storedApplication(h.t, id)).toMatchObject({ state: 'underReview', revision: 3 });

      h.t.clock.advance(10 * MINUTE);
      const again = await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      expect(again.body).toEqual({ ...claimed.body, lastActiveAt: h.t.clock.now().toISOString() });
      expect(await auditOf(id, 'application.claim.taken')).toHaveLength(1);
    });

    it('refuses a claim on a case someone else holds: 409 APPLICATION_CLAIMED naming the holder, nothing written', async () => {
      const id = await underReview();
      await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      const claimedAt = h.t.clock.now().toISOString();
      h.t.clock.advance(MINUTE);
      for (const other of [as.clerk2, as.reviewer, as.approver]) {
        const refused = await refusedUnchanged(id, () => other.post(`/api/v1/staff/applications/${id}/claim`), 409, 'APPLICATION_CLAIMED');
        expect(refused.body.details).toEqual({ claimedBy: { id: staffHandles.clerk.id, name: 'clerk.casework' }, claimedAt });
        expect(refused.body.message).toEqual({ ja: 'この申請はclerk.caseworkさんが担当中です。', en: 'This application is claimed by clerk.casework.' });
      }
    });

    it('of 10 staff claiming at once exactly one wins; the other 9 get 409 APPLICATION_CLAIMED', async () => {
      const id = await underReview();
      const claimants = [staffHandles.clerk, staffHandles.clerk2, staffHandles.reviewer, staffHandles.approver];
      for (let index = claimants.length; index < 10; index += 1) {
        claimants.push(await h.identity.staff(`racer${index}.casework`, index % 2 ? ['reviewer'] : ['clerk'], { departments: ['shimin'] }));
      }
      const responses = await Promise.all(claimants.map((handle) => client(h.server, handle.token).post(`/api/v1/staff/applications/${id}/claim`)));
      const winners = responses.filter((response) => response.status === 200);
      expect(winners).toHaveLength(1);
      for (const response of responses.filter((candidate) => candidate.status !== 200)) expectError(response, 409, 'APPLICATION_CLAIMED');
      const winner = winners[0].body.claimedBy.id as string;
      expect((await claimColumns(id)).claimed_by).toBe(winner);
      for (const response of responses.filter((candidate) => candidate.status === 409)) expect(response.body.details.claimedBy.id).toBe(winner);
      expect(await auditOf(id, 'application.claim.taken')).toEqual([{ actor_kind: 'staff', actor_id: winner, details: { state: 'underReview' } }]);
    });

    it('lets only the holder send review events: anyone else gets 409 APPLICATION_CLAIMED and nothing is written', async () => {
      const id = await underReview();
      await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      for (const other of [as.clerk2, as.reviewer]) {
        await refusedUnchanged(id, () => other.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }), 409, 'APPLICATION_CLAIMED');
        await refusedUnchanged(
          id,
          () => other.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.sendBack', payload: { fields: ['purpose'], message: '確認してください。' } }),
          409,
          'APPLICATION_CLAIMED',
        );
      }
      expect((await storedApplication(h.t, id)).state).toBe('underReview');
      // An unclaimed case is anyone's to work: the claim is not a precondition.
      const free = await underReview();
      await as.clerk2.post(`/api/v1/staff/applications/${free}/events`, { type: 'staff.accept' }).expect(200);
    });

    it('keeps the claim through a return for correction (the holder gets the resubmission back) and ends it when the case moves on', async () => {
      const id = await underReview();
      await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      h.t.clock.advance(5 * MINUTE);
      await as.clerk
        .post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.sendBack', payload: { fields: ['purpose'], message: '使用目的を選び直してください。' } })
        .expect(200);
      // The holder's action restarts their idle time; the claim stays while the resident corrects.
      expect(await claimColumns(id)).toMatchObject({ claimed_by: staffHandles.clerk.id, claim_active_at: h.t.clock.now() });
      h.t.clock.advance(3 * 24 * 60 * MINUTE);
      await signInAgain();
      const { revision } = await storedApplication(h.t, id);
      await resident.put(`/api/v1/applications/${id}/corrections`, { changes: { purpose: '就職・勤務先への提出' }, revision }).expect(200);
      await resident.post(`/api/v1/applications/${id}/resubmit`, {}).expect(200);
      // Back under review with its holder, the idle time counted from the resubmission.
      expect(await claimColumns(id)).toMatchObject({ claimed_by: staffHandles.clerk.id, claim_active_at: h.t.clock.now() });
      await refusedUnchanged(id, () => as.clerk2.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }), 409, 'APPLICATION_CLAIMED');

      const accepted = await as.clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }).expect(200);
      expect(accepted.body.state).toBe('issuing');
      expect(await claimColumns(id)).toEqual({ claimed_by: null, claimed_at: null, claim_active_at: null });
      // Audited in commit order through the outbox, like the transition itself.
      const [ended]: Array<{ payload: Record<string, unknown> }> = await h.t.dataSource.query(
        `SELECT payload FROM outbox WHERE topic = 'audit.record' AND application_id = $1 AND payload->>'action' = 'application.claim.ended'`,
        [id],
      );
      expect(ended.payload).toMatchObject({ actor: { kind: 'system', id: 'claims' }, details: { holder: staffHandles.clerk.id, event: 'staff.accept', to: 'issuing' } });
      // Issuing is still in progress, so it can be claimed again (by anyone).
      await as.clerk2.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
    });

    it('does not block approver events: those are the approvals library’s to judge', async () => {
      const id = await underReview();
      await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      const hook = h.t.get(ClaimsHook);
      const application = await h.t.dataSource.manager.transaction(async (manager) => {
        // The hook reads the claim from the row the engine locked.
        const [row] = await manager.query(`SELECT id, claimed_by, claimed_at FROM applications WHERE id = $1 FOR UPDATE`, [id]);
        const context = {
          manager,
          municipalityId: MUNICIPALITY,
          application: { id: row.id, claimedBy: row.claimed_by, claimedAt: row.claimed_at } as never,
          result: {} as never,
          at: h.t.clock.now(),
        };
        await expect(hook.before({ ...context, input: { type: 'approver.approve', actor: { kind: 'staff', id: staffHandles.approver.id } } })).resolves.toBeUndefined();
        await expect(hook.before({ ...context, input: { type: 'staff.accept', actor: { kind: 'staff', id: staffHandles.approver.id } } })).rejects.toMatchObject({
          code: 'APPLICATION_CLAIMED',
        });
        return row.id;
      });
      expect(application).toBe(id);
    });

    it('lets the holder release (audited), answers a repeated release with 200 and no entry, and refuses a clerk releasing someone else’s claim', async () => {
      const id = await underReview();
      await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      const refused = await refusedUnchanged(id, () => as.clerk2.post(`/api/v1/staff/applications/${id}/release`), 409, 'APPLICATION_CLAIMED');
      expect(refused.body.details.claimedBy.id).toBe(staffHandles.clerk.id);

      const released = await as.clerk.post(`/api/v1/staff/applications/${id}/release`).expect(200);
      expect(released.body).toEqual({ applicationId: id, claimedBy: null, claimedAt: null, lastActiveAt: null });
      expect(await claimColumns(id)).toEqual({ claimed_by: null, claimed_at: null, claim_active_at: null });
      expect(await auditOf(id, 'application.claim.released')).toEqual([
        { actor_kind: 'staff', actor_id: staffHandles.clerk.id, details: { holder: staffHandles.clerk.id, ownClaim: true } },
      ]);
      const audit = await auditCount();
      await as.clerk.post(`/api/v1/staff/applications/${id}/release`).expect(200);
      await as.clerk2.post(`/api/v1/staff/applications/${id}/release`).expect(200);
      expect(await auditCount()).toBe(audit);
      // Free again: the other clerk may take it.
      await as.clerk2.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
    });

    it('lets a reviewer of the department release a colleague’s claim (an absent colleague’s case does not stay stuck)', async () => {
      const id = await underReview();
      await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      await as.reviewer.post(`/api/v1/staff/applications/${id}/release`).expect(200);
      expect((await claimColumns(id)).claimed_by).toBeNull();
      expect(await auditOf(id, 'application.claim.released')).toEqual([
        { actor_kind: 'staff', actor_id: staffHandles.reviewer.id, details: { holder: staffHandles.clerk.id, ownClaim: false } },
      ]);
    });

    it('assigns a case to a colleague (the claim moves, audited); a repeated assignment changes nothing', async () => {
      const id = await underReview();
      await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      h.t.clock.advance(MINUTE);
      const assigned = await as.clerk.post(`/api/v1/staff/applications/${id}/assign`, { staffId: staffHandles.clerk2.id }).expect(200);
      const at = h.t.clock.now().toISOString();
      expect(assigned.body).toEqual({ applicationId: id, claimedBy: { id: staffHandles.clerk2.id, name: 'clerk2.casework' }, claimedAt: at, lastActiveAt: at });
      expect(await auditOf(id, 'application.claim.assigned')).toEqual([
        { actor_kind: 'staff', actor_id: staffHandles.clerk.id, details: { from: staffHandles.clerk.id, to: staffHandles.clerk2.id } },
      ]);
      // Now only the new holder acts.
      await refusedUnchanged(id, () => as.clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.accept' }), 409, 'APPLICATION_CLAIMED');
      // The previous holder can no longer hand it around; a reviewer can.
      await refusedUnchanged(id, () => as.clerk.post(`/api/v1/staff/applications/${id}/assign`, { staffId: staffHandles.clerk.id }), 409, 'APPLICATION_CLAIMED');
      h.t.clock.advance(MINUTE);
      await as.clerk2.post(`/api/v1/staff/applications/${id}/assign`, { staffId: staffHandles.clerk2.id }).expect(200);
      expect(await auditOf(id, 'application.claim.assigned')).toHaveLength(1);
      await as.reviewer.post(`/api/v1/staff/applications/${id}/assign`, { staffId: staffHandles.approver.id }).expect(200);
      expect((await claimColumns(id)).claimed_by).toBe(staffHandles.approver.id);

      // An unclaimed case may be handed out by anyone of the department.
      const free = await underReview();
      await as.clerk.post(`/api/v1/staff/applications/${free}/assign`, { staffId: staffHandles.reviewer.id }).expect(200);
      expect(await auditOf(free, 'application.claim.assigned')).toEqual([
        { actor_kind: 'staff', actor_id: staffHandles.clerk.id, details: { from: null, to: staffHandles.reviewer.id } },
      ]);
    });

    it('refuses an assignee who cannot work the case with 422 APPLICATION_ASSIGNEE_INVALID, and a malformed one with 400', async () => {
      const id = await underReview();
      await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      const cannot = {
        'no queue role (manager)': staffHandles.manager.id,
        'another department': staffHandles.zeimuClerk.id,
        'another municipality': staffHandles.otherClerk.id,
        inactive: inactiveColleague,
        unknown: UNKNOWN_ID,
      };
      for (const [why, staffId] of Object.entries(cannot)) {
        const refused = await refusedUnchanged(id, () => as.clerk.post(`/api/v1/staff/applications/${id}/assign`, { staffId }), 422, 'APPLICATION_ASSIGNEE_INVALID');
        expect({ why, details: refused.body.details }).toEqual({ why, details: { staffId } });
      }
      for (const body of [{}, { staffId: 'clerk2' }, { staffId: 42 }, { staffId: staffHandles.clerk2.id, extra: true }]) {
        await refusedUnchanged(id, () => as.clerk.post(`/api/v1/staff/applications/${id}/assign`, body), 400, 'VALIDATION_FAILED');
      }
      expect((await claimColumns(id)).claimed_by).toBe(staffHandles.clerk.id);
    });

    it('refuses claims on finished applications (409 APPLICATION_NOT_CLAIMABLE) and hides drafts and unknown ids (404)', async () => {
      const withdrawn = await underReview();
      await resident.post(`/api/v1/applications/${withdrawn}/withdraw`, {}).expect(200);
      for (const route of ['claim', 'assign']) {
        const refused = await refusedUnchanged(withdrawn, () => as.clerk.post(`/api/v1/staff/applications/${withdrawn}/${route}`, { staffId: staffHandles.clerk.id }), 409, 'APPLICATION_NOT_CLAIMABLE');
        expect(refused.body.details).toEqual({ state: 'withdrawn' });
      }
      const draft = await resident.post('/api/v1/applications', { procedureCode: TEST_CERTIFICATE, formData: CERTIFICATE_FORM }).expect(201);
      await refusedUnchanged(draft.body.id, () => as.clerk.post(`/api/v1/staff/applications/${draft.body.id}/claim`), 404, 'APPLICATION_NOT_FOUND');
      expectError(await as.clerk.post(`/api/v1/staff/applications/${UNKNOWN_ID}/claim`), 404, 'APPLICATION_NOT_FOUND');
      expectError(await as.clerk.post(`/api/v1/staff/applications/not-a-uuid/claim`), 400, 'BAD_REQUEST');
    });

    it('releases claims idle past CLAIM_IDLE_MINUTES (default 120) when the worker runs, audited; the holder’s actions keep a claim alive', async () => {
      const job = h.t.get(ClaimIdleReleaseJob);
      // Earlier tests' claims out of the way first, so the counts below are this test's.
      h.t.clock.advance(121 * MINUTE);
      await job.run();
      await signInAgain();
      const idle = await underReview();
      const busy = await underReview();
      const returned = await underReview();
      for (const id of [idle, busy, returned]) await as.clerk.post(`/api/v1/staff/applications/${id}/claim`).expect(200);
      await as.clerk.post(`/api/v1/staff/applications/${returned}/events`, { type: 'staff.sendBack', payload: { fields: ['purpose'], message: '確認してください。' } }).expect(200);

      h.t.clock.advance(119 * MINUTE);
      expect(await job.run()).toBe(0);
      await signInAgain();
      await as.clerk.post(`/api/v1/staff/applications/${busy}/claim`).expect(200);
      h.t.clock.advance(2 * MINUTE);
      expect(await job.run()).toBe(1);
      expect((await claimColumns(idle)).claimed_by).toBeNull();
      expect(await auditOf(idle, 'application.claim.idleReleased')).toEqual([
        { actor_kind: 'system', actor_id: 'claim-idle-release', details: { holder: staffHandles.clerk.id, idleMinutes: 120 } },
      ]);
      // A second worker finds nothing left to do.
      expect(await job.run()).toBe(0);
      expect(await auditOf(idle, 'application.claim.idleReleased')).toHaveLength(1);

      // Waiting for the resident is not the holder's idleness.
      h.t.clock.advance(5 * 24 * 60 * MINUTE);
      expect(await job.run()).toBe(1);
      expect((await claimColumns(busy)).claimed_by).toBeNull();
      expect((await claimColumns(returned)).claimed_by).toBe(staffHandles.clerk.id);
    });
  });

  describe('who may use case work', () => {
    const routes = (id: string) =>
      [
        ['post', `/api/v1/staff/applications/${id}/claim`, {}],
        ['post', `/api/v1/staff/applications/${id}/release`, {}],
        ['post', `/api/v1/staff/applications/${id}/assign`, { staffId: UNKNOWN_ID }],
        ['post', `/api/v1/staff/applications/${id}/notes`, { body: '確認済み' }],
        ['get', `/api/v1/staff/applications/${id}/notes`, undefined],
        ['get', `/api/v1/staff/applications/${id}/diff`, undefined],
      ] as const;
    const send = (who: Client, [method, url, body]: readonly ['post' | 'get', string, object | undefined]) => (method === 'get' ? who.get(url) : who.post(url, body));

    it('refuses managers and administrators (403 AUTH_FORBIDDEN) and residents (403), writing nothing', async () => {
      const id = await underReview();
      for (const who of [as.manager, as.administrator, resident]) {
        for (const route of routes(id)) await refusedUnchanged(id, () => send(who, route), 403, 'AUTH_FORBIDDEN');
      }
    });

    it('hides the case from staff of another department and of another municipality (404 APPLICATION_NOT_FOUND)', async () => {
      const id = await underReview();
      await as.clerk.post(`/api/v1/staff/applications/${id}/notes`, { body: '課内の記録' }).expect(201);
      for (const who of [as.zeimuClerk, as.otherClerk]) {
        for (const route of routes(id)) await refusedUnchanged(id, () => send(who, route), 404, 'APPLICATION_NOT_FOUND');
      }
      // The 990002 clerk's own municipality has the procedure too: still nothing of 990001.
      const [notes] = await h.t.dataSource.query(`SELECT count(*)::int AS count FROM application_notes WHERE application_id = $1`, [id]);
      expect(notes.count).toBe(1);
    });
  });

  describe('internal notes', () => {
    let id: string;

    it('lets staff of the department write notes (trimmed, audited without the words) and read them oldest first (audited as a read)', async () => {
      id = await underReview();
      const first = await as.clerk.post(`/api/v1/staff/applications/${id}/notes`, { body: '  電話で在籍を確認済み。  ' }).expect(201);
      expect(first.body).toEqual({
        id: expect.any(String),
        body: '電話で在籍を確認済み。',
        author: { id: staffHandles.clerk.id, name: 'clerk.casework' },
        createdAt: h.t.clock.now().toISOString(),
      });
      // Same instant: the order is still the order written.
      await as.reviewer.post(`/api/v1/staff/applications/${id}/notes`, { body: '本人確認書類は次回持参。' }).expect(201);
      await as.approver.post(`/api/v1/staff/applications/${id}/notes`, { body: '了解' }).expect(201);

      const listed = await as.clerk2.get(`/api/v1/staff/applications/${id}/notes`).expect(200);
      expect(listed.body.map((note: { body: string; author: { name: string } }) => [note.author.name, note.body])).toEqual([
        ['clerk.casework', '電話で在籍を確認済み。'],
        ['reviewer.casework', '本人確認書類は次回持参。'],
        ['approver.casework', '了解'],
      ]);
      const added = await auditOf(id, 'application.note.added');
      expect(added).toHaveLength(3);
      expect(added[0]).toEqual({ actor_kind: 'staff', actor_id: staffHandles.clerk.id, details: { noteId: first.body.id } });
      expect(JSON.stringify(added)).not.toContain('在籍');
      expect(await auditOf(id, 'application.read')).toEqual([{ actor_kind: 'staff', actor_id: staffHandles.clerk2.id, details: { fields: ['notes'], count: 3, subject: expect.any(String), department: 'shimin', read: 'notes' } }]);
    });

    it('never shows notes in any resident answer', async () => {
      const answers = [
        await resident.get(`/api/v1/applications/${id}`).expect(200),
        await resident.get(`/api/v1/applications/${id}/timeline`).expect(200),
        await resident.get(`/api/v1/applications/${id}/changes`).expect(200),
        await resident.get(`/api/v1/applications/${id}/receipt`).expect(200),
        await resident.get('/api/v1/applications').expect(200),
      ];
      for (const answer of answers) {
        const text = JSON.stringify(answer.body);
        for (const words of ['在籍', '本人確認書類', '了解', 'clerk.casework', 'reviewer.casework']) expect(text).not.toContain(words);
      }
    });

    it('refuses an empty, blank, too long or malformed body with 400 VALIDATION_FAILED, writing nothing; 2000 characters are fine, counted as characters', async () => {
      for (const body of [{}, { body: '' }, { body: '   \n\t ' }, { body: 'あ'.repeat(2001) }, { body: ` ${'x'.repeat(2001)} ` }, { body: 42 }, { body: ['メモ'] }, { body: 'メモ', pinned: true }]) {
        await refusedUnchanged(id, () => as.clerk.post(`/api/v1/staff/applications/${id}/notes`, body), 400, 'VALIDATION_FAILED');
      }
      await as.clerk.post(`/api/v1/staff/applications/${id}/notes`, { body: 'あ'.repeat(2000) }).expect(201);
      // Characters outside the BMP are one character each, as PostgreSQL counts them.
      await as.clerk.post(`/api/v1/staff/applications/${id}/notes`, { body: '𠮷'.repeat(2000) }).expect(201);
      await refusedUnchanged(id, () => as.clerk.post(`/api/v1/staff/applications/${id}/notes`, { body: '𠮷'.repeat(2001) }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('submission snapshots and diffs', () => {
    let id: string;
    const MESSAGE = '電話番号、個人番号と口座番号をご確認ください。';
    const NEW_BANK = { ...DIFF_FORM.bankAccount, accountNumber: '7654321' };

    it('keeps the form as submitted, sealed; with one submission staff see nothing to compare', async () => {
      id = (await submitted(resident, DIFF_PROCEDURE, DIFF_FORM)).id;
      const snapshots: Array<{ seq: number; form_data: Record<string, unknown>; actor_kind: string }> = await h.t.dataSource.query(
        `SELECT seq, form_data, actor_kind FROM application_submissions WHERE application_id = $1 ORDER BY seq`,
        [id],
      );
      expect(snapshots).toHaveLength(1);
      expect(snapshots[0]).toMatchObject({ seq: 2, actor_kind: 'resident', form_data: { ...DIFF_FORM, individualNumber: expect.stringMatching(/^enc:/), bankAccount: { ...DIFF_FORM.bankAccount, accountNumber: expect.stringMatching(/^enc:/) } } });
      expect(JSON.stringify(snapshots)).not.toContain(NUMBER);

      const diff = await as.clerk.get(`/api/v1/staff/applications/${id}/diff`).expect(200);
      expect(diff.body).toEqual({ from: null, to: { revision: 2, submittedAt: h.t.clock.now().toISOString() }, changes: [], sendBack: null });
    });

    it('shows the resident the flagged fields, the message and the events since the submission while returned', async () => {
      await as.clerk
        .post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.sendBack', payload: { fields: ['phone', 'individualNumber', 'bankAccount'], message: MESSAGE } })
        .expect(200);
      const changes = await resident.get(`/api/v1/applications/${id}/changes`).expect(200);
      expect(changes.body).toEqual({
        lastSubmittedAt: expect.any(String),
        summary: { ja: '前回の提出から変更した項目はありません。', en: 'You have changed no answers since your last submission.' },
        changes: [],
        events: [{ at: h.t.clock.now().toISOString(), event: 'staff.sendBack', description: { ja: '修正のお願いが届きました', en: 'Returned for correction' }, status: { ja: '修正のお願い（差戻し）', en: 'Returned for correction' } }],
        sendBack: { fields: ['phone', 'individualNumber', 'bankAccount'], message: MESSAGE },
      });
    });

    it('shows the resident the answers they corrected, masked where sensitive, before they resubmit; staff see the pending corrections too', async () => {
      const { revision } = await storedApplication(h.t, id);
      await resident
        .put(`/api/v1/applications/${id}/corrections`, { changes: { phone: '03-9999-0000', individualNumber: NEW_NUMBER, bankAccount: NEW_BANK }, revision })
        .expect(200);
      const changes = await resident.get(`/api/v1/applications/${id}/changes`).expect(200);
      expect(changes.body.summary).toEqual({
        ja: '前回の提出から3項目を変更しました。再提出するまで担当者には届きません。',
        en: 'You changed 3 answer(s) since your last submission. Staff see them once you resubmit.',
      });
      expect(changes.body.changes).toEqual([
        { field: 'individualNumber', label: { ja: '請求者の個人番号', en: 'individualNumber' }, before: masked(NUMBER), after: masked(NEW_NUMBER), flagged: true },
        { field: 'phone', label: { ja: '電話番号', en: 'phone' }, before: '03-1234-5678', after: '03-9999-0000', flagged: true },
        { field: 'bankAccount.accountNumber', label: { ja: '振込先口座（請求者名義） / 口座番号', en: 'bankAccount.accountNumber' }, before: '***4567', after: '***4321', flagged: true },
      ]);
      expect(changes.body.events.map((entry: { event: string }) => entry.event)).toEqual(['staff.sendBack', 'application.corrected']);
      const text = JSON.stringify(changes.body);
      expect(text).not.toContain(NUMBER);
      expect(text).not.toContain(NEW_NUMBER);

      const pending = await as.clerk.get(`/api/v1/staff/applications/${id}/diff`).expect(200);
      expect(pending.body).toMatchObject({ from: { revision: 2 }, to: null, sendBack: { fields: ['phone', 'individualNumber', 'bankAccount'], message: MESSAGE } });
      expect(pending.body.changes.map((change: { field: string }) => change.field)).toEqual(['individualNumber', 'phone', 'bankAccount.accountNumber']);
    });

    it('after resubmission shows staff exactly the changed fields with before and after, masked, and what they had flagged (audited as a read)', async () => {
      await resident.post(`/api/v1/applications/${id}/resubmit`, {}).expect(200);
      const resubmittedAt = h.t.clock.now().toISOString();
      h.t.clock.advance(MINUTE);
      const diff = await as.reviewer.get(`/api/v1/staff/applications/${id}/diff`).expect(200);
      expect(diff.body).toEqual({
        from: { revision: 2, submittedAt: expect.any(String) },
        to: { revision: 5, submittedAt: resubmittedAt },
        changes: [
          { field: 'individualNumber', title: '請求者の個人番号', before: masked(NUMBER), after: masked(NEW_NUMBER), flagged: true },
          { field: 'phone', title: '電話番号', before: '03-1234-5678', after: '03-9999-0000', flagged: true },
          { field: 'bankAccount.accountNumber', title: '振込先口座（請求者名義） / 口座番号', before: '***4567', after: '***4321', flagged: true },
        ],
        sendBack: { fields: ['phone', 'individualNumber', 'bankAccount'], message: MESSAGE, at: expect.any(String) },
      });
      expect(JSON.stringify(diff.body)).not.toContain(NUMBER);
      const reads = await auditOf(id, 'application.read');
      expect(reads.at(-1)).toEqual({
        actor_kind: 'staff',
        actor_id: staffHandles.reviewer.id,
        details: { fields: ['individualNumber', 'phone', 'bankAccount'], view: 'submissionDiff', subject: expect.any(String), department: 'shimin', read: 'diff' },
      });
      const [count] = await h.t.dataSource.query(`SELECT count(*)::int AS count FROM application_submissions WHERE application_id = $1`, [id]);
      expect(count.count).toBe(2);

      // The resident's own view starts over from the resubmission.
      const changes = await resident.get(`/api/v1/applications/${id}/changes`).expect(200);
      expect(changes.body).toMatchObject({ lastSubmittedAt: resubmittedAt, changes: [], events: [], sendBack: null });
    });

    it('compares a second resubmission with the first one, arrays as a whole', async () => {
      await as.clerk.post(`/api/v1/staff/applications/${id}/events`, { type: 'staff.sendBack', payload: { fields: ['children'], message: '児童の情報をご確認ください。' } }).expect(200);
      const { revision } = await storedApplication(h.t, id);
      await resident
        .put(`/api/v1/applications/${id}/corrections`, { changes: { children: [{ ...DIFF_FORM.children[0], livesTogether: false }] }, revision })
        .expect(200);
      await resident.post(`/api/v1/applications/${id}/resubmit`, {}).expect(200);
      const diff = await as.clerk.get(`/api/v1/staff/applications/${id}/diff`).expect(200);
      expect(diff.body).toMatchObject({ from: { revision: 5 }, to: { revision: 8 } });
      expect(diff.body.changes).toEqual([
        {
          field: 'children',
          title: '養育している児童',
          before: DIFF_FORM.children,
          after: [{ ...DIFF_FORM.children[0], livesTogether: false }],
          flagged: true,
        },
      ]);
      expect(diff.body.sendBack.fields).toEqual(['children']);
    });

    it('answers another resident with 404 APPLICATION_NOT_FOUND and a draft with 409 APPLICATION_NOT_SUBMITTED', async () => {
      expectError(await otherResident.get(`/api/v1/applications/${id}/changes`), 404, 'APPLICATION_NOT_FOUND');
      expectError(await resident.get(`/api/v1/applications/${UNKNOWN_ID}/changes`), 404, 'APPLICATION_NOT_FOUND');
      expectError(await as.clerk.get(`/api/v1/applications/${id}/changes`), 403, 'AUTH_FORBIDDEN');
      const draft = await resident.post('/api/v1/applications', { procedureCode: DIFF_PROCEDURE, formData: DIFF_FORM }).expect(201);
      expectError(await resident.get(`/api/v1/applications/${draft.body.id}/changes`), 409, 'APPLICATION_NOT_SUBMITTED');
    });

    it('keeps snapshots append-only in the database', async () => {
      await expect(h.t.dataSource.query(`UPDATE application_submissions SET form_data = '{}' WHERE application_id = $1`, [id])).rejects.toThrow(/append-only/);
      await expect(h.t.dataSource.query(`DELETE FROM application_notes`)).rejects.toThrow(/append-only/);
    });
  });
});

import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { hashPassword, ResidentRepository, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, isoDateIn } from '@madoguchi/kernel';
import type { ApprovalLevel, StaffRole } from '@madoguchi/workflow';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { createTestApp, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { publishTestSubsidy, TEST_SUBSIDY } from '../support/test-procedures';

/**
 * The office's e-approval pages over HTTP (issue 12): the inbox with each
 * route drawn as steps, a three-level approval with 合議 and a 代決 decided
 * through the pages (form → confirmation → 303), the hash-chain badge,
 * separation of duties said in words, and page-level access.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const PASSWORD = 'office-password-0001';
const FORM = {
  applicantName: '窓口 花子',
  applicantKana: 'マドグチ ハナコ',
  phone: '03-1234-5678',
  installationAddress: '桜ヶ丘市本町1-2-3',
  buildingType: '既存住宅',
  capacityKw: 5,
  installationCost: 1200000,
  requestedAmount: 100000,
  installerName: '桜ヶ丘電設株式会社',
  plannedCompletionDate: '2027-02-28',
};

let t: TestApp;
let server: Server;
let residentId: string;
const ids: Record<string, string> = {};
type Session = { cookie: string; csrf: string };

async function staff(loginId: string, roles: StaffRole[], departments: string[], approvalLevel: ApprovalLevel | null = null): Promise<void> {
  const created = await t.get(StaffAdminService).create(M1, 'office-setup', { loginId, password: PASSWORD, displayName: `職員 ${loginId}`, roles, approvalLevel, departments, active: true });
  ids[loginId] = created.account.id;
}

async function signIn(loginId: string): Promise<Session> {
  await t.dataSource.query('DELETE FROM rate_limits');
  const response = await request(server).post('/office/sign-in').set('X-Municipality-Id', M1).type('form').send({ loginId, password: PASSWORD, next: '/office/approvals' });
  expect(response.status).toBe(303);
  const cookie = (response.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('madoguchi_session='))!.split(';')[0];
  const page = await request(server).get('/office/approvals').set('Cookie', cookie).set('Accept-Language', 'ja');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
  return { cookie, csrf };
}

const get = (who: Session, path: string) => request(server).get(path).set('Cookie', who.cookie).set('Accept-Language', 'ja');
const post = (who: Session, path: string, body: Record<string, string>) => request(server).post(path).set('Cookie', who.cookie).set('Accept-Language', 'ja').type('form').send({ _csrf: who.csrf, ...body });

/** Decides through the page: the form, its confirmation, then the commit (post/redirect/get). */
async function decide(who: Session, id: string, choice: string, comment = ''): Promise<void> {
  const confirm = await post(who, `/office/approvals/${id}/decide`, { choice, comment });
  expect(confirm.status).toBe(200);
  expect(confirm.text).toContain('決裁の確認');
  const hidden = (name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(confirm.text)?.[1] ?? '';
  const commit = await post(who, `/office/approvals/${id}/decide`, { choice, comment, revision: hidden('revision'), step: hidden('step'), commit: '1' });
  expect(commit.status).toBe(303);
  expect(commit.headers.location).toMatch(new RegExp(`^/office/approvals/${id}\\?done=`));
}

async function caseInApproval(reviewer: string): Promise<string> {
  const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: TEST_SUBSIDY, channel: 'online', applicantId: residentId, formData: FORM, actor: { kind: 'resident', id: residentId } });
  await t.get(ApplicationWorkflowService).transition(M1, draft.id, { type: 'resident.submit', actor: { kind: 'resident', id: residentId }, payload: {} });
  await t.get(ApplicationWorkflowService).transition(M1, draft.id, { type: 'staff.accept', actor: { kind: 'staff', id: ids[reviewer] }, payload: {} });
  return draft.id;
}

beforeAll(async () => {
  t = await createTestApp({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  server = t.app.getHttpServer();
  await publishTestSubsidy(t);
  residentId = randomUUID();
  await t.get(ResidentRepository).insert(M1, { id: residentId, email: 'approvals-page@example.jp', passwordHash: await hashPassword(PASSWORD), jpkiSubject: null, now: t.clock.now() });
  await staff('kankyo-reviewer', ['clerk', 'reviewer'], ['kankyo']);
  await staff('kankyo-kakaricho', ['approver'], ['kankyo'], 'kakaricho');
  await staff('kankyo-kakaricho-b', ['approver'], ['kankyo'], 'kakaricho');
  await staff('zaisei-kakaricho', ['approver'], ['zaisei'], 'kakaricho');
  await staff('kankyo-kacho', ['approver'], ['kankyo'], 'kacho');
  await staff('kankyo-bucho', ['approver'], ['kankyo'], 'bucho');
  await staff('kankyo-reviewer-approver', ['reviewer', 'approver'], ['kankyo'], 'kacho');
  await staff('shimin-bucho', ['approver'], ['shimin'], 'bucho');
}, 120_000);

afterAll(() => t?.close());

it('sends an anonymous visitor to the office sign-in, and a clerk without the approver role gets no inbox', async () => {
  const anonymous = await request(server).get('/office/approvals/delegations');
  expect(anonymous.status).toBe(303);
  expect(anonymous.headers.location).toBe('/office/sign-in?next=%2Foffice%2Fapprovals%2Fdelegations');
  const clerk = await signIn('kankyo-reviewer');
  expect((await get(clerk, '/office/approvals')).status).toBe(403);
  expect((await get(clerk, '/office/queue')).text).not.toContain('href="/office/approvals"');
});

it('takes a subsidy through 係長, 財政課 合議, 課長 by 代決 and 部長 on the pages, with the chain badge and separation of duties in words', async () => {
  const id = await caseInApproval('kankyo-reviewer-approver');
  const [kakaricho, zaisei, kacho, kakarichoB, bucho, reviewerApprover, shimin] = await Promise.all(
    ['kankyo-kakaricho', 'zaisei-kakaricho', 'kankyo-kacho', 'kankyo-kakaricho-b', 'kankyo-bucho', 'kankyo-reviewer-approver', 'shimin-bucho'].map(signIn),
  );

  // The inbox draws the route as steps, the current one said in words.
  const inbox = await get(kakaricho, '/office/approvals');
  expect(inbox.status).toBe(200);
  expect(inbox.text).toContain(`href="/office/approvals/${id}"`);
  expect(inbox.text).toMatch(/担当（起案）[\s\S]*係長[\s\S]*現在の段階[\s\S]*合議（財政課）[\s\S]*課長[\s\S]*部長/);
  expect(inbox.text).toContain('aria-current="step"');
  expect((await get(zaisei, '/office/approvals')).text).not.toContain(id);
  // Another department's approver sees nothing of it.
  expect((await get(shimin, '/office/approvals')).text).not.toContain(id);
  expect((await get(shimin, `/office/approvals/${id}`)).status).toBe(404);

  // Whoever reviewed it is told why they cannot decide; no form is offered.
  const reviewed = await get(reviewerApprover, `/office/approvals/${id}`);
  expect(reviewed.text).toContain('審査したため、決裁できません');
  expect(reviewed.text).not.toContain(`action="/office/approvals/${id}/decide"`);
  // A post anyway is refused by the service with its code's message.
  const forced = await post(reviewerApprover, `/office/approvals/${id}/decide`, { choice: 'approve', commit: '1' });
  expect(forced.status).toBe(403);

  // Errors: no choice; a return without a reason. The summary links to each field.
  const empty = await post(kakaricho, `/office/approvals/${id}/decide`, {});
  expect(empty.status).toBe(400);
  expect(empty.text).toContain('href="#choice"');
  const noReason = await post(kakaricho, `/office/approvals/${id}/decide`, { choice: 'returnClerk' });
  expect(noReason.status).toBe(400);
  expect(noReason.text).toContain('href="#comment"');
  // The first step offers no "return one step".
  expect((await get(kakaricho, `/office/approvals/${id}`)).text).not.toContain('value="returnPrevious"');

  await decide(kakaricho, id, 'approve', '内容確認済み');
  const after = await get(kakaricho, `/office/approvals/${id}?done=approved`);
  expect(after.text).toContain('決裁を記録しました：承認');
  expect(after.text).toContain('決裁記録：改ざんなし（1件を検証）');
  expect(after.text).toContain('申請内容：最後の決裁時から変更なし');
  expect(after.text).toContain('職員 kankyo-kakaricho（環境');
  // Now the step is 財政課's: the 係長 is told so, not shown buttons.
  expect(after.text).toContain('現在の段階を決裁する職位または所属ではありません');

  await decide(zaisei, id, 'approve', '予算の範囲内');

  // 代決: the 課長 names a colleague; the form refuses bad input first.
  const bad = await post(kacho, '/office/approvals/delegations', { startsOn: '2026-02-30', endsOn: '', reason: '' });
  expect(bad.status).toBe(400);
  for (const field of ['delegateId', 'startsOn', 'endsOn', 'reason']) expect(bad.text).toContain(`href="#${field}"`);
  const today = isoDateIn(t.clock.now(), 'Asia/Tokyo');
  const tooLong = await post(kacho, '/office/approvals/delegations', { delegateId: ids['kankyo-kakaricho-b'], startsOn: today, endsOn: '2027-12-31', reason: '出張' });
  expect(tooLong.status).toBe(422);
  expect(tooLong.text).toContain('90日以内');
  const set = await post(kacho, '/office/approvals/delegations', { delegateId: ids['kankyo-kakaricho-b'], startsOn: today, endsOn: today, reason: '出張のため' });
  expect(set.status).toBe(303);
  const board = await get(kacho, '/office/approvals/delegations?done=created');
  expect(board.text).toContain('代決を設定しました');
  expect(board.text).toContain('職員 kankyo-kakaricho-b');

  // The 係長 B now sees the 課長 step, marked as decided on the 課長's behalf.
  const delegateInbox = await get(kakarichoB, '/office/approvals');
  expect(delegateInbox.text).toContain(id);
  expect(delegateInbox.text).toContain('代決：職員 kankyo-kacho さんに代わって決裁します');
  await decide(kakarichoB, id, 'approve');
  const decided = await get(bucho, `/office/approvals/${id}`);
  expect(decided.text).toContain('職員 kankyo-kakaricho-b が 職員 kankyo-kacho さんに代わって（代決）');

  // The 部長 returns it one step, then it comes back and is approved.
  await decide(bucho, id, 'returnPrevious', '根拠資料を確認してください');
  const revoke = /action="(\/office\/approvals\/delegations\/[0-9a-f-]+\/revoke)"/.exec((await get(kacho, '/office/approvals/delegations')).text)![1];
  expect((await post(kacho, revoke, {})).status).toBe(303);
  expect((await get(kakarichoB, '/office/approvals')).text).not.toContain(id);
  await decide(kacho, id, 'approve');
  await decide(bucho, id, 'approve', '交付決定');
  const closed = await get(bucho, `/office/approvals/${id}`);
  expect(closed.text).toContain('決裁記録：改ざんなし（6件を検証）');
  expect(closed.text).toContain('いま決裁中ではありません');

  // Someone with the owner's rights alters a decision: the badge says where.
  await t.db.asOwner(async (owner) => {
    await owner.query(`ALTER TABLE approval_decisions DISABLE TRIGGER approval_decisions_append_only`);
    try {
      await owner.query(`UPDATE approval_decisions SET comment = '後から追記' WHERE application_id = $1 AND seq = 2`, [id]);
    } finally {
      await owner.query(`ALTER TABLE approval_decisions ENABLE TRIGGER approval_decisions_append_only`);
    }
  });
  expect((await get(bucho, `/office/approvals/${id}`)).text).toContain('決裁記録：第2件目で改ざんまたは欠落を検出');
});

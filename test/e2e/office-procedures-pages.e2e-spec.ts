import { ApplicationsService } from '@madoguchi/applications';
import { ApplicationWorkflowService } from '@madoguchi/engine';
import { SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import type { ProcedureDefinition, StaffRole, WorkflowActor } from '@madoguchi/workflow';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { parse, stringify } from 'yaml';
import { CONFIG_DIR, createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';
import { publishTestCertificate, TEST_CERTIFICATE } from '../support/test-procedures';

/**
 * The office pages of procedure versions tried before they go live (issue
 * 13) over HTTP, on real PostgreSQL: a definition refused with its file,
 * path and reason (400 page, nothing stored); the diff as tables; a dry run
 * against cases recorded by the real engine, with example reference numbers
 * linking to case pages; publishing offered and accepted only after a dry
 * run of exactly the current text; who may reach the pages. The browser flow
 * is test/browser/office-procedures.e2e-spec.ts.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
const PASSWORD = 'procedure-pages-password-01';
const CODE = TEST_CERTIFICATE;
const BASE = '/office/admin/procedures';
const FORM = { scope: '本人のみ', purpose: '学校への提出', copies: 2 };
const resident: WorkflowActor = { kind: 'resident', id: 'resident-pages' };
const clerkActor: WorkflowActor = { kind: 'staff', id: 'clerk-pages' };
const system: WorkflowActor = { kind: 'system', id: 'worker' };

/** The test certificate as YAML text at `version`, changed by `change`. */
function definitionText(version: number, change: (definition: ProcedureDefinition) => void = () => undefined): string {
  const definition = parse(readFileSync(path.join(CONFIG_DIR, 'procedures/juminhyo.yaml'), 'utf8')) as ProcedureDefinition;
  definition.code = CODE;
  definition.version = version;
  definition.identity = 'account';
  definition.steps = definition.steps.filter((step) => step !== 'identity');
  change(definition);
  return stringify(definition);
}
/** Version 2: a 係長 approval step, at most `copies` copies. */
const withApproval = (copies: number) => (definition: ProcedureDefinition) => {
  definition.approvalRoute = [{ role: 'approver', level: 'kakaricho' }];
  definition.steps = ['form', 'fee', 'review', 'approval', 'issue', 'notify'];
  (definition.form.schema.properties as Record<string, Record<string, unknown>>).copies.maximum = copies;
};

let t: TestApp;
let server: Server;
const cookies: Record<'admin' | 'clerk' | 'manager' | 'otherAdmin', string> = { admin: '', clerk: '', manager: '', otherAdmin: '' };
const cases = { completed: '', underReview: '' };

async function staffCookie(municipalityId: MunicipalityId, loginId: string, roles: StaffRole[]): Promise<string> {
  const created = await t.get(StaffAdminService).create(municipalityId, 'pages-setup', { loginId, password: PASSWORD, displayName: loginId, roles, approvalLevel: null, departments: ['shimin'], active: true });
  const { accessToken } = await t.get(SessionService).issue(municipalityId, { kind: 'staff', id: created.account.id }, 'cookie', 'password');
  return `madoguchi_session=${accessToken}`;
}

async function csrfOf(cookie: string): Promise<string> {
  const page = await request(server).get('/office/totp').set('Cookie', cookie);
  return /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
}

/** A case of version 1 driven through the real engine: submitted and paid, then `then`. */
async function recordCase(then: Array<{ type: string; actor: WorkflowActor }>): Promise<string> {
  const draft = await t.get(ApplicationsService).createDraft(M1, { procedureCode: CODE, channel: 'online', formData: FORM, actor: resident });
  const workflow = t.get(ApplicationWorkflowService);
  await workflow.transition(M1, draft.id, { type: 'resident.submit', actor: resident, payload: { amount: 600 } });
  await workflow.transition(M1, draft.id, { type: 'payment.succeeded', actor: { kind: 'provider', id: 'sim' } });
  for (const event of then) await workflow.transition(M1, draft.id, event);
  return draft.id;
}

const definitionRows = () => t.dataSource.query(`SELECT version FROM procedure_definitions WHERE municipality_id = $1 AND code = $2 ORDER BY version`, [M1, CODE]);
const draftCount = async () => (await t.dataSource.query(`SELECT count(*)::int AS count FROM procedure_drafts`))[0].count as number;

/** Uploads a definition as a file, the way the page's form sends it (multipart, `_csrf` first). */
function upload(cookie: string, csrf: string, url: string, text: string, fileName = 'juminhyo.yaml') {
  return request(server).post(url).set('Cookie', cookie).field('_csrf', csrf).field('yaml', '').attach('file', Buffer.from(text, 'utf8'), { filename: fileName, contentType: 'application/yaml' });
}

beforeAll(async () => {
  t = await createTestApp({ office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  server = t.app.getHttpServer();
  await publishTestCertificate(t, [M1, M2]);
  cookies.admin = await staffCookie(M1, 'pages-admin', ['administrator']);
  cookies.clerk = await staffCookie(M1, 'pages-clerk', ['clerk']);
  cookies.manager = await staffCookie(M1, 'pages-manager', ['manager']);
  cookies.otherAdmin = await staffCookie(M2, 'pages-other-admin', ['administrator']);
  cases.completed = await recordCase([
    { type: 'staff.accept', actor: clerkActor },
    { type: 'document.issued', actor: system },
    { type: 'notification.sent', actor: system },
  ]);
  cases.underReview = await recordCase([]);
}, 180_000);
afterAll(() => t?.close());

describe('procedure versions: office pages', () => {
  it('lists each procedure with its current version, and starts a draft from it with the next version number', async () => {
    const list = await request(server).get(BASE).set('Cookie', cookies.admin);
    expect(list.status).toBe(200);
    expect(list.text).toContain(`<code>${CODE}</code>`);
    expect(list.text).toContain(`${BASE}/new?code=${CODE}`);
    const form = await request(server).get(`${BASE}/new`).query({ code: CODE }).set('Cookie', cookies.admin);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<textarea[^>]*name="yaml"[^>]*>[^<]*version: 2\n/);
    expect(form.text).toContain('enctype="multipart/form-data"');
    // An unknown procedure: the not-found page, not an empty template.
    expect((await request(server).get(`${BASE}/new`).query({ code: 'no-such-procedure' }).set('Cookie', cookies.admin)).status).toBe(404);
  });

  it('refuses a bad definition with a 400 page giving each problem\'s file, path and reason beside the text; stores nothing', async () => {
    const csrf = await csrfOf(cookies.admin);
    const broken = definitionText(2, (definition) => {
      withApproval(1)(definition);
      definition.steps.splice(4, 0, 'teleport' as never);
    });
    const uploaded = await upload(cookies.admin, csrf, `${BASE}/drafts`, broken);
    expect(uploaded.status).toBe(400);
    expect(uploaded.text).toContain('class="mg-error-summary"');
    expect(uploaded.text).toContain('href="#yaml"');
    expect(uploaded.text).toContain('juminhyo.yaml /steps/4: ');
    expect(uploaded.text).toContain('unknown step kind &quot;teleport&quot;');
    expect(uploaded.text).toMatch(/<code class="mg-office-break">\/steps\/4<\/code>/);
    // The uploaded text comes back in the textarea, to be fixed there.
    expect(uploaded.text).toContain('teleport\n');

    const notYaml = await request(server).post(`${BASE}/drafts`).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf, yaml: 'code: [unclosed' });
    expect(notYaml.status).toBe(400);
    expect(notYaml.text).toContain('draft.yaml /: ');
    expect(notYaml.text).toContain('not valid YAML');

    const skipping = await request(server).post(`${BASE}/drafts`).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf, yaml: definitionText(3, withApproval(1)) });
    expect(skipping.status).toBe(400);
    expect(skipping.text).toContain('draft.yaml /version: must be 2');

    // Over the upload limit: said by the file field (400), not a server error.
    const huge = await upload(cookies.admin, csrf, `${BASE}/drafts`, `# ${'x'.repeat(1_100_000)}\n`);
    expect(huge.status).toBe(400);
    expect(huge.text).toContain('href="#file"');

    const empty = await request(server).post(`${BASE}/drafts`).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf, yaml: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('手続の定義を入力するか、YAML ファイルを選んでください');
    expect(await draftCount()).toBe(0);
  });

  it('shows the diff as tables, refuses publishing before a dry run, dry-runs the recorded cases, and publishes after a confirmation', async () => {
    const csrf = await csrfOf(cookies.admin);
    const created = await upload(cookies.admin, csrf, `${BASE}/drafts`, definitionText(2, withApproval(1)));
    expect(created.status).toBe(303);
    const location = String(created.headers.location);
    const id = /\/drafts\/([0-9a-f-]{36})\?done=created$/.exec(location)?.[1];
    expect(id).toBeTruthy();
    const draftUrl = `${BASE}/drafts/${id}`;

    const page = await request(server).get(location).set('Cookie', cookies.admin);
    expect(page.status).toBe(200);
    expect(page.text).toContain('第1版との違い（第2版）');
    expect(page.text).toContain('<code>copies</code>');
    expect(page.text).toContain('条件の変更');
    expect(page.text).toContain('決裁（approval）');
    expect(page.text).toContain('係長');
    // No publishing is offered before a dry run; asked for directly, it is refused.
    expect(page.text).not.toContain(`${draftUrl}/publish`);
    const early = await request(server).get(`${draftUrl}/publish`).set('Cookie', cookies.admin);
    expect(early.status).toBe(409);
    expect(early.text).toContain('まだ試行（ドライラン）されていません');
    const forced = await request(server).post(`${draftUrl}/publish`).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf });
    expect(forced.status).toBe(409);
    expect(await definitionRows()).toEqual([{ version: 1 }]);

    // A sample that is no number from 1 to 1000: the draft page again, the problem by its field.
    for (const sample of ['0', '1001', 'many']) {
      const bad = await request(server).post(`${draftUrl}/dry-run`).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf, sample });
      expect({ sample, status: bad.status }).toEqual({ sample, status: 400 });
      expect(bad.text).toContain('href="#sample"');
    }

    const run = await request(server).post(`${draftUrl}/dry-run`).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf, sample: '200' });
    expect({ status: run.status, location: run.headers.location }).toEqual({ status: 303, location: `${draftUrl}/dry-run?done=1` });
    const report = await request(server).get(run.headers.location).set('Cookie', cookies.admin);
    expect(report.status).toBe(200);
    const [{ reference_number: reference }] = await t.dataSource.query('SELECT reference_number FROM applications WHERE id = $1', [cases.completed]);
    expect(report.text).toContain('2件の申請で試行しました');
    expect(report.text).toContain('<code>document.issued</code>');
    expect(report.text).toContain('この状態では受け付けない出来事です');
    expect(report.text).toContain(`href="/office/applications/${cases.completed}"`);
    expect(reference).toBeTruthy();
    expect(report.text).toContain(`>${reference}</a>`);
    expect(report.text).toContain('<code>copies</code>');
    expect(report.text).toContain(`href="${draftUrl}/publish"`);

    // Edited after the dry run: publishing is no longer offered, nor accepted.
    const edited = await request(server).post(draftUrl).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf, yaml: definitionText(2, withApproval(2)) });
    expect({ status: edited.status, location: edited.headers.location }).toEqual({ status: 303, location: `${draftUrl}?done=saved` });
    const stale = await request(server).get(`${draftUrl}/dry-run`).set('Cookie', cookies.admin);
    expect(stale.text).toContain('試行の後に下書きが変更されました');
    expect(stale.text).not.toContain(`href="${draftUrl}/publish"`);
    expect((await request(server).get(`${draftUrl}/publish`).set('Cookie', cookies.admin)).status).toBe(409);

    await request(server).post(`${draftUrl}/dry-run`).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf, sample: '1' }).expect(303);
    const confirm = await request(server).get(`${draftUrl}/publish`).set('Cookie', cookies.admin);
    expect(confirm.status).toBe(200);
    expect((await request(server).get(draftUrl).set('Cookie', cookies.admin)).text).toContain(`href="${draftUrl}/publish"`);
    expect(confirm.text).toContain('処理中の申請は、受け付けたときの版のまま進みます');
    const published = await request(server).post(`${draftUrl}/publish`).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf });
    expect({ status: published.status, location: published.headers.location }).toEqual({ status: 303, location: `${draftUrl}/published` });
    const done = await request(server).get(`${draftUrl}/published`).set('Cookie', cookies.admin);
    expect(done.text).toMatch(/data-testid="published-version">2</);
    expect(await definitionRows()).toEqual([{ version: 1 }, { version: 2 }]);
    const [{ procedure_version }] = await t.dataSource.query('SELECT procedure_version FROM applications WHERE id = $1', [cases.underReview]);
    expect(procedure_version).toBe(1);
    // Published: no more editing or dry runs.
    expect((await request(server).get(`${draftUrl}/edit`).set('Cookie', cookies.admin)).status).toBe(409);
    expect((await request(server).post(`${draftUrl}/publish`).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf })).status).toBe(409);
    const list = await request(server).get(BASE).set('Cookie', cookies.admin);
    expect(list.text).toContain('第2版として公開済み');
  });

  it('is for administrators of the municipality: others refused, another municipality\'s draft not found, forms need the CSRF token', async () => {
    const csrf = await csrfOf(cookies.admin);
    const created = await request(server).post(`${BASE}/drafts`).set('Cookie', cookies.admin).type('form').send({ _csrf: csrf, yaml: definitionText(3) });
    expect(created.status).toBe(303);
    const draftUrl = String(created.headers.location).replace(/\?.*$/, '');
    for (const who of ['clerk', 'manager'] as const) {
      for (const url of [BASE, `${BASE}/new`, draftUrl, `${draftUrl}/dry-run`]) expect({ who, url, status: (await request(server).get(url).set('Cookie', cookies[who])).status }).toEqual({ who, url, status: 403 });
    }
    const anonymous = await request(server).get(draftUrl);
    expect({ status: anonymous.status, location: anonymous.headers.location }).toEqual({ status: 303, location: `/office/sign-in?next=${encodeURIComponent(draftUrl)}` });
    for (const url of [draftUrl, `${draftUrl}/edit`, `${draftUrl}/dry-run`, `${draftUrl}/publish`]) expect({ url, status: (await request(server).get(url).set('Cookie', cookies.otherAdmin)).status }).toEqual({ url, status: 404 });
    const otherCsrf = await csrfOf(cookies.otherAdmin);
    expect((await request(server).post(`${draftUrl}/dry-run`).set('Cookie', cookies.otherAdmin).type('form').send({ _csrf: otherCsrf, sample: '5' })).status).toBe(404);
    // Another municipality's list does not show ours.
    expect((await request(server).get(BASE).set('Cookie', cookies.otherAdmin)).text).not.toContain(draftUrl);
    expect((await request(server).get(`${BASE}/drafts/not-a-uuid`).set('Cookie', cookies.admin)).status).toBe(400);
    const before = await draftCount();
    expect((await request(server).post(`${BASE}/drafts`).set('Cookie', cookies.admin).type('form').send({ yaml: definitionText(3) })).status).toBe(403);
    expect((await upload(cookies.admin, '', `${BASE}/drafts`, definitionText(3))).status).toBe(403);
    expect(await draftCount()).toBe(before);
  });
});

import { csrfTokenOf, SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import { KpiRegisterService } from '@madoguchi/kpi';
import type { StaffRole } from '@madoguchi/workflow';
import type { Server } from 'node:http';
import request from 'supertest';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';

/**
 * The managers' pages over HTTP on real PostgreSQL (issue 13): the
 * dashboard with every seeded plan KPI (chart image, summary, data table)
 * and the dashboard figures, its filters, the monthly value entry of an
 * entered KPI (never overwriting: a correction is a new row), the KPI
 * register for administrators, the office-served chart images, and who may
 * reach each. The browser flow is test/browser/office-manager.e2e-spec.ts.
 * The test clock is 2026-11-22 (fiscal year 2026).
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
let t: TestApp;
let server: Server;

interface Session {
  cookie: string;
  csrf: string;
}

async function staff(municipalityId: MunicipalityId, loginId: string, roles: StaffRole[], departments: string[] = []): Promise<Session> {
  const created = await t.get(StaffAdminService).create(municipalityId, 'setup', { loginId, password: 'dashboard-pages-pw-0001', displayName: `職員 ${loginId}`, roles, approvalLevel: null, departments, active: true });
  const { accessToken } = await t.get(SessionService).issue(municipalityId, { kind: 'staff', id: created.account.id }, 'cookie', 'password');
  return { cookie: `madoguchi_session=${accessToken}`, csrf: csrfTokenOf(accessToken) };
}

const get = (session: Session | null, path: string) => {
  const call = request(server).get(path);
  return session ? call.set('Cookie', session.cookie) : call;
};
const post = (session: Session, path: string, form: Record<string, string>) => request(server).post(path).set('Cookie', session.cookie).type('form').send({ _csrf: session.csrf, ...form });

let manager: Session;
let administrator: Session;
let clerk: Session;
let otherManager: Session;

beforeAll(async () => {
  t = await createTestApp({ office: true });
  server = t.app.getHttpServer();
  manager = await staff(M1, 'dash-manager', ['manager'], ['johoseisaku']);
  administrator = await staff(M1, 'dash-admin', ['administrator']);
  clerk = await staff(M1, 'dash-clerk', ['clerk'], ['shimin']);
  otherManager = await staff(M2, 'dash-other', ['manager']);
}, 180_000);
afterAll(() => t?.close());

describe('dashboard', () => {
  it('shows every seeded KPI with current value, target, gap, status, a chart image, its summary and its data table; and every dashboard figure', async () => {
    const cards = await t.get(KpiRegisterService).cards(M1, {});
    expect(cards.length).toBeGreaterThanOrEqual(10);
    const page = await get(manager, '/office/dashboard').expect(200);
    for (const card of cards) {
      expect(page.text).toContain(card.name.ja);
      expect(page.text).toContain(`src="/office/kpis/${card.code}/chart.svg?fiscalYear=2026&amp;lang=ja"`);
      expect(page.text).toContain(`id="kpi-${card.code}-chart"`);
    }
    expect(page.text).toContain('データの表：公式LINEの友だち登録者数');
    expect(page.text).toContain('公式LINEの友だち登録者数：実績値はまだありません。');
    for (const chart of ['online-procedures', 'online-share', 'channels', 'cashless', 'processing-per-procedure', 'processing-times', 'counter-waits', 'no-shows']) {
      expect(page.text).toContain(`src="/office/dashboard/${chart}/chart.svg?fiscalYear=2026&amp;lang=ja"`);
    }
    for (const stage of ['検討', '策定', '実施', '運用']) expect(page.text).toContain(stage);
    // Every message parameter filled.
    expect(page.text).not.toMatch(/\{[a-zA-Z]+\}/);
    // The header menu and the home page link the dashboard for managers.
    expect(page.text).toContain('href="/office/dashboard"');
    expect((await get(manager, '/office').expect(200)).text).toContain('href="/office/dashboard"');

    const english = await request(server).get('/office/dashboard').set('Cookie', `${manager.cookie}; lang=en`).expect(200);
    expect(english.text).toContain('Official LINE followers');
    expect(english.text).toContain('lang=en');
  });

  it('filters by fiscal year and department on the server, and refuses values not in the lists with an error summary', async () => {
    const filtered = await get(manager, '/office/dashboard?fiscalYear=2025&department=shimin').expect(200);
    expect(filtered.text).toContain('マイナンバーカード交付率');
    expect(filtered.text).not.toContain('公式LINEの友だち登録者数');
    expect(filtered.text).toContain('fiscalYear=2025&amp;lang=ja&amp;department=shimin');
    expect(filtered.text).toMatch(/<option value="2025" selected/);

    const bad = await get(manager, '/office/dashboard?fiscalYear=1999&department=no-such').expect(400);
    expect(bad.text).toContain('href="#fiscalYear"');
    expect(bad.text).toContain('href="#department"');
    expect(bad.text).toContain('年度は一覧から選んでください');
  });

  it('serves the charts as SVG from the office with their own strict policy; an unknown chart or KPI is not found', async () => {
    for (const path of ['/office/kpis/line-followers/chart.svg?lang=en', '/office/dashboard/cashless/chart.svg?fiscalYear=2026', '/office/dashboard/counter-waits/chart.svg']) {
      const svg = await get(manager, path).expect(200);
      expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(svg.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
      expect(svg.body.toString('utf8').startsWith('<svg')).toBe(true);
    }
    await get(manager, '/office/dashboard/no-such/chart.svg').expect(404);
    await get(manager, '/office/kpis/no-such-kpi/chart.svg').expect(404);
    await get(manager, '/office/kpis/Bad_Code/chart.svg').expect(404);
  });
});

describe('KPI value entry', () => {
  it('refuses a bad month and value with an error summary, keeping what was typed', async () => {
    const form = await get(manager, '/office/kpis/line-followers').expect(200);
    expect(form.text).toContain('action="/office/kpis/line-followers/values"');
    expect(form.text).toContain('value="2026-11"');

    const bad = await post(manager, '/office/kpis/line-followers/values', { month: '2026/10', value: 'たくさん', note: 'メモ' }).expect(400);
    expect(bad.text).toContain('href="#month"');
    expect(bad.text).toContain('href="#value"');
    expect(bad.text).toContain('value="2026/10"');
    expect(bad.text).toContain('メモ</textarea>');

    const future = await post(manager, '/office/kpis/line-followers/values', { month: '2026-12', value: '5000' }).expect(400);
    expect(future.text).toContain('href="#month"');
    expect(future.text).toContain('まだ始まっていない月の値は入力できません');
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM kpi_values WHERE municipality_id = $1 AND kpi_code = 'line-followers'`, [M1]);
    expect(count).toBe(0);
  });

  it('records a value with who and when, shows it on the dashboard, and keeps the earlier value when a month is corrected', async () => {
    const entered = await post(manager, '/office/kpis/line-followers/values', { month: '2026-10', value: '4,200', note: '10月末の登録者数' });
    expect({ status: entered.status, location: entered.headers.location }).toEqual({ status: 303, location: '/office/kpis/line-followers?done=entered' });
    const detail = await get(manager, entered.headers.location).expect(200);
    expect(detail.text).toContain('値を記録しました。');
    expect(detail.text).toContain('職員 dash-manager');
    expect(detail.text).toContain('10月末の登録者数');
    expect(detail.text).toContain('4,200');

    const dashboard = await get(manager, '/office/dashboard').expect(200);
    expect(dashboard.text).toContain('4,200人');
    expect(dashboard.text).toContain('公式LINEの友だち登録者数：最新値は2026-10の4,200人');

    await post(manager, '/office/kpis/line-followers/values', { month: '2026-10', value: '4300', note: '集計の誤りを訂正' }).expect(303);
    const rows = await t.dataSource.query(`SELECT value::float AS value, note FROM kpi_values WHERE municipality_id = $1 AND kpi_code = 'line-followers' ORDER BY entered_at, id`, [M1]);
    expect(rows).toEqual([
      { value: 4200, note: '10月末の登録者数' },
      { value: 4300, note: '集計の誤りを訂正' },
    ]);
    const corrected = await get(manager, '/office/kpis/line-followers').expect(200);
    expect(corrected.text).toContain('訂正済み');
    expect(corrected.text).toContain('使用中の値');
    expect((await get(manager, '/office/dashboard').expect(200)).text).toContain('4,300人');
  });

  it('has no form for a measured KPI and refuses a value posted to one', async () => {
    const measured = await get(manager, '/office/kpis/online-procedures').expect(200);
    expect(measured.text).not.toContain('action="/office/kpis/online-procedures/values"');
    expect(measured.text).toContain('システムが毎月末に計測');
    const refused = await post(manager, '/office/kpis/online-procedures/values', { month: '2026-10', value: '3' }).expect(409);
    expect(refused.text).toContain('この指標はシステムが計測するため、値を入力できません。');
  });
});

describe('KPI register (administrators)', () => {
  const complete = {
    code: 'digital-counter-visits',
    nameJa: '書かない窓口の利用件数',
    nameEn: 'Visits to the no-writing counter',
    unit: '件',
    baselineValue: '0',
    baselineDate: '2024-03-31',
    targetValue: '1200',
    targetFiscalYear: '2027',
    direction: 'up',
    source: 'entered',
    measure: '',
    procedureCodes: '',
    department: 'shimin',
    sortOrder: '20',
    active: 'true',
  };

  it('lists the register and links it from the administration menu', async () => {
    const list = await get(administrator, '/office/admin/kpis').expect(200);
    expect(list.text).toContain('公式LINEの友だち登録者数');
    expect(list.text).toContain('href="/office/admin/kpis/line-followers"');
    expect((await get(administrator, '/office/admin').expect(200)).text).toContain('href="/office/admin/kpis"');
  });

  it('refuses an incomplete or inconsistent KPI with an error summary, then creates it', async () => {
    const empty = await post(administrator, '/office/admin/kpis', {}).expect(400);
    for (const field of ['code', 'nameJa', 'nameEn', 'unit', 'baselineValue', 'baselineDate', 'targetValue', 'targetFiscalYear']) expect(empty.text).toContain(`href="#${field}"`);

    const taken = await post(administrator, '/office/admin/kpis', { ...complete, code: 'line-followers' }).expect(400);
    expect(taken.text).toContain('この指標コードはすでに使われています');
    const noMeasure = await post(administrator, '/office/admin/kpis', { ...complete, source: 'measured' }).expect(400);
    expect(noMeasure.text).toContain('href="#measure"');
    // The service's own rules: the target must differ from the baseline, and its year end after the baseline date.
    const flat = await post(administrator, '/office/admin/kpis', { ...complete, targetValue: '0', targetFiscalYear: '2020' }).expect(400);
    expect(flat.text).toContain('href="#targetValue"');
    expect(flat.text).toContain('href="#targetFiscalYear"');
    expect(flat.text).toContain('value="書かない窓口の利用件数"');

    const created = await post(administrator, '/office/admin/kpis', complete);
    expect({ status: created.status, location: created.headers.location }).toEqual({ status: 303, location: '/office/admin/kpis?saved=digital-counter-visits' });
    const [row] = await t.dataSource.query(`SELECT name_ja, target_value::float AS target, source, department, active FROM kpis WHERE municipality_id = $1 AND code = 'digital-counter-visits'`, [M1]);
    expect(row).toEqual({ name_ja: '書かない窓口の利用件数', target: 1200, source: 'entered', department: 'shimin', active: true });
    expect((await get(administrator, created.headers.location).expect(200)).text).toContain('「書かない窓口の利用件数」を保存しました。');
  });

  it('edits a KPI as a new revision, keeping the earlier ones listed', async () => {
    const form = await get(administrator, '/office/admin/kpis/line-followers').expect(200);
    expect(form.text).toContain('value="5000"');
    const before = (await t.dataSource.query(`SELECT count(*)::int AS count FROM kpi_revisions WHERE municipality_id = $1 AND kpi_code = 'line-followers'`, [M1]))[0].count as number;
    await post(administrator, '/office/admin/kpis/line-followers', {
      nameJa: '公式LINEの友だち登録者数',
      nameEn: 'Official LINE followers',
      unit: '人',
      baselineValue: '2816',
      baselineDate: '2023-03-31',
      targetValue: '6000',
      targetFiscalYear: '2025',
      direction: 'up',
      source: 'entered',
      department: 'johoseisaku',
      sortOrder: '4',
      active: 'true',
    }).expect(303);
    const after = (await t.dataSource.query(`SELECT count(*)::int AS count FROM kpi_revisions WHERE municipality_id = $1 AND kpi_code = 'line-followers'`, [M1]))[0].count as number;
    expect(after).toBe(before + 1);
    const edited = await get(administrator, '/office/admin/kpis/line-followers').expect(200);
    expect(edited.text).toContain('value="6000"');
    expect(edited.text).toContain('職員 dash-admin');
    expect(edited.text).toContain('設定ファイル');
    // The entered values survive a change of the definition.
    expect((await get(manager, '/office/kpis/line-followers').expect(200)).text).toContain('4,300');
    await get(administrator, '/office/admin/kpis/no-such-kpi').expect(404);
  });
});

describe('who may reach the pages', () => {
  it('refuses a clerk, a manager on the register, posts without the form token, and another municipality sees only its own', async () => {
    await get(clerk, '/office/dashboard').expect(403);
    await get(clerk, '/office/kpis/line-followers').expect(403);
    await get(clerk, '/office/kpis/line-followers/chart.svg').expect(403);
    await post(clerk, '/office/kpis/line-followers/values', { month: '2026-10', value: '1' }).expect(403);
    await get(manager, '/office/admin/kpis').expect(403);
    await post(manager, '/office/admin/kpis', { code: 'x' }).expect(403);
    expect((await get(clerk, '/office').expect(303)).headers.location).toBe('/office/queue');
    const anonymous = await get(null, '/office/dashboard').expect(303);
    expect(anonymous.headers.location).toBe('/office/sign-in?next=%2Foffice%2Fdashboard');
    await request(server).post('/office/kpis/line-followers/values').set('Cookie', manager.cookie).type('form').send({ month: '2026-10', value: '1' }).expect(403);

    await get(otherManager, '/office/kpis/line-followers').expect(404);
    await post(otherManager, '/office/kpis/line-followers/values', { month: '2026-10', value: '1' }).expect(404);
    const theirs = await get(otherManager, '/office/dashboard').expect(200);
    expect(theirs.text).not.toContain('公式LINEの友だち登録者数');
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM kpi_values WHERE kpi_code = 'line-followers' AND value = 1`);
    expect(count).toBe(0);
  });
});

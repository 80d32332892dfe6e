import { SessionService, StaffAdminService } from '@madoguchi/identity';
import { asMunicipalityId, type MunicipalityId } from '@madoguchi/kernel';
import { BOUNDARY_RULES } from '@madoguchi/reporting';
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../support/test-app';

/**
 * The managers' reporting pages and the public pages over HTTP (issue 13):
 * the self-evaluation (list, new area, an area's items with the computed
 * rating's trail, refusals with an error summary), the printable annual
 * report with its charts and PDF, the public progress page in three
 * languages and the open-data page with its JSON-LD and downloads, each CSV
 * read back with csv-parse. Who may see what: managers only for the
 * evaluation, managers and administrators for the report, anyone for the
 * public pages; another municipality's manager does not find our areas.
 * The browser flows are in test/browser/office-evaluation.e2e-spec.ts.
 */

const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);
const PASSWORD = 'reporting-pages-password-01';
const STORED_COLUMNS: Record<string, string[]> = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/opendata-columns.json'), 'utf8'));

let t: TestApp;
let server: Server;
let manager: Session;
let otherManager: Session;
let administrator: string;
let clerk: string;

interface Session {
  cookie: string;
  csrf: string;
}

async function staffCookie(municipalityId: MunicipalityId, loginId: string, roles: Array<'manager' | 'clerk'>): Promise<string> {
  const account = await t.get(StaffAdminService).create(municipalityId, 'setup', { loginId, password: PASSWORD, displayName: loginId, roles, approvalLevel: null, departments: ['shimin'], active: true });
  const { accessToken } = await t.get(SessionService).issue(municipalityId, { kind: 'staff', id: account.account.id }, 'cookie', 'password');
  return `madoguchi_session=${accessToken}`;
}

async function session(cookie: string): Promise<Session> {
  const page = await request(server).get('/office/totp').set('Cookie', cookie);
  return { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '' };
}

const binary = (pending: request.Test) =>
  pending.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });

beforeAll(async () => {
  t = await createTestApp({ portal: true, office: true, env: { DIGITAL_AUTH_ISSUER: 'off' } });
  server = t.app.getHttpServer();
  manager = await session(await staffCookie(M1, 'report-manager', ['manager']));
  otherManager = await session(await staffCookie(M2, 'other-manager', ['manager']));
  clerk = await staffCookie(M1, 'report-clerk', ['clerk']);
  const admin = await t.get(StaffAdminService).bootstrapAdministrator(M1, { loginId: 'report-admin', displayName: 'report-admin', password: PASSWORD });
  administrator = `madoguchi_session=${(await t.get(SessionService).issue(M1, { kind: 'staff', id: admin.id }, 'cookie', 'password')).accessToken}`;
}, 180_000);
afterAll(() => t?.close());

describe('self-evaluation pages', () => {
  it('lists the seeded areas of this fiscal year with the written rule and how each open case is decided', async () => {
    const page = await request(server).get('/office/evaluation').set('Cookie', manager.cookie).expect(200);
    expect(page.text).toContain('自己評価（2026年度）');
    for (const name of ['推進体制', '行政手続のオンライン化', '電子決裁', 'セキュリティ', 'デジタルデバイド対策']) expect(page.text).toContain(name);
    for (const rule of BOUNDARY_RULES) expect(page.text).toContain(rule.ja);
    // No items yet: the total rule's answer for an empty area, with its reason.
    expect(page.text).toContain('評価項目がないため');
    expect(page.text).toContain('href="/office/evaluation/2026/areas/promotion"');
  });

  it('refuses an unreadable fiscal year with a message and shows this year instead', async () => {
    const page = await request(server).get('/office/evaluation?fiscalYear=20x6').set('Cookie', manager.cookie);
    expect(page.status).toBe(400);
    expect(page.text).toContain('href="#fiscalYear"');
    expect(page.text).toContain('年度は西暦4桁');
    const path = await request(server).get('/office/evaluation/12/areas/promotion').set('Cookie', manager.cookie);
    expect(path.status).toBe(400);
    expect(path.text).toContain('年度は西暦4桁');
  });

  it('adds an area after refusing an incomplete form and a taken code', async () => {
    const empty = await request(server).post('/office/evaluation/areas').set('Cookie', manager.cookie).type('form').send({ _csrf: manager.csrf, code: 'Open Data', fiscalYear: '2026' });
    expect(empty.status).toBe(400);
    for (const field of ['code', 'nameJa', 'nameEn']) expect(empty.text).toContain(`href="#${field}"`);
    const taken = await request(server).post('/office/evaluation/areas').set('Cookie', manager.cookie).type('form').send({ _csrf: manager.csrf, code: 'promotion', nameJa: '推進', nameEn: 'Promotion', fiscalYear: '2026' });
    expect(taken.status).toBe(400);
    expect(taken.text).toContain('同じコードの評価分野が既にあります');
    const created = await request(server).post('/office/evaluation/areas').set('Cookie', manager.cookie).type('form').send({ _csrf: manager.csrf, code: 'open-data', nameJa: 'オープンデータ', nameEn: 'Open data', fiscalYear: '2026' });
    expect({ status: created.status, location: created.headers.location }).toEqual({ status: 303, location: '/office/evaluation?fiscalYear=2026&created=open-data' });
    const list = await request(server).get(created.headers.location).set('Cookie', manager.cookie).expect(200);
    expect(list.text).toContain('評価分野「オープンデータ」を追加しました。');
    const [row] = await t.dataSource.query(`SELECT name_ja, name_en FROM evaluation_areas WHERE municipality_id = $1 AND code = 'open-data'`, [M1]);
    expect(row).toEqual({ name_ja: 'オープンデータ', name_en: 'Open data' });
  });

  it('saves marks, notes and an entered rating; shows the computed rating, its trail and why the entered one differs', async () => {
    const url = '/office/evaluation/2026/areas/online-procedures';
    const form = await request(server).get(url).set('Cookie', manager.cookie).expect(200);
    // Three empty rows to start from.
    expect(form.text).toContain('name="item-2-labelJa"');
    expect(form.text).not.toContain('name="item-3-labelJa"');

    const invalid = await request(server)
      .post(url)
      .set('Cookie', manager.cookie)
      .type('form')
      .send({ _csrf: manager.csrf, 'item-0-labelJa': '電子申請', 'item-0-mark': '', 'item-1-labelJa': '', 'item-1-mark': 'advanced', 'item-2-labelJa': '決済', 'item-2-mark': 'normal', 'item-2-national': '150' });
    expect(invalid.status).toBe(400);
    for (const field of ['item-0-mark', 'item-1-labelJa', 'item-2-national']) expect(invalid.text).toContain(`href="#${field}"`);
    expect(invalid.text).toContain('value="電子申請"');
    expect(await t.dataSource.query(`SELECT 1 FROM evaluation_entries WHERE municipality_id = $1 AND area_code = 'online-procedures'`, [M1])).toEqual([]);

    // 先進的 2, 普通 2: (先進的+普通) is all of them, 先進的 half of that — the written rule's gap, decided as 良好.
    const saved = await request(server)
      .post(url)
      .set('Cookie', manager.cookie)
      .type('form')
      .send({
        _csrf: manager.csrf,
        'item-0-labelJa': '電子申請の受付',
        'item-0-labelEn': 'Accepting applications online',
        'item-0-mark': 'advanced',
        'item-0-national': '62.5',
        'item-1-labelJa': 'キャッシュレス決済',
        'item-1-mark': 'advanced',
        'item-2-labelJa': '添付書類の省略',
        'item-2-mark': 'normal',
        'item-2-prefectural': '40',
        'item-3-labelJa': '',
        'item-4-labelJa': 'オンライン予約',
        'item-4-mark': 'normal',
        goodPoints: '子育て手続はすべてオンライン化',
        pointsToStudy: '添付書類の電子化',
        publishedRating: 'advanced',
      });
    expect({ status: saved.status, location: saved.headers.location }).toEqual({ status: 303, location: `${url}?saved=1` });
    const page = await request(server).get(saved.headers.location).set('Cookie', manager.cookie).expect(200);
    expect(page.text).toContain('保存しました（第1版）。');
    expect(page.text).toContain('<strong>良好</strong>');
    expect(page.text).toContain('どの条件にも当たりません');
    expect(page.text).toContain('2/4');
    expect(page.text).toContain('不一致');
    expect(page.text).toContain('入力された「先進的」の条件は評価項目の内訳では満たされません');
    expect(page.text).toContain('62.5%');
    // Four items and three new empty rows.
    expect(page.text).toContain('name="item-6-labelJa"');
    const [entry] = await t.dataSource.query(`SELECT revision, items, published_rating FROM evaluation_entries WHERE municipality_id = $1 AND area_code = 'online-procedures'`, [M1]);
    expect(entry.revision).toBe(1);
    expect(entry.published_rating).toBe('advanced');
    expect(entry.items.map((item: { mark: string }) => item.mark)).toEqual(['advanced', 'advanced', 'normal', 'normal']);
    expect(entry.items[1].label).toEqual({ ja: 'キャッシュレス決済', en: 'キャッシュレス決済' });

    const list = await request(server).get('/office/evaluation?fiscalYear=2026').set('Cookie', manager.cookie).expect(200);
    expect(list.text).toContain('不一致');
  });

  it('is for managers of the municipality: other roles are refused, another municipality finds no such area', async () => {
    for (const cookie of [clerk, administrator]) expect((await request(server).get('/office/evaluation').set('Cookie', cookie)).status).toBe(403);
    const other = await request(server).get('/office/evaluation/2026/areas/promotion').set('Cookie', otherManager.cookie);
    expect(other.status).toBe(404);
    const post = await request(server).post('/office/evaluation/2026/areas/promotion').set('Cookie', otherManager.cookie).type('form').send({ _csrf: otherManager.csrf, 'item-0-labelJa': 'x', 'item-0-mark': 'advanced' });
    expect(post.status).toBe(404);
    expect(await t.dataSource.query(`SELECT 1 FROM evaluation_entries WHERE area_code = 'promotion'`)).toEqual([]);
    expect((await request(server).get('/office/evaluation/2026/areas/no-such-area').set('Cookie', manager.cookie)).status).toBe(404);
  });
});

describe('annual report page', () => {
  it('shows every KPI with its chart image, summary and table, the evaluation table and notes, and links the PDF', async () => {
    await request(server)
      .post('/office/evaluation/2025/areas/security')
      .set('Cookie', manager.cookie)
      .type('form')
      .send({ _csrf: manager.csrf, 'item-0-labelJa': '情報セキュリティ研修', 'item-0-mark': 'behind', goodPoints: '研修の計画を作成', pointsToStudy: '全職員の受講' })
      .expect(303);
    const page = await request(server).get('/office/reports/annual/2025').set('Cookie', manager.cookie).expect(200);
    expect(page.text).toContain('令和7年度 DX推進計画 進捗報告書');
    for (const name of ['LINE', 'マイナンバーカード']) expect(page.text).toContain(name);
    const images = [...page.text.matchAll(/<img class="mg-chart__image" src="([^"]+)"/g)].map((match) => match[1]);
    expect(images.length).toBeGreaterThanOrEqual(10);
    expect(page.text).toContain('計画線');
    expect(page.text).toContain('研修の計画を作成');
    expect(page.text).toContain('全職員の受講');
    expect(page.text).toContain('href="/office/reports/annual/2025/report.pdf"');
    for (const rule of BOUNDARY_RULES) expect(page.text).toContain(rule.ja);

    const svg = await binary(request(server).get(images[0]).set('Cookie', manager.cookie)).expect(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(svg.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect((svg.body as Buffer).toString('utf8')).toMatch(/^<svg /);

    const pdf = await binary(request(server).get('/office/reports/annual/2025/report.pdf').set('Cookie', administrator)).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect((pdf.body as Buffer).subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // The print stylesheet is part of the office's stylesheet.
    const css = /href="(\/office\/assets\/[^"]+\.css)"/.exec(page.text)![1];
    expect((await request(server).get(css)).text).toContain('@media print{');
  });

  it('refuses other roles, an unknown KPI chart and a bad year', async () => {
    expect((await request(server).get('/office/reports/annual/2025').set('Cookie', clerk)).status).toBe(403);
    expect((await request(server).get('/office/reports/annual/2025/report.pdf').set('Cookie', clerk)).status).toBe(403);
    expect((await request(server).get('/office/reports/annual/2025/charts/no-such-kpi.svg').set('Cookie', manager.cookie)).status).toBe(404);
    const bad = await request(server).get('/office/reports/annual/1999').set('Cookie', manager.cookie);
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/text\/html/);
    const current = await request(server).get('/office/reports/annual').set('Cookie', administrator);
    expect({ status: current.status, location: current.headers.location }).toEqual({ status: 303, location: '/office/reports/annual/2026' });
  });
});

describe('public progress page', () => {
  it.each([
    ['ja', 'DX推進計画の進み具合', '計画どおり|計画より遅れ'],
    ['ja-easy', '計画（けいかく）の すすみぐあい', 'けいかく'],
    ['en', 'Progress on the DX plan', 'On track|Behind the plan'],
  ])('shows every KPI without signing in (%s): table, chart images and summaries', async (lang, title, status) => {
    const page = await request(server).get('/progress').set('Cookie', `lang=${lang}`).expect(200);
    expect(page.text).toContain(title);
    expect(page.text).toMatch(new RegExp(status));
    expect(page.text).toContain('<table');
    const images = [...page.text.matchAll(/<img class="mg-chart__image" src="([^"]+)"/g)].map((match) => match[1]);
    expect(images.length).toBeGreaterThanOrEqual(10);
    const svg = await binary(request(server).get(images[0]).set('Cookie', `lang=${lang}`)).expect(200);
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    // Who entered a value and their notes are not public.
    expect(page.text).not.toContain('report-manager');
  });

  it('is linked from every portal page and answers an unknown chart with not found', async () => {
    const home = await request(server).get('/').expect(200);
    expect(home.text).toContain('href="/progress"');
    expect(home.text).toContain('href="/opendata/"');
    expect((await request(server).get('/progress/charts/no-such-kpi.svg')).status).toBe(404);
  });
});

describe('open data page and downloads', () => {
  it('lists every dataset with licence, date and links, and embeds the DCAT catalog as JSON-LD pointing at the same downloads', async () => {
    const page = await request(server).get('/opendata/').expect(200);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).toContain('CC BY 4.0');
    const json = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(page.text)?.[1];
    expect(json).toBeTruthy();
    const catalog = JSON.parse(json!) as { '@type': string; 'dcat:dataset': Array<{ 'dct:license': { '@id': string }; 'dct:modified': { '@value': string }; 'dcat:distribution': Array<{ 'dcat:downloadURL': { '@id': string } }> }> };
    expect(catalog['@type']).toBe('dcat:Catalog');
    expect(catalog['dcat:dataset']).toHaveLength(Object.keys(STORED_COLUMNS).length);
    for (const dataset of Object.keys(STORED_COLUMNS)) {
      expect(page.text).toContain(`href="/opendata/${dataset}.csv"`);
      expect(page.text).toContain(`href="/opendata/${dataset}.json"`);
    }
    const urls = catalog['dcat:dataset'].flatMap((dataset) => dataset['dcat:distribution'].map((distribution) => distribution['dcat:downloadURL']['@id']));
    expect(urls.every((url) => /\/opendata\/[a-z-]+\.(csv|json)$/.test(url))).toBe(true);
    expect(catalog['dcat:dataset'].every((dataset) => dataset['dct:license']['@id'] === 'https://creativecommons.org/licenses/by/4.0/')).toBe(true);
    expect(page.text).toContain(catalog['dcat:dataset'][0]['dct:modified']['@value']);
  });

  it.each(Object.keys(STORED_COLUMNS))('serves %s as CSV (read back with csv-parse, stored columns) and JSON without signing in', async (dataset) => {
    const csv = await binary(request(server).get(`/opendata/${dataset}.csv`)).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows: string[][] = parse(text, { bom: true, record_delimiter: '\r\n', relax_column_count: false });
    expect(rows[0]).toEqual(STORED_COLUMNS[dataset]);
    for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
    const json = await request(server).get(`/opendata/${dataset}.json`).expect(200);
    expect(json.body.columns).toEqual(STORED_COLUMNS[dataset]);
    expect(json.body.rows).toHaveLength(rows.length - 1);
  });

  it('answers an unknown dataset with the not-found page', async () => {
    const missing = await request(server).get('/opendata/residents.csv');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toMatch(/text\/html/);
  });
});

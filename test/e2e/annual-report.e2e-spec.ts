import request from 'supertest';
import { expectError, IdentityDriver } from '../support/identity-e2e';
import { pdfText } from '../support/pdf-text';
import { createTestApp, type TestApp } from '../support/test-app';
import type { TestMailbox } from '../support/test-mailbox';

/**
 * The annual progress report (PDF) and the public progress data over HTTP
 * on real PostgreSQL, read back as text. The test clock is 2026-11-22; the
 * seeded plan runs from 2023-03-31 to the end of FY2025 (2026-03-31).
 */
describe('annual report and public progress (HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let manager: string;
  let administrator: string;
  let clerk: string;

  const http = () => request(t.app.getHttpServer());
  const binary = (path: string, token: string) =>
    http()
      .get(`/api/v1${path}`)
      .auth(token, { type: 'bearer' })
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });

  beforeAll(async () => {
    t = await createTestApp();
    const identity = new IdentityDriver(t, undefined as unknown as TestMailbox);
    manager = (await identity.staff('report.manager', ['manager'])).token;
    administrator = (await identity.administrator('report.admin')).token;
    clerk = (await identity.staff('report.clerk', ['clerk'])).token;
    await http().post('/api/v1/kpis/line-followers/values').auth(manager, { type: 'bearer' }).send({ month: '2026-02', value: 4100, note: '担当者メモ：非公開' }).expect(201);
    await http().post('/api/v1/kpis/open-data-items/values').auth(manager, { type: 'bearer' }).send({ month: '2026-03', value: 21 }).expect(201);
    await http()
      .put('/api/v1/evaluation/2025/areas/online-procedures')
      .auth(manager, { type: 'bearer' })
      .send({
        items: [
          { label: { ja: '電子申請の受付', en: 'Online' }, mark: 'advanced' },
          { label: { ja: 'キャッシュレス', en: 'Cashless' }, mark: 'advanced' },
          { label: { ja: '添付書類の省略', en: 'Attachments' }, mark: 'needsStudy' },
        ],
        goodPoints: '子育て手続はすべてオンライン化',
        pointsToStudy: '添付書類の電子化',
        publishedRating: 'advanced',
      })
      .expect(200);
  });
  afterAll(() => t.close());

  it('renders the FY2025 report: title page, every KPI with its figures, the evaluation table with the deciding rule and notes', async () => {
    const response = await binary('/reports/annual/2025.pdf', manager).expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe('attachment; filename="annual-report-2025.pdf"');
    const pages = await pdfText(response.body as Buffer);
    const all = pages.join('\n');
    expect(pages.length).toBeGreaterThanOrEqual(5);
    expect(pages[0]).toContain('令和7年度 DX推進計画 進捗報告書');
    expect(pages[0]).toContain('指標 10件');
    // All ten seeded KPIs.
    for (const name of ['公式LINEの友だち登録者数', 'マイナンバーカード', 'オープンデータ', 'スマートフォン']) expect(all).toContain(name);
    // LINE followers as of FY2025 end: 4,100 entered for 2026-02, target 5,000, a gap of 900, behind the plan line.
    const line = all.slice(all.indexOf('公式LINEの友だち登録者数'));
    expect(line).toContain('2,816人（2023-03-31）');
    expect(line).toContain('5,000人（2025年度末）');
    expect(line).toContain('4,100人（2026-02）');
    expect(line).toContain('900人');
    expect(line).toContain('計画より遅れ');
    // Open-data items reached the target: gap 0, on track.
    const open = all.slice(all.indexOf('オープンデータ'));
    expect(open).toContain('21件（2026-03）');
    expect(open).toContain('計画どおり');
    // The evaluation: computed rating with its rule, the published one, the reason they differ, the notes.
    const evaluation = pages.slice(pages.findIndex((page) => page.includes('2. 自己評価'))).join('\n');
    expect(evaluation).toContain('行政手続のオンライン化');
    expect(evaluation).toContain('やや不備あり');
    expect(evaluation).toContain('先進的');
    expect(evaluation).toContain('低い方');
    expect(evaluation).toContain('良い点：子育て手続はすべてオンライン化');
    expect(evaluation).toContain('検討点：添付書類の電子化');
    // Nobody's name or note is printed.
    expect(all).not.toContain('担当者メモ');
  });

  it('lets administrators print it too, refuses other roles, strangers and bad years', async () => {
    await binary('/reports/annual/2026.pdf', administrator).expect(200);
    expectError(await http().get('/api/v1/reports/annual/2025.pdf').auth(clerk, { type: 'bearer' }), 403, 'AUTH_FORBIDDEN');
    expect((await http().get('/api/v1/reports/annual/2025.pdf')).status).toBe(401);
    expectError(await http().get('/api/v1/reports/annual/1999.pdf').auth(manager, { type: 'bearer' }), 400, 'REPORT_FISCAL_YEAR_INVALID');
    expectError(await http().get('/api/v1/reports/annual/R7.pdf').auth(manager, { type: 'bearer' }), 400, 'REPORT_FISCAL_YEAR_INVALID');
  });

  it('publishes the progress without sign-in: every active KPI with baseline, target, latest, gap and on track, nothing personal', async () => {
    const response = await http().get('/api/v1/opendata/progress?fiscalYear=2025').set('X-Municipality-Id', '990001').expect(200);
    expect(response.body.municipality).toEqual({ code: '990001', name: expect.objectContaining({ ja: expect.any(String) }) });
    expect(response.body.fiscalYear).toBe(2025);
    expect(response.body.kpis).toHaveLength(10);
    expect(response.body.kpis.find((kpi: { code: string }) => kpi.code === 'line-followers')).toEqual({
      code: 'line-followers',
      name: { ja: '公式LINEの友だち登録者数', en: 'Official LINE followers' },
      unit: '人',
      direction: 'up',
      baseline: { value: 2816, date: '2023-03-31' },
      target: { value: 5000, fiscalYear: 2025, date: '2026-03-31' },
      latest: { month: '2026-02-01', value: 4100 },
      planned: expect.any(Number),
      gap: 900,
      onTrack: false,
    });
    expect(JSON.stringify(response.body)).not.toMatch(/staff:|担当者メモ|enteredBy|note/);
    // Another municipality sees its own register (none seeded there).
    expect((await http().get('/api/v1/opendata/progress').set('X-Municipality-Id', '990002').expect(200)).body.kpis).toEqual([]);
    expect((await http().get('/api/v1/opendata/progress?fiscalYear=abc').set('X-Municipality-Id', '990001')).status).toBe(400);
  });

  it('offers the progress as an open-data dataset with stable columns', async () => {
    const table = (await http().get('/api/v1/opendata/progress.json').set('X-Municipality-Id', '990001').expect(200)).body;
    expect(table.columns[0]).toBe('municipality_code');
    const row = table.rows.find((candidate: { kpi_code: string }) => candidate.kpi_code === 'open-data-items');
    expect(row).toMatchObject({ baseline_value: 13, target_value: 20, latest_month: '2026-03', latest_value: 21, gap: 0, on_track: true });
    const catalog = (await http().get('/api/v1/opendata').set('X-Municipality-Id', '990001').expect(200)).body;
    expect(catalog['dcat:dataset'].map((dataset: { 'dct:identifier': string }) => dataset['dct:identifier'])).toContain('990001-progress');
  });
});

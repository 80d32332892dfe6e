import request from 'supertest';
import { expectError, IdentityDriver } from '../support/identity-e2e';
import { createTestApp, type TestApp } from '../support/test-app';
import type { TestMailbox } from '../support/test-mailbox';

/**
 * The survey-style evaluation over HTTP on real PostgreSQL: the seeded areas,
 * saving items per fiscal year (append-only revisions), the computed rating
 * with its trail, the published rating beside it and the mismatch reason.
 */
describe('evaluation (managers, HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let manager: string;
  let clerk: string;
  let otherManager: string;

  const as = (token: string) => ({
    get: (path: string) => request(t.app.getHttpServer()).get(`/api/v1${path}`).auth(token, { type: 'bearer' }),
    put: (path: string, body: unknown) => request(t.app.getHttpServer()).put(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body as object),
    post: (path: string, body: unknown) => request(t.app.getHttpServer()).post(`/api/v1${path}`).auth(token, { type: 'bearer' }).send(body as object),
  });
  const item = (ja: string, mark: string, rates: Record<string, number> = {}) => ({ label: { ja, en: ja }, mark, ...rates });

  beforeAll(async () => {
    t = await createTestApp();
    const identity = new IdentityDriver(t, undefined as unknown as TestMailbox);
    manager = (await identity.staff('eval.manager', ['manager'])).token;
    clerk = (await identity.staff('eval.clerk', ['clerk'])).token;
    otherManager = (await identity.staff('eval.other', ['manager'], { municipalityId: '990002' })).token;
  });
  afterAll(() => t.close());

  it('lists the five seeded areas of 990001 in order; 990002 has none of them', async () => {
    const response = await as(manager).get('/evaluation/areas').expect(200);
    expect(response.body.map((area: { name: { ja: string } }) => area.name.ja)).toEqual(['推進体制', '行政手続のオンライン化', '電子決裁', 'セキュリティ', 'デジタルデバイド対策']);
    expect((await as(otherManager).get('/evaluation/areas').expect(200)).body).toEqual([]);
  });

  it('rates an area from its marks, keeps the published rating beside it and flags the mismatch with the reason', async () => {
    // (先進的+普通) = 2/3 exactly and 先進的 = all of them: 先進的 and やや不備あり both hold as written; the lower wins.
    const saved = await as(manager)
      .put('/evaluation/2025/areas/online-procedures', {
        items: [item('電子申請の受付', 'advanced', { nationalRate: 71.5, prefecturalRate: 64.2 }), item('キャッシュレス', 'advanced'), item('添付書類の省略', 'needsStudy')],
        goodPoints: '子育て手続はすべてオンライン化',
        pointsToStudy: '添付書類の電子化',
        publishedRating: 'advanced',
      })
      .expect(200);
    expect(saved.body).toMatchObject({
      code: 'online-procedures',
      revision: 1,
      computed: {
        rating: 'minorIssues',
        label: { ja: 'やや不備あり' },
        trail: { decision: 'lowestOfSeveral', writtenMatches: ['advanced', 'minorIssues'], fractions: { advancedAndNormalOfAll: '2/3', shortfallOfAll: '1/3' } },
      },
      published: { rating: 'advanced', label: { ja: '先進的' } },
      mismatch: { matches: false, reason: { ja: expect.stringContaining('低い方') } },
    });
    expect(saved.body.items[0]).toEqual({ label: { ja: '電子申請の受付', en: '電子申請の受付' }, mark: 'advanced', markLabel: { ja: '先進的', en: 'Advanced' }, nationalRate: 71.5, prefecturalRate: 64.2 });
  });

  it('keeps every revision: a second save is revision 2 and the year shows the newest; other years are untouched', async () => {
    await as(manager)
      .put('/evaluation/2025/areas/online-procedures', { items: [item('電子申請の受付', 'advanced'), item('キャッシュレス', 'normal'), item('添付書類の省略', 'advanced')], publishedRating: 'advanced' })
      .expect(200);
    const year = (await as(manager).get('/evaluation/2025').expect(200)).body;
    const area = year.areas.find((row: { code: string }) => row.code === 'online-procedures');
    expect(area).toMatchObject({ revision: 2, computed: { rating: 'advanced' }, mismatch: { matches: true, reason: null } });
    expect(year.rule.boundaries.map((rule: { case: string }) => rule.case)).toEqual(['deficientAndMinorIssues', 'exactlyTwoThirds', 'advancedBetweenOneThirdAndTwoThirds', 'empty']);
    // An area with nothing saved is empty, and an empty area is rated, too.
    expect(year.areas.find((row: { code: string }) => row.code === 'security')).toMatchObject({ revision: null, items: [], computed: { rating: 'deficient', trail: { decision: 'empty' } }, published: null, mismatch: null });
    const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM evaluation_entries WHERE area_code = 'online-procedures' AND fiscal_year = 2025`);
    expect(count).toBe(2);
    const other = (await as(manager).get('/evaluation/2024').expect(200)).body;
    expect(other.areas.every((row: { revision: number | null }) => row.revision === null)).toBe(true);
  });

  it('stored revisions cannot be changed, not even by the service role', async () => {
    await expect(t.dataSource.query(`UPDATE evaluation_entries SET good_points = 'changed'`)).rejects.toThrow();
    await expect(t.dataSource.query(`DELETE FROM evaluation_entries`)).rejects.toThrow();
  });

  it('adds an area; refuses a taken code, an unknown area, a bad year, bad marks and rates out of range', async () => {
    await as(manager).post('/evaluation/areas', { code: 'open-data', name: { ja: 'オープンデータ', en: 'Open data' } }).expect(201);
    expectError(await as(manager).post('/evaluation/areas', { code: 'open-data', name: { ja: 'x', en: 'x' } }), 409, 'EVALUATION_AREA_EXISTS');
    expectError(await as(manager).put('/evaluation/2025/areas/no-such-area', { items: [] }), 404, 'EVALUATION_AREA_NOT_FOUND');
    expectError(await as(manager).get('/evaluation/R7'), 400, 'REPORT_FISCAL_YEAR_INVALID');
    expectError(await as(manager).get('/evaluation/1999'), 400, 'REPORT_FISCAL_YEAR_INVALID');
    expect((await as(manager).put('/evaluation/2025/areas/security', { items: [item('x', 'excellent')] })).status).toBe(400);
    expect((await as(manager).put('/evaluation/2025/areas/security', { items: [item('x', 'normal', { nationalRate: 101 })] })).status).toBe(400);
    // Another municipality's manager cannot reach 990001's area.
    expectError(await as(otherManager).put('/evaluation/2025/areas/open-data', { items: [] }), 404, 'EVALUATION_AREA_NOT_FOUND');
  });

  it('is for managers only', async () => {
    expectError(await as(clerk).get('/evaluation/2025'), 403, 'AUTH_FORBIDDEN');
    expectError(await request(t.app.getHttpServer()).get('/api/v1/evaluation/2025'), 401, 'AUTH_UNAUTHENTICATED');
  });
});

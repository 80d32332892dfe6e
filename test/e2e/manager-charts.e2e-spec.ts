import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { KpiChartsService } from '@madoguchi/kpi';
import { expectError, IdentityDriver } from '../support/identity-e2e';
import { createTestApp, type TestApp } from '../support/test-app';
import type { TestMailbox } from '../support/test-mailbox';

/**
 * The managers' charts over HTTP on real PostgreSQL: SVG answers with their
 * own strict policy, drawn from the same figures as the JSON routes, the
 * same bytes for the same data, and the summary and table that go beside
 * them. The test clock is 2026-11-22 (fiscal year 2026).
 */
describe('manager charts (SVG, HTTP, real PostgreSQL)', () => {
  let t: TestApp;
  let manager: string;
  let clerk: string;

  const get = (path: string, token?: string) => {
    const call = request(t.app.getHttpServer()).get(`/api/v1${path}`).buffer(true).parse((response, done) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => done(null, text));
    });
    return token ? call.auth(token, { type: 'bearer' }) : call;
  };

  async function application(code: string, channel: string, submittedAt: string, closedAt: string | null = null): Promise<void> {
    await t.dataSource.query(
      `INSERT INTO applications (municipality_id, id, procedure_code, procedure_version, channel, state, phase, snapshot, revision, created_at, updated_at, submitted_at, closed_at)
       SELECT '990001', $1, $2, max(version), $3, 'x', $4, '{}'::jsonb, 1, now(), now(), $5, $6 FROM procedure_definitions WHERE municipality_id = '990001' AND code = $2`,
      [randomUUID(), code, channel, closedAt ? 'final' : 'active', submittedAt, closedAt],
    );
  }

  /** Points of a line drawn in a colour: its path's M and L commands. */
  function pathPoints(svg: string, color: string): number[] {
    return [...svg.matchAll(new RegExp(`<path d="([^"]+)"[^>]*stroke="${color}"`, 'g'))].map((match) => (match[1].match(/[ML]/g) ?? []).length);
  }

  beforeAll(async () => {
    t = await createTestApp();
    const identity = new IdentityDriver(t, undefined as unknown as TestMailbox);
    manager = (await identity.staff('charts.manager', ['manager'])).token;
    clerk = (await identity.staff('charts.clerk', ['clerk'])).token;
    for (const [month, value] of [['2026-09', 4000], ['2026-10', 4200]] as const) {
      await request(t.app.getHttpServer()).post('/api/v1/kpis/line-followers/values').auth(manager, { type: 'bearer' }).send({ month, value }).expect(201);
    }
    for (let i = 0; i < 3; i += 1) await application('juminhyo', 'online', '2026-10-05T10:00:00+09:00');
    await application('juminhyo', 'counter', '2026-10-05T10:00:00+09:00');
    // Business days (初日不算入, 11-03 文化の日): 1 and 8.
    await application('inkan-shomei', 'counter', '2026-11-02T10:00:00+09:00', '2026-11-04T10:00:00+09:00');
    await application('inkan-shomei', 'counter', '2026-11-09T10:00:00+09:00', '2026-11-19T10:00:00+09:00');
  });
  afterAll(() => t.close());

  it('serves a KPI history as SVG with its own strict policy, the entered points drawn, the same bytes each time', async () => {
    const first = await get('/kpis/line-followers/chart.svg', manager).expect(200);
    expect(first.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(first.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    const svg = first.body as string;
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('公式LINEの友だち登録者数');
    expect(svg).toContain("'Noto Sans JP', sans-serif");
    // Two months entered: the actual line has two points.
    expect(pathPoints(svg, '#0031d8')).toContain(2);
    expect((await get('/kpis/line-followers/chart.svg', manager).expect(200)).body).toBe(svg);

    const english = (await get('/kpis/line-followers/chart.svg?lang=en', manager).expect(200)).body as string;
    expect(english).toContain('Official LINE followers');
  });

  it('gives the summary and table the page shows beside the chart, matching the KPI card', async () => {
    const cards = (await get('/kpis', manager).expect(200)).body;
    const card = JSON.parse(cards).find((candidate: { code: string }) => candidate.code === 'line-followers');
    const chart = await t.get(KpiChartsService).kpi({ kind: 'staff', municipalityId: '990001', roles: ['manager'] } as never, 'line-followers', {}, 'ja');
    expect(chart.summary.ja).toBe(
      `公式LINEの友だち登録者数：最新値は2026-10の4,200人、目標は5,000人（2025年度末）です。同じ時点の計画線は5,000人で、計画より遅れています。直近は上昇傾向です。`,
    );
    expect(chart.table.rows).toHaveLength(card.history.length);
    expect(chart.table.rows.find((row) => row[0] === '2026-10')).toEqual(['2026-10', '4,200', '5,000']);
    expect(chart.table.rows.find((row) => row[0] === '2023-03')).toEqual(['2023-03', '—', '2,816']);
  });

  it('draws the dashboard: channel mix per month, online share per procedure, the processing-time histogram', async () => {
    const charts = t.get(KpiChartsService);
    const reader = { kind: 'staff', municipalityId: '990001', roles: ['manager'] } as never;
    const mix = await charts.dashboardChart(reader, 'channels', { fiscalYear: 2026 }, 'ja');
    expect(mix.table.headers).toEqual(['期間', 'オンライン', '窓口', '郵送', 'コンビニ交付', '合計']);
    expect(mix.table.rows.map((row) => row[0])).toEqual(['2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11']);
    expect(mix.table.rows[6]).toEqual(['2026-10', '3', '1', '0', '0', '4']);
    expect(mix.table.rows[7]).toEqual(['2026-11', '0', '2', '0', '0', '2']);

    const share = await charts.dashboardChart(reader, 'online-share', { fiscalYear: 2026 }, 'ja');
    expect(share.table.rows).toEqual([
      ['印鑑登録証明書の交付申請', '0'],
      ['住民票の写しの交付請求', '75'],
    ]);

    const times = await charts.dashboardChart(reader, 'processing-times', { fiscalYear: 2026 }, 'ja');
    expect(times.table.rows).toEqual([['0', '0'], ['1', '1'], ['2', '0'], ['3', '0'], ['4', '0'], ['5', '0'], ['6', '0'], ['7', '0'], ['8', '1']]);
    expect(times.summary.ja).toContain('2件');

    for (const name of ['channels', 'online-share', 'processing-times']) {
      const response = await get(`/dashboard/${name}/chart.svg?fiscalYear=2026`, manager).expect(200);
      expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
      expect(response.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'");
      expect((response.body as string).startsWith('<svg')).toBe(true);
    }
  });

  it('refuses other roles, strangers, unknown KPIs and bad queries', async () => {
    expectError(await request(t.app.getHttpServer()).get('/api/v1/kpis/line-followers/chart.svg').auth(clerk, { type: 'bearer' }), 403, 'AUTH_FORBIDDEN');
    expect((await request(t.app.getHttpServer()).get('/api/v1/dashboard/channels/chart.svg')).status).toBe(401);
    expectError(await request(t.app.getHttpServer()).get('/api/v1/kpis/no-such-kpi/chart.svg').auth(manager, { type: 'bearer' }), 404, 'KPI_NOT_FOUND');
    expect((await request(t.app.getHttpServer()).get('/api/v1/kpis/line-followers/chart.svg?lang=fr').auth(manager, { type: 'bearer' })).status).toBe(400);
    expect((await request(t.app.getHttpServer()).get('/api/v1/dashboard/channels/chart.svg?fiscalYear=1900').auth(manager, { type: 'bearer' })).status).toBe(400);
  });
});

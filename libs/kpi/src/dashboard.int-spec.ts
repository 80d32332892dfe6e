import { asMunicipalityId, businessDaysBetween } from '@madoguchi/kernel';
import type { StaffPrincipal } from '@madoguchi/identity';
import { randomUUID } from 'node:crypto';
import { createTestApp, OTHER_MUNICIPALITY, SAMPLE_MUNICIPALITY, type TestApp } from '../../../test/support/test-app';
import { BusinessDaysSync } from './dashboard/business-days.sync';
import { DashboardService } from './dashboard/dashboard.service';
import { KpiSnapshotJob } from './dashboard/kpi-snapshot.job';
import { KpiRegisterService } from './register/kpi-register.service';

/**
 * Dashboard figures on a small data set written straight into the tables
 * (so the rollup triggers see inserts and updates as the engine makes them),
 * each checked against a hand computation. The test clock is 2026-11-22
 * (fiscal year 2026).
 */
const M1 = asMunicipalityId(SAMPLE_MUNICIPALITY);
const M2 = asMunicipalityId(OTHER_MUNICIPALITY);

function staff(roles: StaffPrincipal['roles'], municipalityId = M1): StaffPrincipal {
  return { kind: 'staff', municipalityId, id: randomUUID(), sessionId: 's', authMethod: 'password', transport: 'bearer', csrfHash: null, roles, approvalLevel: null, departments: [] };
}
const manager = staff(['manager']);

describe('KPI dashboard (rollups, register, snapshots)', () => {
  let t: TestApp;
  let dashboard: DashboardService;

  async function application(options: { municipalityId?: string; code: string; channel: string; submittedAt: string | null; closedAt?: string }): Promise<string> {
    const id = randomUUID();
    const municipalityId = options.municipalityId ?? M1;
    await t.dataSource.query(
      `INSERT INTO applications (municipality_id, id, procedure_code, procedure_version, channel, state, phase, snapshot, revision, created_at, updated_at, submitted_at, closed_at)
       SELECT $1, $2, $3, max(version), $4, 'x', $5, '{}'::jsonb, 1, now(), now(), $6, $7 FROM procedure_definitions WHERE municipality_id = $1 AND code = $3`,
      [municipalityId, id, options.code, options.channel, options.closedAt ? 'final' : options.submittedAt ? 'active' : 'draft', options.submittedAt, options.closedAt ?? null],
    );
    return id;
  }

  async function close(id: string, at: string): Promise<void> {
    await t.dataSource.query(`UPDATE applications SET closed_at = $2, phase = 'final' WHERE municipality_id = $1 AND id = $3`, [M1, at, id]);
  }

  async function feePaid(code: string, at: string, method: string | null): Promise<void> {
    const id = await application({ code, channel: 'online', submittedAt: null });
    let payload = '{}';
    if (method) {
      const paymentId = randomUUID();
      await t.dataSource.query(
        `INSERT INTO payments (municipality_id, id, application_id, application_revision, attempt, procedure_code, reference_number, revenue_account_code, amount, captured_amount, method, status, provider, created_at, updated_at)
         VALUES ($1, $2, $3, 1, 1, $4, 'R8-000001', '1', 300, 300, $5, 'succeeded', $6, now(), now())`,
        [M1, paymentId, id, code, method, ['cash', 'cardTerminal', 'qrTerminal'].includes(method) ? 'counter' : 'simulated'],
      );
      payload = JSON.stringify({ paymentId });
    }
    await t.dataSource.query(
      `INSERT INTO application_events (municipality_id, application_id, seq, type, payload, actor_kind, actor_id, from_state, to_state, occurred_at)
       VALUES ($1, $2, 2, 'payment.succeeded', $3, 'system', 'test', 'a', 'b', $4)`,
      [M1, id, payload, at],
    );
  }

  beforeAll(async () => {
    t = await createTestApp();
    dashboard = t.get(DashboardService);
    // October: juminhyo online ×3, counter ×1; kosodate-01 online ×2.
    for (let i = 0; i < 3; i += 1) await application({ code: 'juminhyo', channel: 'online', submittedAt: '2026-10-05T10:00:00+09:00' });
    await application({ code: 'juminhyo', channel: 'counter', submittedAt: '2026-10-05T10:00:00+09:00' });
    for (let i = 0; i < 2; i += 1) await application({ code: 'kosodate-01', channel: 'online', submittedAt: '2026-10-06T23:30:00+09:00' });
    // November: juminhyo at a convenience store and by mail.
    await application({ code: 'juminhyo', channel: 'convenienceStore', submittedAt: '2026-11-02T09:00:00+09:00' });
    await application({ code: 'juminhyo', channel: 'mail', submittedAt: '2026-11-02T09:00:00+09:00' });
    // inkan-shomei at the counter, submitted then closed by an UPDATE, as the engine does:
    // business days (kernel rule, 初日不算入, 11-03 文化の日): 1, 1, 4, 8, 8.
    const cases: Array<[string, string]> = [
      ['2026-11-02T10:00:00+09:00', '2026-11-04T10:00:00+09:00'],
      ['2026-11-06T10:00:00+09:00', '2026-11-09T10:00:00+09:00'],
      ['2026-11-07T10:00:00+09:00', '2026-11-13T10:00:00+09:00'],
      ['2026-11-09T10:00:00+09:00', '2026-11-19T10:00:00+09:00'],
      ['2026-11-10T10:00:00+09:00', '2026-11-20T10:00:00+09:00'],
    ];
    for (const [submitted, closed] of cases) await close(await application({ code: 'inkan-shomei', channel: 'counter', submittedAt: submitted }), closed);
    // Not counted: a draft, an application of another municipality, one submitted in the previous fiscal year.
    await application({ code: 'juminhyo', channel: 'online', submittedAt: null });
    await application({ municipalityId: M2, code: 'juminhyo', channel: 'online', submittedAt: '2026-10-05T10:00:00+09:00' });
    await application({ code: 'juminhyo', channel: 'online', submittedAt: '2026-03-31T23:59:00+09:00' });
    // Fee payments in November: card, paypay, cardTerminal (cashless); cash and one without a payment (not).
    await feePaid('juminhyo', '2026-11-05T10:00:00+09:00', 'card');
    await feePaid('juminhyo', '2026-11-05T10:00:00+09:00', 'paypay');
    await feePaid('juminhyo', '2026-11-05T10:00:00+09:00', 'cardTerminal');
    await feePaid('juminhyo', '2026-11-05T10:00:00+09:00', 'cash');
    await feePaid('juminhyo', '2026-11-05T10:00:00+09:00', null);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('the hand-computed business days agree with the kernel calendar', () => {
    expect([
      businessDaysBetween('2026-11-02', '2026-11-04'),
      businessDaysBetween('2026-11-06', '2026-11-09'),
      businessDaysBetween('2026-11-07', '2026-11-13'),
      businessDaysBetween('2026-11-09', '2026-11-19'),
      businessDaysBetween('2026-11-10', '2026-11-20'),
    ]).toEqual([1, 1, 4, 8, 8]);
  });

  it('online share per procedure counts every channel in the whole; channel mix per month', async () => {
    const figures = await dashboard.channels(manager, { fiscalYear: 2026 });
    expect(figures.period).toEqual({ fiscalYear: 2026, from: '2026-04-01', to: '2026-11-22', department: null });
    expect(figures.byChannel).toEqual({ online: 5, counter: 6, mail: 1, convenienceStore: 1 });
    expect(figures.total).toBe(13);
    expect(figures.onlineShare).toBe(38.46); // 5 / 13
    expect(figures.procedures.map((p) => [p.code, p.total, p.onlineShare])).toEqual([
      ['inkan-shomei', 5, 0],
      ['juminhyo', 6, 50],
      ['kosodate-01', 2, 100],
    ]);
    const october = figures.months.find((m) => m.month === '2026-10-01')!;
    expect(october.byChannel).toEqual({ online: 5, counter: 1, mail: 0, convenienceStore: 0 });
    const november = figures.months.find((m) => m.month === '2026-11-01')!;
    expect(november.byChannel).toEqual({ online: 0, counter: 5, mail: 1, convenienceStore: 1 });
    expect(figures.months.map((m) => m.month)).toHaveLength(8); // April..November
  });

  it('filters by department and by fiscal year', async () => {
    const shimin = await dashboard.channels(manager, { fiscalYear: 2026, department: 'shimin' });
    expect(shimin.total).toBe(11);
    expect(shimin.onlineShare).toBe(27.27); // 3 / 11
    const previous = await dashboard.channels(manager, { fiscalYear: 2025 });
    expect(previous.byChannel).toEqual({ online: 1, counter: 0, mail: 0, convenienceStore: 0 });
  });

  it('processing time: median and p90 in business days by nearest rank', async () => {
    const figures = await dashboard.processingTimes(manager, { fiscalYear: 2026 });
    // Sorted 1, 1, 4, 8, 8: median rank ceil(2.5) = 3 → 4; p90 rank ceil(4.5) = 5 → 8.
    expect(figures.overall).toEqual({ closed: 5, medianBusinessDays: 4, p90BusinessDays: 8 });
    expect(figures.procedures).toEqual([expect.objectContaining({ code: 'inkan-shomei', closed: 5, medianBusinessDays: 4, p90BusinessDays: 8 })]);
    expect((await dashboard.processingTimes(manager, { fiscalYear: 2026, department: 'kodomo' })).overall).toEqual({ closed: 0, medianBusinessDays: null, p90BusinessDays: null });
  });

  it('cashless share: card, QR and terminals count; cash and a fee paid without our payment do not', async () => {
    const figures = await dashboard.cashless(manager, { fiscalYear: 2026 });
    expect([figures.feePayments, figures.cashlessPayments, figures.cashlessShare]).toEqual([5, 3, 60]);
    expect(figures.months.find((m) => m.month === '2026-11-01')).toEqual({ month: '2026-11-01', feePayments: 5, cashlessPayments: 3, cashlessShare: 60 });
  });

  it('the trigger-kept rollups equal a rebuild from the applications', async () => {
    const live = await t.dataSource.query(`SELECT municipality_id, month, procedure_code, department, business_days, sum(closed)::int AS n FROM kpi_processing_rollup GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`);
    // Force a rebuild: change one calendar day and sync back.
    await t.dataSource.query(`UPDATE kpi_business_days SET ordinal = ordinal + 1 WHERE day = '2000-01-01'`);
    expect(await t.get(BusinessDaysSync).sync()).toBe(1);
    const rebuilt = await t.dataSource.query(`SELECT municipality_id, month, procedure_code, department, business_days, sum(closed)::int AS n FROM kpi_processing_rollup GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`);
    expect(rebuilt).toEqual(live);
    const submissions = await t.dataSource.query(`SELECT municipality_id, month, procedure_code, channel, sum(submitted)::int AS n FROM kpi_submission_rollup GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`);
    const raw = await t.dataSource.query(
      `SELECT municipality_id, date_trunc('month', submitted_at AT TIME ZONE 'Asia/Tokyo')::date AS month, procedure_code, channel, count(*)::int AS n
         FROM applications WHERE submitted_at IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    );
    expect(submissions).toEqual(raw);
  });

  it('the dashboard queries read the rollups, not the applications table (EXPLAIN)', async () => {
    const plans = await Promise.all(
      [
        `SELECT procedure_code, channel, sum(submitted) FROM kpi_submission_rollup WHERE municipality_id = '990001' AND month BETWEEN '2026-04-01' AND '2026-11-22' GROUP BY 1, 2`,
        `SELECT procedure_code, business_days, sum(closed) FROM kpi_processing_rollup WHERE municipality_id = '990001' AND month BETWEEN '2026-04-01' AND '2026-11-22' GROUP BY 1, 2`,
      ].map(async (sql) => JSON.stringify(await t.dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`))),
    );
    for (const plan of plans) expect(plan).not.toContain('"applications"');
  });

  it('the register is seeded from config/kpis with the plan table', async () => {
    const cards = await t.get(KpiRegisterService).list(manager, {});
    expect(cards.map((card) => [card.code, card.baseline.value, card.target.value])).toEqual([
      ['online-procedures', 2, 30],
      ['cashless-services', 5, 10],
      ['convenience-store-certificates', 0, 10],
      ['mynumber-card-uptake', 80.6, 100],
      ['line-followers', 2816, 5000],
      ['smartphone-classes', 4, 21],
      ['open-data-items', 13, 20],
      ['staff-dx-training', 0, 10],
      ['paperless-meetings', 1, 5],
      ['security-training', 1, 3],
    ]);
    const uptake = cards.find((card) => card.code === 'mynumber-card-uptake')!;
    expect(uptake.target.date).toBe('2026-03-31');
    // The straight line: 80.6 on 2023-03-31, 100 on 2026-03-31 (1096 days); at 2024-03-31 (366 days): 80.6 + 19.4 × 366/1096.
    expect(uptake.history.find((point) => point.month === '2024-03-01')!.plan).toBe(87.08);
    expect(uptake.current).toBeNull();
    expect(uptake.onTrack).toBeNull();
  });

  it('entered values are appended: a correction is a new row, the latest wins, both are listed; on-track by the straight line', async () => {
    const register = t.get(KpiRegisterService);
    await register.enterValue(manager, 'line-followers', { month: '2026-10', value: 4000 });
    const corrected = await register.enterValue(manager, 'line-followers', { month: '2026-10', value: 5100, note: '集計漏れを訂正' });
    expect(corrected.values.map((v) => [v.month, v.value, v.superseded])).toEqual([
      ['2026-10-01', 4000, true],
      ['2026-10-01', 5100, false],
    ]);
    expect(corrected.current).toEqual({ month: '2026-10-01', value: 5100 });
    // After the target year the line is the target: 5100 ≥ 5000.
    expect([corrected.plannedNow, corrected.gap, corrected.onTrack]).toEqual([5000, 0, true]);
  });

  it('refuses: values of a measured KPI, a month to come, an unknown KPI, a clerk, an invalid register entry', async () => {
    const register = t.get(KpiRegisterService);
    await expect(register.enterValue(manager, 'online-procedures', { month: '2026-10', value: 1 })).rejects.toMatchObject({ code: 'KPI_NOT_ENTERED' });
    await expect(register.enterValue(manager, 'line-followers', { month: '2026-12', value: 1 })).rejects.toMatchObject({ code: 'KPI_MONTH_IN_FUTURE' });
    await expect(register.enterValue(manager, 'nope', { month: '2026-10', value: 1 })).rejects.toMatchObject({ code: 'KPI_NOT_FOUND' });
    await expect(register.list(staff(['clerk']), {})).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    await expect(register.adminList(manager)).rejects.toMatchObject({ code: 'AUTH_FORBIDDEN' });
    const admin = staff(['administrator']);
    const bad = {
      name: { ja: 'x', en: 'x' },
      unit: '%',
      baseline: { value: 1, date: '2023-03-31' },
      target: { value: 1, fiscalYear: 2021 },
      direction: 'up' as const,
      source: 'measured' as const,
      procedureCodes: ['no-such'],
      department: 'nowhere',
    };
    await expect(register.adminPut(admin, 'bad', bad)).rejects.toMatchObject({
      code: 'KPI_INVALID',
      details: {
        problems: [
          '/measure: a measured KPI names its measure',
          '/target/value: the target equals the baseline',
          '/target/fiscalYear: the target year ends before the baseline date',
          '/department: no department "nowhere"',
          '/procedureCodes: no procedure "no-such"',
        ],
      },
    });
  });

  it('an administrator edit keeps every revision', async () => {
    const register = t.get(KpiRegisterService);
    const admin = staff(['administrator']);
    const [before] = (await register.adminList(admin)).filter((kpi) => kpi.code === 'paperless-meetings');
    const { code: _code, revision: _r, updatedAt: _u, updatedBy: _b, ...input } = before;
    const after = await register.adminPut(admin, 'paperless-meetings', { ...input, measure: undefined, department: input.department ?? undefined, target: { value: 8, fiscalYear: 2027 } });
    expect(after.revision).toBe(before.revision + 1);
    const detail = await register.detail(manager, 'paperless-meetings');
    expect(detail.revisions.map((r) => r.definition.target.value)).toEqual([5, 8]);
  });

  it('the snapshot job stores each finished month once, from the baseline, and catches up after downtime', async () => {
    const job = t.get(KpiSnapshotJob);
    t.clock.set(new Date('2026-09-15T03:00:00Z'));
    const first = await job.run();
    // 3 measured KPIs × months 2023-03 .. 2026-08 (42 months), each municipality with a register (990001 only).
    expect(first).toBe(3 * 42);
    expect(await job.run()).toBe(0);
    // Down from September to the 22nd of November: September and October are caught up, November is under way.
    t.clock.set(new Date('2026-11-22T01:00:00Z'));
    expect(await job.run()).toBe(3 * 2);
    const [october] = await t.dataSource.query(
      `SELECT value::float8 AS value, details FROM kpi_snapshots WHERE municipality_id = '990001' AND kpi_code = 'convenience-store-certificates' AND month = '2026-10-01'`,
    );
    // October: no convenience-store certificate among 4 certificate applications.
    expect(october).toEqual({ value: 0, details: { part: 0, whole: 4 } });
    const cards = await t.get(KpiRegisterService).list(manager, {});
    const store = cards.find((card) => card.code === 'convenience-store-certificates')!;
    // November is live: 1 of the 7 certificate applications (1 store, 1 mail, 5 inkan-shomei).
    expect(store.history.find((p) => p.month === '2026-11-01')).toMatchObject({ kind: 'live', value: 14.29 });
    expect(store.history.find((p) => p.month === '2026-10-01')).toMatchObject({ kind: 'snapshot', value: 0 });
  });

  it('the service role cannot rewrite entered values or snapshots', async () => {
    const runner = t.dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`SET LOCAL ROLE madoguchi_app`);
      await expect(runner.query(`UPDATE kpi_values SET value = 0`)).rejects.toThrow(/permission denied/);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });
});

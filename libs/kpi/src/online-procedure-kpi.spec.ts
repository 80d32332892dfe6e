import type { NationalCategory, ProcedureDefinition } from '@madoguchi/workflow';
import { computeOnlineProcedureKpi, type KpiSettings, plannedCountOn } from './online-procedure-kpi';

interface Options {
  openedOn?: string | null;
  targeted?: boolean;
  inPerson?: boolean;
  counterDelivery?: boolean;
  nationalCategory?: NationalCategory | null;
  noOnlineChannel?: boolean;
}

function procedure(code: string, options: Options = {}): ProcedureDefinition {
  const { openedOn = '2024-01-10', targeted = true, inPerson = false, counterDelivery = false, nationalCategory = null, noOnlineChannel = false } = options;
  return {
    code,
    version: 1,
    name: { ja: `手続${code}`, en: `Procedure ${code}` },
    category: 'certificate',
    department: 'shimin',
    nationalCategory,
    nationalCode: null,
    targeted,
    channels: noOnlineChannel ? { counter: { openedOn: '2000-04-01' } } : { online: { openedOn }, counter: { openedOn: '2000-04-01' } },
    identity: inPerson ? 'inPerson' : 'myNumberCardSignature',
    form: { schema: { type: 'object' } },
    fee: { rule: 'none' },
    approvalRoute: [],
    document: { kind: 'certificate', name: { ja: '証明書', en: 'Certificate' }, delivery: counterDelivery ? 'counter' : 'online' },
    steps: ['form', 'identity', 'review', 'issue'],
  };
}

const BASELINE = { count: 1, date: '2024-03-31' };
const TARGET = { count: 5, date: '2025-03-31' };
const ASOF = '2024-11-22';

// Listed out of order on purpose: the result is sorted by code.
const DEFINITIONS: ProcedureDefinition[] = [
  procedure('h-untargeted', { targeted: false, openedOn: '2020-04-01', nationalCategory: 'hisai' }),
  procedure('b-online', { openedOn: '2024-06-15', nationalCategory: 'kaigo' }),
  procedure('a-online', { openedOn: '2024-01-10', nationalCategory: 'kosodate' }),
  procedure('c-in-person', { openedOn: '2024-01-01', inPerson: true, nationalCategory: 'kosodate' }),
  procedure('d-counter-delivery', { openedOn: '2024-01-01', counterDelivery: true }),
  procedure('e-future', { openedOn: '2025-01-06' }),
  procedure('f-unset', { openedOn: null }),
  procedure('g-no-online-channel', { noOnlineChannel: true }),
];

const SETTINGS: KpiSettings = {
  baseline: BASELINE,
  target: TARGET,
  stages: {
    'a-online': 'operate',
    'b-online': 'implement',
    'c-in-person': 'study',
    'h-untargeted': 'operate',
    'not-in-catalog': 'draft',
  },
};

describe('plannedCountOn', () => {
  const baseline = { count: 0, date: '2024-01-01' };
  const target = { count: 10, date: '2024-01-11' };

  it('is the baseline on and before the baseline date', () => {
    expect(plannedCountOn('2024-01-01', baseline, target)).toBe(0);
    expect(plannedCountOn('2023-06-30', baseline, target)).toBe(0);
  });

  it('is the target on and after the target date', () => {
    expect(plannedCountOn('2024-01-11', baseline, target)).toBe(10);
    expect(plannedCountOn('2030-01-01', baseline, target)).toBe(10);
  });

  it('is linear in between', () => {
    expect(plannedCountOn('2024-01-06', baseline, target)).toBe(5);
    expect(plannedCountOn('2024-01-02', baseline, target)).toBe(1);
    expect(plannedCountOn('2024-01-10', baseline, target)).toBe(9);
  });

  it('rounds to one decimal', () => {
    expect(plannedCountOn('2024-01-02', { count: 0, date: '2024-01-01' }, { count: 1, date: '2024-01-04' })).toBe(0.3);
    expect(plannedCountOn('2024-01-03', { count: 0, date: '2024-01-01' }, { count: 1, date: '2024-01-04' })).toBe(0.7);
  });

  it('follows the city plan: 2 → 30 from March 2023 to March 2026', () => {
    const start = { count: 2, date: '2023-03-31' };
    const end = { count: 30, date: '2026-03-31' };
    // 2024-09-30 is 549 of 1096 days along.
    expect(plannedCountOn('2024-09-30', start, end)).toBe(Math.round((2 + (28 * 549) / 1096) * 10) / 10);
    expect(plannedCountOn('2024-09-30', start, end)).toBe(16);
  });
});

describe('computeOnlineProcedureKpi', () => {
  const kpi = computeOnlineProcedureKpi(DEFINITIONS, SETTINGS, ASOF);

  it('counts targeted procedures only', () => {
    expect(kpi.asOf).toBe(ASOF);
    expect(kpi.targetedCount).toBe(7);
    expect(kpi.procedures.map((item) => item.code)).toEqual([
      'a-online',
      'b-online',
      'c-in-person',
      'd-counter-delivery',
      'e-future',
      'f-unset',
      'g-no-online-channel',
    ]);
  });

  it('counts as online only what is open and needs no visit', () => {
    expect(kpi.onlineCount).toBe(2);
    const byCode = Object.fromEntries(kpi.procedures.map((item) => [item.code, item]));
    expect(byCode['a-online']).toEqual({
      code: 'a-online',
      name: { ja: '手続a-online', en: 'Procedure a-online' },
      nationalCategory: 'kosodate',
      stage: 'operate',
      online: true,
      onlineSince: '2024-01-10',
      offlineReasons: [],
    });
    expect(byCode['c-in-person']).toMatchObject({ online: false, offlineReasons: ['identityInPerson'] });
    expect(byCode['d-counter-delivery']).toMatchObject({ online: false, offlineReasons: ['documentCollectedAtCounter'] });
    expect(byCode['e-future']).toMatchObject({ online: false, onlineSince: '2025-01-06', offlineReasons: ['onlineNotYetOpen'] });
    expect(byCode['f-unset']).toMatchObject({ online: false, onlineSince: null, offlineReasons: ['onlineNotYetOpen'] });
    expect(byCode['g-no-online-channel']).toMatchObject({ online: false, offlineReasons: ['noOnlineChannel'] });
  });

  it('counts a channel opening on asOf itself', () => {
    const opensToday = [procedure('x', { openedOn: ASOF })];
    expect(computeOnlineProcedureKpi(opensToday, SETTINGS, ASOF).onlineCount).toBe(1);
    expect(computeOnlineProcedureKpi(opensToday, SETTINGS, '2024-11-21').onlineCount).toBe(0);
  });

  it('never counts a non-targeted procedure, online or not', () => {
    const untargeted = [procedure('x', { targeted: false }), procedure('y', { targeted: false, nationalCategory: 'kaigo' })];
    const result = computeOnlineProcedureKpi(untargeted, SETTINGS, ASOF);
    expect(result).toMatchObject({ targetedCount: 0, onlineCount: 0, procedures: [], byNationalCategory: [] });
    expect(result.series.every((point) => point.online === null || point.online === 0)).toBe(true);
  });

  it('gives the gap to the target', () => {
    expect(kpi.target).toEqual(TARGET);
    expect(kpi.baseline).toEqual(BASELINE);
    expect(kpi.gap).toBe(3);
  });

  it('never gives a negative gap', () => {
    const many = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'].map((code) => procedure(code));
    const result = computeOnlineProcedureKpi(many, SETTINGS, ASOF);
    expect(result.onlineCount).toBe(7);
    expect(result.gap).toBe(0);
  });

  it('compares with the straight line on asOf', () => {
    // 236 of 365 days from the baseline: 1 + 4 × 236 / 365 = 3.59
    expect(kpi.plannedCount).toBe(3.6);
    expect(kpi.onTrack).toBe(false);
    const ahead = computeOnlineProcedureKpi(['p1', 'p2', 'p3', 'p4'].map((code) => procedure(code)), SETTINGS, ASOF);
    expect(ahead.onTrack).toBe(true);
  });

  it('is on track when exactly on the line', () => {
    const settings: KpiSettings = { baseline: { count: 0, date: '2024-01-01' }, target: { count: 2, date: '2024-01-03' }, stages: {} };
    const result = computeOnlineProcedureKpi([procedure('p1', { openedOn: '2023-12-01' })], settings, '2024-01-02');
    expect(result.plannedCount).toBe(1);
    expect(result.onTrack).toBe(true);
  });

  it('gives one point per month from the baseline month to the target month, none to come counted', () => {
    expect(kpi.series).toEqual([
      { month: '2024-03-31', online: 1, plan: 1 },
      { month: '2024-04-30', online: 1, plan: plannedCountOn('2024-04-30', BASELINE, TARGET) },
      { month: '2024-05-31', online: 1, plan: plannedCountOn('2024-05-31', BASELINE, TARGET) },
      { month: '2024-06-30', online: 2, plan: plannedCountOn('2024-06-30', BASELINE, TARGET) },
      { month: '2024-07-31', online: 2, plan: plannedCountOn('2024-07-31', BASELINE, TARGET) },
      { month: '2024-08-31', online: 2, plan: plannedCountOn('2024-08-31', BASELINE, TARGET) },
      { month: '2024-09-30', online: 2, plan: plannedCountOn('2024-09-30', BASELINE, TARGET) },
      { month: '2024-10-31', online: 2, plan: plannedCountOn('2024-10-31', BASELINE, TARGET) },
      { month: '2024-11-30', online: 2, plan: plannedCountOn('2024-11-30', BASELINE, TARGET) },
      { month: '2024-12-31', online: null, plan: plannedCountOn('2024-12-31', BASELINE, TARGET) },
      { month: '2025-01-31', online: null, plan: plannedCountOn('2025-01-31', BASELINE, TARGET) },
      { month: '2025-02-28', online: null, plan: plannedCountOn('2025-02-28', BASELINE, TARGET) },
      { month: '2025-03-31', online: null, plan: 5 },
    ]);
    expect(kpi.series[6].plan).toBe(Math.round((1 + (4 * 183) / 365) * 10) / 10);
  });

  it('reports asOf itself for the month that contains it', () => {
    // e-future opens on 2025-01-06: on 2025-01-20 the January point counts it,
    // though the month is not over.
    const result = computeOnlineProcedureKpi(DEFINITIONS, SETTINGS, '2025-01-20');
    const january = result.series.find((point) => point.month === '2025-01-31');
    expect(january?.online).toBe(3);
    expect(result.series.find((point) => point.month === '2024-12-31')?.online).toBe(2);
    expect(result.series.find((point) => point.month === '2025-02-28')?.online).toBeNull();

    // On 2025-01-05 the same point does not count it yet.
    const before = computeOnlineProcedureKpi(DEFINITIONS, SETTINGS, '2025-01-05');
    expect(before.series.find((point) => point.month === '2025-01-31')?.online).toBe(2);
  });

  it('runs the series on to the month of asOf when asOf is past the target', () => {
    const result = computeOnlineProcedureKpi(DEFINITIONS, SETTINGS, '2025-06-10');
    expect(result.series[0].month).toBe('2024-03-31');
    expect(result.series.at(-1)).toEqual({ month: '2025-06-30', online: 3, plan: 5 });
    expect(result.series).toHaveLength(16);
    expect(result.series.every((point) => point.online !== null)).toBe(true);
    expect(result.plannedCount).toBe(5);
  });

  it('has no counts at all before the baseline', () => {
    const result = computeOnlineProcedureKpi(DEFINITIONS, SETTINGS, '2024-02-01');
    expect(result.series.every((point) => point.online === null)).toBe(true);
    expect(result.plannedCount).toBe(1);
  });

  it('gives the first month end on which the target was reached', () => {
    expect(kpi.targetReachedOn).toBeNull();
    const settings: KpiSettings = { ...SETTINGS, target: { count: 2, date: '2024-09-30' } };
    const result = computeOnlineProcedureKpi(DEFINITIONS, settings, ASOF);
    expect(result.targetReachedOn).toBe('2024-06-30');
    expect(result.gap).toBe(0);
  });

  it('does not call a target reached by procedures that open later', () => {
    // e-future opens in January 2025, after asOf: the target of 3 is not reached yet.
    const settings: KpiSettings = { ...SETTINGS, target: { count: 3, date: '2025-03-31' } };
    expect(computeOnlineProcedureKpi(DEFINITIONS, settings, ASOF).targetReachedOn).toBeNull();
    expect(computeOnlineProcedureKpi(DEFINITIONS, settings, '2025-02-01').targetReachedOn).toBe('2025-01-31');
  });

  it('counts targeted procedures per stage, with "unset" for the rest', () => {
    expect(kpi.stages).toEqual([
      { stage: 'study', label: { ja: '検討', en: 'Study' }, count: 1 },
      { stage: 'draft', label: { ja: '策定', en: 'Draft' }, count: 0 },
      { stage: 'implement', label: { ja: '実施', en: 'Implement' }, count: 1 },
      { stage: 'operate', label: { ja: '運用', en: 'Operate' }, count: 1 },
      { stage: 'unset', label: { ja: '未設定', en: 'Not set' }, count: 4 },
    ]);
    expect(kpi.stages.reduce((sum, stage) => sum + stage.count, 0)).toBe(kpi.targetedCount);
  });

  it('breaks the counts down by national category, targeted procedures only', () => {
    expect(kpi.byNationalCategory).toEqual([
      { nationalCategory: 'kaigo', label: { ja: '介護', en: 'Nursing care' }, targeted: 1, online: 1 },
      { nationalCategory: 'kosodate', label: { ja: '子育て', en: 'Child-rearing' }, targeted: 2, online: 1 },
    ]);
  });

  it('is pure: the same input gives the same answer and is left as it was', () => {
    const before = JSON.stringify(DEFINITIONS);
    expect(computeOnlineProcedureKpi(DEFINITIONS, SETTINGS, ASOF)).toEqual(kpi);
    expect(JSON.stringify(DEFINITIONS)).toBe(before);
  });
});

import { writeFileSync } from 'node:fs';
import { documentFont, PdfRenderer } from '@madoguchi/documents';
import { pdfText } from '../../../../test/support/pdf-text';
import { BOUNDARY_RULES } from '../evaluation/area-rating';
import { WRITTEN_RULE } from '../evaluation/evaluation.service';
import { layoutAnnualReport } from './annual-report.layout';
import type { ReportKpi } from './report-kpi-source';

function kpi(code: string, overrides: Partial<ReportKpi> = {}): ReportKpi {
  const history = ['2025-04-01', '2025-05-01', '2025-06-01'].map((month, index) => ({ month, value: 10 + index, plan: 10 + index * 2 }));
  return {
    code,
    name: { ja: `指標${code}`, en: `KPI ${code}` },
    unit: '件',
    direction: 'up',
    department: null,
    baseline: { value: 10, date: '2025-03-31' },
    target: { value: 20, fiscalYear: 2025, date: '2026-03-31' },
    latest: { month: '2025-06-01', value: 12 },
    planned: 14,
    gap: 8,
    onTrack: false,
    history,
    ...overrides,
  };
}

async function render(kpis: ReportKpi[], areas = 0): Promise<string[]> {
  const renderer = new PdfRenderer(documentFont());
  const pages = layoutAnnualReport(renderer.font, {
    municipality: { ja: '桜ヶ丘市', en: 'Sakuragaoka City' },
    fiscalYear: 2025,
    fiscalYearLabel: '令和7年度',
    madeOn: '令和8年11月22日',
    kpis,
    evaluation: { fiscalYear: 2025, areas: Array.from({ length: areas }, () => ({}) as never), rule: { written: WRITTEN_RULE, boundaries: BOUNDARY_RULES } },
  });
  const pdf = await renderer.renderPages(pages, { title: 't', subject: 's', author: 'a', issuedAt: new Date('2026-11-22T00:00:00Z') });
  if (process.env.ANNUAL_REPORT_PDF) writeFileSync(process.env.ANNUAL_REPORT_PDF, pdf);
  return pdfText(pdf);
}

describe('annual report layout', () => {
  it('says what it has for a KPI with no value, one with a lone value, and a falling one on track', async () => {
    const pages = await render([
      kpi('a', { latest: null, planned: null, gap: null, onTrack: null, history: [{ month: '2025-04-01', value: null, plan: 10 }] }),
      kpi('b', { history: [{ month: '2025-04-01', value: 11, plan: 10 }] }),
      kpi('c', { direction: 'down', baseline: { value: 30, date: '2025-03-31' }, target: { value: 10, fiscalYear: 2025, date: '2026-03-31' }, latest: { month: '2025-06-01', value: 12 }, planned: 25, gap: 2, onTrack: true }),
    ]);
    const text = pages.join('\n');
    expect(pages[0]).toContain('指標 3件（計画どおり 1件・遅れ 1件・実績なし 1件）');
    const a = text.slice(text.indexOf('指標a'), text.indexOf('指標b'));
    expect(a).toContain('実績なし');
    expect(text.slice(text.indexOf('指標c'))).toContain('計画どおり');
    expect(text).toContain('評価分野はありません。');
  });

  it('runs KPIs over as many pages as they need, numbering every page', async () => {
    const pages = await render(Array.from({ length: 10 }, (_, index) => kpi(String(index))));
    // Title, four pages of three KPIs (the last with one), the evaluation.
    expect(pages).toHaveLength(6);
    pages.forEach((page, index) => expect(page).toContain(`${index + 1} / 6`));
    for (let index = 0; index < 10; index += 1) expect(pages.join('\n')).toContain(`指標${index}（KPI ${index}）`);
  });
});

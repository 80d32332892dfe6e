/**
 * Reporting pages (office evaluation and annual report, portal progress and
 * open data): charts as images that shrink with the page, figure captions,
 * and the annual report's print layout (no header, menus or forms; each KPI
 * kept on one page where it fits).
 */
export const REPORTING_CSS = String.raw`
.mg-chart{margin:0 0 1.5rem}
.mg-chart__image{display:block;max-width:100%;height:auto;border:1px solid var(--color-neutral-solid-gray-300)}
.mg-chart__summary{margin:.5rem 0 0}
.mg-report-kpi{margin:0 0 2rem;padding-bottom:1rem;border-bottom:1px solid var(--color-neutral-solid-gray-300)}
.mg-report-rule{padding-left:1.25rem}
.mg-report-rule li{margin-bottom:.5rem}
.mg-eval-item{margin:0 0 1.5rem;padding:1rem;border:1px solid var(--color-neutral-solid-gray-420);min-width:0}
.mg-eval-mismatch{font-weight:var(--font-weight-700)}
.mg-dataset{margin:0 0 2rem}
.mg-dataset__links{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:.5rem 0 0;padding:0;list-style:none}
.mg-break-anywhere{overflow-wrap:anywhere}
@media print{
.mg-header,.mg-footer,.mg-skip-link,.mg-breadcrumbs,.mg-banner,.mg-office-nav,.mg-report-screen-only{display:none!important}
.mg-body{background:#fff;color:#000}
.mg-report-kpi,.mg-chart,.mg-table-wrap{break-inside:avoid}
.mg-report-kpi{border-bottom:0}
.mg-table-wrap{overflow:visible}
.mg-chart__image{max-width:100%;border:0}
.mg-report-section{break-before:page}
}
`;

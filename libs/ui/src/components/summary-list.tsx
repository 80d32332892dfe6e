import type { ComponentChildren } from 'preact';
import { useUi } from '../context';

export interface SummaryRow {
  key: ComponentChildren;
  value: ComponentChildren;
  /** A change link; `what` completes its text for screen readers ("変更 氏名"). */
  change?: { href: string; what: string };
}

/** "Check your answers": question, answer and a change link per row. */
export function SummaryList({ rows }: { rows: SummaryRow[] }) {
  const { t } = useUi();
  return (
    <dl class="mg-summary-list">
      {rows.map((row) => (
        <div class="mg-summary-list__row">
          <dt class="mg-summary-list__key">{row.key}</dt>
          <dd class="mg-summary-list__value">{row.value}</dd>
          {row.change ? (
            <dd class="mg-summary-list__actions">
              <a class="mg-link" href={row.change.href}>
                {t('summaryList.change')}
                <span class="mg-visually-hidden"> {row.change.what}</span>
              </a>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}

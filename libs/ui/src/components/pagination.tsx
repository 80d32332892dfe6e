import { useUi } from '../context';

/** Keyset pagination: only "previous" and "next", as links carrying the cursor the server gave. */
export function Pagination({ previousHref, nextHref }: { previousHref?: string; nextHref?: string }) {
  const { t } = useUi();
  if (!previousHref && !nextHref) return null;
  return (
    <nav class="mg-pagination" aria-label={t('pagination.label')}>
      {previousHref ? (
        <a class="mg-pagination__link mg-pagination__link--previous" href={previousHref} rel="prev">
          <span aria-hidden="true">← </span>
          {t('pagination.previous')}
        </a>
      ) : null}
      {nextHref ? (
        <a class="mg-pagination__link mg-pagination__link--next" href={nextHref} rel="next">
          {t('pagination.next')}
          <span aria-hidden="true"> →</span>
        </a>
      ) : null}
    </nav>
  );
}

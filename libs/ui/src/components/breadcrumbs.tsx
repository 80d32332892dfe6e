import { useUi } from '../context';

export interface BreadcrumbItem {
  label: string;
  /** The current page has none. */
  href?: string;
}

export function Breadcrumbs({ items }: { items: BreadcrumbItem[] }) {
  const { t } = useUi();
  return (
    <nav class="mg-breadcrumbs" aria-label={t('breadcrumbs.label')}>
      <ol class="mg-breadcrumbs__list">
        {items.map((item) => (
          <li class="mg-breadcrumbs__item">
            {item.href ? (
              <a class="mg-link" href={item.href}>
                {item.label}
              </a>
            ) : (
              <span aria-current="page">{item.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

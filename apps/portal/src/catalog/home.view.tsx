import { Button, Checkboxes, Select, StatusTag } from '@madoguchi/ui';
import { PROCEDURE_CATEGORIES } from '@madoguchi/workflow';
import type { PageContext } from '../shared/page-context';
import { ContactDetails, PortalPage } from '../shared/portal-page';
import { type CatalogFilters, catalogHref, LIFE_EVENTS, type LifeEvent } from './catalog-filters';

export interface HomeProcedure {
  code: string;
  name: string;
  /** Set when the name is shown in another language than the page (a missing translation). */
  nameLang?: string;
  category: string;
  online: boolean;
}

export interface HomeViewProps {
  context: PageContext;
  filters: CatalogFilters;
  procedures: HomeProcedure[];
}

/** Home and search: one GET form (works without JavaScript), life events as links, the results, the office. */
export function HomeView({ context, filters, procedures }: HomeViewProps) {
  const { t } = context;
  const filtered = Boolean(filters.q || filters.category || filters.event || filters.online);
  return (
    <PortalPage context={context} title={t('home.title')}>
      <h1>{t('home.title')}</h1>
      <p class="mg-lead">{t('home.lead', { city: context.city })}</p>
      <form method="get" action="/" class="mg-panel" role="search">
        {filters.event ? <input type="hidden" name="event" value={filters.event} /> : null}
        <div class="mg-form-group">
          <label class="mg-label" for="q">
            {t('home.searchLabel')}
          </label>
          <div id="q-hint" class="mg-hint">
            {t('home.searchHint')}
          </div>
          <div class="mg-search">
            <input class="mg-input" id="q" name="q" type="search" value={filters.q} maxLength={100} autocomplete="off" aria-describedby="q-hint" />
            <Button>{t('home.searchButton')}</Button>
          </div>
        </div>
        <div class="mg-filters">
          <Select
            name="category"
            label={t('home.categoryLabel')}
            value={filters.category ?? ''}
            placeholder={false}
            options={[{ value: '', label: t('home.categoryAll') }, ...PROCEDURE_CATEGORIES.map((category) => ({ value: category, label: t(`category.${category}`) }))]}
          />
          <Checkboxes name="online" label={t('tag.onlineNow')} items={[{ value: '1', label: t('home.onlineOnly') }]} values={filters.online ? ['1'] : []} />
        </div>
      </form>
      <h2>{t('home.lifeEventsHeading')}</h2>
      <ul class="mg-life-events">
        {(Object.keys(LIFE_EVENTS) as LifeEvent[]).map((event) => (
          <li>
            <a href={catalogHref({ ...filters, event })} aria-current={filters.event === event ? 'true' : undefined}>
              {t(`lifeEvent.${event}`)}
            </a>
          </li>
        ))}
      </ul>
      <section aria-labelledby="results">
        <h2 id="results">{t('home.resultsHeading')}</h2>
        <p role="status">{procedures.length > 0 ? t('home.resultsCount', { count: procedures.length }) : t('home.resultsNone')}</p>
        {filtered ? (
          <p>
            <a href="/">{t('home.clearFilters')}</a>
          </p>
        ) : null}
        <ul class="mg-cards">
          {procedures.map((procedure) => (
            <li class="mg-card">
              <h3 class="mg-card__title">
                <a href={`/procedures/${encodeURIComponent(procedure.code)}`} lang={procedure.nameLang}>
                  {procedure.name}
                </a>
              </h3>
              <p class="mg-card__meta">
                <span>{t(`category.${procedure.category as (typeof PROCEDURE_CATEGORIES)[number]}`)}</span>
                {procedure.online ? <StatusTag tone="success">{t('tag.onlineNow')}</StatusTag> : <StatusTag tone="neutral">{t('tag.counterOnly')}</StatusTag>}
              </p>
            </li>
          ))}
        </ul>
      </section>
      <h2>{t('home.contactHeading')}</h2>
      <ContactDetails context={context} />
    </PortalPage>
  );
}

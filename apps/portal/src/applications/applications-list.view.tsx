import { Button, formatDate, type MessageKey, StatusTag } from '@madoguchi/ui';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';
import { type ListedApplication, type NextStep, stateKey, stateTone } from './application-pages.model';

/** Words of a state: the catalog's plain words in the page language. */
export function StateTag({ context, state, fallback }: { context: PageContext; state: string; fallback: string }) {
  const key = stateKey(state);
  return <StatusTag tone={stateTone(state)}>{key ? context.t(key) : fallback}</StatusTag>;
}

function NextStepLink({ context, next, procedureName }: { context: PageContext; next: NextStep; procedureName: string }) {
  const label = context.t(`applications.next.${next.kind}` as MessageKey);
  if (!('href' in next)) return <span>{label}</span>;
  return (
    <a class="mg-link" href={next.href}>
      {label}
      <span class="mg-visually-hidden">（{procedureName}）</span>
    </a>
  );
}

/** /applications: the resident's applications, newest first, each with its status and next step. */
export function ApplicationsListView({ context, applications }: { context: PageContext; applications: ListedApplication[] }) {
  const { t, lang } = context;
  return (
    <PortalPage context={context} title={t('applications.title')} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('applications.title') }]}>
      <h1>{t('applications.title')}</h1>
      <p class="mg-lead">{t('applications.lead')}</p>
      {applications.length === 0 ? (
        <>
          <p>{t('applications.empty')}</p>
          <Button href="/">{t('applications.findProcedure')}</Button>
        </>
      ) : (
        <ul class="mg-cards" aria-label={t('applications.caption')}>
          {applications.map((application) => (
            <li class="mg-card" data-application-id={application.id}>
              <h2 class="mg-card__title">
                <a class="mg-link" href={`/applications/${application.id}`}>
                  {application.procedureName}
                </a>
              </h2>
              <p class="mg-card__meta">
                <StateTag context={context} state={application.state} fallback={application.statusText} />
                <span>
                  {t('applications.col.reference')}: <span class="mg-code">{application.referenceNumber ?? t('applications.noReference')}</span>
                </span>
              </p>
              <p class="mg-card__meta">
                {application.submittedOn ? (
                  <span>{t('applications.submittedOn', { date: formatDate(lang, application.submittedOn) })}</span>
                ) : (
                  <span>{t('applications.createdOn', { date: formatDate(lang, application.createdOn) })}</span>
                )}
                {application.dueOn ? <span>{t('applications.dueOn', { date: formatDate(lang, application.dueOn) })}</span> : null}
              </p>
              <p class="mg-card__meta">
                <span>{t('applications.col.next')}:</span> <NextStepLink context={context} next={application.next} procedureName={application.procedureName} />
              </p>
            </li>
          ))}
        </ul>
      )}
    </PortalPage>
  );
}

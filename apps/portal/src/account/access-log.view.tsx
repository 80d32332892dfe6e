import { type MessageKey, Table } from '@madoguchi/ui';
import type { AccessLogEntryDto } from '@madoguchi/retention';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';

export const ACCESS_LOG_PATH = '/account/access-log';

export interface AccessLogPageProps {
  context: PageContext;
  entries: AccessLogEntryDto[];
  /** Department names by code, in the page language. */
  departmentNames: Map<string, string>;
  /** The cursor of the next (older) page, or null on the last page. */
  nextBefore: number | null;
  /** Whether this is a later page (then a link back to the newest). */
  paged: boolean;
}

/** When, in Japan time: the list says the moment, not only the day. */
function formatDateTime(lang: PageContext['lang'], iso: string): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ja-JP', { dateStyle: 'long', timeStyle: 'medium', timeZone: 'Asia/Tokyo' }).format(new Date(iso));
}

/**
 * /account/access-log: every staff read of the resident's personal data,
 * newest first, by department (never a staff member's name), with the
 * reason where one was required, and the same as a CSV download.
 */
export function AccessLogView(props: AccessLogPageProps) {
  const { context } = props;
  const { t, lang } = context;
  return (
    <PortalPage
      context={context}
      title={t('accessLog.title')}
      breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('account.home.title'), href: '/account' }, { label: t('accessLog.title') }]}
    >
      <h1>{t('accessLog.title')}</h1>
      <p class="mg-lead">{t('accessLog.lead')}</p>
      <p>
        <a class="mg-link" href={`${ACCESS_LOG_PATH}.csv`} download="access-log.csv" id="access-log-csv">
          {t('accessLog.csv')}
        </a>
      </p>
      {props.entries.length === 0 ? (
        <p id="access-log-empty">{t('accessLog.empty')}</p>
      ) : (
        <Table
          caption={t('accessLog.caption')}
          columns={[
            { key: 'when', label: t('accessLog.col.when') },
            { key: 'department', label: t('accessLog.col.department') },
            { key: 'what', label: t('accessLog.col.what') },
            { key: 'reason', label: t('accessLog.col.reason') },
          ]}
          rowHeader="when"
          rows={props.entries.map((entry) => ({
            when: (
              <time dateTime={entry.at} data-seq={String(entry.seq)}>
                {formatDateTime(lang, entry.at)}
              </time>
            ),
            department: entry.departments.map((code) => props.departmentNames.get(code) ?? code).join('、'),
            what: (
              <>
                {t(`accessLog.what.${entry.what}` as MessageKey)}
                {entry.referenceNumber ? (
                  <>
                    <br />
                    <span class="mg-code">{t('accessLog.reference', { reference: entry.referenceNumber })}</span>
                  </>
                ) : null}
              </>
            ),
            reason: entry.reason ?? t('accessLog.noReason'),
          }))}
        />
      )}
      {props.nextBefore !== null || props.paged ? (
        <nav class="mg-pagination" aria-label={t('pagination.label')}>
          {props.paged ? (
            <a class="mg-pagination__link mg-pagination__link--previous" href={ACCESS_LOG_PATH}>
              {t('accessLog.newest')}
            </a>
          ) : null}
          {props.nextBefore !== null ? (
            <a class="mg-pagination__link mg-pagination__link--next" href={`${ACCESS_LOG_PATH}?before=${props.nextBefore}`} rel="next">
              {t('accessLog.older')}
            </a>
          ) : null}
        </nav>
      ) : null}
    </PortalPage>
  );
}

import type { AuditPage, AuditVerification } from '@madoguchi/audit';
import { Button, ErrorSummary, type FieldError, NotificationBanner, Pagination, Table, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { OfficePage } from '../shared/office-page';

export const ADMIN_AUDIT = '/office/admin/audit';
/** The filters of the audit page, as query parameters. */
export const AUDIT_PARAMS = ['action', 'actorId', 'targetType', 'targetId', 'from', 'to'] as const;

export function auditHref(values: Record<string, string>, extra: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...values, ...extra }).toString();
  return query ? `${ADMIN_AUDIT}?${query}` : ADMIN_AUDIT;
}

/** Date and time in Japan, as staff read the log (the stored instant is UTC). */
function when(lang: string, at: Date): string {
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'medium', timeStyle: 'medium' }).format(at);
}

function VerificationResult({ context, result }: { context: OfficeContext; result: AuditVerification }) {
  const { t } = context;
  const check = result.checkpoint;
  const checkpoint =
    check.status === 'none'
      ? t('office.admin.audit.checkpoint.none')
      : check.status === 'invalid'
        ? t('office.admin.audit.checkpoint.invalid', { line: check.line })
        : t(`office.admin.audit.checkpoint.${check.status}`, { seq: check.seq, at: when(context.lang, new Date(check.at)) });
  const good = result.ok && (check.status === 'none' || check.status === 'matches');
  const chain = result.firstBroken
    ? t('office.admin.audit.broken', { seq: result.firstBroken.seq, reason: result.firstBroken.reason, checked: result.checked })
    : t('office.admin.audit.intact', { checked: result.checked });
  const body = (
    <>
      <p data-testid="audit-chain">{chain}</p>
      <p data-testid="audit-checkpoint">{checkpoint}</p>
    </>
  );
  return good ? (
    <NotificationBanner kind="success" title={t('office.admin.audit.verifyTitle')} id="verification">
      {body}
    </NotificationBanner>
  ) : (
    <div class="mg-banner mg-banner--warning" role="alert" id="verification">
      <h2 class="mg-banner__title">{t('office.admin.audit.verifyTitle')}</h2>
      {body}
    </div>
  );
}

/** /office/admin/audit: the log newest first, filtered, keyset paged; the chain's verification on request. Read-only. */
export function AuditView(props: { context: OfficeContext; page: AuditPage; values: Record<string, string>; errors: FieldError[]; verification: AuditVerification | null }) {
  const { context, page, values } = props;
  const { t, lang } = context;
  const errorOf = (id: string) => props.errors.find((error) => error.fieldId === id)?.message;
  const filters = Object.fromEntries(Object.entries(values).filter(([key]) => key !== 'before'));
  return (
    <OfficePage context={context} title={t('office.admin.audit.title')} breadcrumbs={[{ label: t('office.admin.title'), href: '/office/admin' }, { label: t('office.admin.audit.title') }]}>
      <ErrorSummary errors={props.errors} />
      <h1>{t('office.admin.audit.title')}</h1>
      {props.verification ? <VerificationResult context={context} result={props.verification} /> : null}
      <form method="get" action={`${ADMIN_AUDIT}/verify`} class="mg-office-actions">
        <Button variant="secondary">{t('office.admin.audit.verify')}</Button>
      </form>
      <details class="mg-office-details" open={Object.keys(filters).length > 0}>
        <summary>{t('office.admin.audit.filters')}</summary>
        <form method="get" action={ADMIN_AUDIT} class="mg-office-filters" novalidate>
          <TextInput name="action" label={t('office.admin.audit.action')} value={values.action} error={errorOf('action')} width={20} inputLang="en" spellcheck={false} />
          <TextInput name="actorId" label={t('office.admin.audit.actor')} value={values.actorId} error={errorOf('actorId')} width={20} inputLang="en" spellcheck={false} />
          <TextInput name="targetType" label={t('office.admin.audit.targetType')} value={values.targetType} error={errorOf('targetType')} width={20} inputLang="en" spellcheck={false} />
          <TextInput name="targetId" label={t('office.admin.audit.targetId')} value={values.targetId} error={errorOf('targetId')} width={20} inputLang="en" spellcheck={false} />
          <TextInput name="from" label={t('office.admin.audit.from')} hint={t('office.admin.audit.dateHint')} value={values.from} error={errorOf('from')} width={10} inputLang="en" />
          <TextInput name="to" label={t('office.admin.audit.to')} hint={t('office.admin.audit.dateHint')} value={values.to} error={errorOf('to')} width={10} inputLang="en" />
          <div class="mg-office-actions">
            <Button>{t('office.admin.audit.apply')}</Button>
            <a href={ADMIN_AUDIT}>{t('office.admin.audit.clear')}</a>
          </div>
        </form>
      </details>
      {page.entries.length === 0 ? (
        <p>{t('office.admin.audit.empty')}</p>
      ) : (
        <Table
          caption={t('office.admin.audit.caption')}
          rowHeader="seq"
          columns={[
            { key: 'seq', label: t('office.admin.audit.col.seq'), numeric: true },
            { key: 'at', label: t('office.admin.audit.col.at') },
            { key: 'actor', label: t('office.admin.audit.col.actor') },
            { key: 'action', label: t('office.admin.audit.col.action') },
            { key: 'target', label: t('office.admin.audit.col.target') },
          ]}
          rows={page.entries.map((entry) => ({
            seq: String(entry.seq),
            at: <time dateTime={entry.occurredAt.toISOString()}>{when(lang, entry.occurredAt)}</time>,
            actor: entry.actor.id ? (
              <a href={auditHref({ actorId: entry.actor.id })}>
                {entry.actor.kind}: <code>{entry.actor.id}</code>
              </a>
            ) : (
              entry.actor.kind
            ),
            action: <code>{entry.action}</code>,
            target: entry.target ? (
              <a href={auditHref({ targetType: entry.target.type, targetId: entry.target.id })}>
                {entry.target.type}: <code>{entry.target.id}</code>
              </a>
            ) : (
              '—'
            ),
          }))}
        />
      )}
      <Pagination nextHref={page.nextBefore ? auditHref(filters, { before: String(page.nextBefore) }) : undefined} previousHref={values.before ? auditHref(filters) : undefined} />
    </OfficePage>
  );
}

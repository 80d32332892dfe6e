import { Button, ErrorSummary, type FieldError, NotificationBanner, Radios, TextInput, Textarea } from '@madoguchi/ui';
import { CsrfField } from '../shared/csrf-field';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';
import type { FieldChangeRow } from './application-pages.model';

/** A flagged field as the form renders it: its shape from the procedure's schema, its words from the procedure texts. */
export interface CorrectionField {
  name: string;
  label: string;
  hint?: string;
  kind: 'choice' | 'boolean' | 'integer' | 'text' | 'longText';
  choices?: Array<{ value: string; label: string }>;
  value: string;
}

export interface CorrectViewProps {
  context: PageContext;
  application: { id: string; procedureName: string; revision: number; returned: boolean };
  message: string | null;
  fields: CorrectionField[];
  errors: FieldError[];
  changes: FieldChangeRow[];
  /** The corrections were saved (post/redirect/get) and can be sent. */
  saved: boolean;
  /** The procedure needs a card signature over the corrected content before resubmission. */
  needsSignature: boolean;
}

function Field({ context, field, error }: { context: PageContext; field: CorrectionField; error?: string }) {
  if (field.kind === 'choice' || field.kind === 'boolean') {
    const items = field.kind === 'boolean' ? [{ value: 'true', label: context.t('correct.yes') }, { value: 'false', label: context.t('correct.no') }] : (field.choices ?? []);
    return <Radios name={field.name} label={field.label} hint={field.hint} error={error} value={field.value} items={items} inline={field.kind === 'boolean'} />;
  }
  if (field.kind === 'longText') return <Textarea name={field.name} label={field.label} hint={field.hint} error={error} value={field.value} />;
  return (
    <TextInput
      name={field.name}
      label={field.label}
      hint={field.hint}
      error={error}
      value={field.value}
      inputmode={field.kind === 'integer' ? 'numeric' : undefined}
      width={field.kind === 'integer' ? 3 : undefined}
    />
  );
}

const shown = (context: PageContext, value: string | null) => (value === null || value === '' ? context.t('correct.empty') : value);

/** After 差戻し: the staff's message, only the flagged fields, what changed, then resubmission. */
export function CorrectView(props: CorrectViewProps) {
  const { context, application } = props;
  const { t } = context;
  const base = `/applications/${application.id}`;
  return (
    <PortalPage
      context={context}
      title={t('correct.title')}
      breadcrumbs={[
        { label: t('layout.home'), href: '/' },
        { label: t('applications.title'), href: '/applications' },
        { label: application.procedureName, href: base },
        { label: t('correct.title') },
      ]}
    >
      <ErrorSummary errors={props.errors} />
      {props.saved && props.errors.length === 0 ? (
        <NotificationBanner kind="success" id="saved">
          <p>{t('correct.saved')}</p>
        </NotificationBanner>
      ) : null}
      <p class="mg-caption">{application.procedureName}</p>
      <h1>{t('correct.title')}</h1>
      {!application.returned ? (
        <p>{t('correct.notReturned')}</p>
      ) : (
        <>
          {props.message ? (
            <NotificationBanner title={t('correct.messageHeading')} id="staff-message">
              <p>{props.message}</p>
            </NotificationBanner>
          ) : null}
          <h2>{t('correct.fieldsHeading')}</h2>
          <p>{t('correct.fieldsLead')}</p>
          <form method="post" action={`${base}/correct`} novalidate>
            <CsrfField context={context} />
            <input type="hidden" name="revision" value={String(application.revision)} />
            {props.fields.map((field) => (
              <Field context={context} field={field} error={props.errors.find((error) => error.fieldId === field.name)?.message} />
            ))}
            <Button variant={props.saved ? 'secondary' : 'primary'} id="correct-save">
              {t('correct.save')}
            </Button>
          </form>
          <h2>{t('correct.changesHeading')}</h2>
          {props.changes.length === 0 ? (
            <p id="changes-none">{t('correct.noChanges')}</p>
          ) : (
            <dl class="mg-summary-list" id="changes">
              {props.changes.map((change) => (
                <div class="mg-summary-list__row">
                  <dt class="mg-summary-list__key">{change.label}</dt>
                  <dd class="mg-summary-list__value">
                    {t('correct.before')}: {shown(context, change.before)}
                    <br />
                    {t('correct.after')}: <strong>{shown(context, change.after)}</strong>
                  </dd>
                </div>
              ))}
            </dl>
          )}
          <h2>{t('correct.resubmitHeading')}</h2>
          {props.needsSignature ? (
            <form method="post" action={`${base}/sign/mynumber`}>
              <p>{t('correct.signFirst')}</p>
              <CsrfField context={context} />
              <Button variant="secondary" id="correct-sign">
                {t('correct.sign')}
              </Button>
            </form>
          ) : null}
          <form method="post" action={`${base}/resubmit`}>
            <CsrfField context={context} />
            <input type="hidden" name="revision" value={String(application.revision)} />
            <Button id="correct-resubmit">{t('correct.resubmit')}</Button>
          </form>
        </>
      )}
    </PortalPage>
  );
}

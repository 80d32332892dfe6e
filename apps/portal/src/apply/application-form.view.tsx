import { Button, ErrorSummary, type FieldError, FileUpload, type FormProcedure, type FormSection, formatDate, type RawValues, SectionFields, sectionTitle } from '@madoguchi/ui';
import { CsrfField } from '../shared/csrf-field';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';

export type { FormProcedure } from '@madoguchi/ui';

/** Hidden fields every form page posts: CSRF, the revision it was rendered from. */
function FormHidden({ context, revision }: { context: PageContext; revision: number }) {
  return (
    <>
      <CsrfField context={context} />
      <input type="hidden" name="_revision" value={String(revision)} />
    </>
  );
}

/** /apply/:code — what the form asks, drafts to continue, and Start (a form: it creates the draft). */
export function ApplyStartView(props: {
  context: PageContext;
  procedure: FormProcedure;
  drafts: Array<{ id: string; updatedOn: string }>;
  formToken: string;
}) {
  const { context, procedure } = props;
  const { t } = context;
  const title = t('apply.startTitle', { name: procedure.name });
  return (
    <PortalPage context={context} title={title} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: procedure.name, href: `/procedures/${procedure.code}` }, { label: title }]}>
      <h1>{title}</h1>
      <p class="mg-lead">{t('apply.startLead', { pages: procedure.sections.length })}</p>
      <ol>
        {procedure.sections.map((section) => (
          <li>{sectionTitle(context, procedure, section)}</li>
        ))}
      </ol>
      {procedure.needsSignature ? <p>{t('apply.signatureNeeded')}</p> : null}
      {props.drafts.length > 0 ? (
        <section aria-labelledby="drafts">
          <h2 id="drafts">{t('apply.draftsHeading')}</h2>
          <ul>
            {props.drafts.map((draft) => (
              <li>
                <a href={`/applications/${draft.id}/form/1`}>{t('apply.draftContinue', { date: formatDate(context.lang, draft.updatedOn) })}</a>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <form method="post" action={`/apply/${encodeURIComponent(procedure.code)}`} novalidate>
        <CsrfField context={context} />
        <input type="hidden" name="_token" value={props.formToken} />
        <Button start>{t('apply.startButton')}</Button>
      </form>
    </PortalPage>
  );
}

/** One page of the form. */
export function FormSectionView(props: {
  context: PageContext;
  applicationId: string;
  revision: number;
  procedure: FormProcedure;
  section: FormSection;
  values: RawValues;
  masked: Record<string, string>;
  errors: FieldError[];
  backHref: string;
  /** The postal-code lookup route when postal data is installed (the script fills the address from it), else null. */
  postalLookup: string | null;
}) {
  const { context, procedure, section } = props;
  const { t } = context;
  const heading = sectionTitle(context, procedure, section);
  const title = `${props.errors.length > 0 ? `${t('errorSummary.title')}: ` : ''}${heading} - ${procedure.name}`;
  const byId = Object.fromEntries(props.errors.map((error) => [error.fieldId, error.message]));
  return (
    <PortalPage context={context} title={title} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: procedure.name, href: `/procedures/${procedure.code}` }, { label: heading }]}>
      <ErrorSummary errors={props.errors} />
      <p class="mg-caption">
        {procedure.name} — {t('apply.pageOf', { current: section.number, total: procedure.sections.length })}
      </p>
      <h1>{heading}</h1>
      {section.group && procedure.fields[section.group]?.hint ? <p class="mg-hint">{procedure.fields[section.group].hint}</p> : null}
      <form method="post" action={`/applications/${props.applicationId}/form/${section.number}`} novalidate>
        <FormHidden context={context} revision={props.revision} />
        {/* Enter in a box presses the form's first submit button: make it "save", not a list's "remove". */}
        <button type="submit" name="_action" value="save" class="mg-visually-hidden" tabindex={-1} aria-hidden="true">
          {t('apply.saveContinue')}
        </button>
        <SectionFields
          context={context}
          schema={procedure.schema}
          keys={section.keys}
          required={procedure.required}
          texts={procedure.fields}
          values={props.values}
          errors={byId}
          masked={props.masked}
          groupIsHeading={section.group !== null}
          postalLookup={props.postalLookup}
        />
        <div class="mg-button-group">
          <Button name="_action" value="save" id="save">
            {t('apply.saveContinue')}
          </Button>
        </div>
      </form>
      <p>
        <a href={props.backHref}>{t('apply.back')}</a>
      </p>
    </PortalPage>
  );
}

export interface AttachmentItem {
  id: string;
  fileName: string;
  sizeLabel: string;
}

/** Attachments: plain multipart upload, earlier files offered again, remove. */
export function AttachmentsView(props: {
  context: PageContext;
  applicationId: string;
  procedureName: string;
  procedureCode: string;
  attached: AttachmentItem[];
  reusable: AttachmentItem[];
  typesLabel: string;
  accept: string;
  maxMb: number;
  error: FieldError | null;
  backHref: string;
}) {
  const { context } = props;
  const { t } = context;
  const heading = t('apply.attachmentsTitle');
  const title = `${props.error ? `${t('errorSummary.title')}: ` : ''}${heading} - ${props.procedureName}`;
  return (
    <PortalPage context={context} title={title} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: props.procedureName, href: `/procedures/${props.procedureCode}` }, { label: heading }]}>
      <ErrorSummary errors={props.error ? [props.error] : []} />
      <p class="mg-caption">{props.procedureName}</p>
      <h1>{heading}</h1>
      <p>{t('apply.attachmentsLead')}</p>
      <h2>{t('apply.attachedHeading')}</h2>
      {props.attached.length === 0 ? (
        <p>{t('apply.attachmentsNone')}</p>
      ) : (
        <ul class="mg-file-list">
          {props.attached.map((file) => (
            <li>
              <form method="post" action={`/applications/${props.applicationId}/attachments`} class="mg-inline-form">
                <CsrfField context={context} />
                <span>
                  {file.fileName} ({file.sizeLabel})
                </span>{' '}
                <button type="submit" class="mg-button mg-button--secondary" name="_action" value={`remove:${file.id}`}>
                  {t('apply.remove')}
                  <span class="mg-visually-hidden"> {file.fileName}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`/applications/${props.applicationId}/attachments`} enctype="multipart/form-data" novalidate>
        <CsrfField context={context} />
        <FileUpload name="file" label={t('apply.fileLabel')} typesLabel={props.typesLabel} accept={props.accept} maxMb={props.maxMb} error={props.error?.message} />
        <Button variant="secondary" name="_action" value="upload" id="upload">
          {t('apply.upload')}
        </Button>
      </form>
      {props.reusable.length > 0 ? (
        <section aria-labelledby="reuse">
          <h2 id="reuse">{t('apply.reuseHeading')}</h2>
          <p>{t('apply.reuseLead')}</p>
          <ul class="mg-file-list">
            {props.reusable.map((file) => (
              <li>
                <form method="post" action={`/applications/${props.applicationId}/attachments`} class="mg-inline-form">
                  <CsrfField context={context} />
                  <span>
                    {file.fileName} ({file.sizeLabel})
                  </span>{' '}
                  <button type="submit" class="mg-button mg-button--secondary" name="_action" value={`reuse:${file.id}`}>
                    {t('apply.reuse')}
                    <span class="mg-visually-hidden"> {file.fileName}</span>
                  </button>
                </form>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <Button href={`/applications/${props.applicationId}/check`} id="continue">
          {t('apply.continue')}
        </Button>
      </p>
      <p>
        <a href={props.backHref}>{t('apply.back')}</a>
      </p>
    </PortalPage>
  );
}

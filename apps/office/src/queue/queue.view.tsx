import type { QueueBoard, QueueItemDto } from '@madoguchi/applications';
import { isoDateIn } from '@madoguchi/kernel';
import { Button, ErrorSummary, formatDate, NotificationBanner, Pagination, Select, StatusTag, Table, TextInput } from '@madoguchi/ui';
import { STATE_LABELS } from '@madoguchi/workflow';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

/** Every query parameter of the queue page: the API's filters, sort and cursor. */
export const QUEUE_PARAMS = ['state', 'procedureCode', 'channel', 'submittedFrom', 'submittedTo', 'minAgeDays', 'dueBefore', 'overdue', 'claimed', 'sort', 'order', 'cursor'] as const;
const CHANNELS = ['online', 'counter', 'mail', 'convenienceStore'] as const;
const CLAIMED = ['me', 'none', 'others', 'any'] as const;
/** Business days left at which a case counts as "due soon". */
export const DUE_SOON_DAYS = 2;

export function queueHref(values: Record<string, string>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ ...values, ...extra });
  const query = params.toString();
  return query ? `/office/queue?${query}` : '/office/queue';
}

function localized(context: OfficeContext, text: { ja: string; en: string }): string {
  return context.lang === 'en' ? text.en : text.ja;
}

function DueCell({ context, item }: { context: OfficeContext; item: QueueItemDto }) {
  const { t } = context;
  if (item.paused) return <StatusTag tone="neutral">{t('office.queue.paused', { days: item.daysLeft ?? 0 })}</StatusTag>;
  if (!item.dueOn) return <span>{t('office.queue.noDue')}</span>;
  const date = formatDate(context.lang, item.dueOn);
  if (item.overdue)
    return (
      <>
        {date}
        <br />
        <StatusTag tone="danger">{t('office.queue.overdueTag', { days: Math.abs(item.daysLeft ?? 0) })}</StatusTag>
      </>
    );
  if (item.daysLeft !== null && item.daysLeft <= DUE_SOON_DAYS)
    return (
      <>
        {date}
        <br />
        <StatusTag tone="warning">{t('office.queue.dueSoonTag', { days: item.daysLeft })}</StatusTag>
      </>
    );
  return (
    <>
      {date}
      <br />
      <span class="mg-hint">{t('office.queue.daysLeft', { days: item.daysLeft ?? 0 })}</span>
    </>
  );
}

export interface QueueViewProps {
  context: OfficeContext;
  board: QueueBoard;
  /** The filters as submitted (strings), to fill the form and build links. */
  values: Record<string, string>;
  /** Validation messages of a refused filter (the list then shows unfiltered). */
  invalid: string[];
  bulk: { done: number; failed: number } | null;
  staffId: string;
}

export function QueueView(props: QueueViewProps) {
  const { context, board, values } = props;
  const { t, lang } = context;
  const { page } = board;
  const withoutCursor = Object.fromEntries(Object.entries(values).filter(([key]) => key !== 'cursor'));
  const sort = values.sort ?? 'dueOn';
  const order = values.order ?? 'asc';
  const sortOf = (column: string) => ({
    state: (sort === column ? (order === 'asc' ? 'ascending' : 'descending') : 'none') as 'ascending' | 'descending' | 'none',
    ascendingHref: queueHref({ ...withoutCursor, sort: column, order: 'asc' }),
    descendingHref: queueHref({ ...withoutCursor, sort: column, order: 'desc' }),
  });
  const stateOptions = Object.keys(STATE_LABELS)
    .filter((state) => state !== 'draft' && state !== 'discarded')
    .map((state) => ({ value: state, label: localized(context, STATE_LABELS[state]) }));
  const errors = props.invalid.map((message) => ({ fieldId: 'filters', message }));
  const bulkEmpty = props.bulk !== null && props.bulk.done === 0 && props.bulk.failed === 0;
  return (
    <OfficePage context={context} title={t('office.queue.title')}>
      <ErrorSummary errors={bulkEmpty ? [{ fieldId: 'bulk', message: t('office.bulk.noneSelected') }] : errors} />
      <h1>{t('office.queue.title')}</h1>
      {props.bulk && !bulkEmpty ? (
        <NotificationBanner kind="success">{t('office.bulk.result', { done: props.bulk.done, failed: props.bulk.failed })}</NotificationBanner>
      ) : null}
      <section aria-labelledby="counts-title">
        <h2 class="mg-heading-s" id="counts-title">
          {t('office.queue.counts')}
        </h2>
        <ul class="mg-office-counts">
          {Object.entries(board.stateCounts).map(([state, count]) => (
            <li>
              <a href={queueHref({ state })}>
                {localized(context, STATE_LABELS[state] ?? { ja: state, en: state })}: <strong>{count}</strong>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <details class="mg-office-details" open={Object.keys(withoutCursor).length > 0 || props.invalid.length > 0}>
        <summary accessKey="f">{t('office.queue.filters')}</summary>
        <form method="get" action="/office/queue" id="filters" class="mg-office-filters" novalidate>
          <Select name="state" id="state" label={t('office.queue.state')} options={stateOptions} value={values.state} />
          <Select name="procedureCode" label={t('office.queue.procedure')} options={board.procedures.map((procedure) => ({ value: procedure.code, label: localized(context, procedure.name) }))} value={values.procedureCode} />
          <Select name="channel" label={t('office.queue.channel')} options={CHANNELS.map((channel) => ({ value: channel, label: t(`office.queue.channel.${channel}`) }))} value={values.channel} />
          <TextInput name="submittedFrom" label={t('office.queue.submittedFrom')} hint={t('office.queue.dateHint')} value={values.submittedFrom} width={10} inputLang="en" />
          <TextInput name="submittedTo" label={t('office.queue.submittedTo')} hint={t('office.queue.dateHint')} value={values.submittedTo} width={10} inputLang="en" />
          <TextInput name="minAgeDays" label={t('office.queue.minAgeDays')} value={values.minAgeDays} inputmode="numeric" width={4} />
          <TextInput name="dueBefore" label={t('office.queue.dueBefore')} hint={t('office.queue.dateHint')} value={values.dueBefore} width={10} inputLang="en" />
          <Select
            name="overdue"
            label={t('office.queue.overdue')}
            options={[
              { value: 'true', label: t('office.queue.overdue.true') },
              { value: 'false', label: t('office.queue.overdue.false') },
            ]}
            value={values.overdue}
          />
          <Select name="claimed" label={t('office.queue.claimed')} options={CLAIMED.map((claimed) => ({ value: claimed, label: t(`office.queue.claimed.${claimed}`) }))} value={values.claimed} />
          {values.sort ? <input type="hidden" name="sort" value={values.sort} /> : null}
          {values.order ? <input type="hidden" name="order" value={values.order} /> : null}
          <div class="mg-office-actions">
            <Button>{t('office.queue.apply')}</Button>
            <a href="/office/queue">{t('office.queue.clear')}</a>
          </div>
        </form>
      </details>
      <form method="post" action="/office/queue/bulk" id="bulk" novalidate>
        <CsrfField context={context} />
        <input type="hidden" name="back" value={new URLSearchParams(withoutCursor).toString()} />
        {page.items.length === 0 ? (
          <p>{t('office.queue.empty')}</p>
        ) : (
          <>
            <p class="mg-office-select-all" data-mg-select-all="" hidden>
              <label>
                <input type="checkbox" /> {t('office.queue.claimed.any')}
              </label>
            </p>
            <Table
              caption={t('office.queue.caption', { total: page.total })}
              rowHeader="reference"
              columns={[
                { key: 'select', label: t('office.queue.col.select') },
                { key: 'reference', label: t('office.queue.col.reference') },
                { key: 'procedure', label: t('office.queue.col.procedure') },
                { key: 'state', label: t('office.queue.col.state') },
                { key: 'channel', label: t('office.queue.col.channel') },
                { key: 'submitted', label: t('office.queue.col.submitted'), sort: sortOf('submittedAt') },
                { key: 'age', label: t('office.queue.col.age'), numeric: true },
                { key: 'due', label: t('office.queue.col.due'), sort: sortOf('dueOn') },
                { key: 'claimed', label: t('office.queue.col.claimed') },
              ]}
              rows={page.items.map((item) => {
                const reference = item.referenceNumber ?? item.id.slice(0, 8);
                return {
                  select: (
                    <>
                      <input type="checkbox" name="ids" value={item.id} id={`select-${item.id}`} class="mg-office-checkbox" />
                      <label for={`select-${item.id}`} class="mg-visually-hidden">
                        {t('office.queue.selectCase', { reference })}
                      </label>
                    </>
                  ),
                  reference: <a href={`/office/applications/${item.id}`}>{reference}</a>,
                  procedure: localized(context, item.procedureName),
                  state: localized(context, item.status),
                  channel: t(`office.queue.channel.${item.channel as (typeof CHANNELS)[number]}`),
                  submitted: formatDate(lang, isoDateIn(new Date(item.submittedAt), 'Asia/Tokyo')),
                  age: t('office.queue.days', { days: item.ageDays }),
                  due: <DueCell context={context} item={item} />,
                  claimed: item.claimedBy === null ? t('office.queue.unclaimed') : item.claimedBy === props.staffId ? t('office.queue.mine') : (board.staffNames[item.claimedBy] ?? '—'),
                };
              })}
            />
            <fieldset class="mg-office-bulk">
              <legend>{t('office.bulk.title')}</legend>
              <Select
                name="assignee"
                label={t('office.bulk.assignee')}
                placeholder={false}
                options={[{ value: '', label: t('office.bulk.claimSelf') }, ...board.colleagues.map((colleague) => ({ value: colleague.id, label: colleague.name }))]}
              />
              <Button variant="secondary">{t('office.bulk.submit')}</Button>
            </fieldset>
          </>
        )}
      </form>
      <Pagination nextHref={page.nextCursor ? queueHref(withoutCursor, { cursor: page.nextCursor }) : undefined} previousHref={values.cursor ? queueHref(withoutCursor) : undefined} />
      <Shortcuts context={context} keys={['office.shortcuts.queue', 'office.shortcuts.filter']} />
    </OfficePage>
  );
}

export function Shortcuts({ context, keys }: { context: OfficeContext; keys: Array<Parameters<OfficeContext['t']>[0]> }) {
  const { t } = context;
  return (
    <details class="mg-office-details">
      <summary>{t('office.shortcuts.title')}</summary>
      <p>{t('office.shortcuts.body')}</p>
      <ul>
        {keys.map((key) => (
          <li>{t(key)}</li>
        ))}
      </ul>
    </details>
  );
}

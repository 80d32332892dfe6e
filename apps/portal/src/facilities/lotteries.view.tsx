import type { FacilityDto, LotteryDrawDto, LotteryDto, LotteryEntryDto } from '@madoguchi/bookings';
import { Button, Checkboxes, ErrorSummary, type FieldError, formatDate, NotificationBanner, Select, StatusTag, SummaryList, Table, TextInput } from '@madoguchi/ui';
import { addDays } from '@madoguchi/kernel';
import { localized } from '../catalog/catalog.page-mapper';
import { CsrfField } from '../shared/csrf-field';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';
import type { LotteryFormValues } from './booking-forms';
import { formatInstant } from './booking-format';

type LotteryStatus = 'upcoming' | 'open' | 'closed' | 'drawn';
type EntryStatus = 'entered' | 'withdrawn' | 'won' | 'waitlisted' | 'promoted' | 'forfeited';
const lotteryStatus = (status: string) => `lotteries.status.${(['upcoming', 'open', 'closed', 'drawn'].includes(status) ? status : 'closed') as LotteryStatus}` as const;
const entryStatus = (status: string) => `lottery.entryStatus.${(['entered', 'withdrawn', 'won', 'waitlisted', 'promoted', 'forfeited'].includes(status) ? status : 'entered') as EntryStatus}` as const;

const facilityName = (context: PageContext, facility: FacilityDto | null, code: string) => (facility ? localized(context.lang, facility.name) : code);
const roomName = (context: PageContext, facility: FacilityDto | null, code: string) => {
  const room = facility?.rooms.find((candidate) => candidate.code === code);
  return room ? localized(context.lang, room.name) : code;
};
const period = (context: PageContext, lottery: LotteryDto) =>
  context.t('lotteries.periodValue', { from: formatDate(context.lang, lottery.periodFrom), to: formatDate(context.lang, lottery.periodTo) });

export function LotteriesListView({ context, lotteries }: { context: PageContext; lotteries: Array<{ lottery: LotteryDto; facility: FacilityDto | null }> }) {
  const { t, lang } = context;
  return (
    <PortalPage context={context} title={t('lotteries.title')} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('facilities.title'), href: '/facilities' }, { label: t('lotteries.title') }]}>
      <h1>{t('lotteries.title')}</h1>
      <p class="mg-lead">{t('lotteries.lead')}</p>
      {lotteries.length === 0 ? (
        <p>{t('lotteries.empty')}</p>
      ) : (
        <Table
          caption={t('lotteries.caption')}
          captionSize="hidden"
          rowHeader="facility"
          columns={[
            { key: 'facility', label: t('lotteries.facility') },
            { key: 'period', label: t('lotteries.period') },
            { key: 'deadline', label: t('lotteries.deadline') },
            { key: 'status', label: t('lotteries.status') },
            { key: 'entries', label: t('lotteries.entries'), numeric: true },
          ]}
          rows={lotteries.map(({ lottery, facility }) => ({
            facility: <a href={`/lotteries/${lottery.id}`}>{facilityName(context, facility, lottery.facility)}</a>,
            period: period(context, lottery),
            deadline: formatInstant(lang, lottery.entryClosesAt),
            status: <StatusTag tone={lottery.status === 'open' ? 'info' : 'neutral'}>{t(lotteryStatus(lottery.status))}</StatusTag>,
            entries: String(lottery.entryCount),
          }))}
        />
      )}
    </PortalPage>
  );
}

function LotteryFacts({ context, lottery, facility }: { context: PageContext; lottery: LotteryDto; facility: FacilityDto | null }) {
  const { t, lang } = context;
  return (
    <SummaryList
      rows={[
        { key: t('lotteries.status'), value: t(lotteryStatus(lottery.status)) },
        { key: t('lottery.rooms'), value: lottery.rooms.map((code) => roomName(context, facility, code)).join(lang === 'en' ? ', ' : '、') },
        { key: t('lotteries.period'), value: period(context, lottery) },
        { key: t('lottery.opens'), value: formatInstant(lang, lottery.entryOpensAt) },
        { key: t('lotteries.deadline'), value: formatInstant(lang, lottery.entryClosesAt) },
        { key: t('lotteries.entries'), value: String(lottery.entryCount) },
        { key: t('lottery.maxEntries'), value: String(lottery.maxEntriesPerResident) },
        { key: t('lottery.paymentHours'), value: t('lottery.paymentHoursValue', { hours: lottery.paymentHours }) },
        {
          key: t('lottery.seed'),
          value: (
            <>
              <code class="mg-code" id="lottery-seed">
                {lottery.seed}
              </code>
              <div class="mg-hint">{t('lottery.seedHint')}</div>
            </>
          ),
        },
      ]}
    />
  );
}

/** A lottery in public: its facts and seed, and once drawn the published order (entry numbers only, no names). */
export function LotteryView({ context, lottery, facility, draw }: { context: PageContext; lottery: LotteryDto; facility: FacilityDto | null; draw: LotteryDrawDto | null }) {
  const { t, lang } = context;
  const title = t('lottery.title', { facility: facilityName(context, facility, lottery.facility) });
  return (
    <PortalPage context={context} title={title} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('lotteries.title'), href: '/lotteries' }, { label: title }]}>
      <h1>{title}</h1>
      <LotteryFacts context={context} lottery={lottery} facility={facility} />
      <p>
        <a href={`/lotteries/${lottery.id}/entries`}>{t('lottery.enterLink')}</a>
      </p>
      {draw ? (
        <>
          <h2>{t('lottery.resultHeading')}</h2>
          <SummaryList
            rows={[
              { key: t('lottery.drawnAt'), value: formatInstant(lang, draw.drawnAt) },
              { key: t('lottery.resultHash'), value: <code class="mg-code">{draw.resultHash}</code> },
            ]}
          />
          <Table
            caption={t('lottery.resultCaption')}
            rowHeader="position"
            columns={[
              { key: 'position', label: t('lottery.position'), numeric: true },
              { key: 'entry', label: t('lottery.entryNumber'), numeric: true },
              { key: 'outcome', label: t('lottery.outcome') },
            ]}
            rows={draw.order.map((entry) => ({
              position: String(entry.position),
              entry: String(entry.entryNumber),
              outcome: t(entry.outcome === 'won' ? 'lottery.outcome.won' : 'lottery.outcome.waitlisted'),
            }))}
          />
        </>
      ) : null}
    </PortalPage>
  );
}

export interface LotteryEntriesViewProps {
  context: PageContext;
  lottery: LotteryDto;
  facility: FacilityDto | null;
  slotStarts: string[];
  entries: LotteryEntryDto[];
  values: LotteryFormValues | null;
  errors: FieldError[];
  notice: string | null;
}

/** The resident's entries (outcome, withdraw, a win's way to apply) and the entry form while entries are open. */
export function LotteryEntriesView(props: LotteryEntriesViewProps) {
  const { context, lottery, facility, entries } = props;
  const { t, lang } = context;
  const title = t('lottery.entriesTitle');
  const error = (field: string) => props.errors.find((candidate) => candidate.fieldId === field)?.message;
  const dates: string[] = [];
  for (let date = lottery.periodFrom; date <= lottery.periodTo && dates.length < 93; date = addDays(date, 1)) dates.push(date);
  const v = props.values;
  return (
    <PortalPage
      context={context}
      title={title}
      breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('lotteries.title'), href: '/lotteries' }, { label: t('lottery.title', { facility: facilityName(context, facility, lottery.facility) }), href: `/lotteries/${lottery.id}` }, { label: title }]}
    >
      <ErrorSummary errors={props.errors} />
      {props.notice ? (
        <NotificationBanner kind="success" id="lottery-notice">
          <p>{props.notice}</p>
        </NotificationBanner>
      ) : null}
      <h1>{title}</h1>
      <p>
        <a href={`/lotteries/${lottery.id}`}>{t('lottery.title', { facility: facilityName(context, facility, lottery.facility) })}</a>: {t(lotteryStatus(lottery.status))}
      </p>
      <h2>{t('lottery.mineHeading')}</h2>
      {entries.length === 0 ? (
        <p>{t('lottery.mineEmpty')}</p>
      ) : (
        <Table
          caption={t('lottery.mineCaption')}
          captionSize="hidden"
          rowHeader="number"
          columns={[
            { key: 'number', label: t('lottery.entryNumber') },
            { key: 'what', label: t('bookings.place') },
            { key: 'status', label: t('lotteries.status') },
            { key: 'actions', label: t('lottery.actions') },
          ]}
          rows={entries.map((entry) => ({
            number: String(entry.entryNumber),
            what: `${roomName(context, facility, entry.room)} ${formatDate(lang, entry.date)} ${entry.slots.join(lang === 'en' ? ', ' : '、')}`,
            status: <StatusTag tone={entry.status === 'won' || entry.status === 'promoted' ? 'success' : 'neutral'}>{t(entryStatus(entry.status))}</StatusTag>,
            actions:
              entry.status === 'entered' && lottery.status === 'open' ? (
                <form method="post" action={`/lotteries/${lottery.id}/entries/${entry.entryNumber}/withdraw`}>
                  <CsrfField context={context} />
                  <button class="mg-button mg-button--warning" type="submit" id={`withdraw-${entry.entryNumber}`}>
                    {t('lottery.withdraw')}
                    <span class="mg-visually-hidden"> {t('lottery.withdrawWhat', { number: entry.entryNumber })}</span>
                  </button>
                </form>
              ) : (entry.status === 'won' || entry.status === 'promoted') && entry.bookingId ? (
                <a href={`/bookings/${entry.bookingId}`}>{t('lottery.applyWin')}</a>
              ) : null,
          }))}
        />
      )}
      <h2>{t('lottery.formHeading')}</h2>
      {lottery.status === 'open' ? (
        <form method="post" action={`/lotteries/${lottery.id}/entries`} novalidate>
          <CsrfField context={context} />
          <Select
            name="room"
            label={t('lottery.room')}
            value={v?.room}
            error={error('room')}
            options={lottery.rooms.map((code) => ({ value: code, label: roomName(context, facility, code) }))}
          />
          <Select name="date" label={t('lottery.date')} value={v?.date} error={error('date')} options={dates.map((date) => ({ value: date, label: formatDate(lang, date) }))} />
          <Checkboxes name="slots" label={t('lottery.slots')} values={v?.slots} error={error('slots')} items={props.slotStarts.map((start) => ({ value: start, label: start }))} />
          <TextInput name="organizerName" label={t('booking.organizerName')} value={v?.organizerName} error={error('organizerName')} autocomplete="organization" maxLength={100} />
          <TextInput name="purpose" label={t('booking.purpose')} value={v?.purpose} error={error('purpose')} maxLength={200} />
          <TextInput name="attendees" label={t('booking.attendees')} value={v?.attendees} error={error('attendees')} inputmode="numeric" width={4} />
          <Button id="enter">{t('lottery.submit')}</Button>
        </form>
      ) : (
        <p>{t('lottery.notOpen')}</p>
      )}
    </PortalPage>
  );
}

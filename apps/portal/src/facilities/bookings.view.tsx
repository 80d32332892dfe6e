import type { BookingDto, BookingOverview, CancellationQuoteDto } from '@madoguchi/bookings';
import { Button, ErrorSummary, type FieldError, formatDate, formatYen, NotificationBanner, Radios, StatusTag, type StatusTone, SummaryList, Table, TextInput } from '@madoguchi/ui';
import { localized } from '../catalog/catalog.page-mapper';
import { CsrfField } from '../shared/csrf-field';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';
import type { BookingFormValues } from './booking-forms';
import { formatInstant, formatSlots } from './booking-format';

const TONE: Record<string, StatusTone> = { held: 'warning', confirmed: 'success', expired: 'neutral', released: 'neutral', cancelled: 'neutral' };
type BookingStatus = 'held' | 'confirmed' | 'expired' | 'released' | 'cancelled';
const statusKey = (status: string) => `bookings.status.${(['held', 'confirmed', 'expired', 'released', 'cancelled'].includes(status) ? status : 'expired') as BookingStatus}` as const;

function BookingStatusTag({ context, status }: { context: PageContext; status: string }) {
  return <StatusTag tone={TONE[status] ?? 'neutral'}>{context.t(statusKey(status))}</StatusTag>;
}

const crumbs = (context: PageContext, last?: { label: string }) => [
  { label: context.t('layout.home'), href: '/' },
  { label: context.t('bookings.title'), ...(last ? { href: '/bookings' } : {}) },
  ...(last ? [last] : []),
];

export function BookingsListView({ context, bookings }: { context: PageContext; bookings: BookingDto[] }) {
  const { t, lang } = context;
  return (
    <PortalPage context={context} title={t('bookings.title')} breadcrumbs={crumbs(context)}>
      <h1>{t('bookings.title')}</h1>
      {bookings.length === 0 ? (
        <p>{t('bookings.empty')}</p>
      ) : (
        <Table
          caption={t('bookings.caption')}
          captionSize="hidden"
          rowHeader="number"
          columns={[
            { key: 'number', label: t('bookings.number') },
            { key: 'place', label: t('bookings.place') },
            { key: 'date', label: t('bookings.date') },
            { key: 'time', label: t('bookings.time') },
            { key: 'status', label: t('bookings.status') },
          ]}
          rows={bookings.map((booking) => ({
            number: <a href={`/bookings/${booking.id}`}>{booking.bookingNumber}</a>,
            place: `${localized(lang, booking.facility.name)} ${localized(lang, booking.room.name)}`,
            date: formatDate(lang, booking.date),
            time: formatSlots(context, booking.slots),
            status: <BookingStatusTag context={context} status={booking.status} />,
          }))}
        />
      )}
      <p>
        <a href="/facilities">{t('bookings.findFacility')}</a>
      </p>
    </PortalPage>
  );
}

function BookingSummary({ context, overview }: { context: PageContext; overview: BookingOverview }) {
  const { t, lang } = context;
  const { booking, application } = overview;
  return (
    <SummaryList
      rows={[
        { key: t('booking.number'), value: booking.bookingNumber },
        { key: t('booking.facility'), value: localized(lang, booking.facility.name) },
        { key: t('booking.room'), value: localized(lang, booking.room.name) },
        { key: t('booking.date'), value: formatDate(lang, booking.date) },
        { key: t('booking.slots'), value: formatSlots(context, booking.slots) },
        ...(booking.fee ? [{ key: t('booking.fee'), value: formatYen(lang, booking.fee.amount) }] : []),
        { key: t('booking.status'), value: <BookingStatusTag context={context} status={booking.status} /> },
        ...(application?.referenceNumber ? [{ key: t('booking.reference'), value: application.referenceNumber }] : []),
      ]}
    />
  );
}

export interface BookingViewProps {
  context: PageContext;
  overview: BookingOverview;
  /** Now, from the server's clock: the view says how long a hold has left. */
  now: string;
  values: BookingFormValues | null;
  errors: FieldError[];
}

function ApplyForm({ context, overview, values, errors }: { context: PageContext; overview: BookingOverview; values: BookingFormValues | null; errors: FieldError[] }) {
  const { t, lang } = context;
  const error = (field: string) => errors.find((candidate) => candidate.fieldId === field)?.message;
  const v = values;
  return (
    <form method="post" action={`/bookings/${overview.booking.id}/apply`} novalidate>
      <CsrfField context={context} />
      <h2>{t('booking.applyHeading')}</h2>
      <TextInput name="organizerName" label={t('booking.organizerName')} value={v?.organizerName} error={error('organizerName')} autocomplete="organization" maxLength={100} />
      <TextInput name="phone" type="tel" label={t('booking.phone')} hint={t('booking.phoneHint')} value={v?.phone} error={error('phone')} autocomplete="tel" width={20} />
      <TextInput name="email" type="email" label={t('booking.email')} value={v?.email} error={error('email')} autocomplete="email" spellcheck={false} />
      <TextInput name="purpose" label={t('booking.purpose')} value={v?.purpose} error={error('purpose')} maxLength={200} />
      <TextInput
        name="attendees"
        label={t('booking.attendees')}
        hint={overview.capacity ? t('booking.attendeesHint', { capacity: overview.capacity }) : undefined}
        value={v?.attendees}
        error={error('attendees')}
        inputmode="numeric"
        width={4}
      />
      <Radios
        name="residency"
        label={t('booking.residency')}
        value={v?.residency}
        error={error('residency')}
        items={[
          { value: 'resident', label: t('booking.residency.resident') },
          { value: 'nonResident', label: t('booking.residency.nonResident') },
        ]}
      />
      {overview.reductions.length > 0 ? (
        <>
          <Radios
            name="reductionCode"
            label={t('booking.reduction')}
            optional
            value={v?.reductionCode ?? ''}
            error={error('reductionCode')}
            items={[
              { value: '', label: t('booking.reduction.none') },
              ...overview.reductions.map((reduction) => ({ value: reduction.code, label: t('booking.reduction.item', { label: localized(lang, reduction.label), percent: reduction.percent }) })),
            ]}
          />
          <TextInput
            name="groupRegistrationNumber"
            label={t('booking.groupNumber')}
            hint={t('booking.groupNumberHint')}
            optional
            value={v?.groupRegistrationNumber}
            error={error('groupRegistrationNumber')}
            inputmode="numeric"
            width={10}
          />
        </>
      ) : null}
      <Button id="apply">{t('booking.applySubmit')}</Button>
    </form>
  );
}

/**
 * One booking, at whatever step it is: held (time left and the application
 * form), being checked, waiting for payment (the method choice), confirmed
 * (the use permit), or ended. Each step's one action is here.
 */
export function BookingView(props: BookingViewProps) {
  const { context, overview } = props;
  const { t, lang } = context;
  const { booking, application } = overview;
  const title = t('booking.title', { number: booking.bookingNumber });
  const minutesLeft = booking.expiresAt ? Math.max(0, Math.ceil((Date.parse(booking.expiresAt) - Date.parse(props.now)) / 60_000)) : null;
  const error = (field: string) => props.errors.find((candidate) => candidate.fieldId === field)?.message;
  let step;
  if (booking.status === 'confirmed') {
    step = (
      <>
        <NotificationBanner kind="success" id="confirmed" title={t('booking.confirmedTitle')}>
          <p>{t('booking.permitHeading')}</p>
        </NotificationBanner>
        <h2>{t('booking.permitHeading')}</h2>
        {overview.permit ? (
          <>
            <p>
              <a href={`/bookings/${booking.id}/permit.pdf`} download>
                {t('booking.permitDownload')}
              </a>
            </p>
            <p class="mg-hint">{t('booking.permitCode', { code: overview.permit.verificationCode })}</p>
          </>
        ) : (
          <p>
            {t('booking.permitPending')} <a href={`/bookings/${booking.id}`}>{t('booking.reload')}</a>
          </p>
        )}
        <p>
          <a href={`/bookings/${booking.id}/cancel`}>{t('booking.cancelLink')}</a>
        </p>
      </>
    );
  } else if (booking.status === 'held') {
    const expiry = booking.expiresAt ? (
      <NotificationBanner id="hold-expiry" title={t('booking.heldTitle')}>
        <p>
          {t('booking.heldUntil', { time: formatInstant(lang, booking.expiresAt) })}{' '}
          <strong data-mg-countdown={booking.expiresAt}>{t('booking.timeLeft', { minutes: minutesLeft ?? 0 })}</strong>
        </p>
      </NotificationBanner>
    ) : null;
    if (!application) {
      step = (
        <>
          {expiry}
          <ApplyForm context={context} overview={overview} values={props.values} errors={props.errors} />
          <p>
            <a href={`/bookings/${booking.id}/cancel`}>{t('booking.cancelHold')}</a>
          </p>
        </>
      );
    } else if (application.state === 'awaitingPayment') {
      step = (
        <>
          {expiry}
          <form method="post" action={`/bookings/${booking.id}/pay`} novalidate>
            <CsrfField context={context} />
            <input type="hidden" name="application" value={application.id} />
            <h2>{t('booking.payHeading')}</h2>
            {application.fee !== null ? <p>{t('booking.payAmount', { amount: formatYen(lang, application.fee) })}</p> : null}
            <Radios
              name="method"
              label={t('booking.payMethod')}
              error={error('method')}
              items={[
                { value: 'card', label: t('booking.method.card') },
                { value: 'paypay', label: t('booking.method.paypay') },
              ]}
            />
            <Button id="pay">{t('booking.paySubmit')}</Button>
          </form>
          <p>
            <a href={`/bookings/${booking.id}/cancel`}>{t('booking.cancelHold')}</a>
          </p>
        </>
      );
    } else if (application.state === 'submitted' || application.state === 'awaitingBooking') {
      step = (
        <NotificationBanner id="processing" title={t('booking.processingTitle')}>
          <p>
            {t('booking.processingBody')} <a href={`/bookings/${booking.id}`}>{t('booking.reload')}</a>
          </p>
        </NotificationBanner>
      );
    } else {
      step = (
        <NotificationBanner id="review" title={t('booking.reviewTitle')}>
          <p>{t('booking.reviewBody')}</p>
        </NotificationBanner>
      );
    }
  } else {
    step = (
      <NotificationBanner id="ended" title={t('booking.endedTitle')}>
        <p>
          <a href="/facilities">{t('bookings.findFacility')}</a>
        </p>
      </NotificationBanner>
    );
  }
  return (
    <PortalPage context={context} title={title} breadcrumbs={crumbs(context, { label: booking.bookingNumber })}>
      <ErrorSummary errors={props.errors} />
      <h1>{title}</h1>
      <BookingSummary context={context} overview={overview} />
      {step}
    </PortalPage>
  );
}

/** Before cancelling: what comes back, by the facility's policy and today's notice. */
export function CancelView({ context, booking, quote }: { context: PageContext; booking: { id: string }; quote: CancellationQuoteDto }) {
  const { t, lang } = context;
  return (
    <PortalPage context={context} title={t('cancel.title')} breadcrumbs={crumbs(context, { label: t('cancel.title') })}>
      <h1>{t('cancel.title')}</h1>
      {quote.cancellable ? (
        <>
          <p>{t('cancel.lead')}</p>
          <SummaryList
            rows={[
              { key: t('cancel.noticeDays'), value: t('cancel.noticeDaysValue', { days: Math.max(quote.noticeDays, 0) }) },
              { key: t('cancel.paid'), value: formatYen(lang, quote.paid) },
              { key: t('cancel.refundPercent'), value: `${quote.refundPercent}%` },
              { key: t('cancel.refund'), value: <strong id="refund-amount">{formatYen(lang, quote.refundAmount)}</strong> },
            ]}
          />
          <form method="post" action={`/bookings/${booking.id}/cancel`}>
            <CsrfField context={context} />
            <Button variant="warning" id="confirm-cancel">
              {t('cancel.confirm')}
            </Button>
          </form>
        </>
      ) : (
        <p>{t('cancel.notCancellable')}</p>
      )}
      <p>
        <a href={`/bookings/${booking.id}`}>{t('cancel.back')}</a>
      </p>
    </PortalPage>
  );
}

export function CancelledView({ context, booking }: { context: PageContext; booking: BookingDto }) {
  const { t, lang } = context;
  const refund = booking.cancellation?.refundAmount ?? 0;
  return (
    <PortalPage context={context} title={t('cancel.doneTitle')} breadcrumbs={crumbs(context, { label: t('cancel.doneTitle') })}>
      <div class="mg-banner mg-banner--success" role="status" aria-labelledby="cancelled-title">
        <h1 class="mg-banner__title" id="cancelled-title">
          {t('cancel.doneTitle')}
        </h1>
        <div class="mg-banner__content">
          <p>{booking.bookingNumber}</p>
          <p id="refund-done">{refund > 0 ? t('cancel.doneRefund', { amount: formatYen(lang, refund) }) : t('cancel.doneNoRefund')}</p>
        </div>
      </div>
      <p>
        <a href="/bookings">{t('booking.toList')}</a>
      </p>
    </PortalPage>
  );
}

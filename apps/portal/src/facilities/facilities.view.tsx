import type { AvailabilityDto, FacilityDto, SlotStatus } from '@madoguchi/bookings';
import { Button, ErrorSummary, type FieldError, formatDate, formatYen, NotificationBanner, Table } from '@madoguchi/ui';
import { localized } from '../catalog/catalog.page-mapper';
import { CsrfField } from '../shared/csrf-field';
import type { PageContext } from '../shared/page-context';
import { PortalPage } from '../shared/portal-page';
import { formatDayHeader, WEEKDAY_KEYS } from './booking-format';

/** Opening hours per weekday in words: 火 09:00〜21:00 / 月 休館. */
function OpeningHours({ context, facility }: { context: PageContext; facility: FacilityDto }) {
  const { t } = context;
  return (
    <ul>
      {WEEKDAY_KEYS.map((key) => {
        const hours = facility.openingHours[key];
        return (
          <li>
            {t(`facilities.weekday.${key}`)}: {hours ? t('facilities.hoursValue', { open: hours.open, close: hours.close }) : t('facilities.closed')}
          </li>
        );
      })}
    </ul>
  );
}

export function FacilitiesListView({ context, facilities }: { context: PageContext; facilities: FacilityDto[] }) {
  const { t, lang } = context;
  return (
    <PortalPage context={context} title={t('facilities.title')} breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('facilities.title') }]}>
      <h1>{t('facilities.title')}</h1>
      <p class="mg-lead">{t('facilities.lead')}</p>
      <p>
        <a href="/lotteries">{t('lotteries.title')}</a> · <a href="/bookings">{t('facilities.myBookingsLink')}</a>
      </p>
      {facilities.map((facility) => (
        <section aria-labelledby={`facility-${facility.code}`}>
          <h2 id={`facility-${facility.code}`}>
            <a href={`/facilities/${facility.code}`}>{localized(lang, facility.name)}</a>
          </h2>
          <h3 class="mg-heading-s">{t('facilities.rooms')}</h3>
          <ul>
            {facility.rooms.map((room) => (
              <li>{t('facilities.roomCapacity', { name: localized(lang, room.name), capacity: room.capacity })}</li>
            ))}
          </ul>
          <h3 class="mg-heading-s">{t('facilities.hours')}</h3>
          <OpeningHours context={context} facility={facility} />
        </section>
      ))}
    </PortalPage>
  );
}

export interface FacilityViewProps {
  context: PageContext;
  facility: FacilityDto;
  availability: AvailabilityDto;
  previousHref: string | null;
  nextHref: string;
  errors: FieldError[];
}

const CELL_TEXT: Record<SlotStatus, `facilities.status.${SlotStatus}`> = {
  free: 'facilities.status.free',
  held: 'facilities.status.held',
  booked: 'facilities.status.booked',
  blocked: 'facilities.status.blocked',
  lottery: 'facilities.status.lottery',
  closed: 'facilities.status.closed',
};

/** The id of the checkbox of one slot: the error summary links to the first one. */
export function slotCheckboxId(room: string, date: string, start: string): string {
  return `slot-${room}-${date}-${start.replace(':', '')}`;
}

/**
 * One room's week as a real table: dates (weekday, holiday) across, slots
 * down, each cell's state in words; a free slot is a checkbox of the hold
 * form, labelled with room, date and time for screen readers. The table
 * scrolls inside its own labelled, focusable region at narrow widths.
 */
function RoomGrid({ context, availability, room }: { context: PageContext; availability: AvailabilityDto; room: FacilityDto['rooms'][number] }) {
  const { t, lang } = context;
  const roomName = localized(lang, room.name);
  const starts = [...new Set(availability.days.flatMap((day) => day.rooms.find((candidate) => candidate.room === room.code)?.slots.map((slot) => slot.start) ?? []))].sort();
  const ends = new Map(availability.days.flatMap((day) => day.rooms.find((candidate) => candidate.room === room.code)?.slots.map((slot) => [slot.start, slot.end] as const) ?? []));
  const first = availability.days[0]?.date ?? availability.from;
  const last = availability.days[availability.days.length - 1]?.date ?? availability.to;
  const caption = t('facilities.weekCaption', { room: roomName, from: formatDate(lang, first), to: formatDate(lang, last) });
  const captionId = `grid-${room.code}-caption`;
  return (
    <div class="mg-table-wrap mg-grid" role="region" aria-labelledby={captionId} tabindex={0}>
      <table class="mg-table">
        <caption class="mg-table__caption" id={captionId}>
          {caption}
        </caption>
        <thead>
          <tr>
            <th scope="col" class="mg-table__header">
              {t('facilities.timeHeader')}
            </th>
            {availability.days.map((day) => (
              <th scope="col" class="mg-table__header">
                {formatDayHeader(context, day.date, day.weekday)}
                {day.holiday ? (
                  <>
                    <br />
                    <span class="mg-hint">{localized(lang, day.holiday)}</span>
                  </>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {starts.map((start) => {
            const time = t('facilities.hoursValue', { open: start, close: ends.get(start) ?? '' });
            return (
              <tr>
                <th scope="row" class="mg-table__cell">
                  {time}
                </th>
                {availability.days.map((day) => {
                  const slot = day.rooms.find((candidate) => candidate.room === room.code)?.slots.find((candidate) => candidate.start === start);
                  if (day.closed) return <td class="mg-table__cell mg-grid__cell--closed">{t('facilities.status.closedDay')}</td>;
                  if (!slot) return <td class="mg-table__cell mg-grid__cell--closed">{t('facilities.status.noSlot')}</td>;
                  if (slot.status !== 'free') return <td class={`mg-table__cell mg-grid__cell--${slot.status}`}>{t(CELL_TEXT[slot.status])}</td>;
                  const id = slotCheckboxId(room.code, day.date, start);
                  return (
                    <td class="mg-table__cell mg-grid__cell--free">
                      <div class="mg-choice mg-grid__choice">
                        <input class="mg-choice__input" type="checkbox" id={id} name="slot" value={`${room.code}|${day.date}|${start}`} />
                        <label class="mg-choice__label" for={id}>
                          {t('facilities.status.free')}
                          <span class="mg-visually-hidden"> {t('facilities.choose', { room: roomName, date: formatDayHeader(context, day.date, day.weekday), time })}</span>
                        </label>
                      </div>
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A facility: its rooms, charges, hours and cancellation policy, and a week of availability to choose slots from. */
export function FacilityView(props: FacilityViewProps) {
  const { context, facility, availability } = props;
  const { t, lang } = context;
  const name = localized(lang, facility.name);
  const tiers = [...facility.cancellation].sort((a, b) => b.daysBefore - a.daysBefore);
  return (
    <PortalPage
      context={context}
      title={name}
      breadcrumbs={[{ label: t('layout.home'), href: '/' }, { label: t('facilities.title'), href: '/facilities' }, { label: name }]}
    >
      <ErrorSummary errors={props.errors} />
      <h1>{name}</h1>
      <Table
        caption={t('facilities.ratesCaption')}
        rowHeader="room"
        columns={[
          { key: 'room', label: t('booking.room') },
          { key: 'capacity', label: t('facilities.capacity'), numeric: true },
          { key: 'resident', label: t('facilities.rateResident'), numeric: true },
          { key: 'nonResident', label: t('facilities.rateNonResident'), numeric: true },
        ]}
        rows={facility.rooms.map((room) => ({
          room: localized(lang, room.name),
          capacity: t('facilities.capacityValue', { count: room.capacity }),
          resident: formatYen(lang, room.rates.resident),
          nonResident: formatYen(lang, room.rates.nonResident),
        }))}
      />
      <h2>{t('facilities.hours')}</h2>
      <OpeningHours context={context} facility={facility} />
      <p>
        {t('facilities.slotLength', { minutes: facility.slotMinutes })} {t(facility.holidays === 'open' ? 'facilities.holidaysOpen' : 'facilities.holidaysClosed')}
      </p>
      <h2>{t('facilities.cancellationHeading')}</h2>
      <ul>
        {tiers.map((tier) =>
          tier.daysBefore > 0 ? (
            <li>{t('facilities.cancellationTier', { days: tier.daysBefore, percent: tier.refundPercent })}</li>
          ) : (
            <li>{t('facilities.cancellationTierLast', { percent: tier.refundPercent })}</li>
          ),
        )}
      </ul>
      <p>
        <a href={`/lotteries?facility=${facility.code}`}>{t('facilities.lotteriesLink')}</a>
      </p>
      <h2 id="availability">{t('facilities.availabilityHeading')}</h2>
      <p>{t('facilities.availabilityHint', { minutes: facility.holds.onlineMinutes })}</p>
      {context.session.kind === 'resident' ? null : <NotificationBanner id="sign-in-note">{t('facilities.signInToBook')}</NotificationBanner>}
      <nav class="mg-pagination" aria-label={t('facilities.availabilityHeading')}>
        {props.previousHref ? (
          <a class="mg-pagination__link mg-pagination__link--previous" href={props.previousHref} rel="prev">
            {t('facilities.previousWeek')}
          </a>
        ) : null}
        <a class="mg-pagination__link mg-pagination__link--next" href={props.nextHref} rel="next">
          {t('facilities.nextWeek')}
        </a>
      </nav>
      <form method="post" action={`/facilities/${facility.code}/holds`} novalidate>
        <CsrfField context={context} />
        <input type="hidden" name="from" value={availability.from} />
        {facility.rooms.map((room) => (
          <RoomGrid context={context} availability={availability} room={room} />
        ))}
        <Button id="hold">{t('facilities.holdButton')}</Button>
      </form>
    </PortalPage>
  );
}

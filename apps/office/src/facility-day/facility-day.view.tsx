import { BLOCK_REASONS, type DayListDto, type LotteryDrawDto, type LotteryDto, type StaffBookingDto } from '@madoguchi/bookings';
import { isoDateIn } from '@madoguchi/kernel';
import { Button, Checkboxes, ErrorSummary, type FieldError, formatDate, NotificationBanner, Radios, StatusTag, SummaryList, Table, TextInput } from '@madoguchi/ui';
import type { OfficeContext } from '../shared/office-context';
import { CsrfField, OfficePage } from '../shared/office-page';

export function dayHref(code: string, date: string, extra: Record<string, string> = {}): string {
  return `/office/facilities/${code}/day?${new URLSearchParams({ date, ...extra }).toString()}`;
}

export interface BlockDraft {
  values: { rooms: string[]; start: string; end: string; reason: string; note: string };
  errors: FieldError[];
  /** The bookings the block would flag, once the values passed (the confirmation step). */
  preview: StaffBookingDto[] | null;
}

export type DayNotice = { kind: 'marked' } | { kind: 'drawn' } | { kind: 'blocked'; flagged: number };

/** A lottery whose period holds the day, and its published draw once drawn. */
export interface DayLottery {
  lottery: LotteryDto;
  draw: LotteryDrawDto | null;
}

export interface FacilityDayProps {
  context: OfficeContext;
  code: string;
  date: string;
  /** Null when the date itself was refused. */
  day: DayListDto | null;
  dateError: string | null;
  notice: DayNotice | null;
  block: BlockDraft;
  lotteries: DayLottery[];
}

const HH_MM = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Tokyo' });

/** An instant as the local date in words and the time (facilities are in Japan time, as the day list is). */
function formatInstant(lang: OfficeContext['lang'], iso: string): string {
  const instant = new Date(iso);
  return `${formatDate(lang, isoDateIn(instant, 'Asia/Tokyo'))} ${HH_MM.format(instant)}`;
}

function pick(context: OfficeContext, text: { ja: string; en: string }): string {
  return context.lang === 'en' ? text.en : text.ja;
}

function slotsOf(booking: StaffBookingDto): string {
  return booking.slots.map((slot) => `${slot.start}–${slot.end}`).join('、');
}

function UseCell({ context, booking, code, date }: { context: OfficeContext; booking: StaffBookingDto; code: string; date: string }) {
  const { t } = context;
  if (booking.useOutcome) return <StatusTag tone={booking.useOutcome === 'used' ? 'success' : 'warning'}>{t(booking.useOutcome === 'used' ? 'office.day.used' : 'office.day.noShow')}</StatusTag>;
  if (booking.status !== 'confirmed') return <span>—</span>;
  const label = `${booking.bookingNumber} ${slotsOf(booking)}`;
  return (
    <form method="post" action={`/office/facilities/${code}/bookings/${booking.id}/use`} class="mg-office-inline-form">
      <CsrfField context={context} />
      <input type="hidden" name="date" value={date} />
      <div class="mg-office-actions">
        <button type="submit" name="outcome" value="used" class="mg-button mg-button--secondary mg-button--small" aria-label={`${t('office.day.markUsed')}: ${label}`}>
          {t('office.day.markUsed')}
        </button>
        <button type="submit" name="outcome" value="noShow" class="mg-button mg-button--secondary mg-button--small" aria-label={`${t('office.day.markNoShow')}: ${label}`}>
          {t('office.day.markNoShow')}
        </button>
      </div>
    </form>
  );
}

function BookingTable({ context, bookings, code, date, caption, withUse }: { context: OfficeContext; bookings: StaffBookingDto[]; code: string; date: string; caption: string; withUse: boolean }) {
  const { t } = context;
  return (
    <Table
      caption={caption}
      rowHeader="number"
      columns={[
        { key: 'number', label: '#' },
        { key: 'time', label: t('office.day.col.time') },
        { key: 'organizer', label: t('office.day.col.organizer') },
        { key: 'status', label: t('office.day.col.status') },
        ...(withUse ? [{ key: 'use', label: t('office.day.col.use') }] : []),
      ]}
      rows={bookings.map((booking) => ({
        number: booking.bookingNumber,
        time: slotsOf(booking),
        organizer: booking.organizerName ?? '—',
        status: (
          <>
            {t(`office.day.status.${booking.status as 'held'}`)}
            {booking.needsAttention ? (
              <>
                <br />
                <StatusTag tone="danger">{t('office.day.attention', { reason: booking.attentionReason ?? '' })}</StatusTag>
              </>
            ) : null}
          </>
        ),
        use: <UseCell context={context} booking={booking} code={code} date={date} />,
      }))}
    />
  );
}

function BlockForm(props: FacilityDayProps & { day: DayListDto }) {
  const { context, block, code, date, day } = props;
  const { t } = context;
  const errorOf = (id: string) => block.errors.find((error) => error.fieldId === id)?.message;
  const rooms = day.rooms.map((room) => ({ value: room.code, label: pick(context, room.name) }));
  if (block.preview) {
    const chosen = rooms.filter((room) => block.values.rooms.includes(room.value)).map((room) => room.label);
    return (
      <section class="mg-office-confirm" aria-labelledby="block-confirm-title">
        <h2 id="block-confirm-title" tabindex={-1} data-mg-focus-on-load="">
          {t('office.day.block.confirmTitle')}
        </h2>
        <SummaryList
          rows={[
            { key: t('office.day.block.rooms'), value: chosen.join('、') },
            { key: t('office.day.col.time'), value: `${formatDate(context.lang, date)} ${block.values.start}–${block.values.end}` },
            { key: t('office.day.block.reason'), value: t(`office.day.block.reason.${block.values.reason as 'maintenance'}`) },
            ...(block.values.note ? [{ key: t('office.day.block.note'), value: block.values.note }] : []),
          ]}
        />
        {block.preview.length === 0 ? (
          <p>{t('office.day.block.noneAffected')}</p>
        ) : (
          <>
            <p>{t('office.day.block.affected')}</p>
            <BookingTable context={context} bookings={block.preview} code={code} date={date} caption={t('office.day.block.affected')} withUse={false} />
          </>
        )}
        <form method="post" action={`/office/facilities/${code}/blocks`}>
          <CsrfField context={context} />
          <input type="hidden" name="commit" value="1" />
          <input type="hidden" name="date" value={date} />
          {block.values.rooms.map((room) => (
            <input type="hidden" name="rooms" value={room} />
          ))}
          <input type="hidden" name="start" value={block.values.start} />
          <input type="hidden" name="end" value={block.values.end} />
          <input type="hidden" name="reason" value={block.values.reason} />
          {block.values.note ? <input type="hidden" name="note" value={block.values.note} /> : null}
          <div class="mg-office-actions">
            <Button variant="warning">{t('office.day.block.confirm')}</Button>
            <a href={dayHref(code, date)}>{t('office.admin.cancel')}</a>
          </div>
        </form>
      </section>
    );
  }
  return (
    <section aria-labelledby="block-title">
      <h2 id="block-title">{t('office.day.block.title')}</h2>
      <form method="post" action={`/office/facilities/${code}/blocks`} novalidate id="block-form" tabindex={-1}>
        <CsrfField context={context} />
        <input type="hidden" name="date" value={date} />
        <Checkboxes name="rooms" label={t('office.day.block.rooms')} items={rooms} values={block.values.rooms} error={errorOf('rooms')} />
        <TextInput name="start" label={t('office.day.block.start')} hint={t('office.day.block.timeHint')} value={block.values.start} error={errorOf('start')} width={5} inputLang="en" />
        <TextInput name="end" label={t('office.day.block.end')} hint={t('office.day.block.timeHint')} value={block.values.end} error={errorOf('end')} width={5} inputLang="en" />
        <Radios
          name="reason"
          label={t('office.day.block.reason')}
          items={BLOCK_REASONS.map((reason) => ({ value: reason, label: t(`office.day.block.reason.${reason}`) }))}
          value={block.values.reason}
          error={errorOf('reason')}
        />
        <TextInput name="note" label={t('office.day.block.note')} value={block.values.note} error={errorOf('note')} />
        <Button variant="secondary">{t('office.day.block.preview')}</Button>
      </form>
    </section>
  );
}

/**
 * The lotteries over this day: facts and the seed (published since the
 * lottery opened), "draw" once entries are closed, then the result with the
 * seed, method and keys, so anyone can re-run the draw and check it.
 */
function LotterySection({ context, code, date, lotteries, errors }: { context: OfficeContext; code: string; date: string; lotteries: DayLottery[]; errors: FieldError[] }) {
  const { t, lang } = context;
  return (
    <section aria-labelledby="lotteries-title">
      <h2 id="lotteries-title">{t('office.day.lottery.title')}</h2>
      {lotteries.map(({ lottery, draw }) => {
        const error = errors.find((item) => item.fieldId === `lottery-${lottery.id}`)?.message;
        return (
          <div class="mg-office-lottery" id={`lottery-${lottery.id}`} tabindex={-1}>
            <h3 class="mg-heading-s">{t('office.day.lottery.heading', { from: formatDate(lang, lottery.periodFrom), to: formatDate(lang, lottery.periodTo) })}</h3>
            {error ? <p class="mg-error-message">{error}</p> : null}
            <SummaryList
              rows={[
                { key: t('lotteries.status'), value: t(`lotteries.status.${lottery.status as 'open'}`) },
                { key: t('lottery.rooms'), value: lottery.rooms.join('、') },
                { key: t('lotteries.deadline'), value: formatInstant(lang, lottery.entryClosesAt) },
                { key: t('lotteries.entries'), value: String(lottery.entryCount) },
                { key: t('lottery.seed'), value: <code class="mg-code mg-office-break" data-testid="lottery-seed">{lottery.seed}</code> },
                ...(draw
                  ? [
                      { key: t('lottery.drawnAt'), value: formatInstant(lang, draw.drawnAt) },
                      { key: t('lottery.resultHash'), value: <code class="mg-code mg-office-break">{draw.resultHash}</code> },
                      { key: t('office.day.lottery.method'), value: <span lang="en">{draw.method}</span> },
                    ]
                  : []),
              ]}
            />
            {lottery.status === 'closed' ? (
              <form method="post" action={`/office/facilities/${code}/lotteries/${lottery.id}/draw`}>
                <CsrfField context={context} />
                <input type="hidden" name="date" value={date} />
                <Button>{t('office.day.lottery.draw')}</Button>
              </form>
            ) : null}
            {lottery.status === 'upcoming' || lottery.status === 'open' ? <p>{t('office.day.lottery.notYet')}</p> : null}
            {draw ? (
              draw.order.length === 0 ? (
                <p>{t('office.day.lottery.noEntries')}</p>
              ) : (
                <Table
                  caption={t('lottery.resultCaption')}
                  rowHeader="position"
                  columns={[
                    { key: 'position', label: t('lottery.position'), numeric: true },
                    { key: 'entry', label: t('lottery.entryNumber'), numeric: true },
                    { key: 'request', label: t('office.day.lottery.request') },
                    { key: 'key', label: t('office.day.lottery.key') },
                    { key: 'outcome', label: t('lottery.outcome') },
                  ]}
                  rows={draw.order.map((drawn) => {
                    const entry = draw.entries.find((item) => item.entryNumber === drawn.entryNumber);
                    return {
                      position: String(drawn.position),
                      entry: String(drawn.entryNumber),
                      request: entry ? `${entry.room} ${entry.date} ${entry.slots.join('、')}` : '—',
                      key: <code class="mg-code mg-office-break">{drawn.key}</code>,
                      outcome: t(drawn.outcome === 'won' ? 'lottery.outcome.won' : 'lottery.outcome.waitlisted'),
                    };
                  })}
                />
              )
            ) : null}
          </div>
        );
      })}
    </section>
  );
}

/** /office/facilities/:code/day: a day's bookings per room, use / no-show, and blocking slots with a preview of what it flags. */
export function FacilityDayView(props: FacilityDayProps) {
  const { context, code, date, day } = props;
  const { t } = context;
  const title = t('office.day.title', { facility: code, date: day ? formatDate(context.lang, date) : date });
  const errors = [...(props.dateError ? [{ fieldId: 'date', message: props.dateError }] : []), ...props.block.errors];
  return (
    <OfficePage context={context} title={title}>
      <ErrorSummary errors={errors} />
      {props.notice ? (
        <NotificationBanner kind="success">
          {props.notice.kind === 'marked' ? t('office.day.marked') : props.notice.kind === 'drawn' ? t('office.day.lottery.drawn') : t('office.day.block.done', { count: props.notice.flagged })}
        </NotificationBanner>
      ) : null}
      <h1>{title}</h1>
      <form method="get" action={`/office/facilities/${code}/day`} class="mg-office-filters" novalidate>
        <TextInput name="date" label={t('office.day.date')} hint={t('office.admin.audit.dateHint')} value={date} error={props.dateError ?? undefined} width={10} inputLang="en" />
        <Button variant="secondary">{t('office.day.show')}</Button>
      </form>
      {day ? (
        <>
          {day.closed ? <p>{t('office.day.closed', { reason: day.closed })}</p> : null}
          {day.rooms.map((room) => (
            <section aria-labelledby={`room-${room.code}`}>
              <h2 id={`room-${room.code}`}>{pick(context, room.name)}</h2>
              {room.blocks.length > 0 ? (
                <>
                  <h3 class="mg-heading-s">{t('office.day.blocks')}</h3>
                  <ul>
                    {room.blocks.map((block) => (
                      <li>{t('office.day.blockItem', { start: block.start, end: block.end, reason: t(`office.day.block.reason.${block.reason as 'maintenance'}`) })}</li>
                    ))}
                  </ul>
                </>
              ) : null}
              {room.bookings.length === 0 ? (
                <p>{t('office.day.noBookings')}</p>
              ) : (
                <BookingTable context={context} bookings={room.bookings} code={code} date={date} caption={t('office.day.caption', { room: pick(context, room.name) })} withUse={true} />
              )}
            </section>
          ))}
          {props.lotteries.length > 0 ? <LotterySection context={context} code={code} date={date} lotteries={props.lotteries} errors={props.block.errors} /> : null}
          <BlockForm {...props} day={day} />
        </>
      ) : null}
    </OfficePage>
  );
}

import { BadRequestException, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { BLOCK_REASONS, BookingError, type BlockReason, FACILITY_CODE_PATTERN, FacilityDeskService, LotteryService, USE_OUTCOMES, type UseOutcome } from '@madoguchi/bookings';
import { MunicipalityDirectory } from '@madoguchi/config';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { Clock, DomainError, isoDateIn } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { type OfficeContext, OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { codeParam } from '../admin/admin-form';
import { type BlockDraft, type DayLottery, type DayNotice, dayHref, FacilityDayView } from './facility-day.view';

const uuid = new ParseUUIDPipe();
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const text = (value: unknown, max: number): string => (typeof value === 'string' ? value.trim().slice(0, max) : '');
const list = (value: unknown): string[] => (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string').slice(0, 50);

const facilityCode = codeParam(FACILITY_CODE_PATTERN, 'code');

/** A calendar date that exists (2026-02-30 does not). */
function isDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const parsed = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
}

const EMPTY_BLOCK: BlockDraft = { values: { rooms: [], start: '', end: '', reason: '', note: '' }, errors: [], preview: null };

/**
 * /office/facilities/:code/day: the facility desk of one day, on
 * FacilityDeskService as /api/v1/staff/facilities/:code/bookings, /blocks
 * and /staff/bookings/:id/use use it. Another department's facility is not
 * found. A block is shown with the bookings it would flag before it is made.
 */
@StaffOnly('clerk', 'reviewer')
@OfficePageController('facilities')
export class FacilityDayPageController {
  constructor(
    private readonly desk: FacilityDeskService,
    private readonly pages: OfficeContextFactory,
    private readonly clock: Clock,
    private readonly directory: MunicipalityDirectory,
    private readonly lotteries: LotteryService,
  ) {}

  @Get(':code/day')
  async day(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const timeZone = this.directory.get(staff.municipalityId)?.timeZone ?? 'Asia/Tokyo';
    const date = text(request.query.date, 10) || isoDateIn(this.clock.now(), timeZone);
    const done = text(request.query.done, 20);
    const notice: DayNotice | null =
      done === 'marked' ? { kind: 'marked' } : done === 'drawn' ? { kind: 'drawn' } : done === 'blocked' ? { kind: 'blocked', flagged: Number(text(request.query.flagged, 4)) || 0 } : null;
    await this.render(context, response, staff, code, date, notice, EMPTY_BLOCK);
  }

  @Post(':code/bookings/:id/use')
  async markUse(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string, @Param('id', uuid) id: string): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const outcome = text(body.outcome, 10);
    const date = text(body.date, 10);
    if (!(USE_OUTCOMES as readonly string[]).includes(outcome) || !isDate(date)) throw new BadRequestException({ message: ['outcome must be used or noShow; date must be YYYY-MM-DD'] });
    await this.desk.markUse(staff, id, outcome as UseOutcome);
    response.redirect(303, dayHref(code, date, { done: 'marked' }));
  }

  /**
   * Draws a lottery of this facility now (LotteryService.drawByStaff, as
   * POST /api/v1/staff/lotteries/:id/draw): after its deadline only, once
   * (a second draw shows the published result). Before the deadline the day
   * page says why, with 409.
   */
  @Post(':code/lotteries/:id/draw')
  async draw(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const date = text((request.body as Record<string, unknown> | undefined)?.date, 10);
    if (!isDate(date)) throw new BadRequestException({ message: ['date must be YYYY-MM-DD'] });
    const lottery = await this.lotteries.get(staff.municipalityId, id);
    // A lottery of another facility is not this page's: not found, as another department's is in drawByStaff.
    if (lottery.facility !== code) throw BookingError.lotteryNotFound(id);
    try {
      await this.lotteries.drawByStaff(staff, id);
    } catch (error) {
      if (!(error instanceof DomainError) || error.httpStatus !== 409) throw error;
      const message = context.lang === 'en' ? error.userMessage.en : error.userMessage.ja;
      return this.render(context, response, staff, code, date, null, { ...EMPTY_BLOCK, errors: [{ fieldId: `lottery-${id}`, message }] }, 409);
    }
    response.redirect(303, dayHref(code, date, { done: 'drawn' }));
  }

  /** Without `commit`: checks the values and shows what the block would flag; with it: makes the block. */
  @Post(':code/blocks')
  async block(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const { t } = context;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const date = text(body.date, 10);
    if (!isDate(date)) throw new BadRequestException({ message: ['date must be YYYY-MM-DD'] });
    const values = { rooms: list(body.rooms), start: text(body.start, 5), end: text(body.end, 5), reason: text(body.reason, 20), note: text(body.note, 200) };
    const errors: FieldError[] = [];
    if (values.rooms.length === 0) errors.push({ fieldId: 'rooms', message: t('office.day.block.roomsMissing') });
    if (!HH_MM.test(values.start)) errors.push({ fieldId: 'start', message: t('office.day.block.timeInvalid') });
    if (!END.test(values.end)) errors.push({ fieldId: 'end', message: t('office.day.block.timeInvalid') });
    else if (HH_MM.test(values.start) && values.end <= values.start) errors.push({ fieldId: 'end', message: t('office.day.block.order') });
    if (!(BLOCK_REASONS as readonly string[]).includes(values.reason)) errors.push({ fieldId: 'reason', message: t('office.day.block.reasonMissing') });
    if (errors.length > 0) return this.render(context, response, staff, code, date, null, { values, errors, preview: null }, 400);
    const input = { rooms: values.rooms, date, start: values.start, end: values.end, reason: values.reason as BlockReason, ...(values.note ? { note: values.note } : {}) };
    try {
      if (body.commit !== '1') {
        const preview = await this.desk.previewBlock(staff, code, input);
        return this.render(context, response, staff, code, date, null, { values, errors: [], preview });
      }
      const result = await this.desk.block(staff, code, input);
      response.redirect(303, dayHref(code, date, { done: 'blocked', flagged: String(result.flagged.length) }));
    } catch (error) {
      // An overlapping block or an unknown room is said on the form; another department's facility stays a 404.
      if (!(error instanceof DomainError) || [404, 500].includes((error as DomainError & { httpStatus: number }).httpStatus) || (error as DomainError & { httpStatus: number }).httpStatus > 500) throw error;
      const message = context.lang === 'en' ? error.userMessage.en : error.userMessage.ja;
      return this.render(context, response, staff, code, date, null, { values, errors: [{ fieldId: 'block-form', message }], preview: null }, (error as DomainError & { httpStatus: number }).httpStatus);
    }
  }

  private async render(context: OfficeContext, response: Response, staff: StaffPrincipal, code: string, date: string, notice: DayNotice | null, block: BlockDraft, status = 200): Promise<void> {
    const valid = isDate(date);
    const day = valid ? await this.desk.day(staff, code, date) : null;
    const lotteries = day ? await this.lotteriesOn(staff, code, date) : [];
    const html = renderDocument(FacilityDayView({ context, code, date, day, dateError: valid ? null : context.t('office.day.dateInvalid'), notice, block, lotteries }));
    sendPage(response, context.lang, html, valid ? status : 400);
  }

  /** The lotteries of this facility whose period holds the date, with the published draw once drawn. */
  private async lotteriesOn(staff: StaffPrincipal, code: string, date: string): Promise<DayLottery[]> {
    const lotteries = (await this.lotteries.list(staff.municipalityId, code)).filter((lottery) => lottery.periodFrom <= date && date <= lottery.periodTo);
    return Promise.all(lotteries.map(async (lottery) => ({ lottery, draw: lottery.status === 'drawn' ? await this.lotteries.drawResult(staff.municipalityId, lottery.id) : null })));
  }
}

import { Get, Param, Post, Req, Res } from '@nestjs/common';
import { type AdminFacilityDto, BookingError, FACILITY_CODE_PATTERN, FACILITY_KINDS, FacilitiesService, type FacilityInputDto, type FacilityProblem, type RoomInputDto, toFacilityInput, WEEKDAYS } from '@madoguchi/bookings';
import { CurrentStaff, StaffAdminService, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { DomainError } from '@madoguchi/kernel';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { type OfficeContext, OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { checkNames, codeParam, formOf, refusalOnForm, text, wholeNumber } from './admin-form';
import { ADMIN_FACILITIES, type FacilityFormValues, FacilityFormView, FacilityListView, type FacilityNotice, RoomFormView, type RoomFormValues } from './admin-facilities.view';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const CLOSE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const PHONE = /^\+?[0-9][0-9-]{5,19}$/;
const NOTICES = ['created', 'saved', 'roomCreated', 'roomSaved'];

const facilityCode = codeParam(FACILITY_CODE_PATTERN, 'code');

const EMPTY_ROOM: RoomFormValues = { roomCode: '', roomNameJa: '', roomNameEn: '', capacity: '', rateResident: '', rateNonResident: '', active: true };

/** Which field a problem of FacilitiesService's check belongs to. */
function fieldOfProblem(path: string): string {
  if (path.startsWith('/department')) return 'department';
  if (path.startsWith('/procedureCode')) return 'procedureCode';
  if (path.startsWith('/rooms')) return 'roomCode';
  if (path.startsWith('/openingHours')) return 'open';
  if (path.startsWith('/details')) return 'address';
  return 'facility-form';
}

/** The refusals of FacilitiesService.adminPut, each by its field. */
function refusalsOf(context: OfficeContext, error: unknown): { errors: FieldError[]; status: number } {
  if (error instanceof DomainError && error.code === 'BOOKING_FACILITY_INVALID') {
    const problems = (error.details?.problems ?? []) as FacilityProblem[];
    const message = context.lang === 'en' ? error.userMessage.en : error.userMessage.ja;
    return { errors: problems.map((problem) => ({ fieldId: fieldOfProblem(problem.path), message: `${message} (${problem.path}: ${problem.reason})` })), status: error.httpStatus };
  }
  const refusal = refusalOnForm(context, error, () => 'facility-form');
  return { errors: [refusal.error], status: refusal.status };
}

/**
 * /office/admin/facilities: the booking catalog (公共施設) and its rooms, on
 * FacilitiesService as /api/v1/admin/facilities uses it. The service writes
 * a whole facility at once, so each form changes its fields of the stored
 * facility (toFacilityInput) and leaves the rest (weekly hours, closed days,
 * cancellation policy, reductions) as they are.
 */
@StaffOnly('administrator')
@OfficePageController('admin/facilities')
export class AdminFacilitiesPageController {
  constructor(
    private readonly facilities: FacilitiesService,
    private readonly admin: StaffAdminService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get()
  async list(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const done = text(request.query.done, 20);
    const notice: FacilityNotice | null = NOTICES.includes(done) ? { kind: done as FacilityNotice['kind'], code: text(request.query.code, 40) } : null;
    sendPage(response, context.lang, renderDocument(FacilityListView({ context, facilities: await this.facilities.adminList(staff), notice })));
  }

  @Get('new')
  async newFacility(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const values: FacilityFormValues = { ...EMPTY_ROOM, code: '', nameJa: '', nameEn: '', kind: '', department: '', procedureCode: '', slotMinutes: '60', open: '09:00', close: '21:00', address: '', phone: '', active: true };
    await this.renderFacility(context, response, staff, values, null, [], 200);
  }

  @Post()
  async create(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const { t } = context;
    const body = formOf(request);
    const values = { ...roomValuesOf(body, null), ...facilityValuesOf(body, null) };
    const errors = this.checkFacility(context, values, true);
    const room = this.checkRoom(context, values, errors);
    const slotMinutes = wholeNumber(values.slotMinutes, 15, 720)!;
    if (errors.length === 0 && (await this.facilities.adminList(staff)).some((facility) => facility.code === values.code)) {
      return this.renderFacility(context, response, staff, values, null, [{ fieldId: 'code', message: t('office.admin.facilities.codeTaken') }], 409);
    }
    if (errors.length > 0) return this.renderFacility(context, response, staff, values, null, errors, 400);
    const hours = { open: values.open, close: values.close };
    const input: FacilityInputDto = {
      name: { ja: values.nameJa, en: values.nameEn },
      kind: values.kind as FacilityInputDto['kind'],
      department: values.department,
      procedureCode: values.procedureCode,
      rooms: [room!],
      openingHours: Object.fromEntries(WEEKDAYS.map((weekday) => [weekday, { ...hours }])) as unknown as FacilityInputDto['openingHours'],
      slotMinutes,
      holidays: 'open',
      // Refunds on the municipality's usual terms; the JSON API sets other tiers.
      cancellation: [
        { daysBefore: 7, refundPercent: 100 },
        { daysBefore: 0, refundPercent: 0 },
      ],
      details: detailsOf(values),
      active: true,
    };
    await this.put(context, response, staff, values.code, input, values, null, `${ADMIN_FACILITIES}?done=created&code=${values.code}`);
  }

  @Get(':code/edit')
  async edit(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const facility = await this.find(staff, code);
    const values: FacilityFormValues = {
      ...EMPTY_ROOM,
      code,
      nameJa: facility.name.ja,
      nameEn: facility.name.en,
      kind: facility.kind,
      department: facility.department,
      procedureCode: facility.procedureCode,
      slotMinutes: String(facility.slotMinutes),
      open: '',
      close: '',
      address: facility.details.address ?? '',
      phone: facility.details.phone ?? '',
      active: facility.active,
    };
    const done = text(request.query.done, 20);
    await this.renderFacility(context, response, staff, values, facility, [], 200, NOTICES.includes(done) ? { kind: done as FacilityNotice['kind'], code: text(request.query.room, 40) } : null);
  }

  @Post(':code')
  async update(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const facility = await this.find(staff, code);
    const values = { ...EMPTY_ROOM, ...facilityValuesOf(formOf(request), code) };
    const errors = this.checkFacility(context, values, false);
    if (errors.length > 0) return this.renderFacility(context, response, staff, values, facility, errors, 400);
    const input: FacilityInputDto = {
      ...toFacilityInput(facility),
      name: { ja: values.nameJa, en: values.nameEn },
      kind: values.kind as FacilityInputDto['kind'],
      department: values.department,
      procedureCode: values.procedureCode,
      slotMinutes: wholeNumber(values.slotMinutes, 15, 720)!,
      details: { ...toFacilityInput(facility).details, ...detailsOf(values) },
      active: values.active,
    };
    if (!values.address) delete input.details!.address;
    if (!values.phone) delete input.details!.phone;
    await this.put(context, response, staff, code, input, values, facility, `${ADMIN_FACILITIES}?done=saved&code=${code}`);
  }

  @Get(':code/rooms/new')
  async newRoom(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const facility = await this.find(staff, code);
    sendPage(response, context.lang, renderDocument(RoomFormView({ context, facility, values: EMPTY_ROOM, editing: false, errors: [] })));
  }

  @Post(':code/rooms')
  async createRoom(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string): Promise<void> {
    await this.saveRoom(request, response, staff, code, null);
  }

  @Get(':code/rooms/:room/edit')
  async editRoom(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string, @Param('room', facilityCode) roomCode: string): Promise<void> {
    const context = await this.pages.of(request);
    const facility = await this.find(staff, code);
    const room = facility.rooms.find((item) => item.code === roomCode);
    if (!room) throw BookingError.roomNotFound(code, roomCode);
    const values: RoomFormValues = { roomCode, roomNameJa: room.name.ja, roomNameEn: room.name.en, capacity: String(room.capacity), rateResident: String(room.rates.resident), rateNonResident: String(room.rates.nonResident), active: room.active };
    sendPage(response, context.lang, renderDocument(RoomFormView({ context, facility, values, editing: true, errors: [] })));
  }

  @Post(':code/rooms/:room')
  async updateRoom(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', facilityCode) code: string, @Param('room', facilityCode) roomCode: string): Promise<void> {
    await this.saveRoom(request, response, staff, code, roomCode);
  }

  private async saveRoom(request: Request, response: Response, staff: StaffPrincipal, code: string, roomCode: string | null): Promise<void> {
    const context = await this.pages.of(request);
    const facility = await this.find(staff, code);
    if (roomCode && !facility.rooms.some((room) => room.code === roomCode)) throw BookingError.roomNotFound(code, roomCode);
    const values = roomValuesOf(formOf(request), roomCode);
    const errors: FieldError[] = [];
    const room = this.checkRoom(context, values, errors);
    if (!roomCode && errors.length === 0 && facility.rooms.some((item) => item.code === values.roomCode)) {
      return sendPage(response, context.lang, renderDocument(RoomFormView({ context, facility, values, editing: false, errors: [{ fieldId: 'roomCode', message: context.t('office.admin.facilities.roomTaken') }] })), 409);
    }
    if (errors.length > 0) return sendPage(response, context.lang, renderDocument(RoomFormView({ context, facility, values, editing: roomCode !== null, errors })), 400);
    const input = toFacilityInput(facility);
    input.rooms = roomCode ? input.rooms.map((item) => (item.code === roomCode ? room! : item)) : [...input.rooms, room!];
    try {
      await this.facilities.adminPut(staff, code, input);
    } catch (error) {
      const refusal = refusalsOf(context, error);
      return sendPage(response, context.lang, renderDocument(RoomFormView({ context, facility, values, editing: roomCode !== null, errors: refusal.errors })), refusal.status);
    }
    response.redirect(303, `${ADMIN_FACILITIES}/${code}/edit?done=${roomCode ? 'roomSaved' : 'roomCreated'}&room=${values.roomCode}`);
  }

  private async put(context: OfficeContext, response: Response, staff: StaffPrincipal, code: string, input: FacilityInputDto, values: FacilityFormValues, facility: AdminFacilityDto | null, next: string): Promise<void> {
    try {
      await this.facilities.adminPut(staff, code, input);
    } catch (error) {
      const refusal = refusalsOf(context, error);
      return this.renderFacility(context, response, staff, values, facility, refusal.errors, refusal.status);
    }
    response.redirect(303, next);
  }

  /** A facility of another municipality, or none, is "not found". */
  private async find(staff: StaffPrincipal, code: string): Promise<AdminFacilityDto> {
    const facility = (await this.facilities.adminList(staff)).find((item) => item.code === code);
    if (!facility) throw BookingError.facilityNotFound(code);
    return facility;
  }

  private checkFacility(context: OfficeContext, values: FacilityFormValues, creating: boolean): FieldError[] {
    const { t } = context;
    const errors: FieldError[] = [];
    if (creating && !FACILITY_CODE_PATTERN.test(values.code)) errors.push({ fieldId: 'code', message: t('office.admin.facilities.codeInvalid') });
    checkNames(context, values, errors);
    if (!(FACILITY_KINDS as readonly string[]).includes(values.kind)) errors.push({ fieldId: 'kind', message: t('office.admin.facilities.kindMissing') });
    if (!values.department) errors.push({ fieldId: 'department', message: t('office.admin.facilities.departmentMissing') });
    if (!values.procedureCode) errors.push({ fieldId: 'procedureCode', message: t('office.admin.facilities.procedureMissing') });
    if (wholeNumber(values.slotMinutes, 15, 720) === null) errors.push({ fieldId: 'slotMinutes', message: t('office.admin.facilities.slotInvalid') });
    if (creating && !HH_MM.test(values.open)) errors.push({ fieldId: 'open', message: t('office.day.block.timeInvalid') });
    if (creating && !CLOSE.test(values.close)) errors.push({ fieldId: 'close', message: t('office.day.block.timeInvalid') });
    else if (creating && HH_MM.test(values.open) && values.close <= values.open) errors.push({ fieldId: 'close', message: t('office.day.block.order') });
    if (values.phone && !PHONE.test(values.phone)) errors.push({ fieldId: 'phone', message: t('office.admin.facilities.phoneInvalid') });
    return errors;
  }

  /** The room fields checked; the room when they pass. */
  private checkRoom(context: OfficeContext, values: RoomFormValues, errors: FieldError[]): RoomInputDto | null {
    const { t } = context;
    const before = errors.length;
    if (!FACILITY_CODE_PATTERN.test(values.roomCode)) errors.push({ fieldId: 'roomCode', message: t('office.admin.facilities.codeInvalid') });
    if (!values.roomNameJa) errors.push({ fieldId: 'roomNameJa', message: t('office.admin.catalog.nameJaMissing') });
    if (!values.roomNameEn) errors.push({ fieldId: 'roomNameEn', message: t('office.admin.catalog.nameEnMissing') });
    const capacity = wholeNumber(values.capacity, 1, 100_000);
    if (capacity === null) errors.push({ fieldId: 'capacity', message: t('office.admin.facilities.capacityInvalid') });
    const resident = wholeNumber(values.rateResident, 0, 10_000_000);
    if (resident === null) errors.push({ fieldId: 'rateResident', message: t('office.admin.facilities.rateInvalid') });
    const nonResident = wholeNumber(values.rateNonResident, 0, 10_000_000);
    if (nonResident === null) errors.push({ fieldId: 'rateNonResident', message: t('office.admin.facilities.rateInvalid') });
    if (errors.length > before) return null;
    return { code: values.roomCode, name: { ja: values.roomNameJa, en: values.roomNameEn }, capacity: capacity!, rates: { resident: resident!, nonResident: nonResident! }, active: values.active };
  }

  private async renderFacility(context: OfficeContext, response: Response, staff: StaffPrincipal, values: FacilityFormValues, facility: AdminFacilityDto | null, errors: FieldError[], status: number, notice: FacilityNotice | null = null): Promise<void> {
    const [departments, catalog] = await Promise.all([this.admin.listDepartments(staff.municipalityId), this.facilities.context(staff.municipalityId)]);
    const html = renderDocument(FacilityFormView({ context, values, facility, departments: departments.filter((department) => department.active || department.code === values.department), procedures: [...catalog.bookingProcedures], errors, notice }));
    sendPage(response, context.lang, html, status);
  }
}

function facilityValuesOf(body: Record<string, unknown>, code: string | null): Omit<FacilityFormValues, Exclude<keyof RoomFormValues, 'active'>> {
  return {
    code: code ?? text(body.code, 40),
    nameJa: text(body.nameJa, 100),
    nameEn: text(body.nameEn, 100),
    kind: text(body.kind, 20),
    department: text(body.department, 40),
    procedureCode: text(body.procedureCode, 64),
    slotMinutes: text(body.slotMinutes, 4),
    open: text(body.open, 5),
    close: text(body.close, 5),
    address: text(body.address, 200),
    phone: text(body.phone, 20),
    active: code ? body.active === '1' : true,
  };
}

function roomValuesOf(body: Record<string, unknown>, roomCode: string | null): RoomFormValues {
  return {
    roomCode: roomCode ?? text(body.roomCode, 40),
    roomNameJa: text(body.roomNameJa, 100),
    roomNameEn: text(body.roomNameEn, 100),
    capacity: text(body.capacity, 7),
    rateResident: text(body.rateResident, 9),
    rateNonResident: text(body.rateNonResident, 9),
    active: roomCode ? body.active === '1' : true,
  };
}

function detailsOf(values: { address: string; phone: string }): FacilityInputDto['details'] {
  return { ...(values.address ? { address: values.address } : {}), ...(values.phone ? { phone: values.phone } : {}) };
}

import { Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { CounterAdminService, type CounterDto, CounterError, type CounterServiceDto, SERVICE_CODE_PATTERN } from '@madoguchi/counter';
import { CurrentStaff, StaffOnly, type StaffPrincipal } from '@madoguchi/identity';
import { type FieldError, renderDocument } from '@madoguchi/ui';
import type { Request, Response } from 'express';
import { sendPage } from '../../../portal/src/shared/page-response';
import { type OfficeContext, OfficeContextFactory } from '../shared/office-context';
import { OfficePageController } from '../shared/office-page.controller';
import { checkNames, codeParam, formOf, list, refusalOnForm, text, wholeNumber } from './admin-form';
import { ADMIN_COUNTERS, CounterFormView, type CounterFormValues, CountersListView, type CountersNotice, ServiceFormView, type ServiceFormValues } from './admin-counters.view';

const uuid = new ParseUUIDPipe();

const serviceCode = codeParam(SERVICE_CODE_PATTERN, 'code');
const NOTICES = ['serviceCreated', 'serviceSaved', 'serviceRetired', 'counterCreated', 'counterSaved', 'counterRetired'];

/**
 * /office/admin/counters: the queue-ticket services (用件) and the counters
 * (窓口) that call them, on CounterAdminService as /api/v1/admin/counter-services
 * and /admin/counters use it. Retiring keeps the record (statistics, tickets).
 */
@StaffOnly('administrator')
@OfficePageController('admin')
export class AdminCountersPageController {
  constructor(
    private readonly admin: CounterAdminService,
    private readonly pages: OfficeContextFactory,
  ) {}

  @Get('counters')
  async list(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    const [services, counters] = await Promise.all([this.admin.listServices(staff), this.admin.listCounters(staff)]);
    const done = text(request.query.done, 20);
    const notice: CountersNotice | null = NOTICES.includes(done) ? { kind: done as CountersNotice['kind'], name: text(request.query.name, 100) } : null;
    sendPage(response, context.lang, renderDocument(CountersListView({ context, services, counters, notice })));
  }

  // Services

  @Get('counter-services/new')
  async newService(@Req() request: Request, @Res() response: Response): Promise<void> {
    const context = await this.pages.of(request);
    const values: ServiceFormValues = { code: '', nameJa: '', nameEn: '', ticketPrefix: '', slotCapacity: '0', active: true };
    sendPage(response, context.lang, renderDocument(ServiceFormView({ context, values, errors: [], editing: false })));
  }

  @Post('counter-services')
  async createService(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    await this.saveService(request, response, staff, null);
  }

  @Get('counter-services/:code/edit')
  async editService(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', serviceCode) code: string): Promise<void> {
    const context = await this.pages.of(request);
    const service = await this.findService(staff, code);
    const values: ServiceFormValues = { code, nameJa: service.name.ja, nameEn: service.name.en, ticketPrefix: service.ticketPrefix, slotCapacity: String(service.slotCapacity), active: service.active };
    sendPage(response, context.lang, renderDocument(ServiceFormView({ context, values, errors: [], editing: true })));
  }

  @Post('counter-services/:code')
  async updateService(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', serviceCode) code: string): Promise<void> {
    await this.findService(staff, code);
    await this.saveService(request, response, staff, code);
  }

  @Post('counter-services/:code/retire')
  async retireService(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('code', serviceCode) code: string): Promise<void> {
    const service = await this.findService(staff, code);
    await this.admin.retireService(staff, code);
    response.redirect(303, `${ADMIN_COUNTERS}?done=serviceRetired&name=${encodeURIComponent(service.name.ja)}`);
  }

  // Counters

  @Get('counters/new')
  async newCounter(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    const context = await this.pages.of(request);
    await this.renderCounter(context, response, staff, { id: null, nameJa: '', nameEn: '', serviceCodes: [], open: true, active: true }, [], 200);
  }

  @Post('counters')
  async createCounter(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal): Promise<void> {
    await this.saveCounter(request, response, staff, null);
  }

  @Get('counters/:id/edit')
  async editCounter(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const context = await this.pages.of(request);
    const counter = await this.admin.getCounter(staff, id);
    await this.renderCounter(context, response, staff, { id, nameJa: counter.name.ja, nameEn: counter.name.en, serviceCodes: counter.serviceCodes, open: counter.open, active: counter.active }, [], 200);
  }

  @Post('counters/:id')
  async updateCounter(@Req() request: Request, @Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    await this.admin.getCounter(staff, id);
    await this.saveCounter(request, response, staff, id);
  }

  @Post('counters/:id/retire')
  async retireCounter(@Res() response: Response, @CurrentStaff() staff: StaffPrincipal, @Param('id', uuid) id: string): Promise<void> {
    const counter = await this.admin.getCounter(staff, id);
    await this.admin.retireCounter(staff, id);
    response.redirect(303, `${ADMIN_COUNTERS}?done=counterRetired&name=${encodeURIComponent(counter.name.ja)}`);
  }

  /** Another municipality's service, or none, is "not found" (CounterAdminService.updateService says so too). */
  private async findService(staff: StaffPrincipal, code: string): Promise<CounterServiceDto> {
    const service = (await this.admin.listServices(staff)).find((item) => item.code === code);
    if (!service) throw CounterError.serviceNotFound(code);
    return service;
  }

  private async saveService(request: Request, response: Response, staff: StaffPrincipal, code: string | null): Promise<void> {
    const context = await this.pages.of(request);
    const { t } = context;
    const body = formOf(request);
    const values: ServiceFormValues = {
      code: code ?? text(body.code, 32),
      nameJa: text(body.nameJa, 100),
      nameEn: text(body.nameEn, 100),
      ticketPrefix: text(body.ticketPrefix, 1).toUpperCase(),
      slotCapacity: text(body.slotCapacity, 3) || '0',
      active: code ? body.active === '1' : true,
    };
    const errors: FieldError[] = [];
    if (!code && !SERVICE_CODE_PATTERN.test(values.code)) errors.push({ fieldId: 'code', message: t('office.admin.counters.codeInvalid') });
    checkNames(context, values, errors);
    if (!/^[A-Z]$/.test(values.ticketPrefix)) errors.push({ fieldId: 'ticketPrefix', message: t('office.admin.counters.prefixInvalid') });
    const slotCapacity = wholeNumber(values.slotCapacity, 0, 100);
    if (slotCapacity === null) errors.push({ fieldId: 'slotCapacity', message: t('office.admin.counters.capacityInvalid') });
    if (errors.length === 0) {
      const input = { name: { ja: values.nameJa, en: values.nameEn }, ticketPrefix: values.ticketPrefix, slotCapacity: slotCapacity!, active: values.active };
      try {
        if (code) await this.admin.updateService(staff, code, input);
        else await this.admin.createService(staff, { ...input, code: values.code });
        return response.redirect(303, `${ADMIN_COUNTERS}?done=${code ? 'serviceSaved' : 'serviceCreated'}&name=${encodeURIComponent(values.nameJa)}`);
      } catch (error) {
        // A code or a ticket prefix already in use (409) is said by its field.
        const refusal = refusalOnForm(context, error, (refused) => (refused.code === 'COUNTER_PREFIX_TAKEN' ? 'ticketPrefix' : 'code'));
        return sendPage(response, context.lang, renderDocument(ServiceFormView({ context, values, errors: [refusal.error], editing: code !== null })), refusal.status);
      }
    }
    sendPage(response, context.lang, renderDocument(ServiceFormView({ context, values, errors, editing: code !== null })), 400);
  }

  private async saveCounter(request: Request, response: Response, staff: StaffPrincipal, id: string | null): Promise<void> {
    const context = await this.pages.of(request);
    const body = formOf(request);
    const values: CounterFormValues = { id, nameJa: text(body.nameJa, 100), nameEn: text(body.nameEn, 100), serviceCodes: list(body.serviceCodes), open: body.open === '1', active: id ? body.active === '1' : true };
    const errors: FieldError[] = [];
    checkNames(context, values, errors);
    const active = (await this.admin.listServices(staff)).filter((service) => service.active).map((service) => service.code);
    if (values.serviceCodes.length === 0 || values.serviceCodes.some((code) => !active.includes(code))) errors.push({ fieldId: 'serviceCodes', message: context.t('office.admin.counters.servicesMissing') });
    if (errors.length > 0) return this.renderCounter(context, response, staff, values, errors, 400);
    const input = { name: { ja: values.nameJa, en: values.nameEn }, serviceCodes: values.serviceCodes, open: values.open, active: values.active };
    const saved: CounterDto = id ? await this.admin.updateCounter(staff, id, input) : await this.admin.createCounter(staff, input);
    response.redirect(303, `${ADMIN_COUNTERS}?done=${id ? 'counterSaved' : 'counterCreated'}&name=${encodeURIComponent(saved.name.ja)}`);
  }

  private async renderCounter(context: OfficeContext, response: Response, staff: StaffPrincipal, values: CounterFormValues, errors: FieldError[], status: number): Promise<void> {
    const services = await this.admin.listServices(staff);
    sendPage(response, context.lang, renderDocument(CounterFormView({ context, values, services, errors })), status);
  }
}

import { Injectable } from '@nestjs/common';
import type { StaffPrincipal } from '@madoguchi/identity';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import { COUNTER_ROLES, requireRole } from './counter-access';
import { CounterError } from './counter.errors';
import { toCounterDto, toServiceDto } from './counter.mapper';
import { CounterSetupRepository, PrefixConflict } from './counter-setup.repository';
import type { CounterCreateDto, CounterDto, CounterServiceCreateDto, CounterServiceDto, CounterServiceUpdateDto, CounterUpdateDto } from './dto/counter-admin.dto';

/**
 * Administrators set up services and counters. Nothing is deleted: a retired
 * service or counter stays for the statistics and the tickets that name it.
 */
@Injectable()
export class CounterAdminService {
  constructor(
    private readonly setup: CounterSetupRepository,
    private readonly clock: Clock,
  ) {}

  async listServices(admin: StaffPrincipal): Promise<CounterServiceDto[]> {
    requireRole(admin, COUNTER_ROLES.setup);
    return (await this.setup.listServices(admin.municipalityId, false)).map(toServiceDto);
  }

  async createService(admin: StaffPrincipal, body: CounterServiceCreateDto): Promise<CounterServiceDto> {
    requireRole(admin, COUNTER_ROLES.setup);
    const service = { code: body.code, name: { ja: body.name.ja, en: body.name.en }, ticketPrefix: body.ticketPrefix, slotCapacity: body.slotCapacity ?? 0, active: body.active ?? true };
    const inserted = await this.withPrefix(body.ticketPrefix, () => this.setup.insertService(admin.municipalityId, service, this.clock.now()));
    if (!inserted) throw CounterError.serviceExists(body.code);
    return toServiceDto(service);
  }

  async updateService(admin: StaffPrincipal, code: string, body: CounterServiceUpdateDto): Promise<CounterServiceDto> {
    requireRole(admin, COUNTER_ROLES.setup);
    const current = await this.service(admin.municipalityId, code);
    const write = {
      name: { ja: body.name.ja, en: body.name.en },
      ticketPrefix: body.ticketPrefix,
      slotCapacity: body.slotCapacity ?? current.slotCapacity,
      active: body.active ?? current.active,
    };
    const updated = await this.withPrefix(body.ticketPrefix, () => this.setup.updateService(admin.municipalityId, code, write, this.clock.now()));
    if (!updated) throw CounterError.serviceNotFound(code);
    return toServiceDto({ code, ...write });
  }

  /** Takes no new tickets; those already waiting can still be called. */
  async retireService(admin: StaffPrincipal, code: string): Promise<void> {
    requireRole(admin, COUNTER_ROLES.setup);
    if (!(await this.setup.setServiceActive(admin.municipalityId, code, false, this.clock.now()))) throw CounterError.serviceNotFound(code);
  }

  async listCounters(admin: StaffPrincipal): Promise<CounterDto[]> {
    requireRole(admin, COUNTER_ROLES.setup);
    return (await this.setup.listCounters(admin.municipalityId, false)).map(toCounterDto);
  }

  async getCounter(admin: StaffPrincipal, id: string): Promise<CounterDto> {
    requireRole(admin, COUNTER_ROLES.setup);
    return toCounterDto(await this.counter(admin.municipalityId, id));
  }

  async createCounter(admin: StaffPrincipal, body: CounterCreateDto): Promise<CounterDto> {
    requireRole(admin, COUNTER_ROLES.setup);
    await this.requireServices(admin.municipalityId, body.serviceCodes);
    const counter = {
      id: randomUUID(),
      name: { ja: body.name.ja, en: body.name.en },
      serviceCodes: [...body.serviceCodes].sort(),
      open: body.open ?? true,
      active: body.active ?? true,
    };
    await this.setup.insertCounter(admin.municipalityId, counter, this.clock.now());
    return toCounterDto(counter);
  }

  async updateCounter(admin: StaffPrincipal, id: string, body: CounterUpdateDto): Promise<CounterDto> {
    requireRole(admin, COUNTER_ROLES.setup);
    const current = await this.counter(admin.municipalityId, id);
    await this.requireServices(admin.municipalityId, body.serviceCodes);
    const write = {
      name: { ja: body.name.ja, en: body.name.en },
      serviceCodes: [...body.serviceCodes].sort(),
      open: body.open ?? current.open,
      active: body.active ?? current.active,
    };
    if (!(await this.setup.updateCounter(admin.municipalityId, id, write, this.clock.now()))) throw CounterError.counterNotFound(id);
    return toCounterDto({ id, ...write });
  }

  /** Calls no more tickets and leaves the estimate; the tickets it served keep naming it. */
  async retireCounter(admin: StaffPrincipal, id: string): Promise<void> {
    requireRole(admin, COUNTER_ROLES.setup);
    if (!(await this.setup.setCounterFlags(admin.municipalityId, id, { open: false, active: false }, this.clock.now()))) throw CounterError.counterNotFound(id);
  }

  private async service(municipalityId: MunicipalityId, code: string) {
    const service = await this.setup.findService(municipalityId, code);
    if (!service) throw CounterError.serviceNotFound(code);
    return service;
  }

  private async counter(municipalityId: MunicipalityId, id: string) {
    const counter = await this.setup.findCounter(municipalityId, id);
    if (!counter) throw CounterError.counterNotFound(id);
    return counter;
  }

  private async requireServices(municipalityId: MunicipalityId, codes: string[]): Promise<void> {
    const found = await this.setup.activeServiceCodes(municipalityId, codes);
    const missing = codes.find((code) => !found.includes(code));
    if (missing) throw CounterError.serviceNotFound(missing);
  }

  private async withPrefix<T>(prefix: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (error instanceof PrefixConflict) throw CounterError.prefixTaken(prefix);
      throw error;
    }
  }
}

import { CaseAccess } from '@madoguchi/engine';
import { Injectable } from '@nestjs/common';
import type { StaffPrincipal } from '@madoguchi/identity';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import type { EntityManager } from 'typeorm';
import { COUNTER_ROLES, requireRole } from './counter-access';
import { CounterError } from './counter.errors';
import { toCounterDto, toTicketDetailDto, toTicketDto } from './counter.mapper';
import type { Counter, Ticket } from './counter.types';
import { CounterSetupRepository } from './counter-setup.repository';
import type { CounterDto } from './dto/counter-admin.dto';
import type { CounterQueueDto, TicketDetailDto, TicketDto, TransferDto } from './dto/ticket.dto';
import { TicketRepository, type TicketStateWrite } from './ticket.repository';
import { allowedActions, stepsFor, type TicketAction } from './ticket-state';

const DAY = 86_400_000;

/**
 * Counter staff at work: open or close their counter, call the next ticket,
 * recall, mark a no-show, serve, finish, transfer. Staff reach only the
 * counters and tickets of their own municipality (anything else is "not
 * found"); any clerk of the municipality may act on any of its tickets.
 * Each change locks the ticket row and appends its events in the same
 * transaction.
 */
@Injectable()
export class CounterDeskService {
  constructor(
    private readonly setup: CounterSetupRepository,
    private readonly tickets: TicketRepository,
    private readonly applications: CaseAccess,
    private readonly clock: Clock,
  ) {}

  async listCounters(staff: StaffPrincipal): Promise<CounterDto[]> {
    requireRole(staff, COUNTER_ROLES.desk);
    return (await this.setup.listCounters(staff.municipalityId, true)).map(toCounterDto);
  }

  async queue(staff: StaffPrincipal, counterId: string): Promise<CounterQueueDto> {
    requireRole(staff, COUNTER_ROLES.desk);
    const counter = await this.activeCounter(staff.municipalityId, counterId);
    const now = this.clock.now();
    const [active, waiting, upcoming] = await Promise.all([
      this.tickets.activeAtCounter(staff.municipalityId, counter.id),
      this.tickets.callQueue(staff.municipalityId, counter.id, counter.serviceCodes, now),
      this.tickets.upcomingAppointments(staff.municipalityId, counter.serviceCodes, now, new Date(now.getTime() + DAY)),
    ]);
    return { counterId: counter.id, active: active.map(toTicketDto), waiting: waiting.map(toTicketDto), upcoming: upcoming.map(toTicketDto) };
  }

  async setOpen(staff: StaffPrincipal, counterId: string, open: boolean): Promise<CounterDto> {
    requireRole(staff, COUNTER_ROLES.desk);
    const counter = await this.activeCounter(staff.municipalityId, counterId);
    await this.setup.setCounterFlags(staff.municipalityId, counter.id, { open }, this.clock.now());
    return toCounterDto({ ...counter, open });
  }

  /**
   * The best callable ticket of the services the counter serves, called to
   * it. Concurrent calls never get the same ticket (see TicketRepository.callNext).
   * A closed counter that calls is open again.
   */
  async callNext(staff: StaffPrincipal, counterId: string): Promise<TicketDto> {
    requireRole(staff, COUNTER_ROLES.desk);
    const municipalityId = staff.municipalityId;
    const counter = await this.activeCounter(municipalityId, counterId);
    const now = this.clock.now();
    // Someone calling at a counter is staffing it: it counts as open from now on.
    if (!counter.open) await this.setup.setCounterFlags(municipalityId, counter.id, { open: true }, now);
    const called = await this.tickets.transaction(async (manager) => {
      const taken = await this.tickets.callNext(manager, municipalityId, counter.id, counter.serviceCodes, now);
      if (!taken) return null;
      await this.tickets.appendEvent(manager, municipalityId, taken.after.id, {
        seq: taken.after.revision,
        type: 'called',
        fromStatus: taken.before.status,
        toStatus: taken.after.status,
        serviceCode: taken.after.serviceCode,
        counterId: counter.id,
        actor: { kind: 'staff', id: staff.id },
        waitingSince: null,
        at: now,
      });
      return taken.after;
    });
    if (!called) throw CounterError.nobodyWaiting(counter.id);
    return toTicketDto(called);
  }

  async get(staff: StaffPrincipal, id: string): Promise<TicketDetailDto> {
    requireRole(staff, COUNTER_ROLES.desk);
    const ticket = await this.tickets.find(staff.municipalityId, id);
    if (!ticket) throw CounterError.ticketNotFound(id);
    return toTicketDetailDto(ticket, await this.tickets.events(staff.municipalityId, id));
  }

  /** Recall, no-show, start or finish: the ticket stays at its service and counter. */
  async act(staff: StaffPrincipal, id: string, action: Extract<TicketAction, 'recall' | 'noShow' | 'start' | 'finish'>): Promise<TicketDto> {
    requireRole(staff, COUNTER_ROLES.desk);
    return toTicketDto(
      await this.change(staff, id, action, (ticket, now) => {
        switch (action) {
          case 'recall':
            return { ...ticket, callCount: ticket.callCount + 1 };
          case 'start':
            return { ...ticket, status: 'serving', servingStartedAt: now };
          case 'noShow':
            return { ...ticket, status: 'noShow', closedAt: now };
          case 'finish':
            return { ...ticket, status: 'done', closedAt: now };
        }
      }),
    );
  }

  /**
   * Sends the resident on to another service or counter. The ticket keeps
   * its number and its place (queue time and order), so they do not queue
   * from the back again; named counter only calls it there.
   */
  async transfer(staff: StaffPrincipal, id: string, body: TransferDto): Promise<TicketDto> {
    requireRole(staff, COUNTER_ROLES.desk);
    const municipalityId = staff.municipalityId;
    if (!body.serviceCode && !body.counterId) throw CounterError.transferInvalid('name a service, a counter or both');
    const counter = body.counterId ? await this.activeCounter(municipalityId, body.counterId) : null;
    const current = await this.tickets.find(municipalityId, id);
    if (!current) throw CounterError.ticketNotFound(id);
    const serviceCode = this.transferService(current, counter, body.serviceCode);
    const service = await this.setup.findService(municipalityId, serviceCode);
    if (!service?.active) throw CounterError.serviceNotFound(serviceCode);
    if (!counter && serviceCode === current.serviceCode) throw CounterError.transferInvalid('the ticket is already queued for this service');
    return toTicketDto(
      await this.change(staff, id, 'transfer', (ticket) => ({
        ...ticket,
        serviceCode,
        status: 'waiting',
        assignedCounterId: counter?.id ?? null,
        counterId: null,
        calledAt: null,
        servingStartedAt: null,
        callCount: 0,
      })),
    );
  }

  /** Links the visit to an application of this municipality (e.g. one entered at the counter). */
  /**
   * `inTransaction`: the caller's transaction, when the application was
   * created in it and is not committed yet (an idempotent counter entry
   * commits draft, link and key together).
   */
  async linkApplication(staff: StaffPrincipal, id: string, applicationId: string, inTransaction?: EntityManager): Promise<TicketDto> {
    requireRole(staff, COUNTER_ROLES.desk);
    const municipalityId = staff.municipalityId;
    if (!(await this.tickets.find(municipalityId, id))) throw CounterError.ticketNotFound(id);
    await this.applications.get(municipalityId, applicationId, inTransaction);
    const link = async (manager: EntityManager) => {
      const ticket = await this.tickets.lock(manager, municipalityId, id);
      if (!ticket) throw CounterError.ticketNotFound(id);
      // Not a change of status: no event, the revision stays.
      return this.tickets.writeState(manager, municipalityId, id, { ...ticket, applicationId, at: this.clock.now() });
    };
    const linked = inTransaction ? await link(inTransaction) : await this.tickets.transaction(link);
    return toTicketDto(linked);
  }

  private transferService(ticket: Ticket, counter: Counter | null, requested: string | undefined): string {
    if (!counter) return requested!;
    if (requested) {
      if (!counter.serviceCodes.includes(requested)) throw CounterError.serviceNotServed(counter.id, requested);
      return requested;
    }
    if (counter.serviceCodes.includes(ticket.serviceCode)) return ticket.serviceCode;
    if (counter.serviceCodes.length === 1) return counter.serviceCodes[0];
    throw CounterError.transferInvalid('the counter serves several services: name one');
  }

  /** Locks the ticket, checks the state machine, writes the new state and one event per step. */
  private async change(
    staff: StaffPrincipal,
    id: string,
    action: TicketAction,
    next: (ticket: Ticket, now: Date) => Omit<TicketStateWrite, 'at' | 'revision'>,
  ): Promise<Ticket> {
    const municipalityId = staff.municipalityId;
    return this.tickets.transaction(async (manager: EntityManager) => {
      const ticket = await this.tickets.lock(manager, municipalityId, id);
      if (!ticket) throw CounterError.ticketNotFound(id);
      const steps = stepsFor(ticket.status, action);
      if (!steps) throw CounterError.ticketState(ticket.status, action, allowedActions(ticket.status).filter((allowed) => allowed !== 'call' && allowed !== 'cancel'));
      const now = this.clock.now();
      const write = next(ticket, now);
      const updated = await this.tickets.writeState(manager, municipalityId, id, { ...write, revision: ticket.revision + steps.length, at: now });
      for (const [index, step] of steps.entries()) {
        const requeued = step.type === 'requeued';
        await this.tickets.appendEvent(manager, municipalityId, id, {
          seq: ticket.revision + index + 1,
          type: step.type,
          fromStatus: step.from,
          toStatus: step.to,
          // A requeue happens at the new service; everything else where the ticket was.
          serviceCode: requeued ? updated.serviceCode : ticket.serviceCode,
          counterId: requeued ? updated.assignedCounterId : ticket.counterId,
          actor: { kind: 'staff', id: staff.id },
          waitingSince: requeued ? now : null,
          at: now,
        });
      }
      return updated;
    });
  }

  private async activeCounter(municipalityId: MunicipalityId, id: string): Promise<Counter> {
    const counter = await this.setup.findCounter(municipalityId, id);
    if (!counter?.active) throw CounterError.counterNotFound(id);
    return counter;
  }
}

import { CaseAccess, ApplicationError } from '@madoguchi/engine';
import { Injectable } from '@nestjs/common';
import { MunicipalityDirectory } from '@madoguchi/config';
import { RateLimiter, type RateLimit, type ResidentPrincipal, type StaffPrincipal } from '@madoguchi/identity';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { randomUUID } from 'node:crypto';
import { COUNTER_ROLES, requireRole } from './counter-access';
import { CounterError } from './counter.errors';
import { toTicketDto } from './counter.mapper';
import { type CounterService, displayNumber, type PriorityReason, type Ticket, type TicketActor, type TicketSource } from './counter.types';
import { CounterSetupRepository } from './counter-setup.repository';
import type { BookingDto, BookVisitDto, IssueTicketDto, KioskTicketDto, PublicTicketDto, SlotDto, TicketDto } from './dto/ticket.dto';
import { BOOKING_HOURS, localInstant, localParts, slotProblem, slotsOfDay } from './local-time';
import { QueueStatusService } from './queue-status.service';
import { TicketRepository } from './ticket.repository';
import { finalStatus, stepsFor } from './ticket-state';

/** Tickets a kiosk may print per minute from one address: a busy floor, not a script. */
export const KIOSK_LIMIT: RateLimit = { limit: 30, windowMs: 60_000 };

interface IssueInput {
  service: CounterService;
  source: TicketSource;
  priorityReason: PriorityReason | null;
  appointmentAt: Date | null;
  residentId: string | null;
  applicationId: string | null;
  actor: TicketActor;
}

/**
 * Where tickets come from: the kiosk (anyone, rate-limited), counter staff
 * (possibly for an application entered at the counter), and residents
 * booking a slot online. Each gets the next number of its service for the
 * local day it is served on.
 */
@Injectable()
export class TicketIssueService {
  constructor(
    private readonly setup: CounterSetupRepository,
    private readonly tickets: TicketRepository,
    private readonly status: QueueStatusService,
    private readonly applications: CaseAccess,
    private readonly directory: MunicipalityDirectory,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
  ) {}

  async kiosk(municipalityId: MunicipalityId, body: KioskTicketDto, ip: string): Promise<PublicTicketDto> {
    await this.limiter.hit(municipalityId, `counter-kiosk:${ip}`, KIOSK_LIMIT);
    const service = await this.activeService(municipalityId, body.serviceCode);
    const ticket = await this.issue(municipalityId, {
      service,
      source: 'kiosk',
      priorityReason: body.priorityReason ?? null,
      appointmentAt: null,
      residentId: null,
      applicationId: null,
      actor: { kind: 'kiosk', id: null },
    });
    return this.status.publicTicket(municipalityId, ticket);
  }

  async staffIssue(staff: StaffPrincipal, body: IssueTicketDto): Promise<TicketDto> {
    requireRole(staff, COUNTER_ROLES.desk);
    const service = await this.activeService(staff.municipalityId, body.serviceCode);
    if (body.applicationId) await this.applications.get(staff.municipalityId, body.applicationId);
    const ticket = await this.issue(staff.municipalityId, {
      service,
      source: 'staff',
      priorityReason: body.priorityReason ?? null,
      appointmentAt: null,
      residentId: null,
      applicationId: body.applicationId ?? null,
      actor: { kind: 'staff', id: staff.id },
    });
    return toTicketDto(ticket);
  }

  async book(resident: ResidentPrincipal, body: BookVisitDto): Promise<BookingDto> {
    const municipalityId = resident.municipalityId;
    const service = await this.activeService(municipalityId, body.serviceCode);
    if (service.slotCapacity === 0) throw CounterError.bookingClosed(service.code);
    const slotAt = new Date(body.slotAt);
    const problem = slotProblem(slotAt, this.clock.now(), this.timeZone(municipalityId));
    if (problem) throw CounterError.slotInvalid(problem);
    if (body.applicationId) await this.ownApplication(resident, body.applicationId);
    const ticket = await this.issue(municipalityId, {
      service,
      source: 'online',
      priorityReason: null,
      appointmentAt: slotAt,
      residentId: resident.id,
      applicationId: body.applicationId ?? null,
      actor: { kind: 'resident', id: resident.id },
    });
    return this.booking(municipalityId, ticket);
  }

  async listBookings(resident: ResidentPrincipal): Promise<BookingDto[]> {
    const mine = await this.tickets.listByResident(resident.municipalityId, resident.id);
    return Promise.all(mine.map((ticket) => this.booking(resident.municipalityId, ticket)));
  }

  /** Cancels a booking that has not been called yet. */
  async cancelBooking(resident: ResidentPrincipal, id: string): Promise<BookingDto> {
    const municipalityId = resident.municipalityId;
    const cancelled = await this.tickets.transaction(async (manager) => {
      const ticket = await this.tickets.lock(manager, municipalityId, id);
      if (!ticket || ticket.residentId !== resident.id) throw CounterError.ticketNotFound(id);
      const steps = stepsFor(ticket.status, 'cancel');
      if (!steps) throw CounterError.ticketState(ticket.status, 'cancel', []);
      const now = this.clock.now();
      const updated = await this.tickets.writeState(manager, municipalityId, id, {
        ...ticket,
        status: finalStatus(steps),
        closedAt: now,
        revision: ticket.revision + 1,
        at: now,
      });
      await this.tickets.appendEvent(manager, municipalityId, id, {
        seq: updated.revision,
        type: 'cancelled',
        fromStatus: ticket.status,
        toStatus: updated.status,
        serviceCode: ticket.serviceCode,
        counterId: null,
        actor: { kind: 'resident', id: resident.id },
        waitingSince: null,
        at: now,
      });
      return updated;
    });
    return this.booking(municipalityId, cancelled);
  }

  /** Slots of a local day that can still be booked, with the places left in each. */
  async slots(municipalityId: MunicipalityId, serviceCode: string, date: string): Promise<SlotDto[]> {
    const service = await this.activeService(municipalityId, serviceCode);
    if (service.slotCapacity === 0) return [];
    const timeZone = this.timeZone(municipalityId);
    const slots = slotsOfDay(date, this.clock.now(), timeZone);
    if (slots.length === 0) return [];
    const booked = await this.tickets.bookingsPerSlot(
      municipalityId,
      service.code,
      localInstant(date, BOOKING_HOURS.firstSlotMinute, timeZone),
      localInstant(date, BOOKING_HOURS.lastSlotMinute + BOOKING_HOURS.slotMinutes, timeZone),
    );
    return slots.map((slot) => ({ at: slot.toISOString(), remaining: Math.max(0, service.slotCapacity - (booked.get(slot.getTime()) ?? 0)) }));
  }

  /**
   * One transaction: the day's number (its sequence row stays locked until
   * commit, which also serialises the capacity check of bookings), the
   * ticket, and its `issued` event.
   */
  private issue(municipalityId: MunicipalityId, input: IssueInput): Promise<Ticket> {
    const now = this.clock.now();
    const queueAt = input.appointmentAt ?? now;
    const serviceDay = localParts(queueAt, this.timeZone(municipalityId)).date;
    return this.tickets.transaction(async (manager) => {
      const number = await this.tickets.nextNumber(manager, municipalityId, input.service.code, serviceDay);
      if (input.appointmentAt && input.residentId) {
        if (await this.tickets.residentHasBooking(manager, municipalityId, input.residentId, input.service.code, serviceDay)) throw CounterError.bookingExists();
        if ((await this.tickets.countBookings(manager, municipalityId, input.service.code, input.appointmentAt)) >= input.service.slotCapacity) {
          throw CounterError.slotFull();
        }
      }
      const ticket = await this.tickets.insert(manager, municipalityId, {
        id: randomUUID(),
        serviceCode: input.service.code,
        issuedServiceCode: input.service.code,
        serviceDay,
        number,
        displayNumber: displayNumber(input.service.ticketPrefix, number),
        source: input.source,
        priorityReason: input.priorityReason,
        appointmentAt: input.appointmentAt,
        queueAt,
        residentId: input.residentId,
        applicationId: input.applicationId,
        status: 'waiting',
        assignedCounterId: null,
        counterId: null,
        calledAt: null,
        servingStartedAt: null,
        closedAt: null,
        callCount: 0,
        revision: 1,
        issuedAt: now,
      });
      await this.tickets.appendEvent(manager, municipalityId, ticket.id, {
        seq: 1,
        type: 'issued',
        fromStatus: null,
        toStatus: 'waiting',
        serviceCode: ticket.serviceCode,
        counterId: null,
        actor: input.actor,
        waitingSince: queueAt,
        at: now,
      });
      return ticket;
    });
  }

  private async booking(municipalityId: MunicipalityId, ticket: Ticket): Promise<BookingDto> {
    return { ...(await this.status.publicTicket(municipalityId, ticket)), applicationId: ticket.applicationId };
  }

  private async activeService(municipalityId: MunicipalityId, code: string): Promise<CounterService> {
    const service = await this.setup.findService(municipalityId, code);
    if (!service?.active) throw CounterError.serviceNotFound(code);
    return service;
  }

  /** A resident links only an application of their own; anyone else's is "not found". */
  private async ownApplication(resident: ResidentPrincipal, applicationId: string): Promise<void> {
    const application = await this.applications.get(resident.municipalityId, applicationId);
    if (application.applicantId !== resident.id) throw ApplicationError.notFound(applicationId);
  }

  private timeZone(municipalityId: MunicipalityId): string {
    return this.directory.get(municipalityId)?.timeZone ?? 'Asia/Tokyo';
  }
}

import type { LocalizedMessage } from '@madoguchi/kernel';
import type { Counter, CounterService, Ticket, TicketEvent, TicketStatus } from './counter.types';
import type { CounterDto, CounterServiceDto } from './dto/counter-admin.dto';
import type { PublicTicketDto, TicketDetailDto, TicketDto } from './dto/ticket.dto';
import { allowedActions } from './ticket-state';

export const TICKET_STATUS_LABELS: Record<TicketStatus, LocalizedMessage> = {
  waiting: { ja: 'お呼びするまでお待ちください', en: 'Please wait to be called' },
  called: { ja: '窓口へお越しください', en: 'Please come to the counter' },
  serving: { ja: '対応中です', en: 'Being served' },
  done: { ja: '受付が終わりました', en: 'Done' },
  noShow: { ja: 'お呼びしましたがお越しになりませんでした', en: 'Called, but did not come' },
  cancelled: { ja: '取り消されました', en: 'Cancelled' },
};

const iso = (date: Date | null): string | null => date?.toISOString() ?? null;

export function toServiceDto(service: CounterService): CounterServiceDto {
  return { code: service.code, name: { ...service.name }, ticketPrefix: service.ticketPrefix, slotCapacity: service.slotCapacity, active: service.active };
}

export function toCounterDto(counter: Counter): CounterDto {
  return { id: counter.id, name: { ...counter.name }, serviceCodes: [...counter.serviceCodes], open: counter.open, active: counter.active };
}

export function toTicketDto(ticket: Ticket): TicketDto {
  return {
    id: ticket.id,
    number: ticket.displayNumber,
    serviceCode: ticket.serviceCode,
    issuedServiceCode: ticket.issuedServiceCode,
    serviceDay: ticket.serviceDay,
    source: ticket.source,
    status: ticket.status,
    allowedActions: allowedActions(ticket.status).filter((action) => action !== 'call' && action !== 'cancel'),
    priorityReason: ticket.priorityReason,
    appointmentAt: iso(ticket.appointmentAt),
    queuedAt: ticket.queueAt.toISOString(),
    counterId: ticket.counterId,
    assignedCounterId: ticket.assignedCounterId,
    applicationId: ticket.applicationId,
    callCount: ticket.callCount,
    calledAt: iso(ticket.calledAt),
    servingStartedAt: iso(ticket.servingStartedAt),
    closedAt: iso(ticket.closedAt),
    issuedAt: ticket.issuedAt.toISOString(),
  };
}

export function toTicketDetailDto(ticket: Ticket, events: TicketEvent[]): TicketDetailDto {
  return {
    ...toTicketDto(ticket),
    events: events.map((event) => ({
      seq: event.seq,
      type: event.type,
      fromStatus: event.fromStatus,
      toStatus: event.toStatus,
      serviceCode: event.serviceCode,
      counterId: event.counterId,
      actor: { kind: event.actor.kind, id: event.actor.id },
      at: event.occurredAt.toISOString(),
    })),
  };
}

export interface PublicTicketFacts {
  service: CounterService;
  /** The counter that called it, while called or being served. */
  counter: Counter | null;
  peopleAhead: number | null;
  estimatedWaitMinutes: number | null;
}

/** Nothing here names the resident or the application. */
export function toPublicTicketDto(ticket: Ticket, facts: PublicTicketFacts): PublicTicketDto {
  return {
    id: ticket.id,
    number: ticket.displayNumber,
    serviceCode: ticket.serviceCode,
    serviceName: { ...facts.service.name },
    status: ticket.status,
    statusLabel: TICKET_STATUS_LABELS[ticket.status],
    calledTo: facts.counter ? { counterId: facts.counter.id, counterName: { ...facts.counter.name } } : null,
    peopleAhead: facts.peopleAhead,
    estimatedWaitMinutes: facts.estimatedWaitMinutes,
    appointmentAt: iso(ticket.appointmentAt),
    priority: ticket.priorityReason !== null,
    issuedAt: ticket.issuedAt.toISOString(),
  };
}

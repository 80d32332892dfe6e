import { Injectable } from '@nestjs/common';
import { Clock, type MunicipalityId } from '@madoguchi/kernel';
import { CounterError } from './counter.errors';
import { toPublicTicketDto } from './counter.mapper';
import type { CounterService, Ticket } from './counter.types';
import { CounterSetupRepository } from './counter-setup.repository';
import type { PublicTicketDto, QueueStatusDto, ServiceStatusDto } from './dto/ticket.dto';
import { TicketRepository } from './ticket.repository';
import {
  CROWDING_LABELS,
  type CrowdingLevel,
  crowdingLevel,
  estimateWaitMinutes,
  median,
  overallCrowding,
  RECENT_SERVICE_SAMPLE,
  RECENT_SERVICE_WINDOW_DAYS,
} from './wait-estimate';

const DAY = 86_400_000;

/**
 * What anyone may see without signing in (待たせない): the number being
 * served, people waiting and the estimated wait per service, how crowded it
 * is, and the place of one ticket in the queue. Never who holds a ticket.
 */
@Injectable()
export class QueueStatusService {
  constructor(
    private readonly setup: CounterSetupRepository,
    private readonly tickets: TicketRepository,
    private readonly clock: Clock,
  ) {}

  async status(municipalityId: MunicipalityId): Promise<QueueStatusDto> {
    const now = this.clock.now();
    const [services, counters, openCounters, figures, recent] = await Promise.all([
      this.setup.listServices(municipalityId, true),
      this.setup.listCounters(municipalityId, false),
      this.setup.openCountersByService(municipalityId),
      this.tickets.queueFigures(municipalityId, now),
      this.recentServiceSeconds(municipalityId, now),
    ]);
    const counterById = new Map(counters.map((counter) => [counter.id, counter]));
    const levels: CrowdingLevel[] = [];
    const entries: ServiceStatusDto[] = services.map((service) => {
      const figure = figures.get(service.code);
      const waiting = figure?.waiting ?? 0;
      const countersOpen = openCounters.get(service.code) ?? 0;
      const medianServiceSeconds = median(recent.get(service.code) ?? []);
      const estimate = estimateWaitMinutes(medianServiceSeconds, waiting, countersOpen);
      const level = crowdingLevel(waiting, countersOpen, estimate);
      levels.push(level);
      return {
        code: service.code,
        name: { ...service.name },
        ticketPrefix: service.ticketPrefix,
        nowServing: (figure?.active ?? []).map((active) => ({
          number: active.displayNumber,
          counterId: active.counterId,
          counterName: { ...(counterById.get(active.counterId)?.name ?? { ja: '', en: '' }) },
          status: active.status,
        })),
        waiting,
        countersOpen,
        medianServiceSeconds,
        estimatedWaitMinutes: estimate,
        crowding: { level, label: CROWDING_LABELS[level] },
      };
    });
    const overall = overallCrowding(levels);
    return { at: now.toISOString(), crowding: { level: overall, label: CROWDING_LABELS[overall] }, services: entries };
  }

  /** The slip's QR code leads here: the ticket's place and estimated wait. */
  async ticket(municipalityId: MunicipalityId, id: string): Promise<PublicTicketDto> {
    const ticket = await this.tickets.find(municipalityId, id);
    if (!ticket) throw CounterError.ticketNotFound(id);
    return this.publicTicket(municipalityId, ticket);
  }

  async publicTicket(municipalityId: MunicipalityId, ticket: Ticket): Promise<PublicTicketDto> {
    const now = this.clock.now();
    const service = await this.setup.findService(municipalityId, ticket.serviceCode);
    if (!service) throw CounterError.serviceNotFound(ticket.serviceCode);
    const counter = ticket.counterId && (ticket.status === 'called' || ticket.status === 'serving') ? await this.setup.findCounter(municipalityId, ticket.counterId) : null;
    const inQueue = ticket.status === 'waiting' && (!ticket.appointmentAt || ticket.appointmentAt.getTime() <= now.getTime());
    let peopleAhead: number | null = null;
    let estimate: number | null = null;
    if (inQueue) {
      peopleAhead = await this.tickets.peopleAhead(municipalityId, ticket, now);
      estimate = await this.estimateFor(municipalityId, service, peopleAhead, now);
    }
    return toPublicTicketDto(ticket, { service, counter, peopleAhead, estimatedWaitMinutes: estimate });
  }

  private async estimateFor(municipalityId: MunicipalityId, service: CounterService, peopleAhead: number, now: Date): Promise<number | null> {
    if (peopleAhead === 0) return 0;
    const [openCounters, recent] = await Promise.all([this.setup.openCountersByService(municipalityId), this.recentServiceSeconds(municipalityId, now)]);
    return estimateWaitMinutes(median(recent.get(service.code) ?? []), peopleAhead, openCounters.get(service.code) ?? 0);
  }

  private recentServiceSeconds(municipalityId: MunicipalityId, now: Date): Promise<Map<string, number[]>> {
    return this.tickets.recentServiceSeconds(municipalityId, new Date(now.getTime() - RECENT_SERVICE_WINDOW_DAYS * DAY), RECENT_SERVICE_SAMPLE);
  }
}

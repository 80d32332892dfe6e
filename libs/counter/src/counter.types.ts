import type { LocalizedMessage } from '@madoguchi/kernel';

/** What a resident queues for at the counter, e.g. 住民票・印鑑証明 (prefix A). */
export interface CounterService {
  code: string;
  name: LocalizedMessage;
  ticketPrefix: string;
  /** Online bookings taken per slot; 0 means none. */
  slotCapacity: number;
  active: boolean;
}

/** A service point, e.g. 市民課 1番窓口, serving one or more services. */
export interface Counter {
  id: string;
  name: LocalizedMessage;
  /** Staffed right now: counts towards the estimated wait. */
  open: boolean;
  active: boolean;
  serviceCodes: string[];
}

export const TICKET_STATUSES = ['waiting', 'called', 'serving', 'done', 'noShow', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_SOURCES = ['kiosk', 'staff', 'online'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/** Why a ticket is called first (優先受付). */
export const PRIORITY_REASONS = ['pregnant', 'disability', 'elderly', 'infant', 'other'] as const;
export type PriorityReason = (typeof PRIORITY_REASONS)[number];

export type TicketEventType = 'issued' | 'called' | 'recalled' | 'started' | 'finished' | 'noShow' | 'transferred' | 'requeued' | 'cancelled';

export interface TicketActor {
  kind: 'kiosk' | 'resident' | 'staff';
  id: string | null;
}

export interface Ticket {
  id: string;
  queueSeq: number;
  serviceCode: string;
  issuedServiceCode: string;
  /** Local calendar day (YYYY-MM-DD) the number belongs to. */
  serviceDay: string;
  number: number;
  displayNumber: string;
  source: TicketSource;
  priorityReason: PriorityReason | null;
  appointmentAt: Date | null;
  /** Position in the queue: arrival, or the slot time of an appointment; kept across transfers. */
  queueAt: Date;
  residentId: string | null;
  applicationId: string | null;
  status: TicketStatus;
  assignedCounterId: string | null;
  counterId: string | null;
  calledAt: Date | null;
  servingStartedAt: Date | null;
  closedAt: Date | null;
  callCount: number;
  revision: number;
  issuedAt: Date;
  updatedAt: Date;
}

export interface TicketEvent {
  seq: number;
  type: TicketEventType;
  fromStatus: TicketStatus | 'transferred' | null;
  toStatus: TicketStatus | 'transferred';
  serviceCode: string;
  counterId: string | null;
  actor: TicketActor;
  waitingSince: Date | null;
  occurredAt: Date;
}

/** The number printed on the slip: A-001. */
export function displayNumber(prefix: string, number: number): string {
  return `${prefix}-${String(number).padStart(3, '0')}`;
}

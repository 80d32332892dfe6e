import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';
import { PRIORITY_REASONS, type PriorityReason, TICKET_SOURCES, TICKET_STATUSES } from '../counter.types';
import { TICKET_ACTIONS } from '../ticket-state';
import { CROWDING_LEVELS } from '../wait-estimate';
import { LocalizedNameDto, SERVICE_CODE_PATTERN } from './counter-admin.dto';

// Requests

export class KioskTicketDto {
  @ApiProperty({ example: 'certificates' }) @Matches(SERVICE_CODE_PATTERN) serviceCode!: string;
  @ApiPropertyOptional({ enum: PRIORITY_REASONS, description: 'Called first (優先受付): pregnancy, disability, older age, a small child, other' })
  @IsOptional()
  @IsIn(PRIORITY_REASONS)
  priorityReason?: PriorityReason;
}

export class IssueTicketDto extends KioskTicketDto {
  @ApiPropertyOptional({ description: 'An application of this municipality the visit is about' }) @IsOptional() @IsUUID() applicationId?: string;
}

export class BookVisitDto {
  @ApiProperty({ example: 'certificates' }) @Matches(SERVICE_CODE_PATTERN) serviceCode!: string;
  @ApiProperty({ example: '2026-11-24T14:00:00+09:00', description: 'Start of a 15-minute slot (GET /counter/services/:code/slots)' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/(Z|[+-]\d{2}:\d{2})$/, { message: 'slotAt must name its offset (Z or +09:00)' })
  slotAt!: string;
  @ApiPropertyOptional({ description: 'One of your applications the visit is about' }) @IsOptional() @IsUUID() applicationId?: string;
}

export class SlotsQuery {
  @ApiProperty({ example: '2026-11-24' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a date that exists' })
  date!: string;
}

export class CounterOpenDto {
  @ApiProperty({ description: 'Whether the counter is staffed now' }) @IsBoolean() open!: boolean;
}

export class TransferDto {
  @ApiPropertyOptional({ description: 'The service to queue for next; defaults to the current one if the counter serves it' })
  @IsOptional()
  @Matches(SERVICE_CODE_PATTERN)
  serviceCode?: string;
  @ApiPropertyOptional({ description: 'Only this counter will call the ticket' }) @IsOptional() @IsUUID() counterId?: string;
}

export class LinkApplicationDto {
  @ApiProperty() @IsUUID() applicationId!: string;
}

// Responses

export class TicketEventDto {
  @ApiProperty() seq!: number;
  @ApiProperty() type!: string;
  @ApiProperty({ nullable: true, type: String }) fromStatus!: string | null;
  @ApiProperty() toStatus!: string;
  @ApiProperty() serviceCode!: string;
  @ApiProperty({ nullable: true, type: String }) counterId!: string | null;
  @ApiProperty({ type: Object }) actor!: { kind: string; id: string | null };
  @ApiProperty() at!: string;
}

/** What staff see of a ticket. */
export class TicketDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'A-001' }) number!: string;
  @ApiProperty() serviceCode!: string;
  @ApiProperty({ description: 'The service that numbered it (differs after a transfer)' }) issuedServiceCode!: string;
  @ApiProperty({ example: '2026-11-22' }) serviceDay!: string;
  @ApiProperty({ enum: TICKET_SOURCES }) source!: string;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: string;
  @ApiProperty({ enum: TICKET_ACTIONS, isArray: true }) allowedActions!: string[];
  @ApiProperty({ nullable: true, enum: PRIORITY_REASONS }) priorityReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) appointmentAt!: string | null;
  @ApiProperty({ description: 'Place in the queue: arrival, or the slot of an appointment' }) queuedAt!: string;
  @ApiProperty({ nullable: true, type: String }) counterId!: string | null;
  @ApiProperty({ nullable: true, type: String }) assignedCounterId!: string | null;
  @ApiProperty({ nullable: true, type: String }) applicationId!: string | null;
  @ApiProperty() callCount!: number;
  @ApiProperty({ nullable: true, type: String }) calledAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) servingStartedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty() issuedAt!: string;
}

export class TicketDetailDto extends TicketDto {
  @ApiProperty({ type: [TicketEventDto] }) events!: TicketEventDto[];
}

export class CounterQueueDto {
  @ApiProperty() counterId!: string;
  @ApiProperty({ type: [TicketDto], description: 'Called or being served at this counter' }) active!: TicketDto[];
  @ApiProperty({ type: [TicketDto], description: 'In the order "call next" takes them' }) waiting!: TicketDto[];
  @ApiProperty({ type: [TicketDto], description: 'Appointments later today, joining the queue at their slot' }) upcoming!: TicketDto[];
}

export class CalledToDto {
  @ApiProperty() counterId!: string;
  @ApiProperty({ type: LocalizedNameDto }) counterName!: LocalizedNameDto;
}

/** What anyone holding the slip (or its QR code) sees: no personal data. */
export class PublicTicketDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'A-001' }) number!: string;
  @ApiProperty() serviceCode!: string;
  @ApiProperty({ type: LocalizedNameDto }) serviceName!: LocalizedNameDto;
  @ApiProperty({ enum: TICKET_STATUSES }) status!: string;
  @ApiProperty({ type: LocalizedNameDto }) statusLabel!: LocalizedNameDto;
  @ApiProperty({ type: CalledToDto, nullable: true }) calledTo!: CalledToDto | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Waiting tickets that will be called first; null when not waiting in the queue now' })
  peopleAhead!: number | null;
  @ApiProperty({ nullable: true, type: Number }) estimatedWaitMinutes!: number | null;
  @ApiProperty({ nullable: true, type: String }) appointmentAt!: string | null;
  @ApiProperty() priority!: boolean;
  @ApiProperty() issuedAt!: string;
}

export class BookingDto extends PublicTicketDto {
  @ApiProperty({ nullable: true, type: String }) applicationId!: string | null;
}

export class NowServingDto {
  @ApiProperty({ example: 'A-003' }) number!: string;
  @ApiProperty() counterId!: string;
  @ApiProperty({ type: LocalizedNameDto }) counterName!: LocalizedNameDto;
  @ApiProperty({ enum: ['called', 'serving'] }) status!: string;
}

export class CrowdingDto {
  @ApiProperty({ enum: CROWDING_LEVELS }) level!: string;
  @ApiProperty({ type: LocalizedNameDto }) label!: LocalizedNameDto;
}

export class ServiceStatusDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedNameDto }) name!: LocalizedNameDto;
  @ApiProperty() ticketPrefix!: string;
  @ApiProperty({ type: [NowServingDto] }) nowServing!: NowServingDto[];
  @ApiProperty({ description: 'People waiting who can be called now' }) waiting!: number;
  @ApiProperty() countersOpen!: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Median service time of recent finished tickets' }) medianServiceSeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'For someone taking a ticket now' }) estimatedWaitMinutes!: number | null;
  @ApiProperty({ type: CrowdingDto }) crowding!: CrowdingDto;
}

export class QueueStatusDto {
  @ApiProperty() at!: string;
  @ApiProperty({ type: CrowdingDto, description: 'The busiest service' }) crowding!: CrowdingDto;
  @ApiProperty({ type: [ServiceStatusDto] }) services!: ServiceStatusDto[];
}

export class SlotDto {
  @ApiProperty() at!: string;
  @ApiProperty() remaining!: number;
}

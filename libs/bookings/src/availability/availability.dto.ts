import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { FACILITY_CODE_PATTERN, LocalizedTextDto } from '../facilities/dto/facility.dto';

export const SLOT_STATUSES = ['free', 'held', 'booked', 'blocked', 'lottery', 'closed'] as const;
export type SlotStatus = (typeof SLOT_STATUSES)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class AvailabilityQuery {
  @ApiProperty({ example: '2026-11-24' })
  @Matches(DATE, { message: 'from must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a date that exists' })
  from!: string;
  @ApiProperty({ example: '2026-11-30', description: 'Inclusive; at most 30 days after from' })
  @Matches(DATE, { message: 'to must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a date that exists' })
  to!: string;
  @ApiPropertyOptional({ example: '13:00', description: 'Only the slots running at this time of day' })
  @IsOptional()
  @Matches(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'time must be HH:MM' })
  time?: string;
  @ApiPropertyOptional({ example: 'kaigi-1', description: 'Only this room or court' }) @IsOptional() @Matches(FACILITY_CODE_PATTERN) room?: string;
}

export class SlotAvailabilityDto {
  @ApiProperty({ example: '09:00' }) start!: string;
  @ApiProperty({ example: '11:00' }) end!: string;
  @ApiProperty({ enum: SLOT_STATUSES, description: 'free · held (仮予約) · booked (本予約) · blocked (municipal use, maintenance) · lottery (kept for the entries of a lottery until its draw) · closed (closed day, started, or beyond the booking window)' })
  status!: SlotStatus;
}

export class RoomAvailabilityDto {
  @ApiProperty() room!: string;
  @ApiProperty({ type: [SlotAvailabilityDto] }) slots!: SlotAvailabilityDto[];
}

export class DayAvailabilityDto {
  @ApiProperty({ example: '2026-11-24' }) date!: string;
  @ApiProperty({ example: 'tue' }) weekday!: string;
  @ApiProperty({ type: LocalizedTextDto, nullable: true, description: 'The national holiday that day' }) holiday!: LocalizedTextDto | null;
  @ApiProperty({ nullable: true, enum: ['weekly', 'holiday', 'date', 'annual'], description: 'Why the facility is closed that day' }) closed!: string | null;
  @ApiProperty({ type: [RoomAvailabilityDto] }) rooms!: RoomAvailabilityDto[];
}

export class AvailabilityDto {
  @ApiProperty() facility!: string;
  @ApiProperty({ example: 'Asia/Tokyo', description: 'Times are local to this zone' }) timeZone!: string;
  @ApiProperty() from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() slotMinutes!: number;
  @ApiProperty({ type: [DayAvailabilityDto] }) days!: DayAvailabilityDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { FACILITY_CODE_PATTERN, LocalizedTextDto } from '../../facilities/dto/facility.dto';
import { RESIDENCIES } from '../../facilities/facility.types';
import { BLOCK_REASONS, BOOKING_STATUSES, USE_OUTCOMES } from '../booking.types';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const CLOSE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// Requests

export class HoldRequestDto {
  @ApiProperty({ example: 'chuo-kominkan' }) @Matches(FACILITY_CODE_PATTERN) facility!: string;
  @ApiProperty({ example: 'kaigi-1' }) @Matches(FACILITY_CODE_PATTERN) room!: string;
  @ApiProperty({ example: '2026-11-24' })
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a date that exists' })
  date!: string;
  @ApiProperty({ type: [String], example: ['09:00', '11:00'], description: 'Start times of slots of that day (GET /facilities/:code/availability)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @Matches(HH_MM, { each: true, message: 'each slot must be HH:MM' })
  slots!: string[];
}

export class CancelBookingDto {
  @ApiPropertyOptional({ example: '行事が中止になったため' }) @IsOptional() @IsString() @MaxLength(200) reason?: string;
}

export class StaffCancelBookingDto {
  @ApiProperty({ example: '災害対応で施設を使用するため' }) @IsString() @MinLength(1) @MaxLength(200) reason!: string;
}

export class MarkUseDto {
  @ApiProperty({ enum: USE_OUTCOMES, description: 'used: the group came; noShow: nobody came (無断キャンセル)' }) @IsIn(USE_OUTCOMES) outcome!: (typeof USE_OUTCOMES)[number];
}

export class ResolveAttentionDto {
  @ApiProperty({ example: '利用者に連絡し、別室への変更で了承を得た' }) @IsString() @MinLength(1) @MaxLength(200) note!: string;
}

export class BlockRequestDto {
  @ApiPropertyOptional({ type: [String], description: 'Rooms to block; all active rooms when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(FACILITY_CODE_PATTERN, { each: true })
  rooms?: string[];
  @ApiProperty({ example: '2026-12-05' })
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a date that exists' })
  date!: string;
  @ApiProperty({ example: '09:00' }) @Matches(HH_MM, { message: 'start must be HH:MM' }) start!: string;
  @ApiProperty({ example: '17:00', description: 'Up to 24:00, after start' }) @Matches(CLOSE, { message: 'end must be HH:MM (up to 24:00)' }) end!: string;
  @ApiProperty({ enum: BLOCK_REASONS }) @IsIn(BLOCK_REASONS) reason!: (typeof BLOCK_REASONS)[number];
  @ApiPropertyOptional({ example: '市民運動会の準備' }) @IsOptional() @IsString() @MaxLength(200) note?: string;
}

export class DayQuery {
  @ApiProperty({ example: '2026-11-24' })
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a date that exists' })
  date!: string;
}

// Responses

export class SlotDto {
  @ApiProperty({ example: '09:00' }) start!: string;
  @ApiProperty({ example: '11:00' }) end!: string;
}

export class NamedCodeDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedTextDto }) name!: LocalizedTextDto;
}

export class BookingFeeDto {
  @ApiProperty({ enum: RESIDENCIES }) residency!: string;
  @ApiProperty({ description: 'Rate × slots, before any reduction' }) base!: number;
  @ApiProperty({ nullable: true, type: String }) reductionCode!: string | null;
  @ApiProperty({ nullable: true, type: Number }) reductionPercent!: number | null;
  @ApiProperty({ description: 'Yen to pay (or paid)' }) amount!: number;
}

export class BookingCancellationDto {
  @ApiProperty() cancelledAt!: string;
  @ApiProperty({ enum: ['resident', 'staff'] }) by!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty() refundPercent!: number;
  @ApiProperty({ description: 'Yen refunded' }) refundAmount!: number;
}

/** What a resident sees of their booking. */
export class BookingDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '2026-000123' }) bookingNumber!: string;
  @ApiProperty({ enum: BOOKING_STATUSES, description: 'held 仮予約 · confirmed 本予約 · expired · released · cancelled' }) status!: string;
  @ApiProperty({ type: NamedCodeDto }) facility!: NamedCodeDto;
  @ApiProperty({ type: NamedCodeDto }) room!: NamedCodeDto;
  @ApiProperty({ example: '2026-11-24' }) date!: string;
  @ApiProperty({ type: [SlotDto] }) slots!: SlotDto[];
  @ApiProperty({ enum: ['online', 'counter'] }) channel!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The application that books it' }) applicationId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the hold lapses unless paid (or applied with)' }) expiresAt!: string | null;
  @ApiProperty({ type: BookingFeeDto, nullable: true }) fee!: BookingFeeDto | null;
  @ApiProperty({ type: BookingCancellationDto, nullable: true }) cancellation!: BookingCancellationDto | null;
  @ApiProperty({ nullable: true, enum: USE_OUTCOMES }) useOutcome!: string | null;
  @ApiProperty() createdAt!: string;
}

/** What staff of the facility's department see. */
export class StaffBookingDto extends BookingDto {
  @ApiProperty({ enum: ['resident', 'staff'] }) holderKind!: string;
  @ApiProperty({ nullable: true, type: String }) organizerName!: string | null;
  @ApiProperty({ nullable: true, type: String }) purpose!: string | null;
  @ApiProperty({ nullable: true, type: Number }) attendees!: number | null;
  @ApiProperty({ description: 'A block landed on it: someone must contact the user' }) needsAttention!: boolean;
  @ApiProperty({ nullable: true, type: String }) attentionReason!: string | null;
  @ApiProperty({ nullable: true, type: String }) useMarkedAt!: string | null;
}

export class CancellationQuoteDto {
  @ApiProperty({ description: 'Whether the booking can be cancelled now' }) cancellable!: boolean;
  @ApiProperty({ description: 'Calendar days from today to the day of use' }) noticeDays!: number;
  @ApiProperty() refundPercent!: number;
  @ApiProperty({ description: 'Yen paid for the booking' }) paid!: number;
  @ApiProperty({ description: 'Yen that would be refunded' }) refundAmount!: number;
}

export class BlockDto {
  @ApiProperty() id!: string;
  @ApiProperty() room!: string;
  @ApiProperty() date!: string;
  @ApiProperty() start!: string;
  @ApiProperty() end!: string;
  @ApiProperty({ enum: BLOCK_REASONS }) reason!: string;
  @ApiProperty({ nullable: true, type: String }) note!: string | null;
  @ApiProperty() createdAt!: string;
}

export class BlockResultDto {
  @ApiProperty({ type: [BlockDto] }) blocks!: BlockDto[];
  @ApiProperty({ type: [StaffBookingDto], description: 'Bookings under the block, flagged for handling (not cancelled)' }) flagged!: StaffBookingDto[];
}

export class DayRoomDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedTextDto }) name!: LocalizedTextDto;
  @ApiProperty({ type: [StaffBookingDto] }) bookings!: StaffBookingDto[];
  @ApiProperty({ type: [BlockDto] }) blocks!: BlockDto[];
}

export class DayListDto {
  @ApiProperty() facility!: string;
  @ApiProperty() date!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Why the facility is closed that day' }) closed!: string | null;
  @ApiProperty({ type: [DayRoomDto] }) rooms!: DayRoomDto[];
}

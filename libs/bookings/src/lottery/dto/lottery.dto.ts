import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { FACILITY_CODE_PATTERN } from '../../facilities/dto/facility.dto';
import { ENTRY_STATUSES } from '../lottery.types';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** An instant with its offset, e.g. 2026-12-10T17:00:00+09:00. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

// Requests

export class CreateLotteryDto {
  @ApiPropertyOptional({ type: [String], description: 'Rooms in the lottery; all active rooms when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(FACILITY_CODE_PATTERN, { each: true })
  rooms?: string[];
  @ApiProperty({ example: '2027-01-05', description: 'First use date the lottery allocates' })
  @Matches(DATE, { message: 'periodFrom must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'periodFrom must be a date that exists' })
  periodFrom!: string;
  @ApiProperty({ example: '2027-01-31', description: 'Last use date (at most 92 days after periodFrom)' })
  @Matches(DATE, { message: 'periodTo must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'periodTo must be a date that exists' })
  periodTo!: string;
  @ApiPropertyOptional({ example: '2026-12-01T09:00:00+09:00', description: 'When entries open; now when absent' })
  @IsOptional()
  @Matches(INSTANT, { message: 'entryOpensAt must be an ISO 8601 instant with its offset' })
  entryOpensAt?: string;
  @ApiProperty({ example: '2026-12-10T17:00:00+09:00', description: 'Entry deadline; the draw follows it' })
  @Matches(INSTANT, { message: 'entryClosesAt must be an ISO 8601 instant with its offset' })
  entryClosesAt!: string;
  @ApiPropertyOptional({ example: 72, description: 'Hours a winner has to pay (default 72)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(336)
  paymentHours?: number;
  @ApiPropertyOptional({ example: 2, description: 'Entries per resident (default 2)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(20)
  maxEntriesPerResident?: number;
}

export class LotteryEntryRequestDto {
  @ApiProperty({ example: 'arena-a' }) @Matches(FACILITY_CODE_PATTERN) room!: string;
  @ApiProperty({ example: '2027-01-12' })
  @Matches(DATE, { message: 'date must be YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a date that exists' })
  date!: string;
  @ApiProperty({ type: [String], example: ['19:00'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ArrayUnique()
  @Matches(HH_MM, { each: true, message: 'each slot must be HH:MM' })
  slots!: string[];
  @ApiProperty({ example: '桜ヶ丘バレーボールクラブ' }) @IsString() @MinLength(1) @MaxLength(100) organizerName!: string;
  @ApiProperty({ example: 'バレーボール練習' }) @IsString() @MinLength(1) @MaxLength(200) purpose!: string;
  @ApiProperty({ example: 20 }) @IsInt() @Min(1) @Max(100000) attendees!: number;
}

export class LotteryListQuery {
  @ApiPropertyOptional({ example: 'shimin-taiikukan' }) @IsOptional() @Matches(FACILITY_CODE_PATTERN) facility?: string;
}

// Responses

export class LotteryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'shimin-taiikukan' }) facility!: string;
  @ApiProperty({ type: [String] }) rooms!: string[];
  @ApiProperty({ example: '2027-01-05' }) periodFrom!: string;
  @ApiProperty({ example: '2027-01-31' }) periodTo!: string;
  @ApiProperty() entryOpensAt!: string;
  @ApiProperty({ description: 'The deadline (締切); the draw follows it' }) entryClosesAt!: string;
  @ApiProperty({ description: '32 random bytes (hex), published from creation: the draw is HMAC-SHA256 keyed with it' }) seed!: string;
  @ApiProperty({ enum: ['upcoming', 'open', 'closed', 'drawn'] }) status!: string;
  @ApiProperty({ example: 72 }) paymentHours!: number;
  @ApiProperty({ example: 2 }) maxEntriesPerResident!: number;
  @ApiProperty({ description: 'Entries in the draw (withdrawn ones not counted)' }) entryCount!: number;
  @ApiProperty({ nullable: true, type: String }) drawnAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) resultHash!: string | null;
}

export class LotteryEntryDto {
  @ApiProperty() lotteryId!: string;
  @ApiProperty({ description: 'Public, sequential in order of arrival' }) entryNumber!: number;
  @ApiProperty() room!: string;
  @ApiProperty() date!: string;
  @ApiProperty({ type: [String] }) slots!: string[];
  @ApiProperty() organizerName!: string;
  @ApiProperty() purpose!: string;
  @ApiProperty() attendees!: number;
  @ApiProperty({ enum: ENTRY_STATUSES }) status!: string;
  @ApiProperty({ nullable: true, type: Number }) drawPosition!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'The hold of a win: apply with it as the form\'s holdId before it lapses (the payment deadline)' })
  bookingId!: string | null;
  @ApiProperty() createdAt!: string;
}

export class PublicEntryDto {
  @ApiProperty() entryNumber!: number;
  @ApiProperty() room!: string;
  @ApiProperty() date!: string;
  @ApiProperty({ type: [String] }) slots!: string[];
}

export class DrawnEntryDto {
  @ApiProperty() position!: number;
  @ApiProperty() entryNumber!: number;
  @ApiProperty({ description: 'HMAC-SHA256(seed bytes, "<lotteryId>:<entryNumber>"), hex' }) key!: string;
  @ApiProperty({ enum: ['won', 'waitlisted'], description: 'The outcome of the draw itself' }) outcome!: string;
  @ApiProperty({ enum: ENTRY_STATUSES, description: 'Now: a win may have been forfeited, a waitlisted entry promoted' }) status!: string;
}

export class LotteryDrawDto {
  @ApiProperty() lotteryId!: string;
  @ApiProperty() seed!: string;
  @ApiProperty() method!: string;
  @ApiProperty() drawnAt!: string;
  @ApiProperty() entryCount!: number;
  @ApiProperty({ description: 'SHA-256 of the lines "<position>:<entryNumber>:<key>:<outcome>\\n" in draw order; also in the audit log' }) resultHash!: string;
  @ApiProperty({ type: [PublicEntryDto], description: 'The entries in the draw, by entry number (no names)' }) entries!: PublicEntryDto[];
  @ApiProperty({ type: [DrawnEntryDto], description: 'The draw order and results' }) order!: DrawnEntryDto[];
}

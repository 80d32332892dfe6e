import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { FACILITY_KINDS, HOLIDAY_POLICIES } from '../facility.types';

export const FACILITY_CODE_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const CLOSE = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const REDUCTION_CODE = /^[a-z][a-z0-9-]{0,39}$/;

// Requests: a facility as an administrator writes it (PUT /admin/facilities/:code) and as
// config/facilities/<municipality>.yaml lists it. The same classes check both.

export class LocalizedTextDto {
  @ApiProperty({ example: '中央公民館' }) @IsString() @MinLength(1) @MaxLength(100) ja!: string;
  @ApiProperty({ example: 'Central Community Centre' }) @IsString() @MinLength(1) @MaxLength(100) en!: string;
}

export class OpeningHoursDto {
  @ApiProperty({ example: '09:00' }) @Matches(HH_MM, { message: 'open must be HH:MM' }) open!: string;
  @ApiProperty({ example: '21:00', description: 'Up to 24:00' }) @Matches(CLOSE, { message: 'close must be HH:MM (up to 24:00)' }) close!: string;
}

/** Every weekday is named; null closes the facility that weekday (定休日). */
export class WeeklyHoursDto {
  @ApiProperty({ type: OpeningHoursDto, nullable: true }) @ValidateIf((_o, value) => value !== null) @ValidateNested() @Type(() => OpeningHoursDto) sun!: OpeningHoursDto | null;
  @ApiProperty({ type: OpeningHoursDto, nullable: true }) @ValidateIf((_o, value) => value !== null) @ValidateNested() @Type(() => OpeningHoursDto) mon!: OpeningHoursDto | null;
  @ApiProperty({ type: OpeningHoursDto, nullable: true }) @ValidateIf((_o, value) => value !== null) @ValidateNested() @Type(() => OpeningHoursDto) tue!: OpeningHoursDto | null;
  @ApiProperty({ type: OpeningHoursDto, nullable: true }) @ValidateIf((_o, value) => value !== null) @ValidateNested() @Type(() => OpeningHoursDto) wed!: OpeningHoursDto | null;
  @ApiProperty({ type: OpeningHoursDto, nullable: true }) @ValidateIf((_o, value) => value !== null) @ValidateNested() @Type(() => OpeningHoursDto) thu!: OpeningHoursDto | null;
  @ApiProperty({ type: OpeningHoursDto, nullable: true }) @ValidateIf((_o, value) => value !== null) @ValidateNested() @Type(() => OpeningHoursDto) fri!: OpeningHoursDto | null;
  @ApiProperty({ type: OpeningHoursDto, nullable: true }) @ValidateIf((_o, value) => value !== null) @ValidateNested() @Type(() => OpeningHoursDto) sat!: OpeningHoursDto | null;
}

export class RatesDto {
  @ApiProperty({ example: 500, description: 'Yen per slot for residents (市内)' }) @IsInt() @Min(0) @Max(10_000_000) resident!: number;
  @ApiProperty({ example: 1000, description: 'Yen per slot for non-residents (市外)' }) @IsInt() @Min(0) @Max(10_000_000) nonResident!: number;
}

export class RoomInputDto {
  @ApiProperty({ example: 'kaigi-1' }) @Matches(FACILITY_CODE_PATTERN) code!: string;
  @ApiProperty({ type: LocalizedTextDto }) @ValidateNested() @Type(() => LocalizedTextDto) name!: LocalizedTextDto;
  @ApiProperty({ example: 30, description: 'People allowed at once' }) @IsInt() @Min(1) @Max(100_000) capacity!: number;
  @ApiProperty({ type: RatesDto }) @ValidateNested() @Type(() => RatesDto) rates!: RatesDto;
  @ApiPropertyOptional({ default: true, description: 'A retired room keeps its bookings but takes no new ones' }) @IsOptional() @IsBoolean() active?: boolean;
}

export class HoldsDto {
  @ApiProperty({ example: 15, description: 'Minutes an online hold (仮予約) lasts' }) @IsInt() @Min(1) @Max(7 * 24 * 60) onlineMinutes!: number;
  @ApiProperty({ example: 1440, description: 'Minutes a hold made at the counter lasts' }) @IsInt() @Min(1) @Max(14 * 24 * 60) counterMinutes!: number;
}

export class CancellationTierDto {
  @ApiProperty({ example: 7, description: 'Cancelled this many calendar days or more before the day of use' }) @IsInt() @Min(0) @Max(3650) daysBefore!: number;
  @ApiProperty({ example: 100 }) @IsInt() @Min(0) @Max(100) refundPercent!: number;
}

export class ReductionDto {
  @ApiProperty({ example: 'registered-group' }) @Matches(REDUCTION_CODE) code!: string;
  @ApiProperty({ type: LocalizedTextDto }) @ValidateNested() @Type(() => LocalizedTextDto) label!: LocalizedTextDto;
  @ApiProperty({ example: 50, description: '100 is a full exemption (免除)' }) @IsInt() @Min(1) @Max(100) percent!: number;
}

export class FacilityDetailsInputDto {
  @ApiPropertyOptional({ example: 'チュウオウコウミンカン', description: '名称_カナ (full-width katakana)' })
  @IsOptional()
  @Matches(/^[\u30A0-\u30FF\u3000 ・ー（）()0-9０-９]{1,100}$/, { message: 'nameKana must be full-width katakana' })
  nameKana?: string;
  @ApiPropertyOptional({ example: '試験県試験市中央1-2-3', description: '所在地_連結表記' }) @IsOptional() @IsString() @MinLength(1) @MaxLength(200) address?: string;
  @ApiPropertyOptional({ example: 35.6812, description: 'WGS 84; give both or neither' }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 7 }) @Min(-90) @Max(90) latitude?: number;
  @ApiPropertyOptional({ example: 139.7671 }) @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 7 }) @Min(-180) @Max(180) longitude?: number;
  @ApiPropertyOptional({ example: '099-123-4567' }) @IsOptional() @Matches(/^\+?[0-9][0-9-]{5,19}$/, { message: 'phone must be digits and hyphens' }) phone?: string;
  @ApiPropertyOptional({ example: 'https://www.city.example.jp/kominkan/' })
  @IsOptional()
  @MaxLength(500)
  @Matches(/^https?:\/\/[^\s"<>]+$/, { message: 'url must be an http(s) address' })
  url?: string;
}

export class FacilityInputDto {
  @ApiProperty({ type: LocalizedTextDto }) @ValidateNested() @Type(() => LocalizedTextDto) name!: LocalizedTextDto;
  @ApiProperty({ enum: FACILITY_KINDS }) @IsIn(FACILITY_KINDS) kind!: (typeof FACILITY_KINDS)[number];
  @ApiProperty({ example: 'shogaigakushu', description: 'The department whose staff run it' }) @Matches(/^[a-z][a-z0-9-]{0,39}$/) department!: string;
  @ApiProperty({ example: 'kominkan-yoyaku', description: 'The booking procedure residents apply through' }) @Matches(/^[a-z0-9][a-z0-9-]{0,63}$/) procedureCode!: string;
  @ApiProperty({ type: [RoomInputDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => RoomInputDto) rooms!: RoomInputDto[];
  @ApiProperty({ type: WeeklyHoursDto }) @ValidateNested() @Type(() => WeeklyHoursDto) openingHours!: WeeklyHoursDto;
  @ApiProperty({ example: 120, description: 'Slot length in minutes; slots start at opening time' }) @IsInt() @Min(15) @Max(720) slotMinutes!: number;
  @ApiProperty({ enum: HOLIDAY_POLICIES, description: 'National holidays: closed, or open' }) @IsIn(HOLIDAY_POLICIES) holidays!: (typeof HOLIDAY_POLICIES)[number];
  @ApiPropertyOptional({ type: OpeningHoursDto, description: 'Hours on a holiday when open (default: that weekday\'s)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OpeningHoursDto)
  holidayHours?: OpeningHoursDto;
  @ApiPropertyOptional({ type: [String], example: ['2026-12-15'], description: 'Closed dates (点検日)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(366)
  @ArrayUnique()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { each: true })
  closedDates?: string[];
  @ApiPropertyOptional({ type: [String], example: ['12-29', '12-30', '12-31', '01-01', '01-02', '01-03'], description: 'Closed every year (MM-DD)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(366)
  @ArrayUnique()
  @Matches(/^\d{2}-\d{2}$/, { each: true })
  closedAnnually?: string[];
  @ApiPropertyOptional({ example: 90, description: 'How many days ahead slots can be held' }) @IsOptional() @IsInt() @Min(1) @Max(400) bookingWindowDays?: number;
  @ApiPropertyOptional({ type: HoldsDto }) @IsOptional() @ValidateNested() @Type(() => HoldsDto) holds?: HoldsDto;
  @ApiProperty({ type: [CancellationTierDto], description: 'Refund by notice period, most notice first, down to 0 days' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => CancellationTierDto)
  cancellation!: CancellationTierDto[];
  @ApiPropertyOptional({ type: [ReductionDto] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ReductionDto) reductions?: ReductionDto[];
  @ApiPropertyOptional({ type: FacilityDetailsInputDto, description: 'For the public-facility list (公共施設一覧); all optional' })
  @IsOptional()
  @ValidateNested()
  @Type(() => FacilityDetailsInputDto)
  details?: FacilityDetailsInputDto;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}

/** One entry of config/facilities/<municipality>.yaml. */
export class FacilityConfigEntryDto extends FacilityInputDto {
  @ApiProperty({ example: 'chuo-kominkan' }) @Matches(FACILITY_CODE_PATTERN) code!: string;
}

// Responses

export class OpeningHoursViewDto {
  @ApiProperty() open!: string;
  @ApiProperty() close!: string;
}

export class RoomDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedTextDto }) name!: LocalizedTextDto;
  @ApiProperty() capacity!: number;
  @ApiProperty({ type: RatesDto }) rates!: RatesDto;
}

export class ReductionViewDto {
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedTextDto }) label!: LocalizedTextDto;
  @ApiProperty() percent!: number;
}

export class CancellationTierViewDto {
  @ApiProperty() daysBefore!: number;
  @ApiProperty() refundPercent!: number;
}

export class FacilityDetailsDto {
  @ApiProperty({ type: String, nullable: true }) nameKana!: string | null;
  @ApiProperty({ type: String, nullable: true }) address!: string | null;
  @ApiProperty({ type: Number, nullable: true }) latitude!: number | null;
  @ApiProperty({ type: Number, nullable: true }) longitude!: number | null;
  @ApiProperty({ type: String, nullable: true }) phone!: string | null;
  @ApiProperty({ type: String, nullable: true }) url!: string | null;
}

class FacilityViewBase {
  @ApiProperty() code!: string;
  @ApiProperty({ type: LocalizedTextDto }) name!: LocalizedTextDto;
  @ApiProperty({ enum: FACILITY_KINDS }) kind!: string;
  @ApiProperty({ description: 'Apply with this procedure (POST /applications)' }) procedureCode!: string;
  @ApiProperty({ description: 'Per weekday (sun … sat); null when closed that weekday', type: Object }) openingHours!: Record<string, OpeningHoursViewDto | null>;
  @ApiProperty() slotMinutes!: number;
  @ApiProperty({ enum: HOLIDAY_POLICIES }) holidays!: string;
  @ApiProperty({ type: OpeningHoursViewDto, nullable: true }) holidayHours!: OpeningHoursViewDto | null;
  @ApiProperty({ type: [String] }) closedDates!: string[];
  @ApiProperty({ type: [String] }) closedAnnually!: string[];
  @ApiProperty() bookingWindowDays!: number;
  @ApiProperty({ type: HoldsDto }) holds!: HoldsDto;
  @ApiProperty({ type: [CancellationTierViewDto] }) cancellation!: CancellationTierViewDto[];
  @ApiProperty({ type: [ReductionViewDto] }) reductions!: ReductionViewDto[];
  @ApiProperty({ type: FacilityDetailsDto, description: 'Name in kana, address, position, phone, URL (公共施設一覧)' }) details!: FacilityDetailsDto;
}

/** What anyone sees of a facility. */
export class FacilityDto extends FacilityViewBase {
  @ApiProperty({ type: [RoomDto] }) rooms!: RoomDto[];
}

export class AdminRoomDto extends RoomDto {
  @ApiProperty() active!: boolean;
}

/** What administrators see: everything, retired rooms and facilities too. */
export class AdminFacilityDto extends FacilityViewBase {
  @ApiProperty({ type: [AdminRoomDto] }) rooms!: AdminRoomDto[];
  @ApiProperty() department!: string;
  @ApiProperty() active!: boolean;
  @ApiProperty({ enum: ['config', 'admin'] }) source!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() updatedAt!: string;
}
